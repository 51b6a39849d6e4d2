"""YAML mistakes in plain words: where the mistake is, and how to fix it.

The parser reports where it gave up, in its own terms ("could not find expected ':'",
often on the line after the mistake). For the mistakes people make most (no space after a
colon, a line indented wrongly, a list item without its `- `, an unquoted `: ` or ` #`
inside text) this module finds the line that holds the mistake and says what to type
instead. Anything else keeps the parser's words, with its position.
"""

from __future__ import annotations

import re

import yaml

_KEY = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)$")
_NO_SPACE = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/#].*)$")
_CUT = re.compile(r"^ +#\S")

Message = tuple[int, int, str]  # line, column (1-based), message


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _show(line: str) -> str:
    text = line.strip()
    return text if len(text) <= 60 else text[:57] + "…"


def explain(text: str, err: yaml.MarkedYAMLError) -> Message | None:
    """A plain-words message for a common mistake, at the line that has it; None otherwise."""
    lines = text.splitlines()
    problem, context = err.problem_mark, err.context_mark
    if problem is None:
        return None
    what = err.problem or ""
    for finder in (_missing_space, _colon_in_text, _indentation, _dropped_dash, _unclosed_quote):
        found = finder(lines, what, problem.line, context.line if context else None)
        if found:
            return found
    return None


def _missing_space(lines: list[str], what: str, at: int, context: int | None) -> Message | None:
    """`title:Pay`: without the space, `title:Pay` is one word, and the parser fails a line later."""
    if "could not find expected ':'" not in what:
        return None
    for number in [n for n in (context, at - 1, at) if n is not None and 0 <= n < len(lines)]:
        found = _NO_SPACE.match(lines[number])
        if found:
            key, value = found["key"], found["value"]
            return (number + 1, found.end("key") + 1,
                    f"there is no space after the colon in '{_show(lines[number])}'. Put one space "
                    f"after the colon: '{key}: {value.strip()}'")
    line = context if context is not None else at
    shown = _show(lines[line]) if line < len(lines) else ""
    return (line + 1, 1, f"this line has no 'name: value' pair: '{shown}'. "
            "Write the name, a colon and a space, then the value; or, if it continues the text "
            "above, indent it further than the name above it")


def _colon_in_text(lines: list[str], what: str, at: int, context: int | None) -> Message | None:
    """`title: Pay: the fix`: a second ': ' on a line starts a name inside the value."""
    if "mapping values are not allowed" not in what or at >= len(lines):
        return None
    line = lines[at]
    found = _KEY.match(line)
    if not found or ": " not in found["rest"] + " ":
        return None
    value = found["rest"].strip()
    if not value or value.startswith(('"', "'")):
        return None
    quoted = value.replace('"', '\\"')
    return (at + 1, line.index(": ", found.end("key") + 1) + 1,
            f"the text of '{found['key']}' contains ': ', which YAML reads as the start of another "
            f"name. Put the whole text in double quotes: '{found['key']}: \"{quoted}\"'")


def _previous(lines: list[str], at: int) -> int | None:
    """The nearest line above `at` that holds something (not blank, not only a comment)."""
    for number in range(at - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _indentation(lines: list[str], what: str, at: int, context: int | None) -> Message | None:
    """A line indented more (or less) than the lines it belongs with."""
    if at >= len(lines):
        return None
    if "mapping values are not allowed" in what:
        above = _previous(lines, at)
        if above is None:
            return None
        dash = 2 if lines[above].lstrip().startswith("- ") else 0
        want, have = _indent(lines[above]) + dash, _indent(lines[at])
        if have > want:
            fix = f"Indent it {want} spaces" if want else "Delete the spaces at its start"
            return (at + 1, 1, f"this line is indented {have} spaces, more than the line above it "
                    f"({want}), so YAML cannot tell what it belongs to. {fix}, like the line above")
        return None
    if "expected '-' indicator" not in what and "expected <block end>" not in what:
        return None
    line = lines[at]
    start = lines[context] if context is not None and context < len(lines) else ""
    dash = _indent(start)
    if line.lstrip().startswith("- ") and _indent(line) != dash:
        return (at + 1, 1, f"this list item's '- ' is indented {_indent(line)} spaces, but the items "
                f"above it are indented {dash}. Line it up with the '- ' of the items above")
    above = _previous(lines, at)
    if above is not None and _indent(line) not in (dash, dash + 2) and _indent(line) < _indent(lines[above]):
        want = dash + 2
        return (at + 1, 1, f"this line is indented {_indent(line)} spaces, but the lines of the item "
                f"above are indented {want}. Indent it {want} spaces, like them")
    return None


def _dropped_dash(lines: list[str], what: str, at: int, context: int | None) -> Message | None:
    """A list item whose `- ` went missing: its first line lines up with the dashes above."""
    if "expected '-' indicator" not in what or at >= len(lines) or context is None:
        return None
    line, start = lines[at], lines[context] if context < len(lines) else ""
    if _indent(line) == _indent(start) and _KEY.match(line) and not line.lstrip().startswith("-"):
        spaces = " " * _indent(line)
        return (at + 1, _indent(line) + 1,
                f"this line looks like the start of a new list item, but it has no '- '. Write "
                f"'{spaces}- {line.strip()}', and indent the item's other lines by two more spaces")
    return None


def _unclosed_quote(lines: list[str], what: str, at: int, context: int | None) -> Message | None:
    if "unexpected end of stream" not in what or context is None or context >= len(lines):
        return None
    return (context + 1, 1, f"a quote opened on this line is never closed: '{_show(lines[context])}'. "
            "Add the closing quote at the end of the text")


def duplicate_key(key: str, first_line: int, first_key: str) -> str:
    """The message for a key written twice: often a list item that lost its `- `."""
    if key == first_key:
        return (f"'{key}' appears twice in this item (first on line {first_line}). If this line "
                "starts a new item in a list, put '- ' in front of it, lined up with the '- ' above, "
                "and indent the item's other lines to match; if not, delete one of the two")
    return (f"the key '{key}' appears twice in this mapping (first on line {first_line}). Keep the "
            "one you mean and delete the other, or, if the second starts a new list item, put '- ' "
            "in front of it")


def cut_by_comments(node: yaml.Node, lines: list[str]) -> list[Message]:
    """Text cut short by an unquoted ' #': `title: Step #1` is the title "Step" and a comment.
    A comment written on purpose has a space after its '#'; '#1', '#tag' are text."""
    found: list[Message] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if isinstance(value, yaml.ScalarNode):
                    _check_cut(key, value, lines, found)
                else:
                    stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found)


def _check_cut(key: yaml.Node, value: yaml.ScalarNode, lines: list[str], found: list[Message]) -> None:
    if value.style or value.tag != "tag:yaml.org,2002:str":  # quoted or a block: nothing is cut
        return
    end = value.end_mark
    if end.line >= len(lines) or not _CUT.match(lines[end.line][end.column:]):
        return
    comment = lines[end.line][end.column:].strip()
    whole = f"{value.value} {comment}".replace('"', '\\"')
    found.append((end.line + 1, end.column + 2,
                  f"the text of '{key.value}' stops at ' #': '{comment}' is read as a comment and "
                  f"left out. If it is part of the text, put the whole text in double quotes: "
                  f"'{key.value}: \"{whole}\"'"))
