"""SPARQL text on its way to an engine: the checks kg makes before Oxigraph runs a query, and
parameters bound as a ``VALUES`` block.

- :func:`check_nesting` and :func:`on_engine_stack`: a query nested too deeply for Oxigraph's
  parser is refused, and the rest runs on a stack large enough for what is let through;
- :func:`engine_text`: a query with a ``SERVICE`` clause is refused (kg serve never sends a
  request for a caller); rdflib's SPARQL 1.1 parser decides, not a scan of the text;
- :func:`bind_values`: values bound to variables, written as terms (never pasted text) in a
  ``VALUES`` block at the start of the query's ``WHERE`` group. It is the one place kg reads
  SPARQL text itself (to find that group), for Oxigraph (:mod:`kg.oxstore`) and for remote
  endpoints (:mod:`kg.remote`) alike.

>>> from rdflib import Literal
>>> print(bind_values('SELECT ?s WHERE { ?s ?p ?name }', {"name": Literal('say "hi"')}))
SELECT ?s WHERE {
VALUES (?name) { ("say \\"hi\\"") }
 ?s ?p ?name }
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from itertools import accumulate

from kg.graph.ntriples import term


class QueryRefused(ValueError):
    """A query turned away before the engine sees it; ``status`` is the HTTP answer kg serve gives."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------- nesting

# Oxigraph's parser and planner recurse once per nesting level, in native code: a query nested a
# few thousand levels deep overflows the thread's stack and kills the process (SIGSEGV), before
# any error can be raised. Measured on an 8 MiB stack (pyoxigraph 0.5.13), the dearest level is a
# nested collection "(" (~22 KiB: 361 levels pass, 400 crash), then FILTER EXISTS "{" (~10 KiB),
# "[" (~9 KiB), "{" (~3.8 KiB), "(" in expressions (~1.8 KiB), "!" and "<<" (~1 KiB).
MAX_DEPTH = 500                 # brackets open at once, as written
MAX_BRACKETS = 10_000           # "(", "[", "{", "!" and "<<" in all: a bound on any real depth
ENGINE_STACK = 512 << 20        # bytes of stack the engine runs on: MAX_BRACKETS x 22 KiB, twice over
_BRACKETS = re.compile(r"[(\[{]|[)\]}]")


def check_nesting(query: str) -> None:
    """Refuse (:class:`QueryRefused`) a query too deeply nested for the engine to parse.

    Two bounds. The depth as written (brackets open at once, counted anywhere, strings too) gives
    the message people see. It can be fooled by closing brackets inside strings, so the count
    of every opening bracket, which no string can lower, bounds the real depth; the engine runs
    on a stack sized for that many levels (:func:`on_engine_stack`)."""
    depth = max(accumulate(1 if b in "([{" else -1 for b in _BRACKETS.findall(query)), default=0)
    if depth > MAX_DEPTH:
        raise QueryRefused(f"query nested {depth} brackets deep; at most {MAX_DEPTH} are accepted")
    openers = sum(query.count(c) for c in "([{!") + query.count("<<")
    if openers > MAX_BRACKETS:
        raise QueryRefused(f"query has {openers} opening brackets and '!' (at most {MAX_BRACKETS:,} are "
                           "accepted, a bound on how deeply it can nest): split it into smaller queries")


