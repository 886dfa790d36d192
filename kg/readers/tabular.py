"""Records with ``title`` and ``abstract`` fields: JSON Lines, a JSON array, or a table (CSV, TSV).

Optional fields: ``id``, ``url``, ``date``, ``authors`` (a list, or a string separated by ``;``
or " and "), ``doi``, ``arxiv_id``, ``categories``. Field names are matched case-insensitively.
LaTeX text markup in an abstract (``\\textbf{DyNet}``, ``3.2\\%``: OpenReview exports) is resolved.

Tables also take the headers reference managers and databases export (:data:`HEADER_ALIASES`:
Zotero's "Abstract Note", Scopus's "Source title", Web of Science's "TI"/"AB"…), ``year`` and
``venue``, or the user's own (``kg build --columns title=Headline``); the delimiter is detected,
the encoding is UTF-8 (with or without BOM, or UTF-16 with one) or else cp1252, with a warning.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from kg.records import Paper, SkippedEntry, SourceRef, display_name
from kg.readers import register_reader
from kg.readers.contract import ReaderError, ReaderWarning
from kg.readers.dates import parse_date
from kg.readers.decoding import read_text, read_text_guessing
from kg.readers.lines import iter_lines
from kg.readers.jsondocs import JsonProblem, arxiv_id_from, load_json
from kg.readers.latex import resolve_text_markup

csv.field_size_limit(16 * 1024 * 1024)  # real abstracts can be long; the default is 128 KiB


# What " ".join(text.split()) changes in ASCII text: its other whitespace characters, double spaces
_ASCII_RESPACED = ("  ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, dict):   # an object is no text (its repr may nest without end)
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(_as_text(v) if not isinstance(v, (list, tuple)) else _nested_text(v) for v in value)
    text = str(value)
    # Nearly every field is spaced already: ten substring tests tell it at a tenth of the cost of
    # splitting and joining a 1 KB abstract (tests/test_readers.py pins both ways to agree)
    if text.isascii() and text[:1] != " " and text[-1:] != " " and not any(map(text.__contains__, _ASCII_RESPACED)):
        return text
    return " ".join(text.split())   # whitespace runs → one space (str.split: same set as \s)


def _nested_text(value: list | tuple) -> str:
    """The scalars of nested lists in order, without recursion (JSON may nest hundreds deep)."""
    out, stack = [], [iter(value)]
    while stack:
        for v in stack[-1]:
            if isinstance(v, (list, tuple)):
                stack.append(iter(v))
                break
            text = _as_text(v)
            if text:
                out.append(text)
        else:
            stack.pop()
    return " ".join(out)


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None or value == "" or isinstance(value, dict):
        return ()
    if isinstance(value, (list, tuple)):
        items = []
        for v in value:
            if isinstance(v, dict):  # e.g. {"name": "..."} author objects
                v = v.get("name") or v.get("display_name") or ""
            items.append(_as_text(v))
        return tuple(i for i in items if i)
    parts = re.split(r"\s*;\s*|\s+and\s+|\s*\|\s*", str(value))
    return tuple(p.strip() for p in parts if p.strip())


def record_to_paper(record: Any, source: SourceRef) -> Paper | SkippedEntry:
    """Map one record (a dict) to a Paper, or say why it cannot be used."""
    if not isinstance(record, dict):
        return SkippedEntry(source, f"entry is a {type(record).__name__}, not an object")
    fields = {str(k).strip().lower(): v for k, v in record.items()}
    title = _as_text(fields.get("title"))
    # (the abstract's LaTeX markup is resolved, "\\textbf{DyNet}" → "DyNet"; the title stays as
    # given: it is how annotations and other tools name the paper)
    abstract = resolve_text_markup(_as_text(fields.get("abstract") or fields.get("summary")))
    if not title:
        return SkippedEntry(source, "missing title")
    if not abstract:
        return SkippedEntry(source, f"missing abstract: {title[:80]!r}")
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=_as_text(fields.get("id")),
        url=_as_text(fields.get("url")),
        date=_as_text(fields.get("date") or fields.get("published")),
        authors=_as_list(fields.get("authors")),
        doi=_as_text(fields.get("doi")).lower().removeprefix("https://doi.org/"),
        arxiv_id=_as_text(fields.get("arxiv_id")),
        categories=_as_list(fields.get("categories")),
    )


def _sniff_jsonl(head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0].strip()
    return first.startswith("{") and first.endswith("}")


_PAPERS_OBJECT = re.compile(r'^\{\s*"(?:papers|results|data)"\s*:\s*\[')


def _sniff_json(head: str) -> bool:
    """A JSON array, or an object whose "papers" list opens it (which JSON Lines would misread)."""
    head = head.lstrip()
    return head.startswith("[") or bool(_PAPERS_OBJECT.match(head))


@register_reader("jsonl", extensions=(".jsonl", ".ndjson", ".jsonl.txt"), sniff=_sniff_jsonl)
def read_jsonl(path: Path) -> Iterator[Paper | SkippedEntry]:
    """JSON Lines: one object per line with title and abstract."""
    for item in iter_lines(path, "jsonl"):
        if isinstance(item, SkippedEntry):   # a line over the length limit
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        source = SourceRef(str(path), number, "jsonl")
        try:
            record = load_json(line)
        except JsonProblem as exc:
            yield SkippedEntry(source, f"not valid JSON: {exc.msg}" + (f" (column {exc.colno})" if exc.colno else ""))
            continue
        yield record_to_paper(record, source)


@register_reader("json", extensions=(".json",), sniff=_sniff_json, priority=1)
def read_json(path: Path) -> Iterator[Paper | SkippedEntry]:
    """A JSON array of objects with title and abstract (or an object with a "papers" list)."""
    text = read_text(path)
    try:
        data = load_json(text)
    except JsonProblem as exc:
        raise ReaderError(path, f"not valid JSON: {exc.msg}" + (f" (column {exc.colno})" if exc.colno else ""),
                          exc.lineno) from None
    if isinstance(data, dict):
        data = data.get("papers") or data.get("results") or data.get("data")
    if not isinstance(data, list):
        raise ReaderError(path, "expected a JSON array of paper objects")
    for index, record in enumerate(data):
        # Line numbers are unknown inside one JSON document; the 1-based entry index is reported.
        yield record_to_paper(record, SourceRef(f"{path}#{index + 1}", 0, "json"))


# --------------------------------------------------------------------------- tables (CSV, TSV)

# The headers that name each paper field in the exports users have, most specific first: a
# table with several (Scopus "Author full names" and "Authors") takes the first one present.
# Matched after case folding, with runs of spaces, "_", "-" and "." read as one space.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "document title", "article title", "paper title", "ti"),
    "abstract": ("abstract", "abstract note", "ab", "summary"),
    "authors": ("author full names", "af", "authors", "author", "author s", "au", "creators"),
    "date": ("date", "publication date", "published", "date published"),
    "year": ("publication year", "year", "py", "pub year"),
    "venue": ("publication title", "source title", "so", "venue", "journal", "journal title",
              "conference", "booktitle", "book title", "proceedings title", "source", "publication"),
    "doi": ("doi", "di"),
    "url": ("url", "link", "pdf link", "ur"),
    "id": ("ut unique wos id", "ut", "eid", "accession number", "key", "id"),   # WoS "ID" is Keywords Plus: UT first
    "arxiv_id": ("arxiv id", "arxiv"),
    "categories": ("categories", "category"),
}
# Web of Science and Scopus put each author's id after the name: "Dosovitskiy, Alexey (57188715000)"
_AUTHOR_ID = re.compile(r"\s*\((?:\d+|[A-Z]-\d{4}-\d{4})\)\s*$")
_NOT_A_NAME = {"", "[no author name available]", "et al.", "et al", "others", "anonymous"}
_DELIMITERS = (",", ";", "\t", "|")
_HEADER_SPACES = re.compile(r"[\s_.\-()/]+")


def header_key(header: str) -> str:
    """A header as :data:`HEADER_ALIASES` spells it: "Abstract_Note" → "abstract note"."""
    return " ".join(_HEADER_SPACES.sub(" ", header.strip().strip('"').lstrip("\ufeff").casefold()).split())


def column_map(header: list[str], columns: Mapping[str, str] | None = None) -> dict[str, int]:
    """Paper field → column index: the user's ``columns`` (field → header) first, then the
    aliases. A ``columns`` header that is not in the table is a ValueError naming the headers."""
    keys = [header_key(h) for h in header]
    found: dict[str, int] = {}
    for field, name in (columns or {}).items():
        field = "authors" if field == "author" else field
        if field not in HEADER_ALIASES:
            raise ValueError(f"--columns: unknown field {field!r} (fields: {', '.join(HEADER_ALIASES)})")
        if header_key(name) not in keys:
            raise ValueError(f"--columns {field}={name}: no such column (columns: {', '.join(header)})")
        found[field] = keys.index(header_key(name))
    for field, aliases in HEADER_ALIASES.items():
        if field not in found:
            index = next((keys.index(a) for a in aliases if a in keys), None)
            if index is not None and index not in found.values():
                found[field] = index
    return found


def split_authors(text: str) -> tuple[str, ...]:
    """The names in an author cell, each in reading order (:func:`kg.records.display_name`).

    Names are separated by ";" (Zotero, Web of Science, Scopus), "|" or " and "; with commas only,
    "Last, First" is one name when each part is one word (or initials), else each part is a name.

    >>> split_authors("Dosovitskiy, Alexey; Beyer, Lucas")
    ('Alexey Dosovitskiy', 'Lucas Beyer')
    >>> split_authors("Dosovitskiy, Alexey"), split_authors("Alexey Dosovitskiy, Lucas Beyer")
    (('Alexey Dosovitskiy',), ('Alexey Dosovitskiy', 'Lucas Beyer'))
    >>> split_authors("Dosovitskiy, A., Beyer, L."), split_authors("Dosovitskiy A., Beyer L.")
    (('A. Dosovitskiy', 'L. Beyer'), ('Dosovitskiy A.', 'Beyer L.'))
    """
    text = " ".join(text.split())
    if ";" in text or "|" in text:
        names = re.split(r"\s*[;|]\s*", text)
    elif re.search(r"\s+and\s+", text):
        names = re.split(r"\s*,?\s+and\s+", text)
    else:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) > 1 and len(parts) % 2 == 0 and all(len(p.split()) == 1 for p in parts[1::2]) \
                and not all(len(p.split()) > 1 for p in parts):
            names = [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]   # Last, First pairs
        else:
            names = parts
    out = []
    for name in names:
        name = _AUTHOR_ID.sub("", name).strip()
        if name.casefold() not in _NOT_A_NAME:
            out.append(display_name(name))
    return tuple(out)


def sniff_delimiter(text: str | list[str], rows: int = 20) -> str:
    """The delimiter of a table from its first lines: each candidate's cells counted on the header
    line, and how many of the next ``rows`` rows split into as many cells (or fewer: cells dropped
    at the end of a row). A header whose cells name paper fields under one candidate decides it."""
    head = "\n".join(text) if isinstance(text, list) else text[:65536]
    best, best_score = ",", (-1, -1, -1)
    for delimiter in _DELIMITERS:
        try:
            parsed = list(islice(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), rows + 1))
        except csv.Error:
            continue
        if not parsed or len(parsed[0]) < 2:
            continue
        header = parsed[0]
        known = sum(1 for f in ("title", "abstract") if any(header_key(h) in HEADER_ALIASES[f] for h in header))
        body = [r for r in parsed[1:] if any(c.strip() for c in r)]
        if isinstance(text, str) and len(text) > len(head) and body:
            body.pop()   # the last row read may be cut off at the end of the head
        consistent = sum(1 for r in body if 1 < len(r) <= len(header))
        score = (known, consistent, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sniff_table(head: str) -> bool:
    """A header line that names a title and an abstract column, whatever the delimiter."""
    first = re.split(r"\r\n?|\n", head.lstrip("\ufeff"), maxsplit=1)[0]
    for delimiter in _DELIMITERS:
        if delimiter in first:
            try:
                keys = {header_key(c) for c in next(csv.reader([first], delimiter=delimiter), [])}
            except csv.Error:
                continue
            if keys & set(HEADER_ALIASES["title"]) and keys & set(HEADER_ALIASES["abstract"]):
                return True
    return False


def _cell(row: list[str], index: int | None) -> str:
    return " ".join(row[index].split()) if index is not None and index < len(row) else ""


def _row_to_paper(row: list[str], cols: dict[str, int], source: SourceRef) -> Paper | SkippedEntry:
    title = _cell(row, cols.get("title"))
    abstract = resolve_text_markup(_cell(row, cols.get("abstract")))
    if not title:
        return SkippedEntry(source, "missing title")
    if not abstract:
        return SkippedEntry(source, f"missing abstract: {title[:80]!r}")
    doi = _cell(row, cols.get("doi")).lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        doi = doi.removeprefix(prefix)
    url = _cell(row, cols.get("url"))
    date = parse_date(_cell(row, cols.get("date"))) or parse_date(_cell(row, cols.get("year")))
    arxiv_id = _cell(row, cols.get("arxiv_id")).removeprefix("arXiv:") or arxiv_id_from(doi=doi, url=url)
    return Paper(
        title=title,
        abstract=abstract,
        source=source,
        id=_cell(row, cols.get("id")),
        url=url,
        date=date,
        authors=split_authors(_cell(row, cols.get("authors"))),
        doi=doi,
        arxiv_id=arxiv_id,
        categories=_as_list(_cell(row, cols.get("categories"))),
        venue=_cell(row, cols.get("venue")),
    )


@register_reader("csv", extensions=(".csv", ".tsv"), sniff=_sniff_table, exclusive=True,
                 options=("encoding", "columns"))
def read_csv(path: Path, encoding: str | None = None,
             columns: Mapping[str, str] | None = None) -> Iterator[Paper | SkippedEntry | ReaderWarning]:
    """CSV or TSV with a header row: reference-manager and database exports (Zotero, Mendeley,
    Scopus, Web of Science, IEEE Xplore) or a spreadsheet's own columns; any delimiter, UTF-8 or
    cp1252."""
    text, warning = read_text_guessing(path, encoding)
    if warning is not None:
        yield ReaderWarning(SourceRef(str(path), warning.source.line, "csv"), warning.message)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ReaderError(path, "empty file") from None
    except csv.Error as exc:
        raise ReaderError(path, f"malformed CSV: {exc}", 1) from None
    try:
        cols = column_map(header, columns)
    except ValueError as exc:
        raise ReaderError(path, str(exc), 1) from None
    shown = ", ".join(repr(h) for h in header[:12]) + (", ..." if len(header) > 12 else "")
    for field in ("title", "abstract"):
        if field not in cols:
            raise ReaderError(path, f"the header has no {field!r} column ({shown}); name it with "
                                    f"--columns {field}=HEADER", 1)
    while True:
        start = reader.line_num + 1   # a quoted cell may span lines: report where the row starts
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReaderError(path, f"malformed CSV: {exc}", reader.line_num) from None
        if not any(cell.strip() for cell in row):
            continue
        source = SourceRef(str(path), start, "csv")
        while len(row) > len(header) and not row[-1].strip():
            row.pop()   # trailing empty cells: a delimiter at the end of the line
        if len(row) > len(header):
            yield SkippedEntry(source, f"row has {len(row)} cells, header has {len(header)}")
            continue
        yield _row_to_paper(row, cols, source)   # a short row: the cells dropped at its end are empty
