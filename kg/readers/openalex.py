"""OpenAlex works: the API's ``/works`` page (``{"meta": ..., "results": [...]}``), a single work,
a JSON array of works, or JSON Lines (the OpenAlex snapshot's ``works`` files).

OpenAlex gives no abstract text: ``abstract_inverted_index`` maps each word to its positions, and
the abstract is rebuilt from it. A work without one is reported and skipped. Mapped metadata:
the OpenAlex id (``W…``, and its URL as a link), DOI, arXiv id (from an arXiv DOI or an arxiv.org
location), ``publication_date``, ``authorships[].author.display_name``, the landing page, the
venue (``primary_location.source``), and topics / well-scored concepts as categories.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.records import Paper, SkippedEntry, SourceRef
from kg.readers import register_reader
from kg.readers.jsondocs import arxiv_id_from, as_list, iter_records, strip_doi, text_of
from kg.readers.latex import latex_to_text

CONCEPT_MIN_SCORE = 0.5   # OpenAlex tags each work with many weak concepts; keep the ones it is sure of


def _sniff(head: str) -> bool:
    start = head.lstrip()[:1]
    return start in ("{", "[") and ("abstract_inverted_index" in head or '"https://openalex.org/W' in head)


def rebuild_abstract(index: Any) -> str:
    """The abstract text of an ``abstract_inverted_index`` ({word: [positions]}).

    >>> rebuild_abstract({"We": [0], "propose": [1], "VOLO.": [2]})
    'We propose VOLO.'
    """
    if not isinstance(index, dict):
        return ""
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(positions, list) and isinstance(word, str):
            for p in positions:
                if isinstance(p, int) and p >= 0:
                    slots[p] = str(word)
    return " ".join(slots[p] for p in sorted(slots))


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def work_to_paper(work: Any, source: SourceRef) -> Paper | SkippedEntry:
    """Map one OpenAlex work object to a Paper, or say why it cannot be used."""
    if not isinstance(work, dict):
        return SkippedEntry(source, f"entry is a {type(work).__name__}, not a work object")
    work_id = text_of(work.get("id"))
    title = latex_to_text(text_of(work.get("title") or work.get("display_name")))
    label = work_id.rsplit("/", 1)[-1] or "work"
    if not title:
        return SkippedEntry(source, f"{label}: no title")
    abstract = latex_to_text(rebuild_abstract(work.get("abstract_inverted_index")))
    if not abstract:
        return SkippedEntry(source, f"{label}: no abstract (abstract_inverted_index is null or empty): {title[:80]!r}")
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    doi = strip_doi(work.get("doi") or ids.get("doi"))
    locations = [l for l in as_list(work.get("locations")) if isinstance(l, dict)]
    primary = work.get("primary_location") if isinstance(work.get("primary_location"), dict) else {}
    pages = [text_of(l.get("landing_page_url")) for l in [primary, *locations]]
    pages += [text_of(l.get("pdf_url")) for l in [primary, *locations]]
    arxiv_id = arxiv_id_from(doi=doi) or next((a for a in (arxiv_id_from(url=p) for p in pages) if a), "")
    authors = tuple(a for a in (latex_to_text(text_of(_get(x, "author", "display_name")))
                                for x in as_list(work.get("authorships"))) if a)
    categories: list[str] = []
    for topic in as_list(work.get("topics")):
        categories.append(text_of(_get(topic, "display_name")))
    for concept in as_list(work.get("concepts")):
        score = _get(concept, "score")
        if isinstance(score, (int, float)) and score >= CONCEPT_MIN_SCORE:
            categories.append(text_of(_get(concept, "display_name")))
    links = [work_id] if work_id.startswith("http") else []
    links += [p for p in pages if p]
    url = text_of(primary.get("landing_page_url")) or (f"https://doi.org/{doi}" if doi else work_id)
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=label if work_id else "",
        url=url,
        date=text_of(work.get("publication_date")) or text_of(work.get("publication_year")),
        authors=authors,
        arxiv_id=arxiv_id,
        doi=doi,
        categories=tuple(dict.fromkeys(c for c in categories if c)),
        links=tuple(dict.fromkeys(links)),
        venue=text_of(_get(primary, "source", "display_name")),
    )


@register_reader("openalex", sniff=_sniff, priority=2)
def read_openalex(path: Path) -> Iterator[Paper | SkippedEntry]:
    """OpenAlex works: API page, JSON array or JSON Lines; abstracts rebuilt from the inverted index."""
    for item in iter_records(path, "openalex"):
        yield item if isinstance(item, SkippedEntry) else work_to_paper(item[1], item[0])
