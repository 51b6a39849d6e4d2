"""The `roadmap` command: check, generate, build, serve, diff, new, export, rules."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

# The modules of one command alone (diff, new, init, review new, build, pdf) load when it runs.
from generator import boardpack, builders, export, watch
from generator.cache import Cache
from generator.check import RULES, check, has_errors
from generator.dates import parse_date
from generator.findings import render
from generator.handover import HANDOVER
from generator.kinds import NEW_KINDS
from generator.load import AS_AT_ENV, load_as_at
from generator.model import Roadmap, resolve
from generator.neutral import neutral
from generator.pipeline import checked, generate
from generator.publishing import PUBLISH_ENV
from generator.write import WriteRefused, atomic_write

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command a closed pipe stopped


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
    _say(f"error: {message}")
    return EXIT_USAGE


def _say(message: object) -> None:
    """A message on stderr; anything in it that came from the roadmap is neutralised."""
    print(f"roadmap: {neutral(message)}", file=sys.stderr)


def _as_at(value: str | None) -> None:
    """--as-at today|YYYY-MM-DD: the date time-based rules and pages use, for this run."""
    if value is None:
        return
    day = date.today() if value == "today" else parse_date(value)
    if day is None:
        raise SystemExit(_usage(f"--as-at {value!r} is not 'today' or a real date (YYYY-MM-DD)"))
    os.environ[AS_AT_ENV] = day.isoformat()


def cmd_check(args: argparse.Namespace) -> int:
    _as_at(args.as_at)
    root = _root(args.root)
    findings = checked(load_as_at(root), Cache.for_root(root))  # only what changed is checked again
    output = render(findings, args.format)
    if output:
        print(output)
    return EXIT_ERRORS if has_errors(findings, args.strict) else EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    root = _root(args.root)
    result = watch.generate_and_report(root, Path(args.docs))
    if result is None or not result.ok:
        return EXIT_ERRORS
    return watch.watch(root, Path(args.docs)) if args.watch else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    if problem := builders.missing(args.builder):
        return _usage(problem)
    root = _root(args.root)
    result = watch.generate_and_report(root, Path(args.docs))
    if result is None or not result.ok:
        return EXIT_ERRORS
    return builders.serve(args.builder, Path(args.config), args.dev_addr, root, Path(args.docs))


def cmd_build(args: argparse.Namespace) -> int:
    if problem := builders.missing(args.builder):
        return _usage(problem)
    root = _root(args.root)
    _as_at(args.as_at)
    if args.publish:
        os.environ[PUBLISH_ENV] = "1"  # the MkDocs hook refuses to build without site_url
    if args.meeting:
        boardpack.MEETING["meeting"] = args.meeting
    try:
        return _build(args, root)
    finally:
        boardpack.MEETING.clear()


def _build(args: argparse.Namespace, root: Path) -> int:
    try:
        result = generate(root, Path(args.docs))
    except WriteRefused as refused:
        _say(refused)
        return EXIT_ERRORS
    output = render(result.findings, "text")
    print(output, file=sys.stderr if not result.ok else sys.stdout)
    if not result.ok:
        return EXIT_ERRORS
    HANDOVER.offer(root, Path(args.docs), result)  # the MkDocs hook takes it: one pipeline run
    from generator.site import mkdocs_build

    code = mkdocs_build(Path(args.config), Path(args.site), with_pdf=not args.no_pdf, builder=args.builder)
    if code == 0:
        print(f"built the site in {args.site}/")
    return EXIT_OK if code == 0 else EXIT_ERRORS


def cmd_pdf(args: argparse.Namespace) -> int:
    """Print board packs from a site already built: the main ones, or the pillars named."""
    from mkdocs.config import load_config

    from generator import pdf

    roadmap = _checked(_root(args.root))
    if roadmap is None:
        return EXIT_ERRORS
    unknown = [p for p in args.pillar or [] if p not in roadmap.pillars]
    if unknown:
        return _usage(f"no pillar {unknown[0]!r}; the pillars are: {', '.join(roadmap.pillars)}")
    site = Path(args.site)
    if not (site / "index.html").is_file():
        return _usage(f"{site} holds no built site; run `roadmap build` (make site) first")
    config = load_config(config_file=args.config)
    made = pdf.publish(site, roadmap, config.site_url, config.theme.get("language") or "en",
                       args.pillar or None)
    for path, pages in made.items():
        print(f"made {site / path} ({pages} {'page' if pages == 1 else 'pages'})")
    return EXIT_OK if made else EXIT_ERRORS


def cmd_diff(args: argparse.Namespace) -> int:
    from generator import diff

    try:
        print(diff.run(args.base, args.head, args.root, folders=args.folder))
    except diff.DiffError as err:
        return _usage(str(err))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from generator import scaffold

    request = scaffold.Request(args.kind, args.title, args.id, args.pillar, args.priority)
    try:
        created = scaffold.scaffold(_root(args.root), request)
    except scaffold.ScaffoldError as err:
        _say(err)
        return err.exit_code
    print(created.report())
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from generator import starter

    day = parse_date(args.date) if args.date else date.today()
    if day is None:
        return _usage(f"--date {args.date!r} is not a real date (YYYY-MM-DD)")
    named = {k: v for k, v in (("title", args.title), ("organisation", args.organisation)) if v}
    try:
        written = starter.init(Path(args.root), starter.Start(**named, day=day))
    except starter.InitError as err:
        print(f"roadmap: {err}", file=sys.stderr)
        return EXIT_ERRORS
    print(f"Started a roadmap in {args.root}/ ({len(written)} files). Next:\n"
          f"  1. replace every TODO in {args.root}/ (`roadmap check` lists each one);\n"
          "  2. add items with `roadmap new` (pillar, priority, action, measure, organisation, body);\n"
          "  3. set who publishes in mkdocs.yml (site_name, repo_url, extra.publisher), then `make site`.")
    return EXIT_OK


def _checked(root: Path) -> Roadmap | None:
    """The resolved roadmap, or None after printing its errors."""
    loaded = load_as_at(root)
    findings = check(loaded)
    if has_errors(findings):
        print(render(findings, "text"), file=sys.stderr)
        return None
    return resolve(loaded)


def cmd_export(args: argparse.Namespace) -> int:
    roadmap = _checked(_root(args.root))
    if roadmap is None:
        return EXIT_ERRORS
    files = {"json": lambda: {"roadmap.json": export.to_json(roadmap)},
             "csv": lambda: export.to_csv(roadmap),
             "ics": lambda: {"roadmap.ics": export.to_ics(roadmap)}}[args.format]()
    out = Path(args.out)
    for name, text in files.items():
        atomic_write(out / name, text)
        print(neutral(out / name))
    return EXIT_OK


def cmd_review_new(args: argparse.Namespace) -> int:
    root = _root(args.root)
    roadmap = _checked(root)
    if roadmap is None:
        return EXIT_ERRORS
    day = parse_date(args.date) if args.date else roadmap.as_at
    if day is None:
        return _usage(f"--date {args.date!r} is not a real date (YYYY-MM-DD)")
    from generator import review

    try:
        path = review.create(roadmap, root, day)
    except FileExistsError as err:
        _say(err)
        return EXIT_ERRORS
    print(f"created {neutral(path)}: fill in every TODO, then open a pull request")
    return EXIT_OK


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
    check_p.add_argument("--format", choices=["text", "github", "json", "markdown"], default="text")
    check_p.add_argument("--as-at", metavar="today|YYYY-MM-DD",
                         help="check as at this date instead of the programme's as_at")
    check_p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check_p.set_defaults(run=cmd_check)
    build_p = sub.add_parser("build", help="check, generate the pages and build the site")
    build_p.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    build_p.add_argument("--docs", default="docs", help="the MkDocs docs folder")
    build_p.add_argument("--config", default="mkdocs.yml", help="the MkDocs configuration")
    build_p.add_argument("--site", default="site", help="where to put the built site")
    build_p.add_argument("--as-at", metavar="today|YYYY-MM-DD",
                         help="build as at this date instead of the programme's as_at")
    build_p.add_argument("--publish", action="store_true",
                         help="a build to publish: site_url (or SITE_URL) must be set")
    build_p.add_argument("--meeting", metavar="TEXT",
                         help="the meeting the board pack is for, shown on its cover "
                              "(default: programme.yaml's board_pack.meeting)")
    build_p.add_argument("--no-pdf", action="store_true",
                         help="do not print the board packs to PDF (the pages offer the browser's print)")
    build_p.add_argument("--builder", choices=list(builders.BUILDERS), default=builders.DEFAULT,
                         help="the program that builds the site from mkdocs.yml (default: %(default)s)")
    build_p.set_defaults(run=cmd_build)
    gen_p = sub.add_parser("generate", help="check and write the pages and the configuration "
                           "they need, for any builder to build")
    gen_p.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    gen_p.add_argument("--docs", default="docs", help="the MkDocs docs folder")
    gen_p.add_argument("--watch", action="store_true",
                       help="then generate again whenever the roadmap or the schemas change")
    gen_p.set_defaults(run=cmd_generate)
    serve_p = sub.add_parser("serve", help="generate, then preview the site, rebuilt on every change")
    serve_p.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    serve_p.add_argument("--docs", default="docs", help="the MkDocs docs folder")
    serve_p.add_argument("--config", default="mkdocs.yml", help="the MkDocs configuration")
    serve_p.add_argument("--builder", choices=list(builders.BUILDERS), default=builders.DEFAULT)
    serve_p.add_argument("--dev-addr", default="127.0.0.1:8000", help="the address to serve at")
    serve_p.set_defaults(run=cmd_serve)
    pdf_p = sub.add_parser("pdf", help="print board packs to PDF from the built site")
    pdf_p.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    pdf_p.add_argument("--pillar", action="append", metavar="ID",
                       help="print this pillar's pack (repeat for more); default: the main packs")
    pdf_p.add_argument("--config", default="mkdocs.yml", help="the MkDocs configuration")
    pdf_p.add_argument("--site", default="site", help="the built site")
    pdf_p.set_defaults(run=cmd_pdf)
    diff_p = sub.add_parser("diff", help="say in plain words what changed between two versions")
    diff_p.add_argument("base", help="a git revision (for example origin/main), or with --folder "
                        "a roadmap folder")
    diff_p.add_argument("head", nargs="?", help="a git revision, or with --folder a roadmap folder "
                        "(default: the roadmap folder as it is now)")
    diff_p.add_argument("--folder", action="store_true",
                        help="BASE and HEAD are folders, not git revisions (never guessed: a folder "
                        "or link named like a revision must not decide what is compared)")
    diff_p.add_argument("--root", default="roadmap", help="the roadmap folder inside the repository")
    diff_p.set_defaults(run=cmd_diff)
    init_p = sub.add_parser("init", help="start a new roadmap: the smallest one that passes the check")
    init_p.add_argument("root", nargs="?", default="roadmap", help="the folder to start it in")
    init_p.add_argument("--title", help="the roadmap's title")
    init_p.add_argument("--organisation", help="the name of the organisation that leads it")
    init_p.add_argument("--date", help="the date it speaks for and its history starts (default: today)")
    init_p.set_defaults(run=cmd_init)
    new_p = sub.add_parser("new", help="add a pillar, priority, action, measure, organisation or body")
    new_p.add_argument("kind", choices=NEW_KINDS, help="what to add")
    new_p.add_argument("--title", required=True, help="its title (or name), in plain words")
    new_p.add_argument("--id", help="its permanent id (default: made from the title)")
    new_p.add_argument("--pillar", help="the pillar a new priority belongs to")
    new_p.add_argument("--priority", help="the priority a new action belongs to")
    new_p.add_argument("--root", default="roadmap", help="the roadmap folder")
    new_p.set_defaults(run=cmd_new)
    export_p = sub.add_parser("export", help="write the roadmap as open data (JSON, CSV or iCalendar)")
    export_p.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    export_p.add_argument("--format", choices=["json", "csv", "ics"], required=True)
    export_p.add_argument("--out", default="exports", help="the folder to write into")
    export_p.set_defaults(run=cmd_export)
    review_p = sub.add_parser("review", help="work with the review cycle")
    review_sub = review_p.add_subparsers(dest="review_command", required=True, parser_class=_Parser)
    review_new = review_sub.add_parser("new", help="scaffold the next review entry")
    review_new.add_argument("root", nargs="?", default="roadmap", help="the roadmap folder")
    review_new.add_argument("--date", help="the date of the review (YYYY-MM-DD); default: as_at")
    review_new.set_defaults(run=cmd_review_new)
    rules_p = sub.add_parser("rules", help="list every check with its code")
    rules_p.set_defaults(run=cmd_rules)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        code = run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return code
    except SystemExit as stop:
        return int(stop.code or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `roadmap rules | head`: the reader has gone, so stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as err:  # a file or folder the command cannot read or write
        where = f": {err.filename}" if err.filename else ""
        _say(f"error: {err.strerror or err}{where}")
        return EXIT_USAGE


def console() -> NoReturn:
    """The `roadmap` command."""
    leave(main())


def leave(code: int) -> NoReturn:
    """Exit with `code`. As it exits, Python's collector walks every object the run kept (the
    model and its pages: millions at scale, half a second); they are frozen first, so the
    collector passes them by and the system takes the memory back. Whatever is registered
    to run at exit still runs. Only a process that ends here calls it: tests call `main`."""
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    console()
