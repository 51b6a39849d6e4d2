"""The page renderer's templates and helpers: a page is a template rendered with the model
(generator/render/pages.py lists every page; the pipeline runs them).

Every value a template prints goes through one escaping path (`escape_text`), set as
Jinja's `finalize`, so text from the YAML can never become HTML, script or Markdown
syntax. Helpers that build links and markup return `Markup`, which is left alone.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from markupsafe import Markup

from generator import model as m
from generator import trajectory
from generator.addresses import page_of
from generator.dates import parse_date
from generator.history import Change, describe
from generator.links import safe_link
from generator.render import inputs, workers
from generator.render.chart import chart
from generator.sitepages import SITE_PAGES

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~^])")
_LIST_START = re.compile(r"^(\d+)\.|^-")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_HTML_TABLE = str.maketrans(_HTML)  # str.translate: one C pass instead of a generator per character
_SPACE = re.compile(r"\s+")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def escape_text(value: Any) -> Markup:
    """Plain text, safe inside Markdown and HTML: one line, no markup of any kind."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return _text(value)
    if value is None:
        return Markup("")
    if isinstance(value, date):
        return Markup(long_date(value))
    return _escaped(str(value))


@lru_cache(maxsize=1 << 17)
def _text(text: str) -> Markup:
    """Text from the data, made once per build: a date kept as text reads as a date."""
    return Markup(reader_date(text)) if _ISO_DAY.match(text) else _escaped(text)


@lru_cache(maxsize=1 << 17)
def _escaped(text: str) -> Markup:
    """Titles and names recur on many pages: each is escaped once per build, not per use."""
    text = _MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text))
    text = text.translate(_HTML_TABLE)
    # A line may not open a list: "1. x" or "- x" at the start of a cell or paragraph.
    return Markup(_LIST_START.sub(lambda g: f"{g[1]}\\." if g[1] else "\\-", text))


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def reader_date(text: str) -> str:
    """A date from the data as readers see it: "2026-08-31" is "31 August 2026", "2026-08" is
    "August 2026". ISO dates stay in downloads and machine formats only."""
    day = parse_date(text)
    if day is None:
        return str(_escaped(text))
    return long_date(day) if len(text) == 10 else month(day)


def day(value: Any) -> str:
    """A date written in the data (YYYY-MM-DD) as a long date."""
    parsed = value if isinstance(value, date) else parse_date(value)
    return long_date(parsed) if parsed else str(value)


def partial_date(value: Any) -> str:
    """A date as precise as the data gives it: "2020", "July 2024" or "23 June 2023"."""
    if not value:
        return "Not recorded"
    text = str(value)
    parsed = parse_date(text)
    if parsed is None:
        return text
    return {4: text, 7: f"{parsed:%B %Y}"}.get(len(text), long_date(parsed))


def month(value: date | None) -> str:
    return f"{value:%B %Y}" if value else ""


@lru_cache(maxsize=1 << 16)
def _relpath(path: str, start: str) -> str:
    """posixpath.relpath, remembered: it calls os.getcwd() twice, and a big roadmap makes
    hundreds of thousands of links between a few thousand pages in a dozen folders."""
    return posixpath.relpath(path, start)


def relative(target: str, page: str) -> str:
    path, _, anchor = target.partition("#")
    rel = posixpath.basename(page) if path == page else _relpath(path, posixpath.dirname(page))
    return f"{rel}#{anchor}" if anchor else rel


def _url(value: str) -> str:
    return quote(value, safe=":/?#@!$&'*+,;=%~")


@pass_context
def link(ctx: Any, node: Any, label: Any = None) -> Markup:
    """A Markdown link from the page being rendered to a node's page."""
    target, page = page_of(node), ctx["page"]
    illustrative = getattr(node, "illustrative", False)
    if illustrative and "marks" in ctx:
        ctx["marks"].add("illustrative")  # the page gets one banner, not a label per link
    if target.partition("#")[0] != page:  # a link to another page depends only on this one's folder
        page = _folder(page)
    made = _link(target, label if label is not None else _label(node), page)
    return made + _LABEL if illustrative and ctx.get("label_illustrative") else made


@lru_cache(maxsize=1 << 12)
def _folder(page: str) -> str:
    """The page's folder with a slash, "" for a page at the top (asked for every link)."""
    return posixpath.join(posixpath.dirname(page), "")


_LABEL = Markup(" <small>(illustrative)</small>")
# Paper has no links to follow: a board pack labels each illustrative item it names.
PAPER_TEMPLATES = {"board-pack.md.j2", "pillar-pack.md.j2"}


@lru_cache(maxsize=1 << 17, typed=True)  # typed: a Markup label must never answer for a str one
def _link(target: str, label: Any, page: str) -> Markup:
    """Pages in one folder link to a node with the same text: made once, not once a page."""
    return Markup(f"[{escape_text(label)}]({relative(target, page)})")


