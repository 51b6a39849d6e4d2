"""Render a large roadmap's pages on every CPU.

Each page is a pure function of the resolved model, so the pages can be made in any
order, by any process, and sorted by path afterwards: the output is byte-identical to
one process's. Forked workers inherit the model instead of receiving a copy, so only
task numbers go out and finished text comes back. Small roadmaps (and systems without
`fork`) render in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

Rendered = list[tuple[str, str]]


@dataclass
class Task:
    """Pages to make later, perhaps in another process, under a name that says which (the
    same pages have the same name in every run, so a cache can keep them by it)."""

    name: str
    make: Callable[[], Rendered]
    also: frozenset[str] = frozenset()  # inputs read while the task was made (render/inputs.py)
    whole: bool = False  # made from the whole roadmap: remade whenever anything changed


MIN_TASKS_PER_WORKER = 250  # below this a worker costs more to start than it saves
_JOBS: list[Callable[[], Any]] = []  # what the forked workers inherit; set only while they run


def worker_count(tasks: int, slow: bool = False) -> int:
    """How many processes to use: ROADMAP_WORKERS if set (1 turns workers off), else the
    CPUs this process may use, never more than the work can keep busy (a few tasks known
    to be slow, `slow`, can keep them all busy)."""
    wanted = os.environ.get("ROADMAP_WORKERS", "")
    cpus = int(wanted) if wanted.isdigit() else len(os.sched_getaffinity(0)) \
        if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(cpus, tasks if slow else tasks // MIN_TASKS_PER_WORKER))


def run(jobs: list[Callable[[], Any]], slow: bool = False) -> list[Any]:
    """Every job's result, in job order."""
    workers = worker_count(len(jobs), slow)
    if workers == 1:
        return [job() for job in jobs]
    with _forked(jobs, workers) as pool:
        # Small chunks keep both workers busy to the end when one task (the board pack)
        # is much bigger than the rest.
        return pool.map(_run_one, range(len(jobs)), chunksize=1 if slow else 16)


@contextmanager
def started(jobs: list[Callable[[], Any]]) -> Iterator[Callable[[], list[Any]]]:
    """Start `jobs` now in a forked process of their own while this one goes on; yields a
    function that waits for their results, in job order. Without workers (ROADMAP_WORKERS=1,
    or no `fork`), that function makes them when it is called."""
    if not jobs or worker_count(len(jobs), slow=True) == 1:
        yield lambda: [job() for job in jobs]
        return
    with _forked(jobs, 1) as pool:
        pending = pool.map_async(_run_one, range(len(jobs)), chunksize=1)
        yield pending.get


def _forked(jobs: list[Callable[[], Any]], processes: int) -> Any:
    """A pool of forked workers that have `jobs` (by number: see _run_one). The pool forks
    them as it starts, so they keep the jobs after this process forgets them."""
    global _JOBS
    _JOBS = jobs
    try:
        return multiprocessing.get_context("fork").Pool(processes)
    finally:
        _JOBS = []


def _run_one(index: int) -> Any:
    return _JOBS[index]()