def on_engine_stack(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` on a thread with :data:`ENGINE_STACK` bytes of stack (reserved, not
    used until touched), so that a query :func:`check_nesting` lets through cannot overflow it."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, fn(*args, **kwargs)))
        except BaseException as exc:   # re-raised in the caller's thread
            outcome.append((False, exc))

    with _STACK_LOCK:   # the stack size is process-wide: set it for this thread only
        previous = threading.stack_size(ENGINE_STACK)
        try:
            thread = threading.Thread(target=run, name="kg-query-engine", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


_STACK_LOCK = threading.Lock()


# --------------------------------------------------------------------------- no SERVICE

_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_SERVICE_WORD = re.compile("service", re.IGNORECASE)


def engine_text(query: str) -> str:
    """The text the engine may run for ``query``, or :class:`QueryRefused`.

    The decision is the parse's, not a scan's: a query holding the word ``service`` anywhere,
    once its ``\\u`` escapes are decoded, is parsed with rdflib's SPARQL 1.1 parser, and refused
    if it does not parse (400) or its parse has a ``SERVICE`` pattern (403). A query without the
    word cannot have the keyword (SPARQL has no other way to spell it), so it needs no parse and
    runs as sent. (pyoxigraph 0.5 has no option to turn federation off: its engine would call
    any URL a query names.)

    A parsed query runs as parsed: both parsers must read the same text the same way, so the
    engine gets the text rdflib read, with ``\\u`` escapes decoded (once: a text that still has
    one after decoding is refused, as the two could decode it again differently) and line ends as
    ``\\n`` (Oxigraph ends a comment at CR, rdflib only at LF). Every query is checked for nesting
    the engine cannot parse (:func:`check_nesting`), escapes decoded, as the engine decodes them."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        text = expandUnicodeEscapes(query)
    except ValueError as exc:
        raise QueryRefused(f"query not accepted: {exc}") from None
    if _ESCAPE.search(text):
        raise QueryRefused("query not accepted: a \\u escape decodes to another \\u escape")
    check_nesting(text)
    if not _SERVICE_WORD.search(text):
        return query
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryRefused("query not accepted: a \\u escape names a lone surrogate") from None
    if _has_service(text):
        raise QueryRefused("SERVICE (federated query) is not allowed on this endpoint", 403)
    return text


def _has_service(text: str) -> bool:
    """Whether the parse of ``text`` has a SERVICE pattern; QueryRefused when it does not parse."""
    from pyparsing import ParseBaseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(text)
    except ParseBaseException as exc:
        raise QueryRefused(f"query not accepted: it does not parse as SPARQL 1.1 ({exc}); a query that "
                           "mentions 'service' must") from None
    except RecursionError:
        raise QueryRefused("query not accepted: too deeply nested to check") from None
    stack = [tree]
    while stack:   # iterative: the tree is as deep as the query
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return False


# --------------------------------------------------------------------------- bound values

def values_clause(variables: Sequence[str], rows: Iterable[Sequence]) -> str:
    """``VALUES (?a ?b) { (t1 t2) ... }``: the one writer of SPARQL ``VALUES``. Terms are written
    in N-Triples syntax (strings escaped), so a bound value can never change the query around it.

    >>> from rdflib import URIRef
    >>> values_clause(["this"], [[URIRef("http://ex/a")], [URIRef("http://ex/b")]])
    'VALUES (?this) { (<http://ex/a>) (<http://ex/b>) }'
    """
    for n in variables:
        if not _VAR.match(n):
            raise ValueError(f"not a SPARQL variable name: {n!r}")
    return ("VALUES (" + " ".join(f"?{n}" for n in variables) + ") { "
            + " ".join("(" + " ".join(term(v) for v in row) + ")" for row in rows) + " }")


def values_block(bindings) -> str:
    """``bindings`` (variable name -> rdflib term) as a one-row ``VALUES`` block on its own lines."""
    if not bindings:
        return ""
    return "\n" + values_clause([str(k) for k in bindings], [list(bindings.values())]) + "\n"


_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE = re.compile(r"(?<![\w?$:])WHERE(?![\w:])", re.IGNORECASE)


def bind_values(query: str, bindings) -> str:
    """``query`` with ``bindings`` (as rdflib's ``initBindings``) as a ``VALUES`` block opening its
    WHERE group (as rdflib applies them: before anything is evaluated), else as a trailing block.

    At the start of the group, Oxigraph's planner starts from the bound variables: a named query
    bound to one method looks up that method's statements instead of joining all of them with
    the binding at the end (at 10k papers, evidence_for: 1.6 s → 0.08 s). Oxigraph's own
    ``substitutions`` would do as well, but only for variables the query projects.
    """
    block = values_block(bindings)
    if not block:
        return query
    brace = _where_brace(query)
    if brace is None:
        return query + block
    return query[:brace + 1] + block + query[brace + 1:]


def _where_brace(query: str) -> int | None:
    """Index of the "{" that opens the query's top-level WHERE group (skipping comments,
    strings and IRIs), or None."""
    depth, i, n = 0, 0, len(query)
    first_brace = where_seen = None
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            quote = c * 3 if query.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            m = _IRIREF.match(query, i)
            if m:
                i = m.end()
                continue
        if c == "{":
            if depth == 0:
                if where_seen is not None:
                    return i
                if first_brace is None:
                    first_brace = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c in "wW" and where_seen is None and _WHERE.match(query, i):
            where_seen = i
            i += 5
            continue
        i += 1
    return first_brace if where_seen is None else None
