"""Texts made before, kept by what they were made from, so an export remakes only its items
that changed (a calendar event, say) and takes the rest as they were.

A memo is one entry of the generator's cache (generator/cache.py), not a file per text:
each text is kept under a digest of the plain values it is a pure function of, so it comes
back only for exactly those values, whichever roadmap it was made for. The entry is sealed
with the user's key over every digest and text in it, so an entry changed by hand (or not
written whole) is not used at all. Without a cache every text is simply made.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from hashlib import blake2b
from typing import Any

from generator.cache import Cache, keyed


class Memo:
    """The texts of one kind (`name`), as the last run kept them and as this run uses them."""

    def __init__(self, cache: Cache | None, name: str) -> None:
        self._cache = cache if cache else None
        self._name = entry(name)
        self._before = _opened(self._cache.get(self._name)) if self._cache else {}
        self._now: dict[str, str] = {}

    def text(self, make: Callable[..., str], *values: Hashable) -> str:
        """make(*values), or the text it gave for the same values last time. The values are
        plain (strings, numbers, dates) so their repr says all they hold."""
        key = blake2b(repr(values).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        text = self._before.get(key)
        if text is None:
            text = make(*values)
        self._now[key] = text
        return text

    def save(self) -> None:
        """Keep this run's texts, and only them: a text no item needs any more is dropped."""
        if self._cache and self._now != self._before:
            self._cache.put(self._name, {"seal": _seal(self._now), "texts": self._now})


def entry(name: str) -> str:
    """The name in the cache of the memo called `name`."""
    return f"memo-{name}"


def _seal(texts: dict[str, str]) -> str | None:
    """The user's key over every digest and text, each led by its length so that no two
    memos read the same."""
    whole = "".join(f"{len(key)}:{key}{len(text)}:{text}" for key, text in sorted(texts.items()))
    return keyed(blake2b(whole.encode("utf-8", "surrogatepass"), digest_size=32).hexdigest())


def _opened(kept: Any) -> dict[str, str]:
    """The texts of a cache entry whose seal holds; none from anything else."""
    if not isinstance(kept, dict) or not isinstance(texts := kept.get("texts"), dict):
        return {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in texts.items()):
        return {}
    seal = _seal(texts)
    return texts if seal is not None and kept.get("seal") == seal else {}
