"""SPARQL over the graph: ad-hoc queries, named queries shipped in ``kg/queries/*.rq``, results
as rows or formatted as a table, CSV or JSON; and answers as SPARQL result documents, in the
format a client asks for, bounded (:func:`answer`, what ``kg serve`` sends).

Named queries take parameters as bound variables (``initBindings``), never by pasting user text
into the query string.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal

from kg.names import find_nodes, similar_names
from kg.graph.iris import PREFIXES
from kg.sparql import check_nesting, engine_text, on_engine_stack

QUERY_DIR = Path(__file__).parent / "queries"
DEFAULT_PAGE = 1000   # rows `kg query --named` shows of a listing unless --all


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    parameters: tuple[str, ...]   # variables the user may bind, e.g. ("method",)
    stats_text: str | None = None   # the same rows from the store's stats graph (kg.stats), if it can


def named_queries() -> dict[str, NamedQuery]:
    """The shipped queries; the first ``#`` comment line is the description, ``# param: x`` lines
    declare bindable variables."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        if path.name.endswith(".stats.rq"):
            continue
        twin = path.with_name(path.stem + ".stats.rq")
        text = path.read_text(encoding="utf-8")
        comments = [l[1:].strip() for l in text.splitlines() if l.startswith("#")]
        params = tuple(c.split(":", 1)[1].strip() for c in comments if c.startswith("param:"))
        desc = next((c for c in comments if not c.startswith("param:")), "")
        out[path.stem] = NamedQuery(path.stem, desc, text, params,
                                    twin.read_text(encoding="utf-8") if twin.is_file() else None)
    return out


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str | None]]
    truncated: str = ""     # why the answer is cut: its server says so (kg serve's X-KG-Truncated), or a page
    datatypes: list[list[str | None]] | None = None   # each literal cell's datatype IRI (JSON gives numbers as numbers)
    hints: list[str] = field(default_factory=list)    # what may explain an empty answer ("did you mean …")


class QuerySyntaxError(ValueError):
    """A query that does not parse, with the position in the user's own text."""


def with_prefixes(text: str) -> tuple[str, int]:
    """``text`` with the PREFIX lines of our vocabularies it does not declare (kgo:, rdfs:,
    dcterms:, ...), and how many lines were added before it (to report error positions in the
    user's text)."""
    known = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    decl = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in known.items() if not re.search(rf"PREFIX\s+{p}:", text, re.I))
    return decl + text, decl.count("\n")


_OXIGRAPH_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_PYPARSING_ERROR = re.compile(r"^(.*?)\s*\(at char \d+\), \(line:(\d+), col:(\d+)\)", re.S)


def syntax_error(exc: Exception, text: str, added_lines: int = 0) -> QuerySyntaxError | None:
    """The parser's error as a short message at a position in the user's ``text`` (the query
    before :func:`with_prefixes`), with the line and a caret; None if ``exc`` is not a syntax error."""
    message = str(exc)
    if m := _OXIGRAPH_ERROR.search(message):
        line, column, said = int(m[1]), int(m[2]), m[3]
    elif m := _PYPARSING_ERROR.search(message):
        line, column, said = int(m[2]), int(m[3]), m[1]
    else:
        return None
    line -= added_lines
    expected = said.split("expected one of", 1)
    if len(expected) == 2:   # a list of grammar tokens: keep a few plain ones, never character ranges
        tokens = [t.strip() for t in expected[1].split(",") if t.strip() and not t.strip().startswith("[")]
        said = ("expected " + " or ".join(tokens) if 0 < len(tokens) <= 4 else
                "cannot parse the query here")
    said = said.strip().splitlines()[0] if said.strip() else "cannot parse the query here"
    lines = text.splitlines() or [""]
    where = f"line {line}, column {column}" if 1 <= line <= len(lines) else f"line {line}"
    out = f"SPARQL syntax error at {where}: {said}"
    if 1 <= line <= len(lines):
        shown = lines[line - 1]
        out += f"\n  {shown}\n  {' ' * max(0, min(column - 1, len(shown)))}^"
    return QuerySyntaxError(out)


def run_text(graph: Graph, text: str, bindings: dict[str, str] | None = None) -> QueryResult:
    """A user's query (our prefixes added when not declared); a syntax error is raised as
    :class:`QuerySyntaxError` with the position in ``text``."""
    full, added = with_prefixes(text)
    try:
        return run_query(graph, full, bindings)
    except Exception as exc:
        error = syntax_error(exc, text, added)
        if error is None:
            raise
        raise error from None


