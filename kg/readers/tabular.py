"""Records with ``title`` and ``abstract`` fields: JSON Lines, a JSON array, or CSV.

Optional fields: ``id``, ``url``, ``date``, ``authors`` (a list, or a string separated by ``;``
or " and "), ``doi``, ``arxiv_id``, ``categories``. Field names are matched case-insensitively.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.model import Paper, SkippedEntry, SourceRef
from kg.readers import ReaderError, iter_lines, read_text, register_reader
from kg.readers.jsondocs import JsonProblem, load_json

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
    abstract = _as_text(fields.get("abstract") or fields.get("summary"))
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


def _sniff_csv(head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0].lower()
    cells = [c.strip().strip('"') for c in re.split(r"[,\t;]", first)]
    return "title" in cells and "abstract" in cells


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


@register_reader("csv", extensions=(".csv", ".tsv"), sniff=_sniff_csv)
def read_csv(path: Path) -> Iterator[Paper | SkippedEntry]:
    """CSV or TSV with a header row naming title and abstract columns."""
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ReaderError(path, "empty file") from None
    if "title" not in header:
        raise ReaderError(path, "CSV header has no 'title' column", 1)
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
        if len(row) != len(header):
            yield SkippedEntry(source, f"row has {len(row)} cells, header has {len(header)}")
            continue
        yield record_to_paper(dict(zip(header, row)), source)
