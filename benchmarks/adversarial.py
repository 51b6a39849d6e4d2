"""Adversarial roadmaps for the benchmark: inputs within the size caps that once made
`roadmap check` slow (issue 17). Each is a roadmap (a copy of `source`, the shipped one by
default) with one hostile change:

- deep-governance: a valid reports_to chain 2,000 bodies deep (G001 was cubic: 21-27 s);
- unknown-references: 3,000 bodies, each naming an organisation that does not exist
  (R001 compared every unknown reference with every id: 26-39 s);
- unknown-keys: one file with 150,000 unknown keys (180,001 findings, uncapped; now Y012);
- long-timeline: one timeframe from 1900 to 2199 (D006 refuses it; once a 12 MB page).

    python benchmarks/adversarial.py deep-governance /tmp/adversarial   # write one roadmap
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPO))

from benchmarks.synth import SHIPPED, _dump, _read  # noqa: E402


def _bodies(root: Path, extra: list[dict[str, Any]]) -> None:
    data = _read(root / "governance.yaml")
    data["bodies"] += extra
    (root / "governance.yaml").write_text(_dump(data, "governance", 1, "Adversarial: many bodies."), "utf-8")


def deep_governance(root: Path, depth: int = 2000) -> None:
    parent = _read(root / "governance.yaml")["bodies"][0]["id"]
    chain = []
    for n in range(depth):
        chain.append({"id": f"level-{n}", "name": f"Level {n}", "purpose": "Adversarial depth.",
                      "cadence": "monthly", "reports_to": parent})
        parent = f"level-{n}"
    _bodies(root, chain)


def unknown_references(root: Path, count: int = 3000) -> None:
    top = _read(root / "governance.yaml")["bodies"][0]["id"]
    _bodies(root, [{"id": f"body-{n}", "name": f"Body {n}", "purpose": "Adversarial references.",
                    "cadence": "monthly", "reports_to": top, "members": [f"no-such-organisation-{n}"]}
                   for n in range(count)])


def unknown_keys(root: Path, count: int = 150_000) -> None:
    path = root / "glossary.yaml"
    path.write_text(path.read_text("utf-8") + "".join(f"k{n}: 1\n" for n in range(count)), "utf-8")


def long_timeline(root: Path) -> None:
    pillar = sorted((root / "pillars").glob("*.yaml"))[0]
    data = _read(pillar)
    data["priorities"][0]["timeframe"] = {"start": "1900-01", "end": "2199-12"}
    pillar.write_text(_dump(data, "pillar", 2, "Adversarial: a 300-year timeframe."), "utf-8")


CASES: dict[str, Callable[[Path], None]] = {
    "deep-governance": deep_governance, "unknown-references": unknown_references,
    "unknown-keys": unknown_keys, "long-timeline": long_timeline,
}
EXPECTED = {"deep-governance": None, "unknown-references": "R001", "unknown-keys": "Y012",
            "long-timeline": "D006"}  # the finding each gives (None: it passes)


def make(case: str, dest: Path, source: Path = SHIPPED) -> Path:
    """A copy of the roadmap `source` in dest/roadmap with the adversarial change `case`."""
    root = dest / "roadmap"
    shutil.copytree(source, root)
    CASES[case](root)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    print(make(args.case, args.dest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
