"""``kg build --category``: keep the papers of some arXiv categories or archives.

Every reader's papers are checked on their ``categories`` by :func:`kg.readers.read_papers`; a
reader that registers with ``category_filter=True`` (the arXiv snapshot) also receives the filter
and rejects lines before parsing them, which is what makes a slice of a multi-GB file cheap.
"""
from __future__ import annotations

from collections.abc import Iterable

from kg.records import category_matches

_CACHE_MAX = 200_000   # distinct category strings remembered (the arXiv snapshot has ~40k)


class CategoryFilter:
    """Accepts papers with a category in ``wanted`` or in an archive named in ``wanted``
    ("cs" accepts "cs.CV"); counts the entries it rejects (``rejected``). A paper without
    categories is rejected."""

    def __init__(self, wanted: Iterable[str]) -> None:
        self.wanted = tuple(dict.fromkeys(w.strip() for w in wanted if w and w.strip()))
        if not self.wanted:
            raise ValueError("a category filter needs at least one category")
        self.rejected = 0
        self._seen: dict[bytes, bool] = {}

    def accepts(self, categories: Iterable[str]) -> bool:
        """Whether a paper with these categories is kept (a rejection is counted)."""
        ok = category_matches(tuple(categories), self.wanted)
        if not ok:
            self.rejected += 1
        return ok

    def accepts_raw(self, field: bytes) -> bool:
        """The same for a raw space-separated category field (``b"cs.CV cs.LG"``), memoised: the
        snapshot repeats a few thousand combinations over millions of lines."""
        ok = self._seen.get(field)
        if ok is None:
            ok = category_matches(field.decode("utf-8", "replace").split(), self.wanted)
            if len(self._seen) < _CACHE_MAX:
                self._seen[field] = ok
        if not ok:
            self.rejected += 1
        return ok
