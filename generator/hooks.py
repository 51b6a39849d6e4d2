"""The MkDocs hook: run the generator before every build, so `mkdocs build` and
`mkdocs serve` always publish the roadmap as it is on disk, and watch its sources.

It calls the same `generate` as `roadmap generate`, which also writes the navigation and
redirect map that mkdocs.yml inherits (generator/siteconfig.py); the hook sets them on the
configuration too, because MkDocs read that file before this build generated it again.
This is the only MkDocs-specific code (with generator/preview.py, which it drives); the
pages and their configuration are plain files, so ProperDocs runs this hook unchanged and
Zensical, which runs no hooks, builds after `roadmap generate` (generator/builders.py).
"""

from __future__ import annotations

import html
import logging
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator import pdf
from generator.addresses import OUTPUT
from generator.check.schema import SCHEMA_DIR
from generator.csp import with_policy
from generator.findings import render
from generator.handover import HANDOVER
from generator.identity import identity
from generator.pipeline import generate
from generator.preview import Preview
from generator.publisher import from_config
from generator.publishing import PUBLISH_ENV
from generator.render import acronyms, bytecode_cache
from generator.render.nav import nav, redirects
from generator.write import MANIFEST

log = logging.getLogger("mkdocs.hooks.roadmap")
_TOGGLE = re.compile(r"<input\b[^>]*>")
_AUTOCOMPLETE = re.compile(r'\s+autocomplete=(?:"off"|off)')


def on_startup(*, command: str, dirty: bool) -> None:
    # mkdocs serve injects its live-reload script, which a policy would block; only
    # `mkdocs serve --dirty` (make serve) previews quickly.
    HANDOVER.start(serving=command == "serve", preview=Preview() if command == "serve" and dirty else None)


def roadmap_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / config.extra.get("roadmap_root", "roadmap")


@event_priority(100)  # before mkdocs-macros' on_config, which reads the model we publish
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not config.site_url and os.environ.get("SITE_URL"):  # the Pages workflow supplies it
        config.site_url = os.environ["SITE_URL"].rstrip("/") + "/"
    if os.environ.get(PUBLISH_ENV) and not config.site_url:
        raise PluginError("site_url is not set, and a published site needs it (for its sitemap, "
                          "canonical links, feed, calendar and 404 page): set site_url in mkdocs.yml, "
                          "or the SITE_URL environment variable (the Pages workflow sets it)")
    apply_identity(config)  # reads extra.publisher before publish() fills in its defaults
    publish(config)
    root = roadmap_root(config)
    quick = HANDOVER.preview is not None and HANDOVER.preview.quick_build()
    result = HANDOVER.take(root, Path(config.docs_dir)) or generate(root, Path(config.docs_dir), quick)
    HANDOVER.publish(root, result)
    if not result.ok:
        raise PluginError("the roadmap has errors; fix them and build again:\n"
                          + render(result.findings, "text"))
    for finding in result.findings:
        log.info(finding.text())
    if result.report and result.report.written:
        log.info("roadmap: wrote %d page(s), %d unchanged", len(result.report.written),
                 result.report.unchanged)
    config.nav = nav(result.roadmap)
    if "redirects" in config.plugins:  # mkdocs-redirects reads its map in on_files, after this
        config.plugins["redirects"].config["redirect_maps"] = redirects(result.roadmap)
    for watched in (root, SCHEMA_DIR):
        if str(watched) not in config.watch:
            config.watch.append(str(watched))
    return config


def apply_identity(config: MkDocsConfig) -> None:
    """The publisher's logo and favicon become the theme's; the colour and name reach the
    templates through `config.extra.identity` (overrides/main.html and partials)."""
    found, problems = identity(config.extra)
    docs = Path(config.docs_dir)
    problems += [f"extra.publisher.{key}: {path} is not in the docs folder"
                 for key, path in (("logo", found.logo), ("favicon", found.favicon))
                 if path and not (docs / path).is_file()]
    if problems:
        raise PluginError(f"{config.config_file_path}: the publisher's identity has problems:\n"
                          + "\n".join(problems))
    if found.logo:
        config.theme["logo"] = found.logo
    if found.favicon:
        config.theme["favicon"] = found.favicon
    config.extra["identity"] = found


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """The theme's templates are compiled once, not on every build: MkDocs makes a new
    environment for each, so without this `make serve` compiled some fifty templates (a
    quarter of a second) before every preview."""
    if env.bytecode_cache is None:
        env.bytecode_cache = bytecode_cache()
    return env


