"""The persistent graph store of a build folder: Oxigraph (RocksDB) generations behind a pointer.

Layout of an output folder built with the store (the default)::

    output/
      graph.ttl  graph.html  report.json      outputs, each replaced atomically
      .kg.lock                                one writer at a time (flock; freed when a process dies)
      store/
        CURRENT                               name of the live generation, replaced atomically
        g000007/
          oxigraph/                           the Oxigraph store (RocksDB)
          side.sqlite                         papers read, entity surface counts, families
          manifest.json                       triple count, extraction fingerprint, ...

A build never writes into the live generation: it copies it (RocksDB checkpoint: hard links, so
cheap), writes into the copy and, once the copy and the outputs are complete, swaps ``CURRENT``.
A build killed at any moment therefore leaves the previous generation, and the outputs made from
it, intact; the next build deletes the half-written copy and starts again. Readers open the
generation ``CURRENT`` names read-only; nothing writes to a published generation again, so
any number of readers (``kg query``, ``kg serve``) can run while a build is under way.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Variable

from kg.sparql import bind_values

STORE_DIR = "store"
POINTER = "CURRENT"
LOCK_FILE = ".kg.lock"
KEEP_PREVIOUS = 1          # generations kept besides the live one, for readers that opened it
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_GEN = re.compile(r"^g(\d{6})$")


class StoreBusy(RuntimeError):
    """Another build holds the folder's lock."""


class StoreError(RuntimeError):
    """The store cannot be opened or is not what it should be."""


# --------------------------------------------------------------------------- layout

def store_root(out_dir: str | Path) -> Path:
    return Path(out_dir) / STORE_DIR


def current_generation(out_dir: str | Path) -> Path | None:
    """The live generation folder of ``out_dir``, or None when it has no store."""
    root = store_root(out_dir)
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not _GEN.match(name) or not (root / name / "oxigraph").is_dir():
        raise StoreError(f"{root}: {POINTER} names {name!r}, which is not a complete generation")
    return root / name


def has_store(out_dir: str | Path) -> bool:
    return Path(out_dir).is_dir() and (store_root(out_dir) / POINTER).is_file()


def manifest(generation: Path) -> dict:
    try:
        return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def generations(out_dir: str | Path) -> list[Path]:
    root = store_root(out_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and _GEN.match(p.name))


def next_generation(out_dir: str | Path) -> Path:
    """A fresh, not yet existing generation folder (numbered after every folder present)."""
    root = store_root(out_dir)
    numbers = [int(m.group(1)) for p in root.glob("g*") if (m := re.match(r"^g(\d{6})", p.name))]
    return root / f"g{max(numbers, default=0) + 1:06d}"


def publish(out_dir: str | Path, generation: Path) -> None:
    """Make ``generation`` the live one (an atomic rename of the pointer file)."""
    root = store_root(out_dir)
    tmp = root / f".{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(generation.name + "\n", encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, root / POINTER)
    _fsync_dir(root)


def prune(out_dir: str | Path, keep_previous: int = KEEP_PREVIOUS) -> list[str]:
    """Delete generations other than the live one and the ``keep_previous`` before it, and any
    leftovers of killed builds. Call with the build lock held."""
    root = store_root(out_dir)
    if not root.is_dir():
        return []
    live = current_generation(out_dir)
    keep: set[str] = set()
    if live is not None:   # without a live generation, every folder is a killed build's leftover
        keep.add(live.name)
        older = [g.name for g in generations(out_dir) if g.name < live.name]
        keep.update(older[-keep_previous:] if keep_previous else [])
    removed = []
    for p in root.iterdir():
        if p.name == POINTER or p.name in keep:
            continue
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p.name)
    return removed


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- lock

@contextmanager
def build_lock(out_dir: str | Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the folder's writer lock; wait up to ``wait`` seconds for another build, then refuse.

    The lock is an ``flock`` on ``.kg.lock``: the kernel frees it when its holder exits, killed
    or not, so a crashed build never leaves the folder locked.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _lock_holder(path)
                    raise StoreBusy(
                        f"{out}: another kg build{holder} is writing to this folder (it holds the lock {path}); "
                        + (f"waited {wait:g}s. " if wait else "")
                        + "Wait for it to finish (or pass --wait SECONDS), or build into another --out."
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}).encode(), 0)
        yield
    finally:
        os.close(fd)   # closing the descriptor releases the flock


def _lock_holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
        return f" (pid {info['pid']}, started {info['since']})"
    except (OSError, ValueError, KeyError):
        return ""


# --------------------------------------------------------------------------- opening

def open_oxigraph(out_dir: str | Path):
    """The live generation's Oxigraph store, opened read-only (safe beside a running build)."""
    import pyoxigraph as ox

    gen = current_generation(out_dir)
    if gen is None:
        raise StoreError(f"{out_dir}: no store")
    return ox.Store.read_only(str(gen / "oxigraph"))


