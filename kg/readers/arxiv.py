"""arXiv: the API's Atom responses and the metadata snapshot (JSON Lines).

**Atom** (what ``export.arxiv.org/api/query`` returns, and what ``kg fetch arxiv`` writes): one
``<entry>`` per paper with the versioned id (``http://arxiv.org/abs/2106.13112v2``), title and
summary (hard-wrapped, with LaTeX), authors, ``arxiv:primary_category`` and ``category`` terms,
``published`` / ``updated``, links (abstract page, PDF, DOI), ``arxiv:doi`` and
``arxiv:journal_ref``. A document that does not parse (a truncated download) is read entry by
entry: every complete entry is kept, each broken one is reported with its line.

**Snapshot** (Kaggle's ``arxiv-metadata-oai-snapshot.json``, ~4 GB): one JSON object per line
with ``id``, ``title``, ``abstract``, ``authors`` / ``authors_parsed``, ``categories`` (a
space-separated string), ``versions``, ``update_date``, ``doi``, ``journal-ref``. Streamed; with a
category filter, the categories field is located in the raw bytes and a line outside the slice is
dropped without being decoded or parsed.
"""
from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from bisect import bisect_right
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from kg.records import Paper, SkippedEntry, SourceRef
from kg.readers import register_reader
from kg.readers.contract import ReaderError
from kg.readers.decoding import bom_encoding, read_text
from kg.readers.lines import iter_lines, iter_raw_lines
from kg.readers.filters import CategoryFilter
from kg.readers.jsondocs import as_list, json_problem, strip_doi, text_of
from kg.readers.latex import latex_to_text

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_A, _X = f"{{{ATOM}}}", f"{{{ARXIV}}}"

# "http://arxiv.org/abs/2106.13112v2", "http://arxiv.org/abs/hep-th/9901001v1"
_ABS_ID = re.compile(r"arxiv\.org/abs/(.+?)$")
_VERSION = re.compile(r"v(\d+)$")


def split_version(versioned: str) -> tuple[str, str]:
    """``("2106.13112", "2106.13112v2")`` from a possibly versioned id."""
    versioned = versioned.strip()
    return _VERSION.sub("", versioned), versioned


# --------------------------------------------------------------------------- Atom

def _sniff_atom(head: str) -> bool:
    h = head.lstrip()[:4000]
    return h.startswith("<") and "<feed" in h and ATOM in h


def _entry_text(entry: ET.Element, tag: str) -> str:
    return " ".join((entry.findtext(tag) or "").split())


def entry_to_paper(entry: ET.Element, source: SourceRef) -> Paper | SkippedEntry:
    """Map one Atom ``<entry>`` to a Paper, or say why it cannot be used."""
    entry_id = _entry_text(entry, f"{_A}id")
    if "/api/errors" in entry_id:   # the API reports a bad query as an entry titled "Error"
        return SkippedEntry(source, f"arXiv API error: {_entry_text(entry, f'{_A}summary') or entry_id}")
    match = _ABS_ID.search(entry_id)
    arxiv_id, versioned = split_version(match.group(1)) if match else ("", entry_id)
    title = latex_to_text(entry.findtext(f"{_A}title") or "")
    abstract = latex_to_text(entry.findtext(f"{_A}summary") or "")
    label = versioned or "entry"
    if not title:
        return SkippedEntry(source, f"{label}: no title")
    if not abstract:
        return SkippedEntry(source, f"{label}: no summary (abstract): {title[:80]!r}")
    authors = tuple(a for a in (latex_to_text(el.findtext(f"{_A}name") or "") for el in entry.findall(f"{_A}author")) if a)
    primary = entry.find(f"{_X}primary_category")
    categories = [primary.get("term", "")] if primary is not None else []
    categories += [el.get("term", "") for el in entry.findall(f"{_A}category")]
    url, links = "", []
    for link in entry.findall(f"{_A}link"):
        href = (link.get("href") or "").strip()
        if not href:
            continue
        if link.get("rel") == "alternate" and not url:
            url = href
        else:
            links.append(href)
    doi = strip_doi(entry.findtext(f"{_X}doi"))
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=versioned,
        url=url or (f"http://arxiv.org/abs/{versioned}" if arxiv_id else ""),
        date=_entry_text(entry, f"{_A}published")[:10],
        updated=_entry_text(entry, f"{_A}updated")[:10],
        authors=authors,
        arxiv_id=arxiv_id,
        doi=doi,
        categories=tuple(dict.fromkeys(c.strip() for c in categories if c.strip())),
        links=tuple(dict.fromkeys(links)),
        venue=latex_to_text(entry.findtext(f"{_X}journal_ref") or ""),
    )


