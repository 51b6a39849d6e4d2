"""Dates as a roadmap writes them: YYYY-MM-DD, or YYYY-MM for a month.

The check, the model, the renderer and the diff all read dates through these helpers, so a
date that is not real (2024-02-30) or out of range is None everywhere, never half-understood.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import Any

FIRST_YEAR, LAST_YEAR = 1900, 2199  # the dates a roadmap can mean; every date rule relies on it
DATE_FORM = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")  # the shape, whether or not the date is real


def parse_date(value: Any) -> date | None:
    """A real date from YYYY-MM-DD (or the first of the month from YYYY-MM) between
    FIRST_YEAR and LAST_YEAR, else None."""
    # No text longer than YYYY-MM-DD is a date: only short ones are looked up and kept.
    return _parsed(value) if isinstance(value, str) and len(value) <= 10 else None


@lru_cache(maxsize=4096)  # a large roadmap has a hundred thousand dates, mostly the same few
def _parsed(value: str) -> date | None:
    if not (match := DATE_FORM.fullmatch(value)):
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12 \
            or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def month_end(value: Any) -> date | None:
    """The last day of the month a date (or month) falls in, else None."""
    start = parse_date(value)
    if start is None:
        return None
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), kept within the month it lands in."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
