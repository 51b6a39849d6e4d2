"""Rules on evidence and measures: readings in date order, logic-model horizons in order,
and commitments that count something."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from generator.check.context import Context, at
from generator.check.registry import rule
from generator.dates import parse_date
from generator.findings import Finding
from generator.load import pointer_join


@rule("M001", "readings-out-of-order", "error", "measure readings not in date order, oldest first",
      scope="file")
def readings_order(ctx: Context) -> Iterator[Finding]:
    for measure in ctx.of("measure"):
        previous: date | None = None
        for pointer, reading in at(measure.data, "readings/*", measure.pointer):
            day = parse_date(reading.get("date")) if isinstance(reading, dict) else None
            if day and previous and day <= previous:
                yield measure.source.finding(pointer_join(pointer, "date"), "M001",
                                             f"reading dated {day} comes after one dated "
                                             f"{previous}; list readings oldest first, one per date")
            previous = day or previous


@rule("O001", "horizons-out-of-order", "error",
      "logic-model horizons that are not positive or not in order (short, then medium, then long)",
      scope="file")
def ordered_horizons(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        for pointer, horizons in at(priority.data, "logic_model/outcomes/horizon_years", priority.pointer):
            if not isinstance(horizons, dict):
                continue
            previous: tuple[str, float] | None = None
            for term in ("short", "medium", "long"):
                years = horizons.get(term)
                if not isinstance(years, int | float) or isinstance(years, bool):
                    continue
                if years <= 0 or (previous and years <= previous[1]):
                    why = "must be more than 0" if years <= 0 else \
                        f"must be longer than the {previous[0]} term ({previous[1]} years)"  # type: ignore[index]
                    yield priority.source.finding(pointer_join(pointer, term), "O001",
                                                  f"the {term}-term horizon of {years} years {why}")
                previous = (term, years)


@rule("Q001", "quantity-not-positive", "error", "a commitment's quantity that is 0 or less", scope="file")
def positive_quantities(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        for pointer, amount in at(priority.data, "commitments/*/quantities/*/amount", priority.pointer):
            if isinstance(amount, int | float) and not isinstance(amount, bool) and amount <= 0:
                yield priority.source.finding(pointer, "Q001",
                                              f"a commitment of {amount} counts nothing; give an amount "
                                              "more than 0, or leave the quantity out")
