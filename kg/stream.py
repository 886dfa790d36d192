"""Streaming, incremental, parallel build into the Oxigraph store (what ``kg build`` does).

Papers are read, extracted and written in batches; the corpus is never held in memory at once:

    read (this process) ─ batches of new papers ─▶ extract_batch (worker processes or Dask)
        ─▶ N-Triples + entity surface counts ─▶ Oxigraph bulk load (a writer thread)
                                              └▶ side table (SQLite): papers, surfaces, families

The triples come from :mod:`kg.rdf`'s generators (``paper_triples``, ``fact_triples``,
``EntityLabels``), written as N-Triples by :mod:`kg.ntriples` and bulk-loaded, so the graph is
the one the in-memory rdflib path (:func:`kg.rdf.build_graph`) builds. Entity labels depend on
every paper (the most frequent surface form wins), so surface counts live in the side table and
each entity touched by a build gets its ``rdfs:label`` / ``skos:altLabel`` rewritten once, at the
end of that build.

Incremental: a paper already in the store is not extracted again (its new listing, if any, is
added as a ``kgo:source``); a build that adds nothing publishes nothing. When the extractors, the
vocabulary, the RDF mapping or ``min_confidence`` changed since the store was built, the stored
papers are extracted again (from the records kept in the side table) together with the new input.
See :mod:`kg.oxstore` for how a build is made crash-safe.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Paper, SourceRef
from kg.stats import LEADERBOARD, STATS_GRAPH, FactCounts, Leaderboards, leaderboard_ntriples

DEFAULT_BATCH = 100            # papers per task sent to a worker
INLINE_MAX_BYTES = 3_000_000   # inputs smaller than this are extracted in this process (auto workers)
LOAD_CHUNK = 2048 * 2 ** 20    # N-Triples bytes per bulk load (spooled to a file); see StoreWriter
LOAD_TAIL = 512 * 2 ** 20      # what the last spool file aims at (its load is the only one after the last paper)
BULK_MIN = 4 * 2 ** 20         # below this a (transactional, low-overhead) load is used
LABEL_CHUNK = 20_000           # entities whose labels are written to the spool file at a time
HTML_MAX_TRIPLES = 250_000     # graph.html is skipped above this (an interactive page cannot show more)
STATS_FLUSH = 200_000         # counted entities held before they are summed into the side table
DASK_CONNECT_TIMEOUT = 30.0    # seconds to reach a Dask scheduler before giving up


@dataclass
class BuildProgress:
    """What a progress callback receives after each batch and at each stage."""

    stage: str                    # "reextract", "extract", "labels", "optimize", "outputs", "done"
    papers: int                   # distinct papers read from the input so far
    extracted: int                # papers extracted so far (new or re-extracted)
    fraction: float | None        # share of the work done, when it can be estimated
    seconds: float


ProgressCallback = Callable[[BuildProgress], None]


@dataclass
class BatchResult:
    """What a worker sends back for a batch of papers (small, picklable)."""

    nt: bytes
    entities: list[tuple]          # (iri, kind, key, label, family_keys json, is_family, in_vocabulary), first seen first
    surfaces: list[tuple]          # (iri, surface, count)
    families: dict[str, str]       # family key → label, for families referenced by the batch
    relations: dict[str, int] = field(default_factory=dict)
    facts: int = 0
    counts: "FactCounts | None" = None   # for the stats graph (kg.stats)


# --------------------------------------------------------------------------- worker side

_FAMILY_LABELS: dict[str, str] | None = None


def _family_labels() -> dict[str, str]:
    global _FAMILY_LABELS
    if _FAMILY_LABELS is None:
        from kg.vocab import default_vocabulary

        _FAMILY_LABELS = {k: c.label for k, c in default_vocabulary().concepts.items() if c.is_family}
    return _FAMILY_LABELS


def warm_up(parent_pid: int | None = None) -> None:
    """Load the vocabulary and extractors (a worker's initializer); with ``parent_pid``, exit
    when that process is gone."""
    from kg.extract import available_extractors

    if parent_pid:
        _exit_with(parent_pid)
    _family_labels()
    available_extractors()


def _exit_with(parent_pid: int) -> None:
    """End this worker process when the build that started it dies. A pool worker whose build was
    killed (SIGKILL: no clean-up) would otherwise wait for work forever, and keep the
    forkserver alive with it."""

    def watch() -> None:
        try:
            fd = os.pidfd_open(parent_pid)
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            import select

            select.select([fd], [], [])   # readable once the process has exited
        else:
            while True:
                time.sleep(1.0)
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def extract_batch(batch: list[tuple[Paper, tuple[SourceRef, ...]]], min_confidence: float = 0.0,
                  model: str | None = None) -> BatchResult:
    """Extract a batch of papers into N-Triples and entity bookkeeping. Runs in worker processes
    (local or Dask); a pure function of its input, so where it runs does not change the graph."""
    from kg.pipeline import extract_facts
    from kg.graph.mapping import EntityLabels, fact_triples, paper_triples
    from kg.graph.ntriples import lines

    families_known = _family_labels()
    parts: list[str] = []
    for paper, sources in batch:   # (the reading process keeps each paper's record: SideTable.add_paper)
        parts.append(lines(paper_triples(paper, sources)))
    labels = EntityLabels()
    families: dict[str, str] = {}
    relations: Counter[str] = Counter()
    counts = FactCounts()
    facts = 0
    for fact in extract_facts((p for p, _ in batch), min_confidence, model=model):
        facts += 1
        counts.add(fact)
        relations[fact.predicate] += 1
        labels.add_fact(fact)
        for e in (fact.subject, fact.object):
            if e is not None:
                for k in e.family_keys:
                    families[k] = families_known.get(k, k)
        parts.append(lines(fact_triples(fact)))
    entities = [(iri, e.kind, e.key, e.label, json.dumps(list(e.family_keys)), int(e.is_family), int(e.in_vocabulary))
                for iri, e in labels.entities.items()]
    surfaces = [(iri, s, n) for iri, counts in labels.surfaces.items() for s, n in counts.items()]
    return BatchResult("".join(parts).encode("utf-8"), entities, surfaces, families, dict(relations), facts,
                       counts.finished())


_PAPER_FIELDS = tuple(f.name for f in dataclasses.fields(Paper))
_SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(SourceRef))


def paper_record(paper: Paper) -> bytes:
    """A paper as the side table keeps it: JSON (UTF-8). Written once per paper on the build's
    critical path, so shallow (``dataclasses.asdict`` deep-copies every field) and not compressed:
    zlib cost 30-70 µs a record (its set-up per call dominates) for 0.7 KB saved."""
    data = {f: getattr(paper, f) for f in _PAPER_FIELDS}
    data["source"] = {f: getattr(paper.source, f) for f in _SOURCE_FIELDS}
    return _RECORD_JSON.encode(data).encode("utf-8")


_RECORD_JSON = json.JSONEncoder(ensure_ascii=False)   # (json.dumps with an option builds one per call)


def paper_from_record(blob: bytes) -> Paper:
    """The paper of a record: JSON, or zlib-compressed JSON (side tables of earlier versions)."""
    data = json.loads(blob if blob[:1] == b"{" else zlib.decompress(blob))
    names = {f.name for f in dataclasses.fields(Paper)}
    data = {k: v for k, v in data.items() if k in names}
    data["source"] = SourceRef(**data.get("source") or {"path": ""})
    for k in ("authors", "categories", "links"):
        if k in data:
            data[k] = tuple(data[k])
    return Paper(**data)


# --------------------------------------------------------------------------- executors

class _Ready:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def worker_context():
    """The multiprocessing context for worker processes: forkserver (no fork of a process that
    runs threads, e.g. RocksDB's or an HTTP server's), spawn where there is none; fork only when
    the main module was read from stdin and so cannot be imported again by a fresh process."""
    import multiprocessing as mp
    import sys

    methods = mp.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if main_file and not os.path.isfile(main_file) and "fork" in methods:
        method = "fork"
    return mp.get_context(method)


class InlineExecutor:
    """Extraction in this process (small inputs, ``--workers 1``)."""

    name = "inline"
    workers = 1

    def submit(self, fn, *args):
        return _Ready(fn(*args))

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A local pool of worker processes (forkserver/spawn: safe beside threads)."""

    name = "processes"

    def __init__(self, workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(), initializer=warm_up,
                                        initargs=(os.getpid(),))

    def submit(self, fn, *args):
        return self.pool.submit(fn, *args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Extraction on a Dask distributed cluster (``kg build --dask tcp://HOST:8786``).

    The workers need this package installed (same version); papers travel to them pickled and
    batches come back in submission order, so the graph is the same as a local build's.
    """

    name = "dask"

    def __init__(self, address: str, timeout: float | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError("--dask needs dask.distributed: pip install 'kg-papers[dask]'") from None
        timeout = DASK_CONNECT_TIMEOUT if timeout is None else timeout
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:   # unreachable, refused, malformed address
            raise RuntimeError(f"cannot reach the Dask scheduler at {address} within {timeout:g}s: {exc}") from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def close(self) -> None:
        self.client.close()


def make_executor(workers: int | None, dask: str | None, input_bytes: int):
    if dask:
        return DaskExecutor(dask)
    if workers is None:
        workers = (os.cpu_count() or 1) if input_bytes > INLINE_MAX_BYTES else 1
    return InlineExecutor() if workers <= 1 else ProcessExecutor(workers)


# --------------------------------------------------------------------------- side table

class SideTable:
    """Per-generation SQLite file: papers read (with their records), sources, entities seen first,
    surface counts and families. Private to the build writing its generation, so it runs as one
    transaction without a journal; a killed build's copy is thrown away whole.

    A paper's record lives in ``records``, appended in reading order (``seq``), not in the
    ``papers`` row: inline, 1.5 KB records made the key-ordered ``papers`` B-tree outgrow the page
    cache and every insert or lookup in it slower as the store grew (a 1M-paper build's reading
    process: 35 µs a paper at the start, 76 µs at 700k). ``papers.record`` is what side tables
    of earlier versions hold (read by :meth:`records` when a build re-extracts them)."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS papers(key TEXT PRIMARY KEY, seq INTEGER, first_run INTEGER, seen_run INTEGER,
                                      record BLOB) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS records(seq INTEGER PRIMARY KEY, key TEXT, record BLOB);
    CREATE TABLE IF NOT EXISTS sources(key TEXT, source TEXT, PRIMARY KEY(key, source)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS entities(iri TEXT PRIMARY KEY, kind TEXT, key TEXT, label TEXT, family_keys TEXT,
                                        is_family INTEGER, in_vocabulary INTEGER, first_run INTEGER,
                                        touched INTEGER) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS surfaces(iri TEXT, surface TEXT, n INTEGER, PRIMARY KEY(iri, surface)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS families(key TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS paper_ids(id TEXT PRIMARY KEY, key TEXT) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS stat_datasets(iri TEXT PRIMARY KEY, papers INTEGER) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS stat_methods(iri TEXT PRIMARY KEY, statements INTEGER, papers INTEGER) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS stat_families(a TEXT, outcome TEXT, b TEXT, statements INTEGER,
                                             PRIMARY KEY(a, outcome, b)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS entities_touched ON entities(touched);
    """

    def __init__(self, path: Path, run: int, writable: bool = True) -> None:
        uri = f"file:{path}" + ("" if writable else "?mode=ro")
        self.db = sqlite3.connect(uri, uri=True, isolation_level=None)
        self.run = run
        self._entities: dict[str, tuple] = {}          # add_batch() rows not yet written
        self._surfaces: Counter[tuple[str, str]] = Counter()
        self._families: dict[str, str] = {}
        if writable:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=MEMORY", "cache_size=-262144"):
                self.db.execute(f"PRAGMA {pragma}")
            self.db.executescript(self.SCHEMA)
            self.db.execute("BEGIN")
            self.seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM records").fetchone()[0]

    def paper_seen_run(self, key: str) -> int | None:
        row = self.db.execute("SELECT seen_run FROM papers WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def add_paper(self, key: str, paper: Paper, seen: bool = True) -> None:
        """A paper met for the first time under ``key`` (``seen``: read from this run's input): its
        record and identifiers (see :meth:`merge`)."""
        self.seq += 1
        self.db.execute("INSERT INTO papers(key, seq, first_run, seen_run) VALUES (?,?,?,?)",
                        (key, self.seq, self.run, self.run if seen else 0))
        self.db.execute("INSERT INTO records VALUES (?,?,?)", (self.seq, key, paper_record(paper)))
        self.add_ids(key, paper)

    def resolve(self, paper: Paper) -> str:
        """The key of the paper node ``paper`` belongs to: one stored under the same arXiv id, DOI
        or title (:func:`kg.model.paper_ids`), else its own."""
        from kg.model import paper_ids

        ids = paper_ids(paper)
        if len(ids) == 1:
            row = self.db.execute("SELECT key FROM paper_ids WHERE id=?", ids).fetchone()
            return paper.key if row is None else row[0]
        found = dict(self.db.execute(   # one lookup for all of them; the strongest id that is known wins
            f"SELECT id, key FROM paper_ids WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall())
        return next((found[i] for i in ids if i in found), paper.key)

    def add_ids(self, key: str, paper: Paper) -> None:
        from kg.model import paper_ids

        self.db.executemany("INSERT OR IGNORE INTO paper_ids VALUES (?,?)", [(i, key) for i in paper_ids(paper)])

    def merge(self, key: str, paper: Paper) -> list:
        """Merge another source's ``paper`` into the stored paper ``key``: its identifiers are
        registered, its metadata completes the stored record, and the triples that adds are
        returned (:func:`kg.rdf.added_metadata`)."""
        from kg.model import merge_papers
        from kg.graph.mapping import added_metadata

        self.add_ids(key, paper)
        row = self.db.execute("SELECT r.seq, r.record FROM papers p JOIN records r ON r.seq = p.seq WHERE p.key=?",
                              (key,)).fetchone()
        if row is None:
            return []
        stored = paper_from_record(row[1])
        merged = merge_papers(stored, paper)
        if merged == stored:
            return []
        self.db.execute("UPDATE records SET record=? WHERE seq=?", (paper_record(merged), row[0]))
        return added_metadata(stored, merged)

    def mark_seen(self, key: str) -> None:
        self.db.execute("UPDATE papers SET seen_run=? WHERE key=?", (self.run, key))

    def add_source(self, key: str, source: SourceRef) -> bool:
        cur = self.db.execute("INSERT OR IGNORE INTO sources(key, source) VALUES (?,?)",
                              (key, json.dumps([source.path, source.line, source.reader])))
        return cur.rowcount > 0

    def add_batch(self, result: BatchResult) -> None:
        """A batch's entities, surface counts and families: summed in memory and written by
        :meth:`flush_batches` (the same entities recur batch after batch; one upsert each)."""
        entities, surfaces, families = self._entities, self._surfaces, self._families
        for row in result.entities:
            if row[0] not in entities:        # the first row seen of an entity wins, as in the table
                entities[row[0]] = row
        for iri, surface, n in result.surfaces:
            surfaces[iri, surface] += n
        for key, label in result.families.items():
            families.setdefault(key, label)
        if len(entities) + len(surfaces) >= STATS_FLUSH:   # bounded memory
            self.flush_batches()

    def flush_batches(self) -> None:
        db, run = self.db, self.run
        db.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(iri) DO UPDATE SET touched=excluded.touched",
            [(*row, run, run) for row in self._entities.values()])
        db.executemany("INSERT INTO surfaces VALUES (?,?,?) ON CONFLICT(iri, surface) DO UPDATE SET n=n+excluded.n",
                       [(iri, surface, n) for (iri, surface), n in self._surfaces.items()])
        db.executemany("INSERT OR IGNORE INTO families VALUES (?,?)", list(self._families.items()))
        self._entities, self._surfaces, self._families = {}, Counter(), {}

    def add_counts(self, counts: FactCounts) -> None:
        """Add a build's counts to those of earlier builds (kg.stats)."""
        db = self.db
        db.executemany("INSERT INTO stat_datasets VALUES (?,?) ON CONFLICT(iri) DO UPDATE SET papers=papers+excluded.papers",
                       counts.datasets.items())
        db.executemany("INSERT INTO stat_methods VALUES (?,?,?) ON CONFLICT(iri) DO UPDATE SET "
                       "statements=statements+excluded.statements, papers=papers+excluded.papers",
                       [(m, n, counts.method_papers[m]) for m, n in counts.method_statements.items()])
        db.executemany("INSERT INTO stat_families VALUES (?,?,?,?) ON CONFLICT(a, outcome, b) DO UPDATE SET "
                       "statements=statements+excluded.statements",
                       [(*k, n) for k, n in counts.family_outcomes.items()])

    def leaderboards(self, top: int) -> Leaderboards:
        """The most counted datasets and methods (ties with the last one included), every family pair."""
        from kg.stats import top_with_ties

        db = self.db
        return Leaderboards(
            top_with_ties(db.execute("SELECT iri, papers FROM stat_datasets ORDER BY papers DESC, iri"), top),
            top_with_ties(db.execute("SELECT iri, statements, papers FROM stat_methods ORDER BY statements DESC, iri"), top),
            db.execute("SELECT a, outcome, b, statements FROM stat_families ORDER BY a, outcome, b").fetchall())

    def touched_entities(self) -> Iterator[tuple[tuple, Counter]]:
        """(entity row, surface counts) of every entity this run touched, by IRI."""
        ents = self.db.execute(
            "SELECT iri, kind, key, label, family_keys, is_family, in_vocabulary, first_run FROM entities "
            "WHERE touched=? ORDER BY iri", (self.run,))
        surfs = self.db.cursor().execute(
            "SELECT s.iri, s.surface, s.n FROM surfaces s JOIN entities e ON e.iri = s.iri "
            "WHERE e.touched=? ORDER BY s.iri", (self.run,))
        pending = surfs.fetchone()
        for row in ents:
            counts: Counter[str] = Counter()
            while pending is not None and pending[0] < row[0]:
                pending = surfs.fetchone()
            while pending is not None and pending[0] == row[0]:
                counts[pending[1]] = pending[2]
                pending = surfs.fetchone()
            yield row, counts

    def stale_labels(self) -> Iterator[str]:
        """Entities this run touched that an earlier run labelled (:meth:`_Build._load_labels`)."""
        yield from (iri for (iri,) in self.db.execute(
            "SELECT iri FROM entities WHERE touched=? AND first_run<? ORDER BY iri", (self.run, self.run)))

    def unowned_families(self) -> dict[str, str]:
        """Referenced families that are not entities of their own (they get family_triples)."""
        from kg.graph.iris import family_iri

        out = {}
        for key, label in self.db.execute("SELECT key, label FROM families ORDER BY key"):
            if self.db.execute("SELECT 1 FROM entities WHERE iri=?", (str(family_iri(key)),)).fetchone() is None:
                out[key] = label
        return out

    def records(self) -> Iterator[tuple[Paper, tuple[SourceRef, ...]]]:
        """Every stored paper with its sources, in the order papers were first read."""
        src = self.db.cursor()
        split = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='records'").fetchone()
        rows = self.db.execute("SELECT key, record FROM records ORDER BY seq" if split else
                               "SELECT key, record FROM papers WHERE record IS NOT NULL ORDER BY seq")
        for key, blob in rows:
            sources = tuple(SourceRef(p, l, r) for (text,) in src.execute(
                "SELECT source FROM sources WHERE key=?", (key,)) for p, l, r in [json.loads(text)])
            yield paper_from_record(blob), sources

    def papers(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM papers").fetchone()[0]

    def close(self, commit: bool = True) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT" if commit else "ROLLBACK")
        self.db.close()


# --------------------------------------------------------------------------- writer

class StoreWriter:
    """Spools N-Triples to files beside the store (a writer thread) and bulk-loads each file of
    ``chunk`` bytes with Oxigraph's loader (a loader thread; Oxigraph releases the GIL), so
    extraction results keep flowing while a file is loaded.

    Big files, because each bulk load adds index files that overlap all earlier ones, and RocksDB
    merges them again and again as the store grows: with 32 MiB loads, compaction took a third of
    both cores by the middle of a 1M-paper build (200k papers: 133 s of compaction CPU, with
    1 GiB files 29 s). At 1M papers, 2 GiB files instead of 1 GiB: compaction 214 s of CPU
    instead of 289 s, and the build 1,191 s instead of 1,291 s (the workers, less disturbed,
    used 1,271 s instead of 1,383 s). The loader reads the file itself, so a chunk costs disk,
    not memory: Oxigraph's loader peaked at 1.95 GiB RSS on a 1 GiB file, 2.12 GiB on 2 GiB.

    The load of the last file is the only one nothing overlaps, so the files are cut to leave
    a last one of about ``tail`` bytes (:func:`spool_file_limit`, from the N-Triples expected in
    all: ``put``'s ``fraction``) without adding files: a 100k-paper build's one 0.9 GiB file
    (a 24 s load after the last paper) becomes two halves. Tapering off instead (each file half
    of what was left, down to 64 MiB) added ingestions, and took a 1M build's compaction from
    298-330 s of CPU to 371 s."""

    def __init__(self, store, spool_dir: Path, chunk: int = LOAD_CHUNK, tail: int = LOAD_TAIL) -> None:
        self.store = store
        self.spool_dir = spool_dir
        self.chunk = chunk
        self.tail = min(tail, chunk)
        self.queue: queue.Queue = queue.Queue(maxsize=8)
        self.files: queue.Queue = queue.Queue(maxsize=1)   # at most one full file waits for the loader
        self.error: BaseException | None = None
        self.bytes = 0
        self.thread = threading.Thread(target=self._write, name="kg-store-writer", daemon=True)
        self.loader = threading.Thread(target=self._load, name="kg-store-loader", daemon=True)
        self.thread.start()
        self.loader.start()

    def put(self, data: bytes, fraction: float | None = None) -> None:
        """Spool ``data``; ``fraction``: the share of the input read when it was (for the file size)."""
        if self.error:
            raise self.error
        if data:
            self.bytes += len(data)
            expected = self.bytes / fraction if fraction and fraction >= 0.02 else None   # (too early below)
            self.queue.put((data, expected))

    def finish(self) -> None:
        """No more data: the last file goes to the loader; returns without waiting for its load
        (the caller can work meanwhile; :meth:`close` waits)."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def close(self) -> None:
        self.finish()
        self.loader.join()
        if self.error:
            raise self.error

    def _write(self) -> None:
        fh, size, n, start = None, 0, 0, 0   # start: bytes in the files before this one
        try:
            while True:
                item = self.queue.get()
                data, expected = item if item is not None else (None, None)
                if data is not None and self.error is None:
                    if fh is None:
                        n += 1
                        path = self.spool_dir / f"spool-{n:05d}.nt"
                        fh = open(path, "wb")
                    fh.write(data)
                    size += len(data)
                if fh is not None and (data is None or size >= spool_file_limit(start, expected, self.chunk, self.tail)):
                    fh.close()
                    self.files.put((path, size))
                    fh, start, size = None, start + size, 0
                if data is None:
                    return
        except BaseException as exc:  # handed to the main thread on its next put/close
            self.error = exc
            while self.queue.get() is not None:   # let the main thread's puts through until close
                pass
        finally:
            if fh is not None:
                fh.close()
            self.files.put(None)

    def _load(self) -> None:
        while True:
            item = self.files.get()
            if item is None:
                return
            path, size = item
            try:
                if self.error is None:
                    load_file(self.store, path, size)
            except BaseException as exc:
                self.error = exc
            finally:
                path.unlink(missing_ok=True)


def spool_file_limit(start: int, expected: float | None, chunk: int, tail: int) -> float:
    """Size at which the spool file that begins at byte ``start`` of a build's N-Triples is
    handed to the loader, when ``expected`` bytes are expected in all (None: not known yet):
    ``chunk``, except near the end, where the file before the last stops short so that the
    last one holds about ``tail`` bytes (its load is the one that follows the last paper;
    the one before it runs while that last file is produced), or half of what is left when
    that is under two tails. The last file (up to 1.5 tails) runs to the end.

    >>> GiB = 2 ** 30
    >>> [round(spool_file_limit(s * GiB, 8.4 * GiB, 2 * GiB, GiB // 2) / GiB, 2) for s in (0, 6, 7.9)]
    [2.0, 1.9, inf]
    >>> spool_file_limit(0, 0.9 * GiB, 2 * GiB, GiB // 2) / GiB   # a 100k build: two halves
    0.45
    """
    if expected is None:
        return chunk
    left = expected - start
    if left >= chunk + tail:
        return chunk
    if left > 1.5 * tail:     # (a last file of up to 1.5 tails is fine; smaller splits cost ingestions)
        return max(left - tail, left / 2)
    return float("inf")


def load_file(store, path: Path, size: int) -> None:
    """Load an N-Triples file of ``size`` bytes into the default graph: Oxigraph's bulk loader for
    big files, a transaction (low overhead) for small ones."""
    import pyoxigraph as ox

    if size >= BULK_MIN:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    elif size:
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, lenient=True)


# --------------------------------------------------------------------------- input

class _InputPosition:
    """Share of the input read, estimated from file sizes and line numbers (for an ETA)."""

    def __init__(self, paths: list[Path]) -> None:
        self.sizes = {str(p): _size(p) for p in paths}
        self.total = sum(self.sizes.values()) or 1
        self.before: dict[str, int] = {}
        acc = 0
        for p in paths:
            self.before.setdefault(str(p), acc)
            acc += self.sizes[str(p)]
        self.lines: dict[str, int] = {}

    def fraction(self, source: SourceRef) -> float | None:
        path = source.path
        if path not in self.sizes:
            return None
        done = self.before[path]
        if source.line:
            if path not in self.lines:
                self.lines[path] = _count_lines(path)
            done += self.sizes[path] * min(1.0, source.line / max(1, self.lines[path]))
        return min(1.0, done / self.total)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _count_lines(path: str) -> int:
    n = 0
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                n += chunk.count(b"\n")
    except OSError:
        return 1
    return max(1, n)


# --------------------------------------------------------------------------- fingerprint

def extraction_fingerprint(min_confidence: float, model: str | None = None) -> str:
    """Hash of everything that decides a stored paper's triples: extractors, the extraction
    model, normalisation, vocabulary and cues, RDF mapping and the confidence threshold."""
    from kg.learn.model import model_fingerprint
    from kg.vocab import ontology_dir

    root = Path(__file__).resolve().parent
    files = sorted(root.glob("extract/*.py")) + [root / n for n in (
        "normalize.py", "vocab.py", "text.py", "model.py", "rdf.py", "ntriples.py", "stream.py", "stats.py")]
    files += sorted((ontology_dir() / "vocab").glob("*.ttl")) + [ontology_dir() / "cues.json"]
    h = hashlib.sha1(repr(float(min_confidence)).encode() + model_fingerprint(model).encode())
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


# --------------------------------------------------------------------------- the build

def build_store(paths: Iterable[str | Path], out_dir: str | Path, *, format: str | None = None,
                min_confidence: float = 0.0, html: bool = True, workers: int | None = None,
                dask: str | None = None, batch_size: int = DEFAULT_BATCH, fresh: bool = False,
                reextract: bool = False, wait: float = 0.0,
                progress: ProgressCallback | None = None, categories: Iterable[str] = (), turtle: bool = True,
                read_options=None, model: str | None = None):
    """Build (or extend) the store of ``out_dir`` with the listings in ``paths`` (files, or folders
    of them) and write
    ``graph.ttl``, ``graph.html`` and ``report.json`` from it. Returns a
    :class:`kg.pipeline.BuildReport`; ``report.store`` tells what happened to the store.

    ``workers``: extraction processes (default: all cores for inputs over a few MB, else 1);
    ``dask``: a Dask scheduler address, to extract on a cluster instead; ``fresh``: start from an
    empty store; ``reextract``: extract the stored papers again; ``wait``: seconds to wait for
    another build of the same folder before refusing (:class:`kg.oxstore.StoreBusy`);
    ``categories``: keep only papers in these arXiv categories or archives (``kg build --category``);
    ``turtle=False``: no ``graph.ttl`` (a big store is exported when needed, ``kg export``);
    ``read_options``: :class:`kg.readers.ReadOptions` (``--columns``, ``--encoding``).

    A paper already in the store under the same arXiv id, DOI or title is the same node: the new
    listing is added as a source and the metadata it brings as triples (:meth:`SideTable.merge`).
    """
    from kg.oxstore import build_lock, current_generation, manifest, next_generation, prune
    from kg.readers import plan_inputs

    out = Path(out_dir)
    plan = plan_inputs(paths, format)   # a folder: the listing files under it
    with build_lock(out, wait):
        prune(out)
        _clean_stale_temps(out)
        live = current_generation(out)
        fingerprint = extraction_fingerprint(min_confidence, model)
        previous = manifest(live) if live else {}
        if fresh or live is None:
            mode = "fresh"
        elif reextract or previous.get("fingerprint") != fingerprint:
            mode = "reextract"
        else:
            mode = "incremental"
        if mode != "fresh":   # a file the store has read keeps the name it was first read under
            _spell_as_stored(plan, previous.get("listings") or {})
        gen = next_generation(out)
        gen.mkdir(parents=True)
        try:
            return _Build(out, gen, live, previous, mode, fingerprint, plan, format, min_confidence, html,
                          workers, dask, batch_size, progress, categories=tuple(categories), turtle=turtle,
                          read_options=read_options, model=model).run()
        except BaseException as exc:
            # The traceback's frames hold the half-written store open (RocksDB keeps its LOCK while
            # the object lives); drop them so a retry in this process can open a store there again.
            import traceback

            traceback.clear_frames(exc.__traceback__)
            raise
        finally:
            if gen.exists() and (current_generation(out) != gen):
                shutil.rmtree(gen, ignore_errors=True)


def _spell_as_stored(plan, listings: dict[str, str]) -> None:
    """Name each file of ``plan`` as the store first read it (``listings``: real path → name),
    when that name still leads to the same file: ``p.jsonl``, ``./p.jsonl``, its absolute path or
    a link to it are one listing, so building again with another spelling adds no new source."""
    for i, f in enumerate(plan.files):
        stored = listings.get(os.path.realpath(f))
        if not stored or stored == str(f):
            continue
        try:
            same = os.path.samefile(stored, f)
        except OSError:   # the stored name leads nowhere from here (another working folder)
            continue
        if same:
            plan.files[i] = Path(stored)
            if str(f) in plan.readers:
                plan.readers[stored] = plan.readers.pop(str(f))


class _Build:
    def __init__(self, out, gen, live, previous, mode, fingerprint, plan, format, min_confidence, html,
                 workers, dask, batch_size, progress, categories: tuple[str, ...] = (), turtle: bool = True,
                 read_options=None, model: str | None = None) -> None:
        from kg.pipeline import BuildReport

        self.out, self.gen, self.live, self.previous, self.mode = out, gen, live, previous, mode
        self.fingerprint, self.plan, self.paths, self.format = fingerprint, plan, plan.files, format
        self.read_options = read_options
        self.min_confidence, self.html, self.batch_size = min_confidence, html, max(1, batch_size)
        self.workers, self.dask, self.progress_fn = workers, dask, progress
        self.categories, self.turtle = categories, turtle
        self.model = str(model) if model is not None else None
        self.report = BuildReport(min_confidence=min_confidence)
        self.t0 = time.perf_counter()
        self.run_no = previous.get("run", 0) + 1 if mode == "incremental" else 1
        self.extracted = 0
        self.new_papers = self.known_papers = self.new_sources = self.reextracted = self.enriched = 0
        self.relations: Counter[str] = Counter()
        self.counts = FactCounts()   # for the stats graph; flushed into the side table now and then

    # -- helpers
    def _progress(self, stage: str, fraction: float | None) -> None:
        if self.progress_fn:
            self.progress_fn(BuildProgress(stage, self.report.papers, self.extracted, fraction,
                                           time.perf_counter() - self.t0))

    def run(self):
        from concurrent.futures import ThreadPoolExecutor

        import pyoxigraph as ox

        report = self.report
        if self.mode == "incremental":
            ox.Store.read_only(str(self.live / "oxigraph")).backup(str(self.gen / "oxigraph"))
            shutil.copyfile(self.live / "side.sqlite", self.gen / "side.sqlite")
        store = ox.Store(str(self.gen / "oxigraph"))
        side = SideTable(self.gen / "side.sqlite", self.run_no)
        stored = None
        if self.mode == "reextract":
            stored = SideTable(self.live / "side.sqlite", 0, writable=False)
        position = _InputPosition(self.paths)
        input_bytes = sum(position.sizes.values())
        if stored is not None:
            input_bytes += self.previous.get("input_bytes", 0) or 1500 * stored.papers()
        executor = make_executor(self.workers, self.dask, input_bytes)
        writer = StoreWriter(store, self.gen)
        t_streamed = t_labelled = None
        labels = self.gen / "spool-labels.nt"
        try:
            try:
                self._stream(side, stored, position, executor, writer)
                t_streamed = time.perf_counter()
                writer.finish()
                if report.ok and self._changed():
                    # The labels are worked out while the last spool file loads (its load, on
                    # Oxigraph's threads, and this Python work overlap: 1M papers, ~16 s)
                    self._progress("labels", None)
                    self._spool_labels(side, labels)
                    t_labelled = time.perf_counter()
            finally:
                writer.close()   # waits for the last load (and re-raises a load error)
        finally:
            executor.close()
            if stored is not None:
                stored.close(commit=False)
        t_extract = time.perf_counter()
        if not report.ok or not self._changed():
            side.close(commit=False)
            labels.unlink(missing_ok=True)
            del writer, store
            return self._unchanged(t_extract) if report.ok else self._failed(t_extract)
        self._load_labels(store, side, labels)
        side.add_counts(self.counts)
        boards = side.leaderboards(LEADERBOARD)
        papers_total = self.papers_total = side.papers()
        side.close()
        stats_graph = ox.NamedNode(STATS_GRAPH)
        store.remove_graph(stats_graph)            # an incremental build's copy holds the last one
        store.flush()
        # Each bulk load adds its own overlapping index files; compacting them once pays for itself
        # (300k papers: 25 s; Turtle export 173 s -> 107 s, scans 1.3-1.7x faster). The compaction
        # runs on one core; the report's counts read the same quads on the other meanwhile
        # (Oxigraph releases the GIL; 1M papers: len() alone ~17 s).
        self._progress("optimize", None)
        t_optimize = time.perf_counter()
        with ThreadPoolExecutor(1, thread_name_prefix="kg-optimize") as pool:
            compaction = pool.submit(store.optimize)
            try:
                report.triples = len(store)
                report.entities = entity_counts(store)
                report.relations = self._relations_total(store)
            finally:
                compaction.result()               # waits for it (and re-raises its error)
        t_optimized = time.perf_counter()
        store.load(leaderboard_ntriples(boards).encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=stats_graph)
        # Written after the compaction, the stats graph sits in RocksDB's memtable and log: flushed
        # to files now, as everything else is (the next build starts from a checkpoint of this store).
        store.flush()
        t_labels = time.perf_counter()
        self._progress("outputs", None)
        manifest = {"format": 1, "run": self.run_no, "fingerprint": self.fingerprint,
                    "min_confidence": self.min_confidence, "triples": report.triples, "papers": papers_total,
                    "entities": report.entities, "relations": report.relations,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "input_bytes": input_bytes if self.mode != "incremental" else
                    self.previous.get("input_bytes", 0) + sum(position.sizes.values()),
                    "listings": self._listings()}
        (self.gen / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        report.store = self._store_info(executor, changed=True)
        staged = self._stage_outputs(store, report.triples)
        del writer, store   # closes RocksDB before the generation is published
        t_out = time.perf_counter()
        report.seconds = {"extract": round(t_extract - self.t0, 3), "labels": round(t_labels - t_extract, 3),
                          "write": round(t_out - t_labels, 3), "total": round(t_out - self.t0, 3),
                          "optimize": round(t_optimized - t_optimize, 3),   # (part of "labels")
                          "last_load": round(t_extract - t_streamed, 3),    # (part of "extract")
                          "labels_spooled": round(t_labelled - t_streamed, 3)}  # (during "last_load")
        self._commit(staged)
        self._progress("done", 1.0)
        return report

    def _stream(self, side: SideTable, stored, position, executor, writer) -> None:
        from kg.graph.mapping import source_triples
        from kg.graph.ntriples import lines

        report = self.report
        inflight: deque = deque()
        max_inflight = 2 * executor.workers + 1
        pending: list[tuple[Paper, tuple[SourceRef, ...]]] = []
        last_fraction: list[float | None] = [None]

        def handle(item) -> None:
            future, n, fraction, stage = item
            result: BatchResult = future.result()
            writer.put(result.nt, fraction)
            side.add_batch(result)
            self.relations.update(result.relations)
            if result.counts is not None:
                self.counts.update(result.counts)
                if self.counts.size() >= STATS_FLUSH:   # bounded memory: sum into the side table
                    side.add_counts(self.counts)
                    self.counts = FactCounts()
            self.extracted += n
            last_fraction[0] = fraction
            self._progress(stage, fraction)

        def submit(stage: str, fraction: float | None) -> None:
            if not pending:
                return
            while len(inflight) >= max_inflight:
                handle(inflight.popleft())
            inflight.append((executor.submit(extract_batch, list(pending), self.min_confidence, self.model),
                             len(pending), fraction, stage))
            pending.clear()

        if stored is not None:     # the stored papers first, in the order they were first read
            total = max(1, stored.papers())
            for i, (paper, sources) in enumerate(stored.records(), 1):
                side.add_paper(paper.key, paper, seen=False)
                for s in {paper.source, *sources}:
                    side.add_source(paper.key, s)
                pending.append((paper, sources))
                self.reextracted += 1
                if len(pending) >= self.batch_size:
                    submit("reextract", i / total)
            submit("reextract", 1.0)

        from kg.pipeline import read_inputs

        for paper in read_inputs(self.plan, self.format, report, self.categories, self.read_options):
            key = side.resolve(paper)              # same arXiv id, DOI or title: the same paper node
            seen = side.paper_seen_run(key)
            if seen is None:                       # new: extract it
                side.add_paper(key, paper)
                side.add_source(key, paper.source)
                report.papers += 1
                self.new_papers += 1
                pending.append((paper, ()))
                if len(pending) >= self.batch_size:
                    submit("extract", position.fraction(paper.source))
                continue
            if seen == self.run_no:                # read before in this run
                report.duplicates += 1
            else:                                  # in the store from an earlier build
                side.mark_seen(key)
                report.papers += 1
                self.known_papers += 1
            if side.add_source(key, paper.source):  # only its listing is new
                self.new_sources += 1
                writer.put(lines(source_triples(key, [paper.source])).encode("utf-8"))
            added = side.merge(key, paper)         # metadata this source adds (authors, ids, ...)
            if added:
                self.enriched += 1
                writer.put(lines(added).encode("utf-8"))
        submit("extract", 1.0)
        while inflight:
            handle(inflight.popleft())
        side.flush_batches()

    def _changed(self) -> bool:
        """Whether this build changes the graph (a fresh or re-extracting build always does)."""
        return self.new_papers > 0 or self.new_sources > 0 or self.enriched > 0 or self.mode != "incremental"

    def _spool_labels(self, side: SideTable, spool: Path) -> None:
        """rdfs:label / skos:altLabel (and types, family links) of every entity this build touched,
        from the surface counts of all builds, and family nodes that are no entity of their own:
        one N-Triples file, bulk-loaded once by :meth:`_load_labels` (loaded chunk by chunk, a
        1M-paper build made ~60 small loads whose overlapping index files the final compaction
        then had to merge). Written from strings (:func:`kg.rdf.entity_ntriples`): a 1M-paper
        build has ~1M entities, and this runs while only the last load keeps the other core busy."""
        from kg.model import Entity
        from kg.graph.ntriples import lines
        from kg.graph.mapping import entity_label, entity_triples, family_triples

        with open(spool, "wb") as fh:
            out: list[str] = []
            for row, counts in side.touched_entities():
                iri, kind, key, label, family_keys, is_family, in_vocabulary, first_run = row
                entity = Entity(key, kind, label, tuple(json.loads(family_keys)) if family_keys != "[]" else (),
                                bool(is_family), bool(in_vocabulary))
                out.append(lines(entity_triples(entity, entity_label(entity, counts), counts)))
                if len(out) >= LABEL_CHUNK:
                    fh.write("".join(out).encode("utf-8"))
                    out.clear()
            out.append(lines(family_triples(side.unowned_families())))
            fh.write("".join(out).encode("utf-8"))

    def _load_labels(self, store, side: SideTable, spool: Path) -> None:
        """Replace the labels earlier builds wrote for the entities this one touched (they may
        change) by those :meth:`_spool_labels` wrote."""
        import pyoxigraph as ox

        from rdflib.namespace import RDFS, SKOS

        label_preds = [ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.altLabel))]
        try:
            for iri in side.stale_labels():
                node = ox.NamedNode(iri)
                for pred in label_preds:
                    for q in list(store.quads_for_pattern(node, pred, None, ox.DefaultGraph())):
                        store.remove(q)
            load_file(store, spool, spool.stat().st_size)
        finally:
            spool.unlink(missing_ok=True)

    def _relations_total(self, store) -> dict[str, int]:
        """Relations extracted from every paper in the store (as a one-shot build reports them):
        this build's plus, for an incremental build, those the previous manifest recorded."""
        if self.mode != "incremental":
            return dict(self.relations)
        before = self.previous.get("relations")
        if before is None:   # a store written before manifests kept them: count its statements
            rows = store.query("""
                PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
                SELECT ?p (COUNT(?st) AS ?n) WHERE { ?st a rdf:Statement ; rdf:predicate ?p } GROUP BY ?p""")
            return {row["p"].value.rsplit("#", 1)[1]: int(row["n"].value) for row in rows}
        total = Counter(before)
        total.update(self.relations)
        return dict(total)

    def _store_info(self, executor, changed: bool) -> dict:
        return {"path": str(self.gen if changed else self.live), "generation": (self.gen if changed else self.live).name,
                "mode": self.mode, "changed": changed, "new_papers": self.new_papers,
                "known_papers": self.known_papers, "new_sources": self.new_sources,
                "reextracted": self.reextracted, "relations_extracted": dict(self.relations),
                "executor": executor.name, "workers": executor.workers}

    def _failed(self, t_extract: float):
        self.report.seconds = {"read": round(t_extract - self.t0, 3)}
        return self.report

    def _listings(self) -> dict[str, str]:
        """Every file read into the store, by its real path, with the name it was read under (this
        build's, and the earlier builds' unless the store was started afresh): _spell_as_stored."""
        listings = {} if self.mode == "fresh" else dict(self.previous.get("listings") or {})
        for f in self.paths:
            listings[os.path.realpath(f)] = str(f)
        return listings

    def _unchanged(self, t_extract: float):
        """Nothing new: the live generation stays; outputs are written only if they are missing
        or were not made from it (a build killed between publishing and writing them)."""
        import pyoxigraph as ox

        from kg.oxstore import manifest

        report = self.report
        info = manifest(self.live)
        report.triples = info.get("triples", 0)
        report.entities = info.get("entities", {})
        report.relations = (dict(info["relations"]) if "relations" in info
                            else self._relations_total(ox.Store.read_only(str(self.live / "oxigraph"))))
        report.store = self._store_info(InlineExecutor(), changed=False)
        report.store["executor"] = None
        try:
            previous = json.loads((self.out / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
        made_from = (previous.get("store") or {}).get("generation")
        missing = ((self.turtle and not (self.out / "graph.ttl").exists())
                   or (self.html and not (self.out / "graph.html").exists()))
        if made_from != self.live.name or missing:
            store = ox.Store.read_only(str(self.live / "oxigraph"))
            staged = self._stage_outputs(store, report.triples)
            del store
            self._commit(staged, publish=False)
        t = time.perf_counter()
        report.seconds = {"extract": round(t_extract - self.t0, 3), "total": round(t - self.t0, 3)}
        return report

    def _stage_outputs(self, store, triples: int) -> list[tuple[Path, Path]]:
        from kg.oxstore import dump, memory_copy

        report = self.report
        staged, report.outputs = [], []
        if self.turtle:
            staged.append((_stage(self.out / "graph.ttl", lambda p: dump(store, p, "turtle")), self.out / "graph.ttl"))
            report.outputs.append(str(self.out / "graph.ttl"))
        if self.html:
            if triples <= HTML_MAX_TRIPLES:
                from kg.viz import write_html

                graph = memory_copy(store)
                staged.append((_stage(self.out / "graph.html", lambda p: write_html(graph, p)), self.out / "graph.html"))
                report.outputs.append(str(self.out / "graph.html"))
            else:
                report.store["html_skipped"] = (f"{triples} triples is more than an interactive page can show "
                                                f"({HTML_MAX_TRIPLES}); graph.html not written")
        report.outputs.append(str(self.out / "report.json"))
        return staged

    def _commit(self, staged: list[tuple[Path, Path]], publish: bool = True) -> None:
        """Publish the generation, then move every staged output into place (report.json last)."""
        from kg.oxstore import prune, publish as publish_generation

        report_tmp = _stage(self.out / "report.json",
                            lambda p: p.write_text(json.dumps(self.report.to_dict(), indent=2), encoding="utf-8"))
        if publish:
            publish_generation(self.out, self.gen)
        for tmp, target in staged:
            os.replace(tmp, target)
        if self.html and "html_skipped" in (self.report.store or {}):
            (self.out / "graph.html").unlink(missing_ok=True)   # a stale page would mislead
        if not self.turtle:
            (self.out / "graph.ttl").unlink(missing_ok=True)    # so would a stale graph.ttl
        os.replace(report_tmp, self.out / "report.json")
        if publish:
            prune(self.out)


def entity_counts(store) -> dict[str, int]:
    rows = store.query("""
        PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {
          VALUES ?c { kgo:Paper kgo:Method kgo:MethodFamily kgo:Dataset } ?s a ?c } GROUP BY ?c""")
    found = {row["c"].value.rsplit("#", 1)[1]: int(row["n"].value) for row in rows}
    counts = {name: found.get(name, 0) for name in ("Paper", "Method", "MethodFamily", "Dataset")}
    counts["Method"] -= counts["MethodFamily"]   # a family is typed kgo:Method too: counted as a family only
    return counts


def _stage(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file beside ``path``; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)   # mkstemp's 0600 would make the outputs private
    try:
        write(Path(tmp))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _clean_stale_temps(out: Path) -> None:
    """Temporary outputs of a killed build (the lock is held, so no one else is writing them)."""
    for name in ("graph.ttl", "graph.html", "report.json"):
        for p in out.glob(f".{name}.*.tmp"):
            p.unlink(missing_ok=True)
