"""Hugging Face paper listings saved as text (the seeds' format).

Two layouts occur: title and abstract separated by blank lines, and title and abstract on
consecutive lines. Page chrome ("new", "Subscribe", "Get trending papers…", "byAK and the
research community", date lines such as "Mar 11") is removed, also when glued to the front of a
title ("SubscribeVoxCeleb: …").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.model import Paper, SkippedEntry, SourceRef
from kg.readers import iter_lines, register_reader

_CHROME_LINE = re.compile(
    r"""^(?:new|subscribe|upvote|submitted\ by.*|
        get\ trending\ papers\ in\ your\ email\ inbox(?:\ once\ a\ day)?!?|
        by\s*ak\ and\ the\ research\ community|
        (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\ \d{1,2}(?:,\ \d{4})?|
        \d+\ (?:upvotes?|comments?)|·)$""",
    re.IGNORECASE | re.VERBOSE,
)
# Chrome words that the page scrape glues to the start of the next text.
_GLUED_PREFIX = re.compile(
    r"^(?:Get trending papers in your email inbox(?: once a day)?!|Subscribe|byAK and the research community)+(?=\S)"
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def is_chrome(line: str) -> bool:
    return bool(_CHROME_LINE.match(line.strip()))


def strip_glued_chrome(line: str) -> str:
    return _GLUED_PREFIX.sub("", line.strip())


def looks_like_abstract(line: str) -> bool:
    """Abstracts are paragraphs; titles are one short line (seeds: titles ≤ 200, abstracts ≥ 400)."""
    n = len(line)
    return n >= 300 or (n >= 150 and len(_SENTENCE_END.findall(line)) >= 2)


def sniff(head: str) -> bool:
    lines = [l.strip() for l in head.splitlines() if l.strip()]
    if not lines or lines[0].startswith(("{", "[", "<")):
        return False
    if any(is_chrome(l) or _GLUED_PREFIX.match(l) for l in lines[:12]):
        return True
    # Otherwise: alternating short title lines and long abstract paragraphs.
    kinds = [looks_like_abstract(l) for l in lines[:20]]
    return len(kinds) >= 2 and not kinds[0] and kinds[1]


@register_reader("hf-listing", extensions=(".txt",), sniff=sniff, priority=-1)  # the loosest sniffer yields
def read_hf_listing(path: Path) -> Iterator[Paper | SkippedEntry]:
    """Hugging Face paper listing text: title line, then abstract paragraph, page chrome removed."""
    title: tuple[int, str] | None = None
    for item in iter_lines(path, "hf-listing"):
        if isinstance(item, SkippedEntry):   # a line over the length limit
            yield item
            continue
        number, raw = item
        line = strip_glued_chrome(raw)
        if not line or is_chrome(line):
            continue
        if looks_like_abstract(line):
            if title is None:
                yield SkippedEntry(SourceRef(str(path), number, "hf-listing"), "abstract without a title line")
                continue
            yield Paper(
                title=title[1],
                abstract=line,
                source=SourceRef(str(path), title[0], "hf-listing"),
            )
            title = None
        else:
            if title is not None:
                yield SkippedEntry(
                    SourceRef(str(path), title[0], "hf-listing"),
                    f"title without an abstract: {title[1][:80]!r}",
                )
            title = (number, line)
    if title is not None:
        yield SkippedEntry(
            SourceRef(str(path), title[0], "hf-listing"), f"title without an abstract: {title[1][:80]!r}"
        )
