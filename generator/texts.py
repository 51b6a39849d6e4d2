"""What a run made, by docs-relative path: each file's text, or the way to it, with the digest
of the text where it is known.

A page the cache kept (generator/render/reuse.py) is read back only when something asks for
its text. `write` asks only for those whose file on disk may not hold it already, so after
an edit a run need not read back the thousands of pages it kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass


@dataclass
class Text:
    """One file: its text, or `load`, which gives it (and its digest) the first time it is
    asked for."""

    text: str | None = None
    digest: str | None = None  # of the text (generator/cache.py's `digest`), where known
    load: Callable[[], tuple[str, str | None]] | None = None

    def value(self) -> str:
        if self.text is None:
            assert self.load is not None, "a Text has its text or a way to it"
            (self.text, self.digest), self.load = self.load(), None
        return self.text


class Texts(Mapping[str, str]):
    """Files by path, in the order given; a plain mapping of texts to whoever reads them."""

    def __init__(self, files: Mapping[str, Text] | None = None) -> None:
        self.files: dict[str, Text] = dict(files or {})

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> Texts:
        return cls({path: Text(text) for path, text in texts.items()})

    def __getitem__(self, path: str) -> str:
        return self.files[path].value()

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def __contains__(self, path: object) -> bool:
        return path in self.files

    def digest(self, path: str) -> str | None:
        """The digest of the file's text, where known, without reading it."""
        return self.files[path].digest

    def __repr__(self) -> str:
        return f"Texts({len(self.files)} files)"
