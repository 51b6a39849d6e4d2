"""`roadmap generate --watch`: generate again whenever the roadmap or the schemas change,
for builders whose live preview watches only the pages (Zensical runs no MkDocs hook)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from generator.findings import render
from generator.pipeline import Result, Stamp, generate, stamp
from generator.write import WriteRefused

POLL = 0.5  # seconds between looks at the sources: a stat of each file, no read


def generate_and_report(root: Path, docs: Path) -> Result | None:
    """Generate once, printing the findings (and why nothing was written, if so)."""
    try:
        result = generate(root, docs)
    except WriteRefused as refused:
        print(f"roadmap: {refused}", file=sys.stderr)
        return None
    output = render(result.findings, "text")
    if output:
        print(output, file=sys.stdout if result.ok else sys.stderr)
    if result.ok and result.report and result.report.written:
        print(f"roadmap: wrote {len(result.report.written)} file(s) into {docs}", file=sys.stderr)
    return result


class Watcher:
    """Generates again, in a background thread, each time the sources' stamp changes."""

    def __init__(self, root: Path, docs: Path, poll: float = POLL) -> None:
        self.root, self.docs, self.poll = root, docs, poll
        self.seen: Stamp = ()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="roadmap-watch", daemon=True)

    def loop(self) -> None:
        while not self.stop.wait(self.poll):
            now = stamp(self.root)
            if now != self.seen:
                self.seen = now
                generate_and_report(self.root, self.docs)

    def __enter__(self) -> Watcher:
        self.seen = stamp(self.root)  # as generated just before: an edit from now on counts
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def watch(root: Path, docs: Path) -> int:
    """Watch in the foreground until interrupted."""
    print(f"roadmap: watching {root} (Ctrl-C stops)", file=sys.stderr)
    with Watcher(root, docs) as watcher:
        try:
            while watcher.thread.is_alive():
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0
