"""The `roadmap` command: check, build, diff, new, export, rules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.check import RULES, check, has_errors
from generator.findings import render
from generator.load import load
from generator.pipeline import generate
from generator.site import mkdocs_build

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a one-line message, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"roadmap: error: {message}\n")


def _root(value: str) -> Path:
    root = Path(value)
    if not root.is_dir():
        raise SystemExit(_usage(f"the roadmap folder '{value}' does not exist or is not a folder"))
    return root


def _usage(message: str) -> int:
    print(f"roadmap: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def cmd_check(args: argparse.Namespace) -> int:
    findings = check(load(_root(args.root)))
    output = render(findings, args.format)
    if output:
        print(output)
    return EXIT_ERRORS if has_errors(findings, args.strict) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    root = _root(args.root)
    result = generate(root, Path(args.docs))
    output = render(result.findings, "text")
    print(output, file=sys.stderr if not result.ok else sys.stdout)
    if not result.ok:
        return EXIT_ERRORS
    code = mkdocs_build(Path(args.config), Path(args.site))
    if code == 0:
        print(f"built the site in {args.site}/")
    return EXIT_OK if code == 0 else EXIT_ERRORS


def cmd_rules(args: argparse.Namespace) -> int:
    for code in sorted(RULES):
        item = RULES[code]
        print(f"{item.code}  {item.severity:<7}  {item.name:<26}  {item.description}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="roadmap", description="Check and publish a roadmap kept as YAML.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check_p = sub.add_parser("check", help="check the roadmap for errors")
    check_p.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    check_p.add_argument("--format", choices=["text", "github", "json"], default="text")
    check_p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check_p.set_defaults(run=cmd_check)
    build_p = sub.add_parser("build", help="check, generate the pages and build the site")
    build_p.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    build_p.add_argument("--docs", default="docs", help="the MkDocs docs folder")
    build_p.add_argument("--config", default="mkdocs.yml", help="the MkDocs configuration")
    build_p.add_argument("--site", default="site", help="where to put the built site")
    build_p.set_defaults(run=cmd_build)
    rules_p = sub.add_parser("rules", help="list every check with its code")
    rules_p.set_defaults(run=cmd_rules)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except SystemExit as stop:
        return int(stop.code or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
