"""`mkdocs serve` picks up a YAML edit without a restart (the hook re-runs the generator)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import edit, site_project

WAIT = 60.0  # seconds to wait for the server; a bound against hangs, not a speed target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = site_project(tmp_path)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve",
                               "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")],
                              cwd=root, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        yield root, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_picks_up_a_yaml_edit(served: tuple[Path, str]) -> None:
    root, base = served
    pillar = root / "roadmap" / "pillars" / "leadership.yaml"
    title = next(line for line in pillar.read_text("utf-8").splitlines() if line.startswith("title:"))
    url = f"{base}/roadmap/pillars/leadership/"
    assert wait_for(url, title.removeprefix("title:").strip().strip('"'))
    edit(pillar, title, "title: Renamed while serving")
    assert wait_for(url, "Renamed while serving")
