"""An inline SVG line chart of a measure's readings. Only numbers and dates reach the SVG;
the readings table beside it is the text equivalent."""

from __future__ import annotations

from markupsafe import Markup

from generator.check.rules import parse_date
from generator.model import Measure

WIDTH, HEIGHT, PAD = 640, 240, 48


def chart(measure: Measure) -> Markup:
    points = [(parse_date(r["date"]), float(r["value"])) for r in measure.readings]
    points = [(d, v) for d, v in points if d]
    target = measure.get("target")
    values = [v for _, v in points] + ([float(target["value"])] if target else [])
    if not points:
        return Markup("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    days = (last - first) or 1

    def x(day: int) -> float:
        return round(PAD + (day - first) / days * (WIDTH - 2 * PAD), 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD), 1)

    line = " ".join(f"{x(d.toordinal())},{y(v)}" for d, v in points)
    dots = "".join(f'<circle cx="{x(d.toordinal())}" cy="{y(v)}" r="4"/>' for d, v in points)
    labels = "".join(
        f'<text x="{x(d.toordinal())}" y="{y(v) - 10}" text-anchor="middle">{v:g}</text>'
                     for d, v in points)
    goal = ""
    if target:
        value = float(target["value"])
        goal = (f'<line class="lr-target" x1="{PAD}" y1="{y(value)}" x2="{WIDTH - PAD}" y2="{y(value)}"/>'
                f'<text x="{WIDTH - PAD}" y="{y(value) - 6}" text-anchor="end">Target {value:g}</text>')
    summary = (f"Line chart of {len(points)} readings from {points[0][0].isoformat()} "
               f"({points[0][1]:g}) to {points[-1][0].isoformat()} ({points[-1][1]:g})"
               + (f"; target {float(target['value']):g}" if target else "")
               + ". The same readings are in the table below.")
    return Markup(
        f'<figure class="lr-chart"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{summary}" focusable="false">'
        f'<line class="lr-axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"/>'
        f'{goal}<polyline points="{line}"/>{dots}{labels}'
        f'<text x="{PAD}" y="{HEIGHT - PAD + 20}">{points[0][0].isoformat()}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - PAD + 20}" '
        f'text-anchor="end">{points[-1][0].isoformat()}</text>'
        f"</svg><figcaption>{summary}</figcaption></figure>")