def run_query(graph: Graph, query: str, bindings: dict[str, str] | None = None) -> QueryResult:
    """Run a SELECT/ASK/CONSTRUCT query; values come back as plain strings, with each literal's
    datatype in ``datatypes``. A query nested too
    deeply for the engine raises :class:`kg.sparql.QueryRefused` before the engine sees it."""
    check_nesting(query)
    return on_engine_stack(_run_query, graph, query, bindings)


def _run_query(graph: Graph, query: str, bindings: dict[str, str] | None) -> QueryResult:
    init = {k: Literal(v) for k, v in (bindings or {}).items()}
    result = graph.query(query, initBindings=init)
    if result.type == "ASK":
        return QueryResult(["ask"], [[str(bool(result.askAnswer)).lower()]], datatypes=[[_XSD_BOOLEAN]])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(["subject", "predicate", "object"], [[str(s), str(p), str(o)] for s, p, o in result.graph])
    columns = [str(v) for v in result.vars]
    rows, types = [], []
    for row in result:
        rows.append([None if v is None else str(v) for v in row])
        types.append([str(v.datatype) if isinstance(v, Literal) and v.datatype is not None else None for v in row])
    return QueryResult(columns, rows, datatypes=types)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN = _XSD + "boolean"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                                "unsignedShort", "unsignedByte")}
_DECIMALS = {_XSD + t for t in ("decimal", "double", "float")}


def typed_value(text: str | None, datatype: str | None):
    """A cell as JSON would have it: xsd numbers as numbers, xsd:boolean as true/false, the rest
    as text (a malformed or infinite number stays text)."""
    if text is None or datatype is None:
        return text
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype in _DECIMALS:
            number = float(text)
            return number if number == number and abs(number) != float("inf") else text
    except ValueError:
        return text
    if datatype == _XSD_BOOLEAN and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    return text


def run_named(graph: Graph, name: str, bindings: dict[str, str] | None = None, *,
              page: int | None = None, offset: int = 0) -> QueryResult:
    """Run a shipped query. On a store with a stats graph, an aggregate query reads it instead
    of counting every statement (same rows; :mod:`kg.stats`).

    ``page``: a listing (a query without its own LIMIT) returns at most this many rows, from row
    ``offset``. A listing that fits in one page comes back whole and sorted; a longer one comes in
    the store's order (stable for a given build), since sorting a million rows takes minutes, and
    ``truncated`` says so. ``page=None``: every row, sorted.
    """
    queries = named_queries()
    if name not in queries:
        raise KeyError(f"no named query {name!r}; known: {', '.join(queries)}")
    q = queries[name]
    check_parameters(q, bindings)
    text = q.stats_text if q.stats_text and has_stats(graph) else q.text
    if page is None or _LIMIT.search(text):
        return _with_hints(graph, q, bindings, run_query(graph, text, bindings))
    if page < 1 or offset < 0:
        raise ValueError("page must be at least 1 and offset at least 0")
    unsorted = _ORDER_BY.sub("", text) + f"\nLIMIT {page + 1}" + (f" OFFSET {offset}" if offset else "")
    result = run_query(graph, unsorted, bindings)
    if offset == 0 and len(result.rows) <= page:   # all of it fits in a page: sorted, as asked
        return _with_hints(graph, q, bindings, run_query(graph, text, bindings))
    more = len(result.rows) > page
    result.rows = result.rows[:page]
    first, last = offset + 1, offset + len(result.rows)
    result.truncated = (f"rows {first}-{last} in store order" + (f"; more from --offset {last}" if more else "")
                        + "; --all for every row, sorted") if result.rows else f"no rows from --offset {offset}"
    return result


def check_parameters(q: NamedQuery, bindings: dict[str, str] | None) -> None:
    """A named query gets exactly its parameters: an unbound one would match every row."""
    given = set(bindings or {})
    unknown = given - set(q.parameters)
    if unknown:
        raise KeyError(f"query {q.name!r} takes {', '.join(q.parameters) or 'no parameters'}, not {', '.join(sorted(unknown))}")
    missing = [p for p in q.parameters if p not in given]
    if missing:
        raise KeyError(f"query {q.name!r} needs " + " and ".join(f"--param {p}=VALUE" for p in missing)
                       + " (without it every row would match)")


