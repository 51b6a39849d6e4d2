"""Rules on the text of every file, wherever a value appears: titles show something, links
are safe, and each file's first line names its schema so editors check it as you type."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator

from generator.check.context import Context, walked
from generator.check.registry import rule
from generator.findings import Finding
from generator.links import safe_link
from generator.load import Source

TITLE_KEYS = walked({"title", "name", "short_title", "short_name", "term", "question"})
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # fillers that look like nothing


def visible(text: str) -> bool:
    """Whether text shows anything: not only spaces, marks and invisible characters."""
    return any(unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _BLANK_LETTERS
               for c in text)


def _blank(text: str) -> bool:
    return not visible(text)


def _unsafe(link: str) -> bool:
    return not safe_link(link)


@rule("T001", "blank-title", "error",
      "a title or name that is empty after trimming, or holds only invisible characters", scope="file")
def blank_titles(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        for pointer, key, _ in ctx.texts(source, TITLE_KEYS, _blank):
            yield source.finding(pointer, "T001",
                                 f"'{key}' shows nothing (it is empty, spaces or invisible "
                                 "characters), so its heading and links would have no name; "
                                 "write it out")


# ---------------------------------------------------------------- links and editor support

LINK_KEYS = walked({"url", "website"})


@rule("L001", "unsafe-link", "error", "a link that is not https:, http:, mailto: or relative", scope="file")
def links(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        for pointer, _, value in ctx.texts(source, LINK_KEYS, _unsafe):
            yield source.finding(pointer, "L001",
                                 f"the link {value[:80]!r} is not allowed; use an https:// "
                                 "address, a mailto: address or a relative link")


def schema_line(ctx: Context, source: Source) -> str:
    """The first line each file should have, so editors validate it against its schema."""
    name = f"{source.kind}.schema.json"
    schema_dir = ctx.root.parent / "schema"
    file_dir = (ctx.root.parent / source.rel).parent
    return f"# yaml-language-server: $schema={os.path.relpath(schema_dir / name, file_dir)}"


@rule("E001", "schema-comment", "error",
      "the first line is not the yaml-language-server comment naming the file's schema", scope="file")
def schema_comment(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        expected = schema_line(ctx, source)
        first = source.text.split("\n", 1)[0].rstrip("\r")
        right = first == expected if (ctx.root.parent / "schema").is_dir() else \
            first.startswith("# yaml-language-server: $schema=") and \
            first.endswith(f"/{source.kind}.schema.json")
        if not right:
            yield Finding(source.rel, 1, 1, "E001", "error",
                          f"the first line should be '{expected}' so editors can check the file "
                          "as you type")