_ENTRY_START = re.compile(r"<entry[\s>]")
_ENTRY_END = re.compile(r"</entry\s*>")
_FEED_START = re.compile(r"<feed\b[^>]*>")


class _Lines:
    """1-based line of a character offset."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, pos: int) -> int:
        return bisect_right(self.starts, pos)


# Invalid UTF-8 bytes reach here as lone surrogates (kg.readers.decode_text), which no XML parser
# takes: they go through the parser as private-use characters of plane 16 and come back after it,
# so that read_papers recognises and leaves out the entries holding them.
_TO_XML = {c: 0x10FF00 + c - 0xDC00 for c in range(0xDC80, 0xDD00)}
_FROM_XML = {v: k for k, v in _TO_XML.items()}
_SURROGATE = re.compile("[\udc80-\udcff]")


def _restore_bytes(item: Paper | SkippedEntry) -> Paper | SkippedEntry:
    if not isinstance(item, Paper):
        return item
    changes = {}
    for name in ("title", "abstract", "id", "url", "venue", "date", "updated", "doi", "arxiv_id"):
        value = getattr(item, name)
        restored = value.translate(_FROM_XML)
        if restored != value:
            changes[name] = restored
    restored_authors = tuple(a.translate(_FROM_XML) for a in item.authors)
    if restored_authors != item.authors:
        changes["authors"] = restored_authors
    return dataclasses.replace(item, **changes) if changes else item


@register_reader("arxiv", extensions=(".atom", ".atom.xml"), sniff=_sniff_atom, priority=2)
def read_arxiv_atom(path: Path) -> Iterator[Paper | SkippedEntry]:
    """arXiv API Atom feed (export.arxiv.org/api/query, kg fetch arxiv): one paper per entry."""
    text = read_text(path)
    if _SURROGATE.search(text):
        text = text.translate(_TO_XML)
        yield from map(_restore_bytes, _read_feed(path, text))
    else:
        yield from _read_feed(path, text)


def _read_feed(path: Path, text: str) -> Iterator[Paper | SkippedEntry]:
    line_of = _Lines(text)
    starts = [m.start() for m in _ENTRY_START.finditer(text)]
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        yield from _read_broken_feed(path, text, line_of, exc)
        return
    if root.tag != f"{_A}feed":
        raise ReaderError(path, f"not an Atom feed (root element {str(root.tag)[:200]})")
    for i, entry in enumerate(root.iter(f"{_A}entry")):
        line = line_of(starts[i]) if i < len(starts) else 0
        yield entry_to_paper(entry, SourceRef(str(path), line, "arxiv"))


def _read_broken_feed(path: Path, text: str, line_of: _Lines, error: ET.ParseError) -> Iterator[Paper | SkippedEntry]:
    """Entry by entry, when the document as a whole does not parse: each complete entry is parsed
    inside the feed's own start tag (for its namespace declarations); broken ones are reported.
    Start and end tags are each found once and paired in one pass: linear in the file, however
    many entries never end."""
    feed = _FEED_START.search(text)
    if feed is None:
        line = error.position[0] if error.position else 0
        raise ReaderError(path, f"not an Atom feed: {error}", line)
    wrapper = feed.group(0)
    if wrapper.endswith("/>"):
        wrapper = wrapper[:-2] + ">"
    starts = [m.start() for m in _ENTRY_START.finditer(text, feed.end())]
    ends = [(m.start(), m.end()) for m in _ENTRY_END.finditer(text, feed.end())]
    j = 0
    for i, start in enumerate(starts):
        source = SourceRef(str(path), line_of(start), "arxiv")
        while j < len(ends) and ends[j][0] < start:   # an end tag that closes no entry
            j += 1
        if j == len(ends):
            yield SkippedEntry(source, "the file ends inside this entry (truncated download?)")
            continue
        if i + 1 < len(starts) and starts[i + 1] < ends[j][0]:   # the next entry starts first
            yield SkippedEntry(source, "malformed XML: this entry has no end tag")
            continue
        end = ends[j][1]
        j += 1
        try:
            entry = ET.fromstring(wrapper + text[start:end] + "</feed>")[0]
        except ET.ParseError as exc:
            yield SkippedEntry(source, f"malformed XML in this entry: {exc}")
        else:
            yield entry_to_paper(entry, source)


# --------------------------------------------------------------------------- snapshot

def _sniff_snapshot(head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0]
    return first.startswith("{") and ('"authors_parsed"' in first or ('"update_date"' in first and '"versions"' in first))


_STAMP = re.compile(r"(?:\w{3}, )?(\d{1,2}) (\w{3}) (\d{4})")
_MONTH = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


def _version_date(created: str) -> str:
    """ISO date of a snapshot version stamp ("Mon, 2 Apr 2007 19:18:42 GMT" → "2007-04-02");
    a regular expression rather than email.utils, which costs more than the rest of the record."""
    match = _STAMP.match(created)
    if match and match.group(2) in _MONTH:
        return f"{match.group(3)}-{_MONTH[match.group(2)]:02d}-{int(match.group(1)):02d}"
    try:
        return parsedate_to_datetime(created).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


def _snapshot_authors(record: dict) -> tuple[str, ...]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if isinstance(parts, list) and parts:
                last, first, suffix = (list(map(text_of, parts)) + ["", ""])[:3]
                names.append(latex_to_text(" ".join(p for p in (first, last, suffix) if p)))
        return tuple(n for n in names if n)
    text = latex_to_text(text_of(record.get("authors")))
    return tuple(a.strip() for a in re.split(r",\s*|\s+and\s+", text) if a.strip())


def snapshot_record_to_paper(record: Any, source: SourceRef) -> Paper | SkippedEntry:
    """Map one snapshot record to a Paper, or say why it cannot be used."""
    if not isinstance(record, dict):
        return SkippedEntry(source, f"line is a JSON {type(record).__name__}, not an object")
    arxiv_id = text_of(record.get("id"))
    title = latex_to_text(text_of(record.get("title")))
    abstract = latex_to_text(text_of(record.get("abstract")))
    label = arxiv_id or "record"
    if not title:
        return SkippedEntry(source, f"{label}: no title")
    if not abstract:
        return SkippedEntry(source, f"{label}: no abstract: {title[:80]!r}")
    versions = [v for v in as_list(record.get("versions")) if isinstance(v, dict)]
    latest = text_of(versions[-1].get("version")) if versions else ""
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=f"{arxiv_id}{latest}" if arxiv_id else "",
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else "",
        date=_version_date(text_of(versions[0].get("created"))) if versions else "",
        updated=text_of(record.get("update_date")),
        authors=_snapshot_authors(record),
        arxiv_id=arxiv_id,
        doi=strip_doi(record.get("doi")),
        categories=tuple(dict.fromkeys(text_of(record.get("categories")).split())),
        venue=latex_to_text(text_of(record.get("journal-ref"))),
    )


_CATEGORIES_KEY = b'"categories":'


def _raw_categories(raw: bytes) -> bytes | None:
    """The value of the line's "categories" field as raw bytes, without parsing the line (the
    snapshot writes it as a plain string: no escapes occur in category names)."""
    at = raw.rfind(_CATEGORIES_KEY)   # it follows the abstract: searching from the end is shorter
    if at < 0:
        return None
    start = raw.find(b'"', at + len(_CATEGORIES_KEY))
    end = raw.find(b'"', start + 1) if start >= 0 else -1
    return raw[start + 1:end] if end > start else None


@register_reader("arxiv-snapshot", sniff=_sniff_snapshot, priority=3, category_filter=True)
def read_arxiv_snapshot(path: Path, categories: CategoryFilter | None = None) -> Iterator[Paper | SkippedEntry]:
    """arXiv metadata snapshot (JSON Lines), streamed; --category slices it before parsing."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        if bom_encoding(fh.peek(4)[:4])[0] != "utf-8":   # UTF-16/32: decoded, without the raw slicing
            fh.close()
            yield from _decoded_snapshot(path)
            return
        for item in iter_raw_lines(fh, path, "arxiv-snapshot"):
            if isinstance(item, SkippedEntry):   # a line over the length limit
                yield item
                continue
            number, raw = item
            if categories is not None:
                field = _raw_categories(raw)
                if field is not None and not categories.accepts_raw(field):
                    continue
            if not raw.strip():
                continue
            source = SourceRef(str(path), number, "arxiv-snapshot")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield SkippedEntry(source, f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})")
                continue
            yield _snapshot_line(line.lstrip("\ufeff") if number == 1 else line, source)


def _snapshot_line(line: str, source: SourceRef) -> Paper | SkippedEntry:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        exc = json_problem(error)
        return SkippedEntry(source, f"not valid JSON: {exc.msg}" + (f" (column {exc.colno})" if exc.colno else ""))
    return snapshot_record_to_paper(record, source)


def _decoded_snapshot(path: Path) -> Iterator[Paper | SkippedEntry]:
    for item in iter_lines(path, "arxiv-snapshot"):
        if isinstance(item, SkippedEntry):
            yield item
        elif item[1].strip():
            yield _snapshot_line(item[1], SourceRef(str(path), item[0], "arxiv-snapshot"))
