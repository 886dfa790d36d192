"""Records from the JSON shapes that scholarly APIs and dumps use, read tolerantly.

- JSON Lines (OpenAlex and Semantic Scholar dumps): streamed line by line; a line that is not
  JSON is one skipped entry;
- a JSON array, an API page (``{"meta": ..., "results": [...]}``, ``{"total": ..., "data": [...]}``)
  or a single record: the list is read element by element, so a truncated download still gives
  every complete record before the cut, and a broken element in the middle is skipped and the
  reading resumes at the next element.

Every record comes with its 1-based line. Used by the OpenAlex and Semantic Scholar readers.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.records import SkippedEntry, SourceRef
from kg.readers.decoding import read_text
from kg.readers.lines import iter_lines
from kg.readers.sniffing import read_head

LIST_KEYS = ("results", "data", "papers")
_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\r\n]*")


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class JsonProblem(ValueError):
    """Why a JSON text could not be read: a syntax error, a number Python will not convert (over
    4,300 digits), or nesting deeper than the parser's recursion allows. ``pos`` is where, when
    known (else -1); ``lineno``/``colno`` as for :class:`json.JSONDecodeError` (0 when unknown)."""

    def __init__(self, msg: str, pos: int = -1, lineno: int = 0, colno: int = 0) -> None:
        super().__init__(msg)
        self.msg, self.pos, self.lineno, self.colno = msg, pos, lineno, colno

    def where(self) -> str:
        if self.lineno:
            return f" (line {self.lineno}, column {self.colno})"
        return ""


def json_problem(exc: BaseException) -> JsonProblem:
    """The :class:`JsonProblem` of an exception ``json.loads`` raised."""
    if isinstance(exc, json.JSONDecodeError):
        return JsonProblem(exc.msg, exc.pos, exc.lineno, exc.colno)
    if isinstance(exc, RecursionError):
        return JsonProblem("nested too deeply")
    return JsonProblem(str(exc).split(";")[0])   # e.g. "Exceeds the limit (4300 digits) for integer string conversion"


def load_json(text: str | bytes) -> Any:
    """``json.loads``, with every way it can fail on hostile text as a :class:`JsonProblem`."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise json_problem(exc) from None


def decode_json(text: str, pos: int) -> tuple[Any, int]:
    """``JSONDecoder.raw_decode`` at ``pos``, failing only with a :class:`JsonProblem`."""
    try:
        return _DECODER.raw_decode(text, pos)
    except (ValueError, RecursionError) as exc:
        raise json_problem(exc) from None