def _with_hints(graph: Graph, q: NamedQuery, bindings: dict[str, str] | None, result: QueryResult) -> QueryResult:
    """An empty answer to a query about a name: say when no node has that name, and which do
    (:mod:`kg.names`' suggestions, as ``kg viz --focus`` gives them)."""
    if result.rows or not bindings:
        return result
    for param, value in sorted(bindings.items()):
        if find_nodes(graph, value):
            continue
        close = similar_names(graph, value)
        result.hints.append(f"no method or dataset is called {value!r} (--param {param})"
                            + (f"; did you mean: {', '.join(close)}" if close else ""))
    return result


_LIMIT = re.compile(r"^\s*LIMIT\s+\d+", re.IGNORECASE | re.MULTILINE)
_ORDER_BY = re.compile(r"^\s*ORDER\s+BY\b[^\n]*$", re.IGNORECASE | re.MULTILINE)


def has_stats(graph: Graph) -> bool:
    """Whether ``graph`` reads a store whose build kept the stats graph (:mod:`kg.stats`)."""
    from kg.oxstore import oxigraph_of
    from kg.stats import STATS_GRAPH

    store = oxigraph_of(graph)
    return store is not None and bool(store.query(f"ASK {{ GRAPH <{STATS_GRAPH}> {{ ?s ?p ?o }} }}"))


def format_result(result: QueryResult, fmt: str = "table", max_width: int | None = 60) -> str:
    """Render as an aligned text table, CSV or JSON (a list of objects, numbers and booleans
    typed). A table cuts cells longer than ``max_width`` (None: never) and says how many it cut."""
    if fmt == "json":
        types = result.datatypes or [[None] * len(result.columns)] * len(result.rows)
        return json.dumps([{c: typed_value(v, t) for c, v, t in zip(result.columns, r, ts)}
                           for r, ts in zip(result.rows, types)], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.columns)
        w.writerows([["" if v is None else v for v in r] for r in result.rows])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    cut = 0

    def cell(v: str | None) -> str:
        nonlocal cut
        v = "" if v is None else re.sub(r"\s+", " ", _short(v))
        if max_width is None or len(v) <= max_width:
            return v
        cut += 1
        return v[: max_width - 1] + "…"

    rows = [[cell(v) for v in r] for r in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(result.columns), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    if cut:
        out.append(f"{cut} cell{'s' if cut != 1 else ''} cut at {max_width} characters (…); "
                   "--wide shows them whole, --format csv or json gives every value as it is")
    return "\n".join(out)


def _short(value: str) -> str:
    """IRIs of our own namespace shown by their local name."""
    for prefix in ("https://w3id.org/kgpaper/id/", "https://w3id.org/kgpaper/ontology#"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


# --------------------------------------------------------------------------- answers as documents

# Media type -> format, for each kind of answer. Formats are listed in the order of preference
# that breaks ties between equally acceptable types.
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML, "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
BOOLEAN_TYPES = {m: f for m, f in RESULT_TYPES.items()   # CSV and TSV have no form for ASK
                 if f in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML)}
GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE, "application/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/xml": ox.RdfFormat.RDF_XML, "text/xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/x-json+ld": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
}


class NotAcceptable(ValueError):
    """No format the client accepts can hold this query's answer (HTTP 406)."""


def negotiate(accept: str, offered: dict):
    """The format of ``offered`` (media type -> format) that an ``Accept`` header prefers; None
    when it accepts none. An empty header accepts anything; ties go to the order of ``offered``.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
    <QueryResultsFormat SPARQL Results in XML>
    >>> negotiate("text/turtle", RESULT_TYPES) is None
    True
    """
    if not accept.strip():
        return next(iter(offered.values()))
    order = list(dict.fromkeys(offered.values()))
    best: tuple[float, int, int] | None = None
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in offered:
            fmts, specificity = [offered[media]], 2
        elif media == "*/*":
            fmts, specificity = order[:1], 0
        elif media.endswith("/*"):
            fmts = [f for m, f in offered.items() if m.startswith(media[:-1])][:1]
            specificity = 1
        else:
            continue
        for f in fmts:
            key = (q, specificity, -order.index(f))
            if best is None or key > best:
                best = key
    return order[-best[2]] if best else None


def content_type(fmt) -> str:
    """The Content-Type of a document in ``fmt`` (a pyoxigraph format), charset said for text."""
    media = fmt.media_type
    return media + "; charset=utf-8" if media.startswith("text/") and "charset" not in media else media


