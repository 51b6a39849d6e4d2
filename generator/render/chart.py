"""An inline SVG line chart of a measure's readings. Only numbers and dates reach the SVG;
the readings table beside it is the text equivalent.

The drawing is 400 units wide and its text 15 units high, so on a 390 px phone (a content
column of about 358 px) the text is still 13 CSS px; the stylesheet caps the width, so on
a desktop it is not much larger. The y-axis starts at zero for values that cannot be
negative, so a small change looks small; it has a scale and the unit. The baseline and
target are labelled lines, and the x-axis runs to the target date, so the time left shows.
"""

from __future__ import annotations

import math
from datetime import date

from markupsafe import Markup

from generator.dates import parse_date
from generator.model import Measure

WIDTH, HEIGHT = 400, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 34, 30  # room for the scale, the unit and the years
UNIT_MAX = {"percent": 100.0, "score-out-of-10": 10.0}
UNIT_LABEL = {"percent": "Per cent", "score-out-of-10": "Score out of 10", "ratio": "Ratio",
              "count": "Count"}


def _month(day: date) -> str:
    return f"{day:%B %Y}"


def _step(span: float) -> float:
    """A round step for about four ticks over the span (1, 2 or 5 times a power of ten)."""
    raw = span / 4 or 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def scale(values: list[float], unit: str) -> tuple[float, float, list[float]]:
    """The y-axis: from zero (or a round number below a negative value) to a round number
    at or above the highest value, or the unit's natural top (10 for a score out of 10)."""
    low = min(0.0, min(values))
    high = max(values)
    top = UNIT_MAX.get(unit)
    if top is not None and high <= top:
        high = top
    step = _step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if high == low:
        high = low + step
    ticks = [round(low + i * step, 10) for i in range(round((high - low) / step) + 1)]
    return low, high, ticks


def _line(cls: str, x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line class="{cls}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>'


def _num(value: float) -> str:
    return f"{value:g}"


def chart(measure: Measure) -> Markup:
    points = [(parse_date(str(r["date"])), float(r["value"])) for r in measure.readings]
    points = [(d, v) for d, v in points if d]
    if not points:
        return Markup("")
    baseline, target = measure.get("baseline"), measure.get("target")
    base_value = float(baseline["value"]) if baseline else None
    goal_value = float(target["value"]) if target else None
    goal_date = parse_date(str(target["date"])) if target else None
    values = [v for _, v in points] + [v for v in (base_value, goal_value) if v is not None]
    low, high, ticks = scale(values, measure.unit)
    days = [d for d, _ in points] + ([goal_date] if goal_date else [])
    base_date = parse_date(str(baseline["date"])) if baseline else None
    if base_date:
        days.append(base_date)
    first, last = min(days), max(days)
    start, end = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + (day - start).days / (end - start).days * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - (value - low) / (high - low) * plot_h, 1)

    parts = [f'<text class="lr-chart__unit" x="0" y="16">{UNIT_LABEL.get(measure.unit, measure.unit)}</text>']
    for tick in ticks:  # the scale: a faint grid line and a number per tick
        parts.append(f'<line class="lr-grid" x1="{LEFT}" y1="{y(tick)}" x2="{WIDTH - RIGHT}" y2="{y(tick)}"/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 5}" text-anchor="end">{_num(tick)}</text>')
    for year in range(start.year, end.year + 1):  # the years along the bottom
        at = x(date(year, 1, 1))
        parts.append(_line("lr-axis", at, TOP + plot_h, at, TOP + plot_h + 5))
        if year < end.year:
            middle = round((at + x(date(year + 1, 1, 1))) / 2, 1)
            parts.append(f'<text x="{middle}" y="{HEIGHT - 8}" text-anchor="middle">{year}</text>')
    parts.append(_line("lr-axis", LEFT, TOP, LEFT, TOP + plot_h)
                 + _line("lr-axis", LEFT, TOP + plot_h, WIDTH - RIGHT, TOP + plot_h))
    if goal_date:  # the period still to run, up to the target date
        parts.append(f'<rect class="lr-chart__ahead" x="{x(points[-1][0])}" y="{TOP}" '
                     f'width="{max(x(goal_date) - x(points[-1][0]), 0)}" height="{plot_h}"/>'
                     + _line("lr-target", x(goal_date), TOP, x(goal_date), TOP + plot_h))
    if base_value is not None:
        parts.append(f'<line class="lr-baseline" x1="{LEFT}" y1="{y(base_value)}" x2="{WIDTH - RIGHT}" '
                     f'y2="{y(base_value)}"/><text class="lr-chart__label" x="{WIDTH - RIGHT}" '
                     f'y="{y(base_value) + 18}" text-anchor="end">Baseline {_num(base_value)}</text>')
    if goal_value is not None:
        parts.append(f'<line class="lr-target" x1="{LEFT}" y1="{y(goal_value)}" x2="{WIDTH - RIGHT}" '
                     f'y2="{y(goal_value)}"/><text class="lr-chart__label" x="{WIDTH - RIGHT}" '
                     f'y="{y(goal_value) - 6}" text-anchor="end">Target {_num(goal_value)}'
                     f'{" by " + _month(goal_date) if goal_date else ""}</text>')
    line = " ".join(f"{x(d)},{y(v)}" for d, v in points)
    parts.append(f'<polyline points="{line}"/>')
    parts += [f'<circle cx="{x(d)}" cy="{y(v)}" r="4"/>' for d, v in points]
    summary = (f"Line chart of {len(points)} reading{'s' if len(points) != 1 else ''} from "
               f"{_month(points[0][0])} ({_num(points[0][1])}) to {_month(points[-1][0])} "
               f"({_num(points[-1][1])}), on a scale from {_num(low)} to {_num(high)}"
               + (f"; baseline {_num(base_value)}" if base_value is not None else "")
               + (f"; target {_num(goal_value)}" if goal_value is not None else "")
               + (f" by {_month(goal_date)}" if goal_date else "")
               + ". The same readings are in the table below.")
    return Markup(
        f'<figure class="lr-chart"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{summary}">{"".join(parts)}</svg>'
        f"<figcaption>{summary}</figcaption></figure>")
