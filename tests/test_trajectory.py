"""The trajectory of a measure, on cases worked out by hand (see each test's comment)."""

from __future__ import annotations

from datetime import date

import pytest

from generator.trajectory import project, signed, slope


def readings(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    return [{"date": day, "value": value} for day, value in pairs]


def test_least_squares_line() -> None:
    # Points (0, 1), (1, 2), (2, 6): mean x 1, mean y 3; slope = (-1*-2 + 0 + 1*3) / 2 = 2.5,
    # intercept = 3 - 2.5 = 0.5.
    assert slope([(0, 1), (1, 2), (2, 6)]) == (0.5, 2.5)


def test_target_met() -> None:
    # Higher is better and the latest reading, 71, is above the target of 70.
    found = project(readings(("2022-01-01", 60), ("2023-01-01", 65), ("2024-01-01", 71)),
                    {"date": "2026-01-01", "value": 70}, "higher", date(2024, 6, 30))
    assert found.verdict == "met"
    assert found.words().startswith("Target met. Target reached; has moved +")


def test_on_course() -> None:
    # 60, 62, 64 a year apart (365 days each, years of 365.25 days): slope 2 / (365 / 365.25) = 2.0014
    # a year. At the target date, 4.0 years (1,461 days) after the first reading, the line gives
    # 60 + 2.0014 * 4.0 = 68.0, above the target of 67. Needed: (67 - 64) / (731 / 365.25) = 1.499.
    found = project(readings(("2022-01-01", 60), ("2023-01-01", 62), ("2024-01-01", 64)),
                    {"date": "2026-01-01", "value": 67}, "higher", date(2024, 6, 30), unit="percent")
    assert found.verdict == "on-course"
    assert found.achieved == pytest.approx(2.0014, abs=1e-4)
    assert found.projected == pytest.approx(68.005, abs=1e-3)
    assert found.needed == pytest.approx(1.499, abs=1e-3)
    assert found.words() == ("On course. Needs +1.5 percentage points a year; "
                             "has moved +2 percentage points a year.")


def wres6(**extra: object) -> object:
    # Lower is better. Last three readings 25.9, 25.4, 26.1 at x = 0, 0.9993, 1.9986 years: mean y
    # 25.8; slope = (-0.9993 * 0.1 + 0.9993 * 0.3) / (2 * 0.9993^2) = 0.1001 a year (rising).
    # Needed: (22.0 - 26.1) / (212 / 365.25) = -7.06 a year.
    return project(readings(("2022-08-31", 27.5), ("2023-08-31", 26.8), ("2024-08-31", 25.9),
                            ("2025-08-31", 25.4), ("2026-08-31", 26.1), ("2027-08-31", 10.0)),
                   {"date": "2027-03-31", "value": 22.0}, "lower", date(2026, 10, 31),
                   baseline={"date": "2022-08-31", "value": 27.5}, unit="percent", **extra)


def test_off_course_uses_only_the_last_three_readings_taken_by_as_at() -> None:
    found = wres6()
    assert found.verdict == "off-course"
    assert found.achieved == pytest.approx(0.1001, abs=1e-4)
    assert found.needed == pytest.approx(-7.0638, abs=1e-3)
    assert not found.early
    assert found.words() == ("Off course. Needs \u22127.06 percentage points a year; "
                             "has moved +0.1 percentage points a year.")


def test_lagging_measure_off_course_early_says_so() -> None:
    # Expected to show change 5 years after its baseline of 31 August 2022: not before 31 August 2027.
    found = wres6(kind="lagging", time_to_change_years=5)
    assert found.verdict == "off-course" and found.early
    assert found.change_from == date(2027, 8, 31)
    assert found.title == "Off course, too early to judge"
    assert "lagging measure, expected to show change from 31 August 2027" in found.words()


def test_lagging_measure_past_its_time_to_change_is_plainly_off_course() -> None:
    found = wres6(kind="lagging", time_to_change_years=2)
    assert found.verdict == "off-course" and not found.early
    assert found.title == "Off course"


def test_leading_measure_is_never_early() -> None:
    assert not wres6(kind="leading", time_to_change_years=5).early


def test_not_enough_readings() -> None:
    found = project(readings(("2024-08-31", 1.5), ("2025-08-31", 1.4)),
                    {"date": "2026-08-31", "value": 1.2}, "lower", date(2025, 9, 30))
    assert found.verdict == "too-few"
    assert found.words() == "Not enough readings."


def test_no_target_means_not_enough_to_say() -> None:
    found = project(readings(("2022-01-01", 1), ("2023-01-01", 2), ("2024-01-01", 3)), None, "higher",
                    date(2024, 6, 30))
    assert found.verdict == "too-few"


def test_target_date_passed() -> None:
    found = project(readings(("2022-01-01", 60), ("2023-01-01", 62), ("2024-01-01", 64)),
                    {"date": "2023-06-30", "value": 70}, "higher", date(2024, 6, 30))
    assert found.verdict == "off-course" and found.needed is None
    assert "The target date has passed" in found.words()


@pytest.mark.parametrize(("value", "unit", "text"), [
    (-1.5, "score-out-of-10", "\u22121.5 points"), (1.0, "score-out-of-10", "+1 point"),
    (0.07, "ratio", "+0.07"), (-0.004, "ratio", "+0"), (2.25, "percent", "+2.25 percentage points"),
])
def test_signed_words(value: float, unit: str, text: str) -> None:
    assert signed(value, unit) == text