def answer(store: ox.Store, query: str, accept: str, max_rows: int,
           max_bytes: int = 32 << 20) -> tuple[str, bytes, str]:
    """A query's answer on a pyoxigraph store as a document: (content type, body, why it was cut
    or ""), the format the one ``accept`` prefers among those of the query's form (SELECT: SPARQL
    JSON, XML, CSV, TSV; ASK: JSON, XML; CONSTRUCT and DESCRIBE: N-Triples, Turtle, RDF/XML,
    JSON-LD), written by pyoxigraph's serialisers.

    At most ``max_rows`` solutions (or triples) and ``max_bytes`` bytes: the engine's answer is
    first written one solution (triple) per line, as TSV (N-Triples), which the engine stops
    writing past either limit; those lines are read back and written in the format asked for,
    with fewer of them when that format is longer. The query is checked first
    (:func:`kg.sparql.engine_text`); raises :class:`kg.sparql.QueryRefused`, :class:`NotAcceptable`,
    or SyntaxError for a query the engine cannot parse."""
    result = store.query(engine_text(query))
    if isinstance(result, ox.QueryBoolean):
        fmt = negotiate(accept, BOOLEAN_TYPES) or ox.QueryResultsFormat.JSON
        return content_type(fmt), result.serialize(format=fmt), ""
    graph = isinstance(result, ox.QueryTriples)
    offered = GRAPH_TYPES if graph else RESULT_TYPES
    fmt = negotiate(accept, offered)
    if fmt is None:
        raise NotAcceptable(f"{'CONSTRUCT and DESCRIBE' if graph else 'SELECT'} results are available as "
                            + ", ".join(offered))
    if graph:
        prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else {p: str(ns) for p, ns in PREFIXES.items()}
        lines_format, header = ox.RdfFormat.N_TRIPLES, 0

        def rewrite(data: bytes) -> bytes:
            return ox.serialize(ox.parse(data, lines_format), format=fmt, prefixes=prefixes)
    else:
        lines_format, header = ox.QueryResultsFormat.TSV, 1

        def rewrite(data: bytes) -> bytes:
            return ox.parse_query_results(data, lines_format).serialize(format=fmt)
    head, lines, cut = _first_lines(result, lines_format, header, max_rows, max_bytes)

    def write(n: int) -> bytes:
        data = head + b"".join(lines[:n])
        return data if fmt == lines_format else rewrite(data)

    n = len(lines)
    body = write(n)
    while len(body) > max_bytes and n:   # JSON, XML, RDF/XML, JSON-LD are longer than the lines: keep fewer
        n = int(n * max_bytes / len(body) * 0.9)
        body, cut = write(n), f"true; max-bytes={max_bytes}"
    return content_type(fmt), body, cut


class _Enough(Exception):
    """Raised by :class:`_Lines` into the engine's serialiser: the answer holds all it may."""


class _Lines:
    """A binary file keeping what is written to it until it holds more than ``max_lines`` lines
    or ``max_bytes`` bytes (past its ``header`` lines); the next write raises :class:`_Enough`,
    which stops the engine."""

    def __init__(self, header: int, max_lines: int, max_bytes: int) -> None:
        self.header, self.max_lines, self.max_bytes = header, max_lines, max_bytes
        self.data = bytearray()
        self.lines = 0
        self.stopped = False

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        self.lines += chunk.count(b"\n")
        if self.lines >= self.header and (self.lines > self.max_lines or len(self.data) > self.max_bytes):
            self.stopped = True
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass


def _first_lines(result, fmt, header: int, max_rows: int, max_bytes: int) -> tuple[bytes, list[bytes], str]:
    """The engine's answer written in ``fmt``, one solution or triple a line after ``header``
    lines: (the header, the first lines, why the rest was cut or ""). The lines kept are at most
    ``max_rows`` and end within ``max_bytes`` bytes; the header is always kept."""
    sink = _Lines(header, header + max_rows, max_bytes)
    try:
        result.serialize(sink, fmt)
    except _Enough:
        pass
    *ended, _ = bytes(sink.data).split(b"\n")   # the last piece is a line not ended yet, or empty
    ended = [line + b"\n" for line in ended]
    head, rows = b"".join(ended[:header]), ended[header:header + max_rows]
    if not sink.stopped:
        return head, rows, ""
    size, kept = len(head), 0
    for line in rows:
        size += len(line)
        if size > max_bytes:
            return head, rows[:kept], f"true; max-bytes={max_bytes}"
        kept += 1
    # stopped with every line kept: past the last row allowed, or within a row that did not fit
    return head, rows, f"true; max-rows={max_rows}" if len(rows) == max_rows else f"true; max-bytes={max_bytes}"