@pass_context
def page_link(ctx: Any, path: str, label: str) -> Markup:
    return Markup(f"[{escape_text(label)}]({relative(path, ctx['page'])})")


@pass_context
def see(ctx: Any, target: Any) -> Markup:
    """A link to what embodies a phase's output: an item's page or one of the site's pages."""
    if target is None:
        return Markup("")
    if isinstance(target, str):
        path, title = SITE_PAGES[target]
        return page_link(ctx, path, title)
    return link(ctx, target)


def external(url: Any, label: Any = None) -> Markup:
    """A link to an address from the data; unsafe schemes never become links."""
    if not isinstance(url, str) or not safe_link(url):
        return escape_text(label or url)
    return Markup(f"[{escape_text(label or url)}]({_url(url)})")


def _label(node: Any) -> str:
    if isinstance(node, m.Element):
        return node.label
    if isinstance(node, m.Organisation):
        return node.title
    return node.title


def status_badge(status_id: str, statuses: dict[str, m.Status]) -> Markup:
    return _badge(statuses[status_id])


@lru_cache(maxsize=64)
def _badge(status: m.Status) -> Markup:
    """A handful of statuses, shown thousands of times on a large roadmap's pages."""
    return Markup(f'<span class="lr-status lr-status--{status.id}">'
                  f'<span aria-hidden="true">{status.icon}</span> {escape_text(status.title)}</span>')


_UNITS = {"hours-a-month": "{} hours a month", "days-a-year": "{} days a year", "fte": "{} FTE",
          "gbp-a-year": "£{} a year", "gbp-one-off": "£{} one-off", "people": "{} people"}


def quantity(amount: float, unit: str) -> str:
    """An amount in words with its unit: "£5,000 a year", "2.5 hours a month", "1 FTE"."""
    shown = f"{amount:,.0f}" if unit.startswith("gbp") else f"{amount:,g}"
    return _UNITS.get(unit, "{} " + unit.replace("-", " ")).format(shown)


def years(value: float) -> str:
    return f"{value:g} year" + ("" if value == 1 else "s")


def quantities(pairs: Iterable[tuple[float, str]]) -> str:
    return "; ".join(quantity(amount, unit) for amount, unit in pairs)


_CADENCE = {"fortnightly": "every two weeks", "bi-monthly": "every two months",
            "six-monthly": "every six months", "annually": "once a year", "as-needed": "when needed",
            "unknown": "at intervals not yet recorded (the sources do not say)"}


def cadence(value: str) -> str:
    """How often a body meets, in plain words ("bi-monthly" is ambiguous)."""
    return _CADENCE.get(value, value.replace("-", " "))


_ACRONYMS = {"nhs": "NHS", "icb": "ICB", "ics": "ICS", "vcse": "VCSE", "pcn": "PCN"}


def kind_name(value: str) -> str:
    """An organisation kind in its proper case: "nhs-trust" is "NHS trust", not "Nhs trust"."""
    words = value.replace("-", " ").split()
    words = [_ACRONYMS.get(w.lower(), w.lower()) for w in words]
    if words and words[0].islower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def org_name(org: m.Organisation | None) -> str:
    return (org.short_name or org.title) if org else ""


def breakable(value: Any) -> Markup:
    """A field path that may wrap after each "." or "/" ("priorities[].logic_model.inputs"),
    never inside a word: table cells do not break words (roadmap.css)."""
    return Markup(re.sub(r"([./])", r"\1<wbr>", str(escape_text(value))))


def join(items: Iterable[Any], sep: str = ", ") -> Markup:
    return Markup(escape_text(sep)).join(escape_text(item) for item in items)


def yaml_string(value: Any) -> Markup:
    """A front-matter string: JSON is valid YAML, and HTML-escaping keeps themes safe."""
    return Markup(json.dumps(_SPACE.sub(" ", str(value)).translate(_HTML_TABLE)))


@cache
def bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs, in Jinja's private per-user folder in the temp
    directory and checked against each template's source. Compiling them is a third of a
    cold `roadmap build` of a small roadmap; the theme's (generator/hooks.py) would be
    compiled again on every rebuild of `make serve`. Without a usable folder, templates
    compile."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no temp folder, or one another user could tamper with
        return None


@cache
def environment() -> Environment:
    # autoescape makes macros return Markup; finalize makes every printed value pass
    # escape_text, which also escapes Markdown (markupsafe alone would not).
    env = Environment(loader=PackageLoader("generator.render", "templates"), autoescape=True,
                      finalize=escape_text, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=bytecode_cache())
    env.filters.update(link=link, external=external, long_date=long_date, month=month,
                       org_name=org_name, kind_name=kind_name, page_link=page_link, join=join,
                       yaml=yaml_string, cadence=cadence, breakable=breakable, see=see,
                       quantities=quantities, years=years, day=day, partial_date=partial_date)
    env.globals.update(totals=m.totals, roles=m.roles())
    return env


def _page(template: str, page: str, roadmap: m.Roadmap, **context: Any) -> tuple[str, str]:
    text, marked = _rendered(template, page, roadmap, **context)
    return page, front_matter(with_banner(text) if marked else text, context)


