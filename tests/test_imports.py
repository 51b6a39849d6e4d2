"""The package's imports run one way: load → check → resolve → render pages | render data → write.

The imports are read from the source with `ast` (every `import` and `from … import`,
including those inside functions and under TYPE_CHECKING), so no tool is needed. A module
importing its own package's `__init__` only because it sits inside it is not an edge: the
edges are the imports written in the code.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import generator

PACKAGE = Path(generator.__file__).resolve().parent
RULE_MODULES_ALLOWED = {"generator.check.schema", "generator.check.registry"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> set[str]:
    """The generator modules a module imports, anywhere in its code."""
    known = modules()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..model import y
                parts = package.split(".")
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            # `from generator import model` imports the module generator.model.
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names)
    return {m for m in found if m in known and m != name}


@cache
def graph() -> dict[str, frozenset[str]]:
    return {name: frozenset(imported(name, path)) for name, path in modules().items()}


def find_cycle(edges: dict[str, frozenset[str]]) -> list[str] | None:
    """One cycle of the graph as the modules along it (the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def crossings(importers: str, forbidden: set[str]) -> list[str]:
    """`importer → imported` for each import of a forbidden module by a module under `importers`."""
    return sorted(f"{name} → {target}" for name, targets in graph().items()
                  if name == importers or name.startswith(importers + ".")
                  for target in targets & forbidden)


def under(prefix: str) -> set[str]:
    return {name for name in modules() if name == prefix or name.startswith(prefix + ".")}


def test_the_reader_finds_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    source = tmp_path / "generator" / "render" / "thing.py"
    source.parent.mkdir(parents=True)
    source.write_text("import os\nfrom . import chart\n\ndef f():\n"
                      "    from generator.export import downloads\n"
                      "    from ..model import Roadmap\n    import generator.write\n", "utf-8")
    assert imported("generator.render.thing", source) == {
        "generator.render.chart", "generator.export", "generator.model", "generator.write"}


def test_the_cycle_finder_names_the_modules_around_a_circle() -> None:
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert find_cycle(edges) == ["a", "b", "c", "a"]
    assert find_cycle({"a": frozenset({"b"}), "b": frozenset()}) is None


def test_the_import_graph_has_no_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "the package's imports go round in a circle: " + " → ".join(cycle or [])


def test_the_check_imports_nothing_from_the_page_renderer() -> None:
    assert crossings("generator.check", under("generator.render")) == []


def test_the_model_imports_nothing_from_the_rule_modules() -> None:
    rules = under("generator.check") - RULE_MODULES_ALLOWED - {"generator.check"}
    assert crossings("generator.model", rules | {"generator.check"}) == []


def test_the_page_renderer_imports_nothing_from_the_data_exports() -> None:
    assert crossings("generator.render", {"generator.export"}) == []


def test_the_data_exports_import_nothing_from_the_page_renderer() -> None:
    assert crossings("generator.export", under("generator.render")) == []


def test_the_pipeline_loads_the_slow_libraries_only_when_it_needs_them() -> None:
    """icalendar (for the calendar) and jsonschema (for the words about an invalid file) take
    a tenth of a second each to import: a run that needs neither, such as one that takes
    every download from the cache and finds every file valid, does not import them. Nor does
    the command load the modules of the commands it is not running (diff, new, init, review
    new, build): together they were a twentieth of a second of every command's start."""
    import subprocess
    import sys

    slow = ("icalendar", "jsonschema", "referencing", "generator.diff", "generator.scaffold",
            "generator.starter", "generator.review", "generator.site", "generator.pdf")
    script = ("import sys\nimport generator.pipeline, generator.cli\n"
              f"print(sorted(m for m in {slow!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    assert loaded.stdout.strip() == "[]"
