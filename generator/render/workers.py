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
from collections.abc import Callable

Rendered = list[tuple[str, str]]
Task = Callable[[], Rendered]

MIN_TASKS_PER_WORKER = 250  # below this a worker costs more to start than it saves
_TASKS: list[Task] = []  # what the forked workers inherit; set only while they run


def worker_count(tasks: int) -> int:
    """How many processes to use: ROADMAP_WORKERS if set (1 turns workers off), else the
    CPUs this process may use, never more than the work can keep busy."""
    wanted = os.environ.get("ROADMAP_WORKERS", "")
    cpus = int(wanted) if wanted.isdigit() else len(os.sched_getaffinity(0)) \
        if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(cpus, tasks // MIN_TASKS_PER_WORKER))


def run(tasks: list[Task]) -> Rendered:
    """Every task's pages, in task order."""
    workers = worker_count(len(tasks))
    if workers == 1:
        return [page for task in tasks for page in task()]
    global _TASKS
    _TASKS = tasks
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # Small chunks keep both workers busy to the end when one task (the board pack)
            # is much bigger than the rest.
            done = pool.map(_run_one, range(len(tasks)), chunksize=16)
    finally:
        _TASKS = []
    return [page for pages in done for page in pages]


def _run_one(index: int) -> Rendered:
    return _TASKS[index]()
