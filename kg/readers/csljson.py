"""CSL-JSON, the citation data Zotero, Mendeley, Pandoc and citeproc exchange ("Better CSL JSON",
Zotero's "CSL JSON" export): an array of items with ``title``, ``abstract``, ``author`` (name
objects), ``issued`` (``date-parts``), ``DOI``, ``URL``, ``container-title``.

Read through :func:`kg.readers.jsondocs.iter_records` (element by element: a broken item is
skipped, a truncated file keeps every item before the cut). Authors become "First Last" from
``family``/``given`` (particles and suffixes kept) or ``literal``; ``issued`` becomes an ISO date
as precise as its parts; markup in titles and abstracts (Crossref's ``<jats:p>``) is removed.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.records import Paper, SkippedEntry, SourceRef, display_name
from kg.readers import register_reader
from kg.readers.dates import iso_date, parse_date
from kg.readers.jsondocs import arxiv_id_from, iter_records, strip_doi, text_of

# Keys only CSL items have (OpenAlex and Semantic Scholar records use other names).
_CSL_KEY = re.compile(r'"(?:issued|container-title|citation-key)"\s*:|"author"\s*:\s*\[\s*\{\s*"(?:family|given|literal)"')
_TAG = re.compile(r"</?([A-Za-z][\w:.-]*)(?:\s[^<>]*)?/?>")
# Tags that end a block of text (a space where they were); inline ones (<i>, <sub>) go without one
_BLOCK_TAGS = {"p", "jats:p", "br", "div", "li", "title", "jats:title", "sec", "jats:sec"}
_ARXIV_NUMBER = re.compile(r"arxiv:\s*(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.IGNORECASE)


def _sniff(head: str) -> bool:
    head = head.lstrip()
    return head[:1] in ("[", "{") and '"type"' in head and bool(_CSL_KEY.search(head))


def _text(value: Any) -> str:
    """Trimmed text, markup removed where there is some."""
    text = text_of(value)
    if "<" in text and _TAG.search(text):
        text = _TAG.sub(lambda m: " " if m.group(1).lower() in _BLOCK_TAGS else "", text)
        text = " ".join(html.unescape(text).split())
    return text


def person(name: Any) -> str:
    """One CSL name object as "First Last".

    >>> person({"family": "Dosovitskiy", "given": "Alexey"}), person({"literal": "OpenAI"})
    ('Alexey Dosovitskiy', 'OpenAI')
    >>> person({"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"})
    'Ludwig van Beethoven'
    """
    if not isinstance(name, dict):
        return text_of(name)
    if name.get("literal"):
        return text_of(name["literal"])
    family = " ".join(p for p in (text_of(name.get("non-dropping-particle")), text_of(name.get("family"))) if p)
    given = " ".join(p for p in (text_of(name.get("given")), text_of(name.get("dropping-particle"))) if p)
    suffix = text_of(name.get("suffix"))
    if not family:
        return given
    if not given:
        return family
    return display_name(f"{family}, {suffix}, {given}" if suffix else f"{family}, {given}")


def issued_date(value: Any) -> str:
    """A CSL date (``{"date-parts": [[2021, 6, 3]]}``, ``{"raw": "2021-06-03"}``,
    ``{"literal": ...}``, or the old ``[{"year": 2021}]``) as an ISO date, "" when there is none.

    >>> issued_date({"date-parts": [["2021", 6]]}), issued_date({"raw": "2020/10/22"})
    ('2021-06', '2020-10-22')
    """
    if isinstance(value, list) and value and isinstance(value[0], dict):   # citeproc-js 1.0
        first = value[0]
        return iso_date(first.get("year"), first.get("month"), first.get("day"))
    if not isinstance(value, dict):
        return parse_date(text_of(value))
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return iso_date(*parts[0][:3])
    for key in ("raw", "literal"):
        if value.get(key):
            return parse_date(text_of(value[key]))
    return ""


def item_to_paper(item: Any, source: SourceRef) -> Paper | SkippedEntry:
    """Map one CSL item to a Paper, or say why it cannot be used."""
    if not isinstance(item, dict):
        return SkippedEntry(source, f"entry is a {type(item).__name__}, not a CSL item")
    title = _text(item.get("title"))
    abstract = _text(item.get("abstract"))
    if not title:
        return SkippedEntry(source, f"{text_of(item.get('type')) or 'CSL'} item without a title")
    if not abstract:
        return SkippedEntry(source, f"missing abstract: {title[:80]!r}")
    authors = item.get("author") if isinstance(item.get("author"), list) else []
    doi = strip_doi(item.get("DOI") or item.get("doi"))
    url = text_of(item.get("URL") or item.get("url"))
    arxiv_id = arxiv_id_from(doi=doi, url=url)
    if not arxiv_id:
        number = _ARXIV_NUMBER.search(text_of(item.get("number")) + " " + text_of(item.get("note")))
        arxiv_id = number.group(1) if number else ""
    venue = _text(item.get("container-title"))
    if not venue and item.get("type") not in ("article", "manuscript"):   # a preprint's publisher is no venue
        venue = _text(item.get("event-title") or item.get("event"))
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=text_of(item.get("id") if not isinstance(item.get("id"), (int, float)) else str(item.get("id"))),
        url=url,
        date=issued_date(item.get("issued")),
        authors=tuple(a for a in map(person, authors) if a),
        doi=doi,
        arxiv_id=arxiv_id,
        venue=venue,
    )


@register_reader("csljson", extensions=(".csl.json", ".csljson"), sniff=_sniff, priority=3)
def read_csljson(path: Path) -> Iterator[Paper | SkippedEntry]:
    """CSL-JSON items (Zotero / Mendeley / Pandoc export) with an abstract."""
    for item in iter_records(path, "csljson"):
        if isinstance(item, SkippedEntry):
            yield item
        else:
            source, record = item
            yield item_to_paper(record, source)