def on_page_content(html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """The first use of each glossary acronym on a page, marked up and linked to the glossary."""
    glossary = files.get_file_from_path(f"{OUTPUT}/glossary.md")
    result = HANDOVER.latest(roadmap_root(config))
    if glossary is None or page.file is glossary or result is None or result.roadmap is None:
        return html
    found = acronyms.terms(result.roadmap.glossary)
    return acronyms.mark(html, found, glossary.url_relative_to(page.file))


def valid_toggles(output: str) -> str:
    """Material's base.html puts `autocomplete` on its two checkbox toggles, which HTML does
    not allow there (the Nu Html Checker reports both on every page). They are outside any
    template block, so no partial can override them: the attribute is removed here."""
    return _TOGGLE.sub(lambda m: _AUTOCOMPLETE.sub("", m[0]) if "md-toggle" in m[0] else m[0], output)


def publish(config: MkDocsConfig) -> None:
    """Who publishes, read once: templates find it as `config.extra.publisher`, with its
    defaults filled in, and hand-written pages' edit links open the configured branch."""
    publisher = from_config(config)
    config.extra["publisher"] = publisher.as_dict()
    if publisher.repo_url:
        config.edit_uri = f"edit/{publisher.branch}/docs/"


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    result = HANDOVER.latest(roadmap_root(config))
    if HANDOVER.preview is not None and result is not None:
        HANDOVER.preview.before_pages(config, files, result)
    return nav


_NOT_A_PARAGRAPH = ("#", "!!!", "???", "<", "|", "-", "*", "+", ">", "    ", "{", "[TOC]", "---")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ESCAPED = re.compile(r"\\(.)")
_TAG = re.compile(r"<[^>]*>")
DESCRIPTION_LENGTH = 160


def description(markdown: str) -> str | None:
    """A page's meta description: its first paragraph as plain text, cut at a word."""
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block or block.startswith(_NOT_A_PARAGRAPH) or "{{" in block or "{%" in block:
            continue
        text = html.unescape(_ESCAPED.sub(r"\1", _TAG.sub("", _LINK.sub(r"\1", block))))
        text = " ".join(text.replace("**", "").split())
        if len(text.split()) < 2:  # "None.": not a description
            continue
        if len(text) > DESCRIPTION_LENGTH:
            text = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return None


@event_priority(-50)  # after mkdocs-macros has rendered the page
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Each page its own meta description (Material prints page.meta.description unescaped,
    so it is escaped here), instead of the site's description on every page."""
    if not page.meta.get("description"):
        text = description(markdown) or f"{page.title}, in {config.site_name}."
        page.meta["description"] = html.escape(text, quote=True)
    return markdown


@event_priority(-100)  # after minifying: the hashes are of the page as it is served
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = valid_toggles(output)
    return output if HANDOVER.serving else with_policy(output)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if HANDOVER.serving or not template_name.endswith(".html"):
        return output_content
    return with_policy(output_content)


@event_priority(-100)  # after the search plugin has made its index
def on_post_build(config: MkDocsConfig) -> None:
    if HANDOVER.preview is not None:
        HANDOVER.preview.after_build(config)
    result = HANDOVER.latest(roadmap_root(config))
    if pdf.REQUEST.wanted and result is not None:  # `roadmap build`: print the packs from the finished site
        pdf.publish(Path(config.site_dir), result.roadmap, config.site_url,
                    config.theme.get("language") or "en")


def on_build_error(error: Exception) -> None:
    if HANDOVER.preview is not None:
        HANDOVER.preview.after_error()


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """Each build writes the generated pages into docs/roadmap/, and a watched change there
    would start another build after every one. Watch the rest of docs/ instead, and of
    docs/roadmap/ only the manifest, which the preview touches to ask for a full rebuild."""
    docs = Path(config.docs_dir)
    server.unwatch(str(docs))
    server.watch(str(docs), recursive=False)
    for folder in sorted(p for p in docs.iterdir() if p.is_dir() and p.name != OUTPUT):
        server.watch(str(folder))
    server.watch(str(docs / OUTPUT / MANIFEST), recursive=False)
    return server