def _unwrap(value: Any) -> list | None:
    """The record list of an API page, or None when ``value`` is a record itself."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in LIST_KEYS:
            if isinstance(value.get(key), list) and "title" not in value:
                return value[key]
    return None


def _is_json_lines(head: str) -> bool:
    """JSON Lines when the first line is a whole JSON object on its own."""
    first = head.lstrip().split("\n", 1)[0].strip()
    if not first.startswith("{"):
        return False
    try:
        return isinstance(load_json(first), dict)
    except JsonProblem:
        return False


def iter_records(path: Path, reader: str) -> Iterator[tuple[SourceRef, Any] | SkippedEntry]:
    """``(source, record)`` for every record of a JSON or JSON Lines file, or a
    :class:`SkippedEntry` for a part that cannot be parsed. Records are not checked here."""
    head = read_head(path)
    if _is_json_lines(head):
        yield from _json_lines(path, reader)
        return
    text = read_text(path)
    try:
        value = load_json(text)
    except JsonProblem as exc:
        start = _list_start(text)
        if start is None:
            if _looks_like_lines(text):   # JSON Lines whose first line is broken
                yield from _json_lines(path, reader)
            else:
                yield SkippedEntry(SourceRef(str(path), exc.lineno, reader),
                                   f"not valid JSON: {exc.msg}{exc.where()}; nothing read")
            return
        yield from _elements(text, start, path, reader)
        return
    items = _unwrap(value)
    if items is None:
        yield SourceRef(str(path), _line_at(text, len(text) - len(text.lstrip())), reader), value
        return
    start = _list_start(text)
    if start is None:   # cannot happen for a list we just parsed; keep the records, lines unknown
        for item in items:
            yield SourceRef(str(path), 0, reader), item
        return
    yield from _elements(text, start, path, reader)


def _looks_like_lines(text: str) -> bool:
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return len(lines) > 1 and any(_is_json_lines(l) for l in lines[1:3])


def _json_lines(path: Path, reader: str) -> Iterator[tuple[SourceRef, Any] | SkippedEntry]:
    for item in iter_lines(path, reader):
        if isinstance(item, SkippedEntry):
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        source = SourceRef(str(path), number, reader)
        try:
            value = load_json(line)
        except JsonProblem as exc:
            yield SkippedEntry(source, f"not valid JSON: {exc.msg}" + (f" (column {exc.colno})" if exc.colno else ""))
            continue
        items = _unwrap(value)
        if items is None:
            yield source, value
        else:
            for item in items:
                yield source, item


_LIST_KEY = re.compile(r'"(?:%s)"\s*:\s*\[' % "|".join(LIST_KEYS))


def _list_start(text: str) -> int | None:
    """Index just after the ``[`` that opens the record list (top-level array or API page)."""
    stripped = len(text) - len(text.lstrip())
    if text[stripped:stripped + 1] == "[":
        return stripped + 1
    match = _LIST_KEY.search(text)
    return match.end() if match else None


def _elements(text: str, pos: int, path: Path, reader: str) -> Iterator[tuple[SourceRef, Any] | SkippedEntry]:
    """The elements of the array opened just before ``pos``, one by one. Linear in the text: line
    numbers are counted on from the previous element, never from the start."""
    n = len(text)
    content_end = len(text.rstrip())
    line, counted = 1, 0          # the line of offset ``counted``
    misses: dict[str, int] = {}   # _resync: where a search for an indentation found nothing
    while True:
        pos = _WS.match(text, pos).end()
        if pos < n and text[pos] == ",":
            pos = _WS.match(text, pos + 1).end()
        if pos >= n:
            return   # truncated between elements: everything complete was read
        if text[pos] == "]":
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, end = decode_json(text, pos)
        except JsonProblem as exc:
            truncated = exc.pos >= content_end
            reason = ("the file ends inside this record (truncated download?)" if truncated
                      else f"not valid JSON: {exc.msg}{exc.where()}")
            yield SkippedEntry(SourceRef(str(path), line, reader), reason)
            resume = _resync(text, pos, max(exc.pos, pos + 1), misses)
            if resume is None:
                return
            pos = resume
            continue
        yield SourceRef(str(path), line, reader), value
        pos = end


def _resync(text: str, start: int, error: int, misses: dict[str, int] | None = None) -> int | None:
    """Where the element after a broken one starts: the next ``{`` at the broken element's
    indentation (pretty-printed arrays), else after the next ``},{`` (compact arrays). ``misses``
    remembers, per indentation, an offset after which there is none (no search is repeated)."""
    line_start = text.rfind("\n", 0, start) + 1
    indent = text[line_start:start]
    if indent.strip() == "" and (misses is None or misses.get(indent, len(text) + 1) > error):
        match = re.compile(r"\n" + re.escape(indent) + r"\{").search(text, max(error, start + 1))
        if match:
            return match.end() - 1
        if misses is not None:
            misses[indent] = min(misses.get(indent, len(text)), max(error, start + 1))
    match = _NEXT_OBJECT.search(text, max(error, start + 1) - 1)
    return match.end() - 1 if match else None


_NEXT_OBJECT = re.compile(r"\}\s*,\s*\{")


def as_list(value: Any) -> list:
    """``value`` when it is a JSON array, else ``[]`` (a number or an object where a list belongs)."""
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str:
    """A scalar as trimmed text ("" for None, lists and objects)."""
    if value is None or isinstance(value, (list, dict)):
        return ""
    return " ".join(str(value).split())


def strip_doi(value: Any) -> str:
    """A DOI without resolver prefix, lower case (DOIs are case-insensitive)."""
    doi = text_of(value).lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if doi.startswith(prefix):
            return doi[len(prefix):]
    return doi


_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)


def arxiv_id_from(doi: str = "", url: str = "") -> str:
    """The arXiv id in an arXiv DOI (10.48550/arXiv.2106.13112) or an arxiv.org abs/pdf URL."""
    match = _ARXIV_DOI.fullmatch(doi) if doi else None
    if match:
        return match.group(1)
    match = _ARXIV_URL.search(url) if url else None
    return match.group(1) if match else ""
