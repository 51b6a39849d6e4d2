"""One neutraliser for text that came from the roadmap and is printed for a person or a tool.

File names, keys and values from a pull request reach a maintainer's terminal, GitHub's
workflow-command parser and the job summary. A control character there can forge a line
(`::error`, `::add-mask::`), move the cursor, hide text (CR, ESC), write the clipboard
(OSC 52), or reorder what a reviewer reads (bidirectional overrides). Every output format
(text, github, json, the Markdown summary, YAML comments, messages on stderr) passes what
it prints through `neutral`, which shows each such character as a visible escape instead.
"""

from __future__ import annotations

import re

# C0 and C1 controls (line breaks and tabs included), DEL, the line and paragraph
# separators YAML and some terminals treat as line breaks, bidirectional marks, embeddings,
# overrides and isolates, and lone surrogates (which no encoder can write).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                    "\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutral(text: object) -> str:
    """`text` on one line, with every unsafe character shown as an escape such as \\x1b."""
    return UNSAFE.sub(_visible, str(text))
