"""Bounds on one paper's fields, checked once for every reader by :func:`kg.readers.read_papers`.

Oxigraph's loader fails on any literal over 16 MiB, at the very end of a build; these keep every
literal far below that (4 UTF-8 bytes a character at most: 4 MiB for an abstract) and a hostile
file from turning one record into minutes of extraction. (The bound on one line of a line-based
format is :data:`kg.readers.lines.MAX_LINE_BYTES`.)
"""
from __future__ import annotations

import dataclasses

from kg.records import Paper

MAX_TITLE_CHARS = 4_096          # real titles: under 300 characters (the longest arXiv ones ~ 500)
MAX_ABSTRACT_CHARS = 1_048_576   # arXiv caps abstracts at 1,920 characters; a full paper is ~ 100 K
MAX_FIELD_CHARS = 65_536         # any other text value: id, URL, date, venue, one author, one link
MAX_FIELD_VALUES = 10_000        # authors, categories or links of one paper (the longest author lists ~ 5,000)


def oversized(paper: Paper) -> str:
    """Why ``paper`` is over the field bounds ("" when it is not)."""
    if len(paper.title) > MAX_TITLE_CHARS:
        return f"title of {len(paper.title):,} characters, over the limit of {MAX_TITLE_CHARS:,}"
    if len(paper.abstract) > MAX_ABSTRACT_CHARS:
        return f"abstract of {len(paper.abstract):,} characters, over the limit of {MAX_ABSTRACT_CHARS:,}"
    for f in dataclasses.fields(paper):
        value = getattr(paper, f.name)
        if f.name in ("title", "abstract") or not isinstance(value, (str, tuple)):
            continue
        if isinstance(value, tuple):
            if len(value) > MAX_FIELD_VALUES:
                return f"{f.name}: {len(value):,} values, over the limit of {MAX_FIELD_VALUES:,}"
            longest = max((len(v) for v in value if isinstance(v, str)), default=0)
        else:
            longest = len(value)
        if longest > MAX_FIELD_CHARS:
            return f"{f.name}: a value of {longest:,} characters, over the limit of {MAX_FIELD_CHARS:,}"
    return ""