def from_ox(term):
    """An Oxigraph term as the rdflib term the in-memory path would hold (xsd:string → plain)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term is None:
        return None
    raise ValueError(f"unexpected Oxigraph term {term!r}")


def _store_class():
    from oxrdflib.store import OxigraphStore
    from oxrdflib._converter import to_ox, to_ox_quad_pattern

    class KgOxigraphStore(OxigraphStore):
        """oxrdflib's store, returning plain literals for xsd:string as rdflib's memory store does,
        so a graph read from Oxigraph compares equal, term for term, to one built in memory."""

        def triples(self, triple_pattern, context=None):
            try:
                quads = self._inner.quads_for_pattern(*to_ox_quad_pattern(triple_pattern, context))
            except (TypeError, ValueError):
                return iter(())
            return (((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), iter((context,)))
                     for q in quads)

        def query(self, query, initNs, initBindings, queryGraph, **kwargs) -> Result:
            import pyoxigraph as ox

            if not isinstance(query, str):
                raise NotImplementedError("prepared queries are not supported by the Oxigraph store")
            if kwargs:
                raise NotImplementedError(f"unsupported query options: {', '.join(kwargs)}")
            options = dict(
                use_default_graph_as_union=queryGraph == "__UNION__",
                default_graph=(to_ox(queryGraph) if isinstance(queryGraph, (URIRef, BNode)) else None),
                prefixes={k: str(v) for k, v in dict(self._namespace_for_prefix, **initNs).items()},
            )
            try:   # bindings as a VALUES block: Oxigraph's substitutions need projected variables
                result = self._inner.query(bind_values(query, initBindings), **options)
            except SyntaxError:
                if not initBindings:
                    raise
                result = self._inner.query(
                    query, substitutions={ox.Variable(k): to_ox(v) for k, v in initBindings.items()}, **options)
            if isinstance(result, ox.QueryBoolean):
                out = Result("ASK")
                out.askAnswer = bool(result)
            elif isinstance(result, ox.QuerySolutions):
                out = Result("SELECT")
                out.vars = [Variable(v.value) for v in result.variables]
                out.bindings = ({v: from_ox(val) for v, val in zip(out.vars, solution) if val is not None}
                                for solution in result)
            else:
                out = Result("CONSTRUCT")
                out.graph = Graph()
                for t in result:
                    out.graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return out

    return KgOxigraphStore


def rdflib_graph(ox_store) -> Graph:
    """An rdflib Graph over the default graph of a pyoxigraph Store (oxrdflib underneath):
    ``graph.query`` runs on Oxigraph's SPARQL engine, ``graph.triples`` reads the store."""
    from kg.graph.iris import bind_prefixes

    graph = Graph(store=_store_class()(store=ox_store), identifier=DATASET_DEFAULT_GRAPH_ID)
    return bind_prefixes(graph)


def dump(ox_store, output, fmt: str = "turtle") -> None:
    """Write the default graph as Turtle, N-Triples or N-Quads with Oxigraph's streaming writer
    (linear in the graph's size); ``output`` is a path or a binary file."""
    import pyoxigraph as ox

    from kg.graph.iris import PREFIXES

    formats = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS}
    rdf_format = formats[fmt]
    prefixes = ({p: str(ns) for p, ns in PREFIXES.items()} | {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
                if rdf_format == ox.RdfFormat.TURTLE else None)
    if isinstance(output, (str, os.PathLike)):
        output = str(output)
    # the default graph only, N-Quads too: the store's other graph is derived (kg.stats.STATS_GRAPH)
    ox_store.dump(output, rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)


DUMP_FORMATS = ("turtle", "ttl", "nt", "ntriples", "nquads")


def oxigraph_of(graph: Graph):
    """The pyoxigraph Store behind an rdflib Graph made by :func:`rdflib_graph`, else None."""
    from oxrdflib.store import OxigraphStore

    store = getattr(graph, "store", None)
    if isinstance(store, OxigraphStore) and graph.identifier == DATASET_DEFAULT_GRAPH_ID:
        return store._inner
    return None


def triple_count(graph: Graph) -> int:
    """Triples in ``graph``: for a store-backed graph, the default graph's, counted by Oxigraph.

    oxrdflib's ``len()`` counts DISTINCT triples over the union of all graphs, holding every
    triple in a hash set: at 1M papers (48M triples) minutes and gigabytes after an export
    that took nine minutes. The default graph holds no duplicates, so a plain count is the
    same number, in constant memory.
    """
    store = oxigraph_of(graph)
    if store is None:
        return len(graph)
    row = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
    return int(row["n"].value)


def memory_copy(ox_store) -> Graph:
    """The default graph as an in-memory rdflib Graph (for small graphs and rdflib-only tools)."""
    import pyoxigraph as ox

    from kg.graph.iris import bind_prefixes

    graph = bind_prefixes(Graph())
    add = graph.add
    for q in ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return graph
