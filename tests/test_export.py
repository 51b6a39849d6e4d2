"""The open-data exports validate, round-trip, and keep stable calendar UIDs."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar
from jsonschema import Draft202012Validator

from generator.addresses import download
from generator.check.schema import SCHEMA_DIR
from generator.columns import CSV_COLUMNS
from generator.export import as_data, downloads, to_csv, to_ics, to_json
from generator.model import Roadmap
from generator.pipeline import run
from tests.conftest import MINI, SAMPLE, edit


def model(root: Path) -> Roadmap:
    roadmap = run(root).roadmap
    assert roadmap is not None
    return roadmap


def test_json_validates_against_its_published_schema() -> None:
    for root in (MINI / "roadmap", SAMPLE / "roadmap"):
        data = json.loads(to_json(model(root)))
        schema = json.loads((SCHEMA_DIR / "export.schema.json").read_text("utf-8"))
        Draft202012Validator.check_schema(schema)
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
        assert errors == []
        assert data["priorities"][0]["url"].startswith("roadmap/priorities/")


def test_json_puts_each_field_and_each_list_item_on_its_own_line() -> None:
    roadmap = model(SAMPLE / "roadmap")
    data, lines = as_data(roadmap), to_json(roadmap).splitlines()
    assert json.loads(to_json(roadmap)) == data
    assert lines[0] == "{" and lines[-1] == "}"
    at = 1
    for key, value in data.items():
        assert lines[at].startswith(f'  "{key}": ')
        if isinstance(value, list) and value:
            assert lines[at] == f'  "{key}": ['
            items = lines[at + 1:at + 1 + len(value)]
            assert [json.loads(line.removesuffix(",")) for line in items] == value
            at += len(value) + 1
            assert lines[at] in ("  ]", "  ],")
        at += 1
    assert at == len(lines) - 1


def test_csv_round_trips_with_the_expected_header() -> None:
    roadmap = model(SAMPLE / "roadmap")
    tables = to_csv(roadmap)
    assert list(tables) == list(CSV_COLUMNS)
    for name, text in tables.items():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == CSV_COLUMNS[name]
        assert all(len(row) == len(rows[0]) for row in rows)
        assert "\r\n" in text
    actions = list(csv.DictReader(io.StringIO(tables["actions.csv"], newline="")))
    assert {row["id"] for row in actions} == set(roadmap.actions)


def events(text: str) -> dict[str, str]:
    calendar = Calendar.from_ical(text)
    return {str(e["uid"]): e["dtstart"].to_ical().decode() for e in calendar.walk("VEVENT")}


def test_calendar_parses_and_a_moved_date_changes_one_event(mini: Path) -> None:
    before = events(to_ics(model(mini)))
    assert any(uid.startswith("action-") for uid in before)
    edit(next((mini / "pillars").glob("leadership.yaml")), "due: 2025-08-15", "due: 2025-09-15")
    after = events(to_ics(model(mini)))
    assert before.keys() == after.keys()
    assert [uid for uid in before if before[uid] != after[uid]] == ["action-first-cohort@living-roadmap"]


def spans(text: str) -> dict[str, tuple[date, date]]:
    """Each event's first day and the day after its last (DTEND), by UID."""
    return {str(e["uid"]): (e.decoded("dtstart"), e.decoded("dtend"))
            for e in Calendar.from_ical(text).walk("VEVENT")}


def test_phases_are_all_day_events_spanning_their_months_with_illustrative_dates_said(mini: Path) -> None:
    programme = mini / "programme.yaml"
    edit(programme, "    summary: Find out how things are.\n",
         "    summary: Find out how things are.\n    start: 2024-04\n    end: 2024-09\n"
         "    illustrative_fields: [end]\n")
    edit(programme, "    summary: Do the work.\n",
         "    summary: Do the work.\n    start: 2024-10\n    end: 2025-03\n")
    text = to_ics(model(mini))
    phases = {str(e["uid"]): e for e in Calendar.from_ical(text).walk("VEVENT") if "phase-" in str(e["uid"])}
    assert sorted(phases) == ["phase-deliver@living-roadmap", "phase-discover@living-roadmap"]
    discover, deliver = phases["phase-discover@living-roadmap"], phases["phase-deliver@living-roadmap"]
    # Month precision: from the first day of the start month to the last of the end month
    # (an all-day event's DTEND is the day after its last day).
    assert spans(text)["phase-discover@living-roadmap"] == (date(2024, 4, 1), date(2024, 10, 1))
    assert spans(text)["phase-deliver@living-roadmap"] == (date(2024, 10, 1), date(2025, 4, 1))
    assert discover["dtstart"].params["VALUE"] == discover["dtend"].params["VALUE"] == "DATE"
    assert str(discover["summary"]) == "Phase 1: Discover"
    assert "April 2024 to September 2024. Its end date is illustrative" in str(discover["description"])
    assert "illustrative" not in str(deliver["description"])

    edit(programme, "    end: 2024-09\n", "    end: 2024-11\n")  # the phase is longer: the same event moves
    after = spans(to_ics(model(mini)))
    assert after.keys() == spans(text).keys()
    assert [uid for uid in after if after[uid] != spans(text)[uid]] == ["phase-discover@living-roadmap"]
    assert after["phase-discover@living-roadmap"] == (date(2024, 4, 1), date(2024, 12, 1))


def test_calendar_values_are_the_types_the_library_reads_back() -> None:
    """Values set directly (not through Event.add) and written unsorted give the same bytes as
    the library writes for the parsed calendar, in its canonical property order."""
    text = to_ics(model(SAMPLE / "roadmap"))
    calendar = Calendar.from_ical(text)
    assert calendar.to_ical().decode("utf-8") == text
    found = calendar.walk("VEVENT")
    assert found and [str(e["uid"]) for e in found] == sorted(str(e["uid"]) for e in found)
    for event in found:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        one_day = (end - start).days == 1 or str(event["uid"]).startswith("phase-")  # a phase spans months
        assert type(start) is date and type(end) is date and one_day
        assert event["dtstart"].params["VALUE"] == "DATE"
        stamp = event.decoded("dtstamp")
        assert isinstance(stamp, datetime) and stamp.utcoffset() == UTC.utcoffset(None)


def test_exports_are_deterministic_and_published_beside_the_pages() -> None:
    files = downloads(model(MINI / "roadmap"))
    assert files == downloads(model(MINI / "roadmap"))
    assert {Path(p).name for p in files} == {"roadmap.json", "roadmap.schema.json", "roadmap.ics",
                                              *CSV_COLUMNS}
    made = run(MINI / "roadmap").pages
    assert set(files) <= set(made)
    # The Downloads page links to every file, by the name it is published under.
    page = made[download("index.md")]
    assert set(re.findall(r"\]\(([^)#/]+)\)", page)) >= {Path(p).name for p in files}
