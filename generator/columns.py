"""The open-data tables' names and columns, and what each column holds: the shape the
exports write (generator/export.py) and the Downloads page describes (generator/render/).
Plain data, so both sides read it without importing each other."""

from __future__ import annotations

CSV_COLUMNS = {
    "priorities.csv": ["id", "title", "pillar", "owner", "contributors", "accountable", "start", "end",
                       "status", "aligns_to", "measures", "url", "places"],
    "actions.csv": ["id", "title", "priority", "owner", "due", "status", "url", "places"],
    "measures.csv": ["measure", "title", "unit", "direction", "date", "value", "kind", "note"],
    "alignment.csv": ["priority", "element", "framework", "rationale"],
    "commitments.csv": ["organisation", "priority", "role", "amount", "unit", "places", "capacity"],
    "decisions.csv": ["id", "text", "review", "owner", "asked_of", "concerns", "due", "status", "outcome",
                      "follows_up", "url"],
}


# What each column holds, for the Downloads page (a test checks every column has one).
CSV_DESCRIPTIONS = {
    "id": "The item's permanent id.",
    "title": "The item's title.",
    "pillar": "The id of the pillar the priority belongs to.",
    "owner": "The id of the organisation that owns it.",
    "contributors": "The ids of the organisations that contribute, separated by spaces.",
    "accountable": "The id of the governance body that holds it to account.",
    "start": "The first day of its timeframe (YYYY-MM-DD).",
    "end": "The last day of its timeframe (YYYY-MM-DD).",
    "status": "Where it stands: for a priority or action not-started, on-track, at-risk, off-track, "
              "paused or complete; for a decision open, done or dropped.",
    "aligns_to": "The framework elements it aligns to (framework:element), separated by spaces.",
    "measures": "The ids of the measures that show its progress, separated by spaces.",
    "url": "The address of its page, relative to the site's root.",
    "priority": "The id of the priority it belongs to (or aligns).",
    "due": "The date it is due (YYYY-MM-DD).",
    "measure": "The id of the measure.",
    "unit": "The unit of the value (count, percent, ratio, score-out-of-10, …).",
    "direction": "Whether higher or lower values are better.",
    "date": "The date of the value (YYYY-MM-DD).",
    "value": "The value, as a number.",
    "kind": "Whether the row is the baseline, a reading or the target.",
    "note": "A note on the value, if any.",
    "element": "The framework element (framework:element).",
    "framework": "The id of the framework the element belongs to.",
    "rationale": "Why the priority serves that element, if given.",
    "text": "What was decided or asked, in a sentence.",
    "review": "The id of the review that recorded the decision.",
    "asked_of": "The id of the governance body that must decide or be told.",
    "concerns": "The ids of the priorities, actions and measures it concerns, separated by spaces.",
    "outcome": "What came of it, once it is closed.",
    "follows_up": "The id of an earlier decision it continues, if any.",
    "places": "The ids of the places where the work happens, separated by spaces (none: system-wide).",
    "organisation": "The id of the partner organisation.",
    "role": "The partner's role in the priority (lead, implement, measure, maintain or assure).",
    "amount": "A quantity the partner commits, with its unit.",
    "capacity": "What the partner puts in (people, time or money), in words.",
}
