"""Will a measure reach its target? A projection of its recent trend, never a typed-in verdict.

The method, stated on the site: fit a least-squares straight line through the last three
readings taken by `as_at`, extend it to the target date, and compare the projected value
with the target. The rate achieved is the line's slope; the rate needed is what would take
the latest reading to the target by the target date. Both are per year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.dates import add_months, parse_date

READINGS = 3  # the trend uses this many of the latest readings, and needs them all
METHOD = (f"a least-squares straight line through the last {READINGS} readings, extended to the "
          "target date; a measure with fewer readings has no trend yet")
DAYS_A_YEAR = 365.25

VERDICTS = {"met": "Target met", "on-course": "On course", "off-course": "Off course",
            "too-few": "Not enough readings"}

_UNIT_WORDS = {"percent": "percentage points", "score-out-of-10": "points", "ratio": "", "count": ""}


@dataclass(frozen=True)
class Trajectory:
    verdict: str  # a key of VERDICTS
    achieved: float | None = None  # change per year of the fitted line
    needed: float | None = None  # change per year that would reach the target in time
    projected: float | None = None  # the fitted line's value at the target date
    early: bool = False  # off course, but a lagging measure not yet expected to move
    change_from: date | None = None  # when a lagging measure is expected to show change
    unit: str = ""

    @property
    def title(self) -> str:
        if self.verdict == "off-course" and self.early:
            return "Off course, too early to judge"
        return VERDICTS[self.verdict]

    @property
    def off(self) -> bool:
        return self.verdict == "off-course"

    def rates(self) -> str:
        """The rate needed and the rate achieved, in words."""
        if self.achieved is None:
            return ""
        has = f"has moved {signed(self.achieved, self.unit)} a year"
        if self.achieved == 0 or round(self.achieved, 2) == 0:
            has = "has not moved"
        if self.verdict == "met":
            return f"Target reached; {has}."
        if self.needed is None:
            return f"The target date has passed; {has}."
        return f"Needs {signed(self.needed, self.unit)} a year; {has}."

    def words(self) -> str:
        """The verdict and its reasons in one or two sentences."""
        text = f"{self.title}. {self.rates()}".strip()
        if self.early and self.change_from:
            text += (" It is a lagging measure, expected to show change from "
                     f"{self.change_from.day} {self.change_from:%B %Y}.")
        return text


def signed(value: float, unit: str = "") -> str:
    """-1.5 points as \u22121.5 points, +0.07: a sign always, a true minus, at most two decimals."""
    number = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    sign = "\u2212" if value < 0 and number != "0" else "+"
    words = _UNIT_WORDS.get(unit, "")
    if words == "points" and number == "1":
        words = "point"
    elif words == "percentage points" and number == "1":
        words = "percentage point"
    return f"{sign}{number}" + (f" {words}" if words else "")


def _years(start: date, end: date) -> float:
    return (end - start).days / DAYS_A_YEAR


def slope(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The least-squares line through (x, y) points: (intercept, slope)."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    b = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    return mean_y - b * mean_x, b


def _meets(value: float, target: float, direction: str) -> bool:
    return value >= target if direction == "higher" else value <= target


def project(readings: list[dict[str, Any]], target: dict[str, Any] | None, direction: str,
            as_at: date, *, baseline: dict[str, Any] | None = None, kind: str | None = None,
            time_to_change_years: float | None = None, unit: str = "") -> Trajectory:
    """The trajectory of a measure from its readings (dicts with `date` and `value`)."""
    dated = [(parse_date(r["date"]), float(r["value"])) for r in readings]
    taken = [(d, v) for d, v in dated if d is not None and d <= as_at]
    target_day = parse_date(target["date"]) if target else None
    if not taken or target is None or target_day is None:
        return Trajectory("too-few", unit=unit)
    goal = float(target["value"])
    latest_day, latest = taken[-1]
    recent = taken[-READINGS:]
    if len(recent) < READINGS:
        if _meets(latest, goal, direction):
            return Trajectory("met", unit=unit)
        return Trajectory("too-few", unit=unit)
    origin = recent[0][0]
    intercept, rate = slope([(_years(origin, d), v) for d, v in recent])
    projected = intercept + rate * _years(origin, target_day)
    left = _years(latest_day, target_day)
    needed = (goal - latest) / left if left > 0 else None
    if _meets(latest, goal, direction):
        return Trajectory("met", rate, None, projected, unit=unit)
    verdict = "on-course" if left > 0 and _meets(projected, goal, direction) else "off-course"
    change_from = None
    if kind == "lagging" and time_to_change_years:
        start = parse_date(baseline["date"]) if baseline else None
        start = start or taken[0][0]
        change_from = add_months(start, round(time_to_change_years * 12))
    early = verdict == "off-course" and change_from is not None and as_at < change_from
    return Trajectory(verdict, rate, needed, projected, early, change_from if early else None, unit)