PART = "\x1f"  # between a page's path and a part's number: never in a path (render/parts.py)
FIRST = "00000"  # the number of a page's first part


def _part(template: str, page: str, number: str, name: str | m.Node, roadmap: m.Roadmap,
          **context: Any) -> tuple[str, str]:
    """One part of a big page (the template renders the one `part` names), under the page's
    path and the part's number; render/parts.py joins them in that order. The first carries
    the page's front matter; each text is led by "!" where it names an illustrative item, as
    the page then gets a banner, else by "-". `name` names the part's task ("head", an item)."""
    text, marked = _rendered(template, page, roadmap, **context)
    if number == FIRST:
        text = front_matter(text, context)
    return f"{page}{PART}{number}", ("!" if marked else "-") + text


def with_banner(text: str) -> str:
    """A page that names an illustrative item says so once, under its title."""
    return text if ILLUSTRATIVE_NOTE in text else _after_title(text, ILLUSTRATIVE_BANNER)


def _rendered(template: str, page: str, roadmap: m.Roadmap, **context: Any) -> tuple[str, bool]:
    """The template's text, and whether it needs the illustrative banner."""
    def status(status_id: str) -> Markup:
        return status_badge(status_id, roadmap.statuses)

    titles = {s.id: s.title for s in roadmap.statuses.values()}

    def describe_change(change: Change) -> str:
        return describe(change, titles)

    @pass_context
    def item_link(ctx: Any, change: Change) -> Markup:
        node = {"pillar": roadmap.pillars, "priority": roadmap.priorities,
                "action": roadmap.actions}[change.kind].get(change.id)
        return link(ctx, node) if node else escape_text(f"{change.kind} {change.id} (since removed)")

    marks: set[str] = set()
    text = environment().get_template(template).render(
        page=page, roadmap=roadmap, status=status, chart=chart, describe=describe_change,
        item_link=item_link, trajectory_method=trajectory.METHOD, marks=marks,
        label_illustrative=template in PAPER_TEMPLATES, **context)
    return text, "illustrative" in marks and template not in PAPER_TEMPLATES


# The item a page is about, named in its front matter for the "Suggest a change" links.
_ITEMS = {"pillar": "pillar", "priority": "priority", "org": "organisation", "body": "governance body",
          "measure": "measure", "framework": "framework", "element": "framework element"}


_SOURCE = re.compile(r"^source:", re.MULTILINE)


def front_matter(text: str, context: dict[str, Any]) -> str:
    """Every generated page says which YAML file it is made from (`source`, empty when it is
    made from many files or none, so no edit link opens a generated file) and which item it
    is about (`item`), in its front matter."""
    kind = next((k for k in _ITEMS if k in context), None)
    # The item is only ever URL-encoded into links (overrides/partials/feedback.html), so it
    # stays plain text: HTML-escaped, "A & B" would reach the issue form as "A &amp; B".
    item = _SPACE.sub(" ", _item(_ITEMS[kind], context[kind])) if kind else ""
    lines = [f"item: {json.dumps(item)}"] if kind else []
    opened = text.startswith("---\n")
    if not opened or not _SOURCE.search(text, 4, max(text.find("\n---", 4), 4)):
        lines.insert(0, f"source: {yaml_string(context.get('source') or '')}")
    head = "".join(f"{line}\n" for line in lines)
    return "---\n" + head + text[4:] if opened else "---\n" + head + "---\n" + text


def _item(kind: str, node: Any) -> str:
    return f"{_label(node)} ({kind} {node.id})"


ILLUSTRATIVE_NOTE = '!!! note "Illustrative content"'
ILLUSTRATIVE_BANNER = ('!!! note "Examples on this page"\n    Some items on this page are '
                       "examples written to show how the roadmap works, not facts from a "
                       "published source. Each one's own page says so.\n")


def _after_title(text: str, block: str) -> str:
    """The text with a block of Markdown after its first heading (the page title)."""
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    return "\n".join([*lines[:at + 1], "", block.rstrip("\n"), *lines[at + 1:]])


def sections(template: str, page: str, roadmap: m.Roadmap, names: Sequence[str],
             **context: Any) -> list[workers.Task]:
    """A page made in the parts its template names, in that order (render/parts.py)."""
    return [task(_part, template, page, f"{n:05d}", name, roadmap, **context, part=name)
            for n, name in enumerate(names)]


def task(fn: Callable[..., tuple[str, str]], *args: Any, **kwargs: Any) -> workers.Task:
    """One page to make later, perhaps in another process, named by the function and by the
    text and items it is given (a template and a page's path, or the item it is about)."""
    named = [a if isinstance(a, str) else inputs.key(a) for a in args if isinstance(a, str | m.Node)]
    return workers.Task("|".join([f"{fn.__module__}.{fn.__qualname__}", *named]),
                        lambda: [fn(*args, **kwargs)])
