"""RIS, the tagged format reference managers export (Zotero, Mendeley, EndNote, Scopus, Web of
Science, IEEE Xplore, Google Scholar).

Each record is lines ``TG  - value`` (two capitals or a capital and a digit, two spaces, a dash)
from ``TY  - <type>`` to ``ER  -``; a line without a tag continues the previous field (wrapped
abstracts). Mapped: title ``TI``/``T1`` (else ``CT``, ``BT``), abstract ``AB``/``N2``, authors
``AU``/``A1`` ("Last, First" → "First Last", as the BibTeX reader gives them), date ``DA``/``PY``/
``Y1`` ("2021/06/03/" → 2021-06-03), ``DO``, ``UR``, venue ``T2``/``JO``/``JF``/``J2``/``BT``,
``ID`` (the record's id) and the arXiv id from an arXiv DOI or URL.

Text is UTF-8; a file that is not is read as cp1252 with a warning (``--encoding`` says which).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.records import Paper, SkippedEntry, SourceRef, display_name
from kg.readers import register_reader
from kg.readers.contract import ReaderError, ReaderWarning
from kg.readers.dates import parse_date
from kg.readers.decoding import read_text_guessing
from kg.readers.jsondocs import arxiv_id_from, strip_doi

# A tag line: two spaces before the dash, as every exporter writes it (a wrapped abstract line such
# as "AI - based ..." is text, not a tag); no space after it when the value is empty ("ER  -").
_TAG = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
_START = re.compile(r"^\s*(?:\ufeff)?TY  - ?\S", re.MULTILINE)

# Field → the tags that carry it, preferred first.
TAGS: dict[str, tuple[str, ...]] = {
    "title": ("TI", "T1", "CT"),
    "abstract": ("AB", "N2"),
    "authors": ("AU", "A1"),
    "date": ("DA", "PY", "Y1"),
    "doi": ("DO",),
    "url": ("UR", "L2"),
    "venue": ("T2", "JO", "JF", "J2", "JA", "BT", "T3"),
    "id": ("ID",),
}


def _sniff(head: str) -> bool:
    """The first non-blank line opens a record (``TY  - JOUR``)."""
    first = head.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    return bool(_START.match(first))


def _records(text: str) -> Iterator[tuple[int, dict[str, list[str]]] | tuple[int, str]]:
    """``(first line, tag → values)`` per record, or ``(line, problem)`` for text outside one."""
    record: dict[str, list[str]] | None = None
    start = 0
    last: str | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r").lstrip("\ufeff")
        match = _TAG.match(line)
        if match:
            tag, value = match.group(1), match.group(2).strip()
            if tag == "TY":
                if record is not None:
                    yield start, "record without an end (ER) line before the next TY"
                record, start, last = {"TY": [value]}, number, "TY"
            elif record is None:
                if tag != "ER":
                    yield number, f"{tag} line outside a record (no TY before it)"
            elif tag == "ER":
                yield start, record
                record, last = None, None
            else:
                record.setdefault(tag, []).append(value)
                last = tag
        elif line.strip() and record is not None and last is not None:
            values = record[last]   # a wrapped value: continues the previous tag's
            values[-1] = f"{values[-1]} {line.strip()}".strip()
    if record is not None:
        yield start, record   # the last record may lack its ER line (a truncated export)


def _first(record: dict[str, list[str]], field: str) -> str:
    for tag in TAGS[field]:
        for value in record.get(tag, ()):
            text = " ".join(value.split())
            if text:
                return text
    return ""


def record_to_paper(record: dict[str, list[str]], source: SourceRef) -> Paper | SkippedEntry:
    """Map one RIS record to a Paper, or say why it cannot be used."""
    kind = record.get("TY", [""])[0]
    title = _first(record, "title")
    abstract = _first(record, "abstract")
    if not title:
        return SkippedEntry(source, f"{kind or 'RIS'} record without a title (TI)")
    if not abstract:
        return SkippedEntry(source, f"missing abstract (AB): {title[:80]!r}")
    authors: list[str] = []
    for tag in TAGS["authors"]:
        if record.get(tag):
            authors = [display_name(a) for a in record[tag] if a.strip()]
            break
    doi = strip_doi(_first(record, "doi"))
    urls = [" ".join(u.split()) for tag in TAGS["url"] for u in record.get(tag, ()) if u.strip()]
    url = urls[0] if urls else ""
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=_first(record, "id"),
        url=url,
        date=parse_date(_first(record, "date")),
        authors=tuple(authors),
        doi=doi,
        arxiv_id=arxiv_id_from(doi=doi, url=url),
        links=tuple(urls[1:]),
        venue=_first(record, "venue"),
    )


@register_reader("ris", extensions=(".ris",), sniff=_sniff, priority=2, options=("encoding",))
def read_ris(path: Path, encoding: str | None = None) -> Iterator[Paper | SkippedEntry | ReaderWarning]:
    """RIS records (reference managers' export): TY … ER, with an abstract (AB)."""
    text, warning = read_text_guessing(path, encoding)
    if warning is not None:
        yield ReaderWarning(SourceRef(str(path), warning.source.line, "ris"), warning.message)
    if not _START.search(text):
        raise ReaderError(path, "no RIS record (a line 'TY  - ...') in the file")
    for line, item in _records(text):
        source = SourceRef(str(path), line, "ris")
        yield SkippedEntry(source, item) if isinstance(item, str) else record_to_paper(item, source)
