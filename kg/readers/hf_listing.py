"""Hugging Face paper listings saved as text (the seeds' format).

Two layouts occur: title and abstract separated by blank lines, and title and abstract on
consecutive lines. Page chrome ("new", "Subscribe", "Get trending papers…", "byAK and the
research community", date lines such as "Mar 11") is removed, also when glued to the front of a
title ("SubscribeVoxCeleb: …").

On consecutive lines, a line is an abstract by its length (:func:`looks_like_abstract`). In the
blank-line layout (every paragraph one line), the paragraph after a title is also its abstract
when it is a short sentence ("We propose QNet, which outperforms ResNet on ImageNet."), unless the
paragraph after it is a long abstract: then the short line is the next title.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.records import Paper, SkippedEntry, SourceRef
from kg.readers import register_reader
from kg.readers.contract import ReaderWarning
from kg.readers.decoding import unnoted_decoding
from kg.readers.lines import iter_lines

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


def _lines(path: Path, encoding: str | None) -> Iterator[tuple[int, str] | SkippedEntry]:
    """The numbered lines (``--encoding``, else UTF-8 or a byte order mark's), and a skipped entry
    for each line over the length limit (:func:`kg.readers.iter_lines`)."""
    return iter_lines(path, "hf-listing", encoding or "utf-8")


def _content(lines: Iterable[tuple[int, str] | SkippedEntry]) -> Iterator[tuple[int, str, bool] | SkippedEntry]:
    """``(line number, text, blank line before)`` of every line that is not chrome or blank; the
    skipped entries of ``lines`` as they come."""
    blank_before = True
    for item in lines:
        if isinstance(item, SkippedEntry):   # a line over the length limit
            yield item
            continue
        number, raw = item
        line = strip_glued_chrome(raw)
        if not line:
            blank_before = True
            continue
        if is_chrome(line):
            continue
        yield number, line, blank_before
        blank_before = False


def has_paragraph_layout(lines: Iterable[tuple[int, str] | SkippedEntry]) -> bool:
    """True when the text comes in one-line paragraphs separated by blank lines (after chrome
    lines are removed), at least two of them."""
    count = 0
    for item in _content(lines):
        if isinstance(item, SkippedEntry):
            continue
        if not item[2]:
            return False
        count += 1
    return count >= 2


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "?"))


@register_reader("hf-listing", extensions=(".txt",), sniff=sniff, priority=-1,  # the loosest sniffer yields
                 options=("encoding",))
def read_hf_listing(path: Path, encoding: str | None = None) -> Iterator[Paper | SkippedEntry | ReaderWarning]:
    """Hugging Face paper listing text: title line, then abstract paragraph, page chrome removed."""
    with unnoted_decoding():   # a first look at the layout: invalid bytes are noted on the reading below
        paragraphs = has_paragraph_layout(_lines(path, encoding))
    content = _content(_lines(path, encoding))
    skipped: list[SkippedEntry] = []   # over-long lines met while looking one line ahead

    def next_line() -> tuple[int, str, bool] | None:
        for entry in content:
            if isinstance(entry, SkippedEntry):
                skipped.append(entry)
                continue
            return entry
        return None

    title: tuple[int, str] | None = None
    item = next_line()
    while item is not None:
        yield from skipped
        skipped.clear()
        number, line, _ = item
        after = next_line()
        if looks_like_abstract(line) or (
                paragraphs and title is not None and _ends_sentence(line)
                and not (after is not None and looks_like_abstract(after[1]))):
            if title is None:
                yield SkippedEntry(SourceRef(str(path), number, "hf-listing"), "abstract without a title line")
            else:
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
        item = after
    yield from skipped
    if title is not None:
        yield SkippedEntry(
            SourceRef(str(path), title[0], "hf-listing"), f"title without an abstract: {title[1][:80]!r}"
        )
