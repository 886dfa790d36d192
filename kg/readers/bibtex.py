"""BibTeX (and biblatex) files whose entries carry an ``abstract`` field.

A small parser of its own rather than a dependency: what this reader needs is per-entry error
recovery (an entry with unbalanced braces is reported with its key and line, and the entries after
it are still read) and line numbers, which the pure-Python libraries either lack (pybtex stops at
the first error and brings latexcodec and PyYAML along) or handle by silently dropping text
(bibtexparser 1.x); bibtexparser 2 is still a beta. The grammar is BibTeX's: ``@type{key, field =
value, ...}`` or with parentheses, values in braces, quotes, bare numbers or macros, joined with
``#``; ``@string`` defines macros, the month macros ``jan``…``dec`` are predefined; ``@comment``,
``@preamble`` and any text between entries are ignored.

Mapped: ``title``, ``abstract``, ``author`` ("Last, First and First Last"), ``year`` + ``month``
(or biblatex ``date``), ``doi``, ``url``, ``eprint`` with ``archivePrefix = {arXiv}`` (the arXiv
id), ``primaryClass`` (the arXiv category), ``journal`` / ``booktitle``; the citation key is
the entry's id. LaTeX is resolved (:mod:`kg.readers.latex`).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from pathlib import Path

from kg.records import Paper, SkippedEntry, SourceRef, display_name
from kg.readers import register_reader
from kg.readers.decoding import read_text
from kg.readers.jsondocs import arxiv_id_from, strip_doi
from kg.readers.latex import latex_to_text

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
MONTH_MACROS = {m[:3]: m.capitalize() for m in MONTHS}

_ENTRY_START = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
_NEXT_AT_LINE = re.compile(r"^[ \t]*@\s*[A-Za-z][\w-]*\s*[{(]", re.MULTILINE)
_NAME = re.compile(r"\s*([^\s=,{}()\"#%'~]+)\s*")
_NUMBER = re.compile(r"\s*(\d+)\s*")
_VERBATIM = ("url", "doi", "eprint")
_KEY_BEFORE_COMMA = re.compile(r"\s*([^,\s{}()=]+)\s*,")
_FIELD_AT = re.compile(r"\s*[\w-]+\s*=")
_FIELD_LINE = re.compile(r"^\s*[\w-]+\s*=", re.MULTILINE)

# Bounds on @string macro expansion: "m1 = m0 # m0 # m0" thirty times over is 3^30 copies of m0
# (2.3 GB from 1.4 KB). One value may not exceed MAX_VALUE_CHARS (above MAX_ABSTRACT_CHARS, so an
# abstract between the two is skipped by read_papers with its size) nor be joined from more than
# MAX_VALUE_PIECES parts; and the macros of one file may not expand, in all, to more than
# MACRO_BUDGET_CHARS plus MACRO_BUDGET_PER_CHAR characters a character of the file (real files:
# under one; a 1 MiB macro used by thousands of 30-byte entries would be thousands of MiB).
MAX_VALUE_CHARS = 2 * 1024 * 1024
MAX_VALUE_PIECES = 10_000
MACRO_BUDGET_CHARS = 16 * 1024 * 1024
MACRO_BUDGET_PER_CHAR = 8
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


class BibError(Exception):
    """A malformed entry; ``pos`` is where the problem was found."""

    def __init__(self, message: str, pos: int, root: str = "") -> None:
        super().__init__(message)
        self.pos = pos
        self.root = root or message   # the first cause, when a refused macro is used


def _sniff(head: str) -> bool:
    h = head.lstrip()
    if h[:1] in ("{", "[", "<"):
        return False
    return bool(re.search(r"^[ \t]*@\s*(?:article|inproceedings|incollection|misc|book|techreport|phdthesis|"
                          r"mastersthesis|unpublished|online|preprint|proceedings|conference|report|string|"
                          r"comment|preamble)\s*[{(]", h[:20000], re.IGNORECASE | re.MULTILINE))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.macros: dict[str, str] = dict(MONTH_MACROS)
        self.refused: dict[str, str] = {}   # macros whose definition failed, and why
        self.expanded = 0                   # characters macros have expanded to so far
        self.budget = MACRO_BUDGET_CHARS + MACRO_BUDGET_PER_CHAR * len(text)
        self.field = ""                     # the field whose value is being read

    def braced(self, pos: int, end: int) -> tuple[str, int]:
        """The content of the brace group opening at ``pos`` and the index after it."""
        depth = 0
        text = self.text
        i = pos
        while i < end:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return text[pos + 1:i], i + 1
            i += 1
        raise BibError("unbalanced braces: a '{' is never closed", pos)

    def quoted(self, pos: int, end: int) -> tuple[str, int]:
        depth = 0
        text = self.text
        i = pos + 1
        while i < end:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth < 0:
                    raise BibError("unbalanced braces: '}' without '{' in a quoted value", i)
            elif c == '"' and depth == 0:
                return text[pos + 1:i], i + 1
            i += 1
        raise BibError("unbalanced braces or quotes: the quoted value never ends", pos)

    def value(self, pos: int, end: int) -> tuple[str, int]:
        """A field value (pieces joined with #) and the index after it; within the bounds on
        macro expansion (a BibError past them)."""
        parts = []
        text = self.text
        start, length = pos, 0
        while True:
            while pos < end and text[pos].isspace():
                pos += 1
            if pos >= end:
                raise BibError("the entry ends where a value was expected", pos)
            c = text[pos]
            if c == "{":
                part, pos = self.braced(pos, end)
            elif c == '"':
                part, pos = self.quoted(pos, end)
            else:
                m = _NUMBER.match(text, pos, end) or _NAME.match(text, pos, end)
                if not m or not m.group(1):
                    raise BibError(f"unexpected {c!r} where a value was expected", pos)
                token = m.group(1)
                part = token if token.isdigit() else self.macro(token, pos)
                pos = m.end()
            length += len(part)
            if length > MAX_VALUE_CHARS:
                raise BibError(f"the value is longer than {MAX_VALUE_CHARS:,} characters (macros joined with '#'?)", start)
            if len(parts) >= MAX_VALUE_PIECES:
                raise BibError(f"the value joins more than {MAX_VALUE_PIECES:,} parts with '#'", start)
            parts.append(part)
            while pos < end and text[pos].isspace():
                pos += 1
            if pos < end and text[pos] == "#":
                pos += 1
                continue
            return "".join(parts), pos

    def macro(self, token: str, pos: int) -> str:
        """The text of macro ``token`` (the token itself when it is no macro), counted against
        the file's expansion budget."""
        name = token.lower()
        if name in self.refused:
            root = self.refused[name]
            raise BibError(f"uses macro {token!r}, whose definition was refused: {root}", pos, root)
        part = self.macros.get(name)
        if part is None:
            return token
        self.expanded += len(part)
        if self.expanded > self.budget:
            raise BibError(f"macros expand to more than {self.budget:,} characters in this file; "
                           f"{token!r} is not expanded again", pos)
        return part

    def entry(self, kind: str, body_start: int, end: int, closer: str) -> tuple[str, dict[str, str], int]:
        """Key, fields and the index after the closing delimiter of an entry's body."""
        text = self.text
        pos = body_start
        key = ""
        fields: dict[str, str] = {}
        last: tuple[str, int] | None = None   # the field read last, and where its value starts
        if kind != "string":
            m = re.compile(r"\s*([^,\s{}()=]*)\s*(,|(?=[})]))").match(text, pos, end)
            if not m:
                raise BibError("no citation key", pos)
            key, pos = m.group(1), m.end()
        while True:
            while pos < end and (text[pos].isspace() or text[pos] == ","):
                pos += 1
            if pos >= end:
                hint = f"; the value of {last[0]!r} swallowed the rest" if last else ""
                raise BibError(f"unbalanced braces: the entry is never closed with {closer!r}{hint}",
                               last[1] if last else body_start - 1)
            if text[pos] == closer:
                return key, fields, pos + 1
            m = _NAME.match(text, pos, end)
            if not m:
                raise BibError(f"unexpected {text[pos]!r} where a field name was expected", pos)
            name = m.group(1).lower()
            pos = m.end()
            if pos >= end or text[pos] != "=":
                raise BibError(f"field {name!r} has no '='", pos)
            last = (name, pos + 1)
            self.field = name
            value, pos = self.value(pos + 1, end)
            fields[name] = value
            if pos < end and text[pos] not in (",", closer):
                raise BibError(f"unexpected {text[pos]!r} after field {name!r} (a missing comma or brace?)", pos)


def _skip_group(parser: _Parser, pos: int, opener: str, limit: int) -> int:
    """The index after a comment's or preamble's group (or ``limit`` when it does not close)."""
    if opener == "{":
        try:
            return parser.braced(pos, limit)[1]
        except BibError:
            return limit
    close = parser.text.find(")", pos, limit)
    return close + 1 if close >= 0 else limit


def parse_bibtex(text: str) -> Iterator[tuple[int, str, str, dict[str, str] | BibError]]:
    """``(offset, type, key, fields)`` per entry, or ``(offset, type, key, error)`` for a broken one.
    ``@string`` macros apply to the entries after them; comments and preambles are skipped."""
    parser = _Parser(text)
    pos = 0
    n = len(text)
    # Where lines that start an entry begin, found once: each entry's limit is looked up, not
    # searched for again (a search per entry scans to the end of a one-line file: quadratic).
    line_starts = [m.start() for m in _NEXT_AT_LINE.finditer(text)]
    while True:
        m = _ENTRY_START.search(text, pos)
        if not m:
            return
        kind, opener = m.group(1).lower(), m.group(2)
        closer = "}" if opener == "{" else ")"
        start = m.start()
        # An entry may not run past the next line that starts an entry: a missing brace then
        # damages one entry, not the rest of the file.
        i = bisect_left(line_starts, m.end())
        limit = line_starts[i] if i < len(line_starts) else n
        if kind in ("comment", "preamble"):
            pos = _skip_group(parser, m.end() - 1, opener, limit)
            continue
        parser.field = ""
        try:
            key, fields, after = parser.entry(kind, m.end(), limit, closer)
        except BibError as exc:
            if kind == "string":
                # the macro being defined is refused: an entry using it is skipped, naming it
                if parser.field:
                    parser.refused[parser.field] = exc.root
                yield start, kind, parser.field, exc
            else:
                key_match = _KEY_BEFORE_COMMA.match(text, m.end(), limit)
                yield start, kind, key_match.group(1) if key_match else "", exc
            pos = limit
            continue
        # Fields after the closing brace, before the next entry: a '}' too many closed it early.
        following = _ENTRY_START.search(text, after, limit)
        stop = following.start() if following else limit
        if _FIELD_AT.match(text, after, stop) or _FIELD_LINE.search(text, after, stop):
            yield start, kind, key, BibError("unbalanced braces: a '}' too many closes the entry before its last fields", after)
            pos = limit
            continue
        pos = after
        if kind == "string":
            for name, value in fields.items():
                parser.macros[name] = value
                parser.refused.pop(name, None)
            continue
        yield start, kind, key, fields


def _date(fields: dict[str, str]) -> str:
    if fields.get("date"):
        return fields["date"].strip()
    year = fields.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return ""
    month = fields.get("month", "").strip().lower().rstrip(".")
    number = ""
    if month.isdigit() and 1 <= int(month) <= 12:
        number = f"{int(month):02d}"
    else:
        for i, name in enumerate(MONTHS, 1):
            if month and (month == name or month == name[:3] or (len(month) >= 3 and name.startswith(month))):
                number = f"{i:02d}"
    return f"{year}-{number}" if number else year


def _authors(value: str) -> tuple[str, ...]:
    """Split "A and B and others" at brace depth 0, each name in reading order."""
    names, depth, start = [], 0, 0
    for i, c in enumerate(value):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c.isspace():
            m = _AND.match(value, i)
            if m:
                names.append(value[start:i])
                start = m.end()
    names.append(value[start:])
    out = []
    for name in names:
        name = latex_to_text(name, bibtex=True)
        if name and name.lower() != "others":
            out.append(display_name(name))
    return tuple(out)


def fields_to_paper(kind: str, key: str, fields: dict[str, str], source: SourceRef) -> Paper | SkippedEntry:
    """Map a parsed entry to a Paper, or say why it cannot be used."""
    # URLs and identifiers are not LaTeX text: a "~" in a URL is a tilde, not a tie.
    text = {k: " ".join(v.replace("{", "").replace("}", "").split()) if k in _VERBATIM else latex_to_text(v, bibtex=True)
            for k, v in fields.items() if k != "author"}
    title = text.get("title", "")
    if not title:
        return SkippedEntry(source, f"@{kind}{{{key}}}: no title")
    if not text.get("abstract"):
        return SkippedEntry(source, f"@{kind}{{{key}}}: no abstract field")
    doi = strip_doi(text.get("doi"))
    eprint = text.get("eprint", "").removeprefix("arXiv:").removeprefix("arxiv:")
    prefix = text.get("archiveprefix", text.get("eprinttype", "")).lower()
    arxiv_id = eprint if prefix == "arxiv" or (eprint and not prefix and re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", eprint)) else ""
    arxiv_id = re.sub(r"v\d+$", "", arxiv_id) or arxiv_id_from(doi=doi, url=text.get("url", ""))
    category = text.get("primaryclass", "")
    return Paper(
        title=title,
        abstract=text["abstract"],
        source=source,
        id=key,
        url=text.get("url", ""),
        date=_date(text),
        authors=_authors(fields.get("author", "")),
        arxiv_id=arxiv_id,
        doi=doi,
        categories=(category,) if category else (),
        venue=text.get("journal") or text.get("journaltitle") or text.get("booktitle", ""),
    )


@register_reader("bibtex", extensions=(".bib", ".bibtex"), sniff=_sniff, priority=2)
def read_bibtex(path: Path) -> Iterator[Paper | SkippedEntry]:
    """BibTeX / biblatex entries with an abstract field; entries without one are reported."""
    text = read_text(path)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for item in parse_bibtex(text):
        start, kind, key, fields = item
        source = SourceRef(str(path), bisect_right(line_starts, start), "bibtex")
        if isinstance(fields, BibError):
            err_line = bisect_right(line_starts, fields.pos)
            yield SkippedEntry(source, f"@{kind}{{{key}}}: {fields} (line {err_line})")
            continue
        yield fields_to_paper(kind, key, fields, source)
