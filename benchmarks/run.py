"""Time the generator and the site build at 1x, 10x and 100x the shipped roadmap.

    make bench                                  # or: .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --quick  # shipped, 1x and 10x only
    .venv/bin/python benchmarks/run.py --save   # also copy the results to benchmarks/latest.json

For each size (the shipped roadmap itself, then synthetic roadmaps from synth.py) it
measures, in a throwaway MkDocs project:

- each pipeline stage in this process (load, check, resolve, render, write), best of a
  few runs, and the peak memory of one whole run (tracemalloc), with the generator's cache
  off (ROADMAP_NO_CACHE), so that they measure the real work;
- check plus generation as a fresh interpreter (the first half of `make site`) in four
  situations: cold (cache off, empty docs/roadmap: a clean build), filling the cache (cache
  and docs/roadmap removed, cache on), warm (nothing changed since the last run) and after
  one edit (a pillar's title changed before each run); and the interpreter start with the
  generator imported, with each child's peak RSS;
- `roadmap build` (what `make site` runs: check and generate once, then `mkdocs build
  --strict` in the same process, whose hook takes the pages just made), cache off (a clean
  build), without the board-pack PDF, whose Chromium time is not the generator's;
- the board-pack PDF's cost: `roadmap build` with the PDFs (when Chromium is found) against
  the MkDocs build alone (`mkdocs build --strict`, its hook generating the pages), cache off;
- the built site: bytes of the whole site per HTML page, and the largest page;
- how long `mkdocs serve` takes to show an edited YAML title on the pillar's own page and
  on another pillar's page (its sidebar): at 1x both as `make serve` runs it (--dirty:
  only changed pages rebuilt) and as a plain full rebuild; at 100x only as `make serve`
  runs it (a plain full rebuild there takes minutes per edit).

It prints a table and the targets met or missed, and writes benchmarks/out/results.json.
Timings are measured, never asserted: the tests only check that synthetic roadmaps pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPO))

from benchmarks import adversarial  # noqa: E402
from benchmarks.synth import SHIPPED, count, project  # noqa: E402
from generator.addresses import OUTPUT  # noqa: E402
from generator.builders import BUILDERS, DEFAULT  # noqa: E402
from generator.cache import DISABLE_ENV, FOLDER, PREFIX  # noqa: E402
from generator.check import check, has_errors  # noqa: E402
from generator.load import load  # noqa: E402
from generator.model import resolve  # noqa: E402
from generator.pdf import find_chromium  # noqa: E402
from generator.pipeline import render  # noqa: E402
from generator.write import write  # noqa: E402

OUT = REPO / "benchmarks" / "out"
LATEST = REPO / "benchmarks" / "latest.json"
# With the generator's cache (as `make site` and `make serve` run), and without it (a clean build).
ENV = {**{k: v for k, v in os.environ.items() if k != DISABLE_ENV},
       "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
NO_CACHE = {**ENV, DISABLE_ENV: "1"}
GENERATE = ("import sys\nfrom pathlib import Path\nfrom generator.pipeline import generate\n"
            "from generator.cli import leave\n"
            "result = generate(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "if result.reused:\n    print('reused', *result.reused)\n"  # tasks kept from the cache, and made
            "leave(0 if result.ok else 1)\n")  # and exits as the roadmap command does
SERVE_LIMIT = 600.0  # seconds: a full rebuild at 100x takes minutes, and is measured, not cut off
STAGES = ("load", "check", "resolve", "render", "write")


@dataclass
class Child:
    """One timed subprocess: the fastest of its runs (noise only ever adds time)."""

    seconds: float  # wall time
    cpu_seconds: float  # user + system time of the same run
    peak_rss_mb: float
    ok: bool
    runs: list[float] = field(default_factory=list)
    tail: str = ""
    said: list[str] = field(default_factory=list)  # each run's last line of output


@dataclass
class Size:
    label: str
    scale: int  # 0 for the shipped roadmap
    counts: dict[str, int]
    stages: dict[str, float] = field(default_factory=dict)  # best in-process seconds
    write_unchanged: float = 0.0
    pipeline: float = 0.0  # sum of the stages
    tracemalloc_peak_mb: float = 0.0
    pages: int = 0  # generated Markdown pages
    startup: Child | None = None  # interpreter start + import generator.pipeline
    check_cli: Child | None = None  # python -m generator.cli check
    # check + generate as a fresh interpreter:
    check_generate: Child | None = None  # cold: cache off, empty docs/roadmap (a clean build)
    check_generate_fill: Child | None = None  # cache on, but cache and docs/roadmap removed first
    check_generate_warm: Child | None = None  # cache on, nothing changed since the last run
    check_generate_edit: Child | None = None  # cache on, a pillar's title edited before each run
    make_site: Child | None = None  # `roadmap build` (make site) without the PDF, cache off
    mkdocs_alone: Child | None = None  # `mkdocs build --strict` (its hook generates the pages)
    make_site_pdf: Child | None = None  # `roadmap build` with the board-pack PDFs
    generator_in_make_site: float = 0.0  # check_generate: the one pipeline run in make site
    site: dict[str, Any] = field(default_factory=dict)
    serve: dict[str, Any] = field(default_factory=dict)  # plain mkdocs serve: full rebuilds (1x only)
    serve_dirty: dict[str, Any] = field(default_factory=dict)  # as make serve runs it (--dirty)
    load_average: list[float] = field(default_factory=list)  # 1-minute, before and after


# ---------------------------------------------------------------- measuring

def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def child(command: list[str], cwd: Path, repeat: int = 1,
          before: Callable[[], None] | None = None, env: dict[str, str] | None = None) -> Child:
    """Run a command `repeat` times: the fastest wall time with its CPU time, and the
    largest peak RSS (each child's own, from wait4)."""
    runs: list[tuple[float, float]] = []
    peak, ok, tail, said = 0.0, True, "", []
    for _ in range(repeat):
        if before:
            before()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(command, cwd=cwd, env=env or ENV, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            runs.append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
            out.seek(0)
            lines = out.read().decode("utf-8", "replace").strip().splitlines()
            said.append(lines[-1][:200] if lines else "")
            if proc.returncode != 0:
                ok = False
                err.seek(0)
                tail = err.read().decode("utf-8", "replace")[-2000:]
    wall, cpu = min(runs)
    return Child(round(wall, 3), round(cpu, 3), round(peak, 1), ok, [round(w, 3) for w, _ in runs], tail,
                 said)


@contextmanager
def cache_off() -> Iterator[None]:
    """In this process, the generator's cache off: the in-process stages measure the real work."""
    before = os.environ.get(DISABLE_ENV)
    os.environ[DISABLE_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ[DISABLE_ENV]
        else:
            os.environ[DISABLE_ENV] = before


def retitle(pillar: Path, title: str) -> None:
    """Edit one line of a pillar's file: its title."""
    text = pillar.read_text("utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    pillar.write_text(text.replace(old, f"title: {title}", 1), "utf-8")


def stages(root: Path, docs: Path, repeat: int) -> tuple[dict[str, float], float, int]:
    """Best in-process time of each stage, the time of a write that changes nothing, and
    the number of pages."""
    out = docs / OUTPUT
    prefix = OUTPUT + "/"
    result: dict[str, float] = {}
    result["load"], loaded = best_of(repeat, lambda: load(root))
    result["check"], findings = best_of(repeat, lambda: check(loaded))
    if has_errors(findings):
        errors = [f.text() for f in findings if f.severity == "error"][:10]
        raise SystemExit("the roadmap has errors:\n" + "\n".join(errors))
    result["resolve"], roadmap = best_of(repeat, lambda: resolve(loaded))
    result["render"], rendered = best_of(repeat, lambda: render(roadmap))
    stripped = {k.removeprefix(prefix): v for k, v in rendered.items()}

    def fresh_write() -> None:
        shutil.rmtree(out, ignore_errors=True)
        write(stripped, out)

    result["write"], _ = best_of(repeat, fresh_write)
    unchanged, _ = best_of(repeat, lambda: write(stripped, out))
    return result, unchanged, len(rendered)


def traced_peak(root: Path, docs: Path) -> float:
    """Peak Python memory (MB) of one whole pipeline run, by tracemalloc."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-trace-"))
    try:
        tracemalloc.start()
        loaded = load(root)
        check(loaded)
        roadmap = resolve(loaded)
        rendered = render(roadmap)
        write({k.removeprefix(OUTPUT + "/"): v for k, v in rendered.items()}, scratch)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return round(peak / 1e6, 1)


def site_size(site: Path) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    total = sum(p.stat().st_size for p in files)
    html_bytes = sum(p.stat().st_size for p in html)
    largest = max(html, key=lambda p: p.stat().st_size) if html else None
    index = site / BUILDERS[DEFAULT].search_index
    return {
        "html_pages": len(html), "files": len(files), "bytes": total,
        "kb_per_page": round(total / len(html) / 1024, 1) if html else 0.0,
        "html_kb_per_page": round(html_bytes / len(html) / 1024, 1) if html else 0.0,
        "largest_page": largest.relative_to(site).as_posix() if largest else "",
        "largest_page_kb": round(largest.stat().st_size / 1024, 1) if largest else 0.0,
        "search_index_kb": round(index.stat().st_size / 1024, 1) if index.exists() else 0.0,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float, interval: float = 0.05) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def serve_latency(root: Path, dirty: bool = False, edits: int = 3,
                  limit: float = SERVE_LIMIT) -> dict[str, Any]:
    """Start `mkdocs serve` (with --dirty, as `make serve` runs it: rebuild only changed
    pages), then edit a pillar's title `edits` times; seconds from each save until the
    pillar's own page shows the new title, and until another pillar's page shows it in its
    sidebar (with --dirty, a second, full build follows a change to the navigation). The
    next edit waits for that. A wait longer than `limit` is recorded as None (not within)."""
    pillar, other = sorted((root / "roadmap" / "pillars").glob("*.yaml"))[:2]
    url_path = f"roadmap/pillars/{pillar.stem}/"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    subprocess.run([sys.executable, "-m", "generator.cli", "generate", "roadmap"], cwd=root, env=ENV,
                   stdout=subprocess.DEVNULL, check=True)  # mkdocs.yml inherits its output
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
               "-f", str(root / "mkdocs.yml")]
    if dirty:  # --dirty logs a warning, which the site's strict mode would make fatal
        command += ["--dirty", "--no-strict"]
    server = subprocess.Popen(command, cwd=root, env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    out: dict[str, Any] = {"ok": False, "dirty": dirty, "limit_s": limit}
    try:
        started = wait_for(base + url_path, "<html", limit, 0.1)
        if started is None:
            return {**out, "error": f"the server did not start within {limit:.0f} s"}
        out["first_build_s"] = round(started, 2)
        print(f"  serving{' --dirty' if dirty else ''}: first build {started:.1f} s", file=sys.stderr,
              flush=True)
        time.sleep(1.0)  # let the watcher settle after the first build
        latencies: list[float | None] = []
        settled: list[float | None] = []
        for n in range(1, edits + 1):
            title = f"Renamed {n} while serving{' dirty' if dirty else ''}"
            retitle(pillar, title)
            saved = time.perf_counter()
            seen = wait_for(base + url_path, title, limit)
            latencies.append(None if seen is None else round(seen, 2))
            whole = None if seen is None else wait_for(f"{base}roadmap/pillars/{other.stem}/", title, limit)
            settled.append(None if whole is None else round(time.perf_counter() - saved, 2))
            print(f"  serving: edit {n} on its own page {latencies[-1]} s, on another's {settled[-1]} s",
                  file=sys.stderr, flush=True)  # None: not within the limit
            if seen is None or whole is None:
                break  # the server is still busy: the next edit would measure nothing
            time.sleep(1.0)
        done = [s for s in latencies if s is not None]
        every = [s for s in settled if s is not None]
        return {**out, "ok": len(every) == edits, "edits": edits, "latency_s": latencies,
                "every_page_s": settled,
                "median_s": round(statistics.median(done), 2) if done else None,
                "max_s": max(done) if len(done) == edits else None,
                "every_page_max_s": max(every) if len(every) == edits else None}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


# ---------------------------------------------------------------- one size

def say(label: str, what: str, timed: Child | dict[str, Any]) -> None:
    """Each result as it comes, so that a long run shows what it has so far."""
    if isinstance(timed, Child):
        note = f"{timed.seconds:.2f} s (runs {timed.runs}{'' if timed.ok else ', FAILED'})"
        note += f" {timed.said[-1]}" if timed.said and timed.said[-1] else ""
    else:
        note = str(timed)
    print(f"[{label}]   {what}: {note}", file=sys.stderr, flush=True)


def generation(size: Size, root: Path, runs: int) -> None:
    """Check + generation as a fresh interpreter: cold, filling the cache, warm, after one edit."""
    roadmap, docs = root / "roadmap", root / "docs"
    command = [sys.executable, "-c", GENERATE, str(roadmap), str(docs)]

    def empty() -> None:
        shutil.rmtree(docs / OUTPUT, ignore_errors=True)

    def no_cache() -> None:
        empty()
        for folder in (root / FOLDER).glob(f"{PREFIX}*"):  # the generator's; the history's stay
            shutil.rmtree(folder, ignore_errors=True)

    pillar = sorted((roadmap / "pillars").glob("*.yaml"))[0]
    edits = iter(range(1, 1000))

    def edit() -> None:
        retitle(pillar, f"Retitled for the benchmark, edit {next(edits)}")

    size.check_generate = child(command, root, runs, before=empty, env=NO_CACHE)
    say(size.label, "check + generation, cold (cache off, empty docs/roadmap)", size.check_generate)
    size.check_generate_fill = child(command, root, runs, before=no_cache)
    say(size.label, "check + generation, filling the cache", size.check_generate_fill)
    size.check_generate_warm = child(command, root, 3)  # after the last fill: nothing changed
    say(size.label, "check + generation, warm", size.check_generate_warm)
    size.check_generate_edit = child(command, root, 3, before=edit)
    say(size.label, "check + generation, after one edit", size.check_generate_edit)


def measure(label: str, scale: int, work: Path, repeat: int, build: bool, serve: bool) -> Size:
    print(f"[{label}] making the project …", file=sys.stderr, flush=True)
    folder = work / label
    root = project(folder, roadmap=SHIPPED) if scale == 0 else project(folder, scale=scale)
    roadmap, docs = root / "roadmap", root / "docs"
    size = Size(label, scale, asdict(count(roadmap)))
    size.load_average.append(round(os.getloadavg()[0], 2))
    print(f"[{label}] {size.counts}: pipeline stages (cache off) …", file=sys.stderr, flush=True)
    with cache_off():
        size.stages, size.write_unchanged, size.pages = stages(roadmap, docs, repeat)
        size.tracemalloc_peak_mb = traced_peak(roadmap, docs)
    size.pipeline = sum(size.stages.values())
    say(label, "stages", {k: round(v, 2) for k, v in size.stages.items()})

    print(f"[{label}] subprocesses …", file=sys.stderr, flush=True)
    py = sys.executable
    runs = 3 if scale <= 10 else 2
    size.startup = child([py, "-c", "import generator.pipeline"], root, runs)
    size.check_cli = child([py, "-m", "generator.cli", "check", str(roadmap)], root, runs, env=NO_CACHE)
    generation(size, root, runs)
    if build:
        print(f"[{label}] make site (roadmap build, cache off: a clean build) …", file=sys.stderr, flush=True)
        site = folder / "site"
        shutil.rmtree(docs / OUTPUT, ignore_errors=True)
        size.make_site = child([py, "-m", "generator.cli", "build", str(roadmap), "--docs", str(docs),
                                "--config", str(root / "mkdocs.yml"), "--site", str(site)], root, 1,
                               env={**NO_CACHE, "CHROMIUM": "no-chromium-for-the-benchmark"})
        say(label, "make site", size.make_site)
        if size.make_site.ok:
            size.site = site_size(site)
        # The pipeline runs once in make site; a fresh interpreter's cold check + generation
        # (with its start-up) is what it costs there.
        size.generator_in_make_site = size.check_generate.seconds if size.check_generate else 0.0
        if find_chromium():
            print(f"[{label}] mkdocs build alone, then roadmap build with the PDF …", file=sys.stderr,
                  flush=True)
            size.mkdocs_alone = child([py, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
                                       str(root / "mkdocs.yml"), "-d", str(folder / "site-mkdocs")], root, 1,
                                      env=NO_CACHE)
            say(label, "mkdocs build alone", size.mkdocs_alone)
            size.make_site_pdf = child([py, "-m", "generator.cli", "build", str(roadmap), "--docs",
                                        str(docs), "--config", str(root / "mkdocs.yml"),
                                        "--site", str(folder / "site-pdf")], root, 1, env=NO_CACHE)
            say(label, "roadmap build with the PDF", size.make_site_pdf)
            pdfs = list((folder / "site-pdf").rglob("*.pdf"))
            size.site["pdfs"] = len(pdfs)
            size.site["board_pack_kb"] = round(sum(p.stat().st_size for p in pdfs) / 1024, 1)
    if serve and scale == 100:  # a plain full rebuild takes minutes per edit here: make serve's only
        print(f"[{label}] make serve (mkdocs serve --dirty; first build and full rebuilds take minutes) …",
              file=sys.stderr, flush=True)
        size.serve_dirty = serve_latency(root, dirty=True, edits=2)
        say(label, "make serve", size.serve_dirty)
    elif serve:
        print(f"[{label}] mkdocs serve …", file=sys.stderr, flush=True)
        size.serve = serve_latency(root)
        say(label, "plain mkdocs serve", size.serve)
        size.serve_dirty = serve_latency(root, dirty=True)
        say(label, "make serve", size.serve_dirty)
    size.load_average.append(round(os.getloadavg()[0], 2))
    return size


# ---------------------------------------------------------------- report

def adversarial_rows(work: Path, repeat: int) -> list[dict[str, Any]]:
    """`roadmap check` as a fresh interpreter on each adversarial roadmap (benchmarks/adversarial.py),
    and whether it gave the finding expected of it."""
    rows = []
    for case in sorted(adversarial.CASES):
        root = adversarial.make(case, work / f"adversarial-{case}")
        command = [sys.executable, "-m", "generator.cli", "check", str(root), "--format", "json"]
        timed = child(command, REPO, repeat, env=NO_CACHE)
        found = subprocess.run(command, cwd=REPO, env=NO_CACHE, capture_output=True, text=True, check=False)
        codes = {f["code"] for f in json.loads(found.stdout or "[]")}
        expected = adversarial.EXPECTED[case]
        right = found.returncode == 0 if expected is None else expected in codes
        rows.append({"case": case, "yaml_bytes": sum(p.stat().st_size for p in root.rglob("*.yaml")),
                     "seconds": timed.seconds, "cpu_seconds": timed.cpu_seconds,
                     "findings": len((found.stdout and json.loads(found.stdout)) or []),
                     "expected_finding": expected, "right": right})
    return rows


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    meminfo = Path("/proc/meminfo")
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), cpu)
    memory = ""
    if meminfo.exists():
        kib = int(meminfo.read_text().split("\n", 1)[0].split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return ""

    return {"platform": platform.platform(), "machine": platform.machine(), "cpu": cpu,
            "cpu_count": os.cpu_count(), "cpus_usable": usable, "memory": memory,
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "mkdocs": version("mkdocs"), "mkdocs-material": version("mkdocs-material"),
            "jinja2": version("jinja2"), "jsonschema": version("jsonschema"),
            "pyyaml": version("pyyaml")}


def _find(sizes: list[Size], scale: int) -> Size | None:
    return next((s for s in sizes if s.scale == scale), None)


def targets(sizes: list[Size], hostile: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each target with its measured value and whether it is met (None: not measured)."""
    shipped, ten, hundred, one = (_find(sizes, n) for n in (0, 10, 100, 1))
    out: list[dict[str, Any]] = []

    def add(name: str, target: str, value: float | None, met: bool | None, unit: str,
            note: str = "") -> None:
        out.append({"name": name, "target": target, "value": None if value is None else round(value, 3),
                    "unit": unit, "met": met, "note": note})

    def gen(s: Size | None, situation: str = "") -> float | None:
        timed = getattr(s, "check_generate" + situation, None) if s else None
        return timed.seconds if timed and timed.ok else None

    for situation, words in (("", "cold: cache off, empty docs/roadmap"),
                             ("_warm", "warm: nothing changed since the last run"),
                             ("_edit", "after a one-line edit of a pillar's title")):
        value = gen(hundred, situation)
        add(f"check + generation at 100x, {words}", "< 3 s", value,
            None if value is None else value < 3.0, "s")
    value = gen(shipped)
    add("check + generation of the shipped roadmap, including interpreter start", "< 0.5 s",
        value, None if value is None else value < 0.5, "s")
    ratio = hundred.pipeline / ten.pipeline if hundred and ten and ten.pipeline else None
    add("pipeline time at 100x against 10x (in-process)", "≤ 11x", ratio,
        None if ratio is None else ratio <= 11.0, "x")
    share = (hundred.generator_in_make_site / hundred.make_site.seconds
             if hundred and hundred.make_site and hundred.make_site.ok else None)
    add("generator's share of `make site` at 100x", "≤ 10 %",
        None if share is None else 100 * share, None if share is None else share <= 0.10, "%")
    ratio = (hundred.make_site_pdf.seconds / hundred.mkdocs_alone.seconds
             if hundred and hundred.make_site_pdf and hundred.mkdocs_alone
             and hundred.make_site_pdf.ok and hundred.mkdocs_alone.ok else None)
    add("`roadmap build` with the board-pack PDF against the MkDocs build alone at 100x", "≤ 1.25x",
        ratio, None if ratio is None else ratio <= 1.25, "x")
    per_page = hundred.site.get("kb_per_page") if hundred and hundred.site else None
    add("built site per HTML page at 100x", "≤ 60 KB", per_page,
        None if per_page is None else per_page <= 60.0, "KB")
    for s, scale in ((one, 1), (hundred, 100)):
        serve = s.serve_dirty if s else {}
        if scale == 1 and not serve:
            continue
        edits = f", slowest of {serve['edits']} edits" if "edits" in serve else ""
        for key, where, limit in (("max_s", "on its own page", 2.0),
                                  ("every_page_max_s", "on every page (another pillar's sidebar)", 5.0)):
            value = serve.get(key)
            met = None if not serve else value is not None and value <= limit
            note = "" if value is not None or not serve else (
                f"not within {serve['limit_s']:.0f} s" if "first_build_s" in serve
                else serve.get("error", ""))
            add(f"`make serve` shows an edited title {where} ({scale}x{edits})", f"≤ {limit:.0f} s",
                value, met, "s", note)
    worst = max((row["seconds"] for row in hostile), default=None) if hostile else None
    add("`roadmap check` on every adversarial roadmap, with the expected finding", "< 2 s", worst,
        None if worst is None else worst < 2.0 and all(row["right"] for row in hostile or []), "s")
    return out


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(sizes: list[Size]) -> str:
    head = ["size", "pillars", "prios", "actions", "pages", "load", "check", "resolve", "render",
            "write", "total", "peak MB", "cold", "(cpu)", "fill", "warm", "edit", "RSS MB",
            "make site", "RSS MB", "KB/page"]
    rows = [head]

    def secs(timed: Child | None) -> str:
        return _s(timed.seconds if timed and timed.ok else None)

    for s in sizes:
        gen, build = s.check_generate, s.make_site
        rss = max((c.peak_rss_mb for c in (gen, s.check_generate_fill, s.check_generate_warm,
                                           s.check_generate_edit) if c), default=None)
        rows.append([s.label, str(s.counts["pillars"]), str(s.counts["priorities"]),
                     str(s.counts["actions"]), str(s.site.get("html_pages", s.pages)),
                     *(_s(s.stages[k]) for k in STAGES), _s(s.pipeline),
                     f"{s.tracemalloc_peak_mb:.0f}",
                     secs(gen), _s(gen.cpu_seconds if gen else None), secs(s.check_generate_fill),
                     secs(s.check_generate_warm), secs(s.check_generate_edit),
                     "-" if rss is None else f"{rss:.0f}",
                     _s(build.seconds if build and build.ok else None),
                     f"{build.peak_rss_mb:.0f}" if build else "-", str(s.site.get("kb_per_page", "-"))])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def kept_made(said: str) -> str:
    """"reused K M" (the generation script's last line) as words."""
    parts = said.split()
    return f"{parts[1]} kept, {parts[2]} made" if len(parts) == 3 and parts[0] == "reused" else "-"


def serving(result: dict[str, Any]) -> str:
    """One serve latency run in words: seconds, or "not within N s" for a wait that timed out."""
    if "first_build_s" not in result:
        return f"FAILED: {result.get('error')}"

    def times(values: list[float | None]) -> str:
        late = f"not within {result['limit_s']:.0f} s"
        return ", ".join(late if v is None else f"{v:.2f} s" for v in values)

    return (f"first build {result['first_build_s']:.1f} s; each edit on its own page "
            f"{times(result['latency_s'])}, on another pillar's page {times(result['every_page_s'])}")


def report(sizes: list[Size], marks: list[dict[str, Any]],
           hostile: list[dict[str, Any]] | None = None) -> str:
    lines = ["Seconds. load … total: the pipeline's stages in this process, cache off (best of a few "
             "runs). cold, fill, warm, edit: check + generation as a fresh interpreter (best run, wall "
             "time; (cpu): the cold run's user+system time): cold = cache off into an empty "
             "docs/roadmap (a clean build); fill = cache on, cache and docs/roadmap removed first; "
             "warm = nothing changed since the last run; edit = a pillar's title edited before each "
             "run. make site: `roadmap build` without the PDF, cache off (a clean build). Peak MB: "
             "tracemalloc of one in-process run; RSS MB: the children's peak.", table(sizes), ""]
    for s in sizes:
        if s.startup:
            cached = (("fill", s.check_generate_fill), ("warm", s.check_generate_warm),
                      ("edit", s.check_generate_edit))
            reused = "; ".join(f"{what} {kept_made(c.said[-1])}" for what, c in cached if c and c.said)
            lines.append(f"{s.label}: interpreter start + imports {s.startup.seconds:.2f} s; "
                         f"`roadmap check` (cache off) {_s(s.check_cli.seconds if s.check_cli else None)} s; "
                         f"page tasks ({reused or '-'}); "
                         f"unchanged write {s.write_unchanged:.2f} s"
                         + (f"; largest page {s.site['largest_page']} {s.site['largest_page_kb']} KB, "
                            f"search index {s.site['search_index_kb']} KB" if s.site else ""))
        if s.make_site_pdf and s.mkdocs_alone:
            lines.append(f"{s.label}: `mkdocs build` alone {_s(s.mkdocs_alone.seconds)} s; `roadmap build` "
                         f"with the PDF {_s(s.make_site_pdf.seconds)} s "
                         f"({s.make_site_pdf.seconds / s.mkdocs_alone.seconds:.2f}x; CPU time "
                         f"{s.make_site_pdf.cpu_seconds / max(s.mkdocs_alone.cpu_seconds, 0.001):.2f}x), "
                         f"{s.site.get('pdfs', 0)} PDF(s), {s.site.get('board_pack_kb', 0)} KB")
        for what in (s.check_cli, s.check_generate, s.check_generate_fill, s.check_generate_warm,
                     s.check_generate_edit, s.make_site, s.mkdocs_alone, s.make_site_pdf):
            if what and not what.ok:
                lines.append(f"{s.label}: a subprocess FAILED:\n{what.tail}")
        if s.serve_dirty:
            lines.append(f"{s.label}: make serve (mkdocs serve --dirty) {serving(s.serve_dirty)}")
        if s.serve:
            lines.append(f"{s.label}: plain mkdocs serve (full rebuilds) {serving(s.serve)}")
        elif s.serve_dirty:
            lines.append(f"{s.label}: plain mkdocs serve not measured "
                         "(a full rebuild per edit takes minutes here)")
        lines.append(f"{s.label}: load average {s.load_average} on {os.cpu_count()} CPUs")
    for row in hostile or []:
        lines.append(f"adversarial {row['case']} ({row['yaml_bytes'] / 1024:,.0f} KB of YAML): "
                     f"`roadmap check` {row['seconds']:.2f} s ({row['cpu_seconds']:.2f} cpu), "
                     f"{row['findings']} findings, "
                     f"{'as expected' if row['right'] else 'NOT the expected finding'}")
    lines.append("")
    for mark in marks:
        state = {True: "met", False: "MISSED", None: "not measured"}[mark["met"]]
        value = mark.get("note") or "-" if mark["value"] is None else f"{mark['value']:.2f} {mark['unit']}"
        lines.append(f"{state:>12}  {mark['name']}: {value} (target {mark['target']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the generator and the site build.")
    parser.add_argument("--sizes", default="shipped,1,10,100",
                        help="comma-separated: 'shipped' and scale factors (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="shipped, 1x and 10x only")
    parser.add_argument("--repeat", type=int, default=3, help="in-process runs per stage (best kept)")
    parser.add_argument("--no-build", action="store_true", help="skip mkdocs build")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve latency")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--no-adversarial", action="store_true",
                        help="skip `roadmap check` on the adversarial roadmaps (benchmarks/adversarial.py)")
    parser.add_argument("--save", action="store_true", help=f"also write {LATEST.relative_to(REPO)}")
    args = parser.parse_args(argv)
    wanted = "shipped,1,10" if args.quick else args.sizes
    scales = [0 if part.strip() == "shipped" else int(part.strip().rstrip("x"))
              for part in wanted.split(",")]

    work = Path(tempfile.mkdtemp(prefix="roadmap-bench-"))
    sizes: list[Size] = []
    try:
        for scale in scales:
            label = "shipped" if scale == 0 else f"{scale}x"
            repeat = args.repeat if scale < 100 else max(1, args.repeat - 1)
            sizes.append(measure(label, scale, work, repeat, not args.no_build,
                                 not args.no_serve and scale in (1, 100)))
        hostile = [] if args.no_adversarial else adversarial_rows(work, args.repeat)
    finally:
        if args.keep:
            print(f"projects kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    marks = targets(sizes, hostile)
    print(report(sizes, marks, hostile))
    results = {"generated": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
               "command": "make bench", "sizes": [asdict(s) for s in sizes], "adversarial": hostile,
               "targets": marks}
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1, ensure_ascii=False) + "\n"
    (OUT / "results.json").write_text(text, "utf-8")
    print(f"\nwrote {(OUT / 'results.json').relative_to(REPO)}")
    if args.save:
        LATEST.write_text(text, "utf-8")
        print(f"wrote {LATEST.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
