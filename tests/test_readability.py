"""Plain language: the Flesch reading ease of the site's prose, generated and hand-written.

Prose here means the sentences a reader reads: paragraphs and list items that end like a
sentence and have at least four words, with Markdown, HTML and tables taken out. Tables,
headings and lists of names are reference material, not prose.

Flesch reading ease runs from about 0 (very hard; academic and legal text) to 100 (very
easy). Plain English guidance aims for 60 or more; public sector policy text usually
scores 30 to 50. The floor below is set a few points under what the shipped roadmap
scores today, so a drift into jargon (long words, long sentences) fails the test.

textstat counts syllables with the CMU pronouncing dictionary, which it would download
from the internet; here it uses its offline hyphenation dictionary (pyphen) instead, so
the scores are the same on every machine.
"""

from __future__ import annotations

import html
import re
import statistics
from collections.abc import Iterator

import pytest

from generator.pipeline import run
from tests.conftest import REPO, SAMPLE

textstat = pytest.importorskip("textstat")

GENERATED_FLOOR = 45.0  # the shipped roadmap: about 52
HAND_WRITTEN_FLOOR = 30.0  # per page; the accessibility statement carries legal wording
MIN_WORDS = 50  # pages with less prose than this are too short to score fairly

_TABLE = re.compile(r"<table.*?</table>", re.S | re.I)
_BREAK = re.compile(r"</(?:p|li|div|figcaption|caption)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ATTRS = re.compile(r"\{\s*[#.:][^}]*\}")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_ADMONITION = re.compile(r'^!!!\s+\w+(?:\s+"(.*)")?$')
_BULLET = re.compile(r"^(?:[-*+]|\d+\\?\.)\s+")


@pytest.fixture(autouse=True, scope="module")
def offline_syllables() -> Iterator[None]:
    """Count syllables with pyphen (bundled) instead of the downloaded CMU dictionary."""
    from textstat.backend.counts import _count_syllables

    original = _count_syllables.get_cmudict
    _count_syllables.get_cmudict = lambda lang: None  # count_syllables then falls back to pyphen
    _count_syllables.count_syllables.cache_clear()
    yield
    _count_syllables.get_cmudict = original
    _count_syllables.count_syllables.cache_clear()


def prose(markdown: str) -> str:
    """The sentences of a Markdown page, one a line, without markup."""
    text = _MACRO.sub(" ", _FRONT.sub("", markdown))
    text = _TAG.sub(" ", _BREAK.sub("\n", _TABLE.sub("\n", text)))
    text = _ATTRS.sub("", _LINK.sub(r"\1", text))
    sentences = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "|", "```", "<!--")):
            continue
        line = _BULLET.sub("", _ADMONITION.sub(r"\1", line))
        line = re.sub(r"\\(.)", r"\1", line)  # Markdown escapes
        line = html.unescape(" ".join(re.sub(r"[*_`]", "", line).split()))
        if len(line.split()) >= 4 and line.endswith((".", "?", "!")):
            sentences.append(line)
    return "\n".join(sentences)


def ease(text: str) -> float:
    return float(textstat.flesch_reading_ease(text))


def scored(pages: dict[str, str]) -> list[tuple[float, int, str]]:
    """(reading ease, words, page) for each page with enough prose, hardest first."""
    out = []
    for path, markdown in pages.items():
        text = prose(markdown)
        words = len(text.split())
        if words >= MIN_WORDS:
            out.append((ease(text), words, path))
    return sorted(out)


def report(title: str, scores: list[tuple[float, int, str]], show: int = 10) -> None:
    print(f"\n{title}: {len(scores)} pages, mean reading ease {statistics.mean(s for s, _, _ in scores):.1f}")
    for score, words, path in scores[:show]:
        print(f"  {score:6.1f}  {words:5d} words  {path}")


def test_prose_extraction_keeps_sentences_and_drops_markup() -> None:
    page = ('---\nsource: "x"\n---\n# Title\n\nA [linked](a.md) sentence with **bold** words.\n\n'
            '<table><tr><td>Cell text that is long enough.</td></tr></table>\n\n- A list item of names\n'
            '- A list item that is a sentence.\n\n!!! note "Heads up"\n    Escaped \\(text\\) reads well.\n')
    assert prose(page).splitlines() == ["A linked sentence with bold words.",
                                        "A list item that is a sentence.", "Escaped (text) reads well."]


def test_the_score_tells_plain_words_from_jargon() -> None:
    plain = "We want staff to feel safe at work. We ask them what helps, and we act on what they say."
    jargon = ("Operationalisation of multidimensional organisational development interventions "
              "necessitates comprehensive stakeholder engagement methodologies across integrated "
              "commissioning infrastructures.")
    assert ease(plain) > 70 > GENERATED_FLOOR > ease(jargon)


def test_generated_prose_is_plain() -> None:
    result = run(SAMPLE / "roadmap")
    assert result.ok
    scores = scored({path: text for path, text in result.pages.items() if path.endswith(".md")})
    report("Generated pages, hardest first", scores)
    assert len(scores) >= 20, "too little generated prose to judge"
    mean = statistics.mean(score for score, _, _ in scores)
    assert mean >= GENERATED_FLOOR, (
        f"the generated pages average {mean:.1f} for reading ease, under the floor of {GENERATED_FLOOR}: "
        "use shorter sentences and everyday words")


def test_hand_written_pages_are_plain() -> None:
    docs = REPO / "docs"
    pages = {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in sorted(docs.glob("*.md"))}
    scores = scored(pages)
    report("Hand-written pages in docs/, hardest first", scores)
    hard = [f"{path}: {score:.1f}" for score, _, path in scores if score < HAND_WRITTEN_FLOOR]
    assert not hard, f"pages under the reading-ease floor of {HAND_WRITTEN_FLOOR}:\n" + "\n".join(hard)
