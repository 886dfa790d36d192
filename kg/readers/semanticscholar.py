"""Semantic Scholar Graph API papers: a single ``/paper/{id}`` response, a ``/paper/search`` page
(``{"total": ..., "data": [...]}``), a ``/paper/batch`` array (``null`` for unknown ids) or JSON
Lines of paper objects.

Mapped: ``paperId``, ``externalIds`` (``ArXiv``, ``DOI``), ``title``, ``abstract``,
``authors[].name``, ``publicationDate`` (else ``year``), ``url``, ``venue`` / ``journal.name``,
``fieldsOfStudy`` and ``s2FieldsOfStudy`` as categories. A paper without abstract (the API
returns ``null`` for many) is reported and skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.records import Paper, SkippedEntry, SourceRef
from kg.readers import register_reader
from kg.readers.jsondocs import as_list, iter_records, strip_doi, text_of
from kg.readers.latex import latex_to_text

_PAPER_ID = re.compile(r'"paperId"\s*:')


def _sniff(head: str) -> bool:
    return head.lstrip()[:1] in ("{", "[") and bool(_PAPER_ID.search(head))


def _field(record: dict, name: str) -> Any:
    """A field by its Graph API name, or as the S2 datasets spell it (lower case)."""
    return record.get(name, record.get(name.lower()))


def s2_to_paper(record: Any, source: SourceRef) -> Paper | SkippedEntry:
    """Map one Semantic Scholar paper object to a Paper, or say why it cannot be used."""
    if record is None:
        return SkippedEntry(source, "null entry (the batch API's answer for an unknown paper id)")
    if not isinstance(record, dict):
        return SkippedEntry(source, f"entry is a {type(record).__name__}, not a paper object")
    paper_id = text_of(_field(record, "paperId") or record.get("corpusid"))
    title = latex_to_text(text_of(record.get("title")))
    label = paper_id or "paper"
    if not title:
        return SkippedEntry(source, f"{label}: no title")
    abstract = latex_to_text(text_of(record.get("abstract")))
    if not abstract:
        return SkippedEntry(source, f"{label}: no abstract (null in Semantic Scholar): {title[:80]!r}")
    external = _field(record, "externalIds")
    external = {str(k).lower(): v for k, v in external.items()} if isinstance(external, dict) else {}
    journal = record.get("journal") if isinstance(record.get("journal"), dict) else {}
    fields = [text_of(f) for f in as_list(_field(record, "fieldsOfStudy")) if isinstance(f, str)]
    fields += [text_of(f.get("category")) for f in as_list(_field(record, "s2FieldsOfStudy")) if isinstance(f, dict)]
    authors = tuple(a for a in (latex_to_text(text_of(x.get("name"))) for x in as_list(record.get("authors"))
                                if isinstance(x, dict)) if a)
    year = record.get("year")
    url = text_of(record.get("url")) or (f"https://www.semanticscholar.org/paper/{paper_id}" if paper_id else "")
    pdf = record.get("openAccessPdf")
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=paper_id,
        url=url,
        date=text_of(_field(record, "publicationDate")) or (str(year) if isinstance(year, int) else ""),
        authors=authors,
        arxiv_id=text_of(external.get("arxiv")),
        doi=strip_doi(external.get("doi")),
        categories=tuple(dict.fromkeys(f for f in fields if f)),
        links=(text_of(pdf.get("url")),) if isinstance(pdf, dict) and text_of(pdf.get("url")) else (),
        venue=text_of(record.get("venue")) or text_of(journal.get("name")),
    )


@register_reader("s2", sniff=_sniff, priority=2)
def read_semantic_scholar(path: Path) -> Iterator[Paper | SkippedEntry]:
    """Semantic Scholar paper JSON: single paper, search page, batch array or JSON Lines."""
    for item in iter_records(path, "s2"):
        yield item if isinstance(item, SkippedEntry) else s2_to_paper(item[1], item[0])
