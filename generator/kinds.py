"""The kinds of item a roadmap holds, in the words a reader uses, and where each is kept.

Shared by the check's messages, `roadmap new`, and the diff's wording, so every front door
names an item the same way.
"""

from __future__ import annotations

KIND_WORDS = {"organisation": "organisation", "body": "governance body", "measure": "measure",
              "element": "framework element", "question": "learning question",
              "priority": "priority", "pillar": "pillar", "action": "action",
              "framework": "framework", "review": "review", "term": "glossary term",
              "phase": "phase", "decision": "decision", "item": "priority, action or measure",
              "experience": "vision experience", "place": "place", "engagement": "engagement",
              "insight": "insight"}
KIND_HOMES = {"organisation": "organisations.yaml", "body": "governance.yaml",
              "measure": "measures.yaml", "element": "frameworks/",
              "question": "programme.yaml (learning_questions)", "priority": "pillars/",
              "decision": "a review's decisions (reviews/)", "item": "pillars/ or measures.yaml",
              "experience": "programme.yaml (vision/experiences)", "place": "programme.yaml (places)",
              "engagement": "programme.yaml (engagement)", "insight": "programme.yaml (insights)",
              "phase": "programme.yaml (phases)"}
ITEM_KINDS = ("priority", "action", "measure")  # what a decision can concern

# What `roadmap new` can add (generator/scaffold.py).
NEW_KINDS = ("pillar", "priority", "action", "measure", "organisation", "body", "place", "insight")
