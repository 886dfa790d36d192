"""The side table of a store generation (SQLite): every paper read with its record, sources and
identifiers, the entities seen with their surface counts, the families, and the counts of the
stats graph. What the store build needs to add papers incrementally, label entities once per
build and re-extract the stored papers without their listings.

Imports the paper model, the RDF mapping's IRIs and the stats counts; no store, no executor.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from kg.build.worker import BatchResult
from kg.records import Paper, SourceRef, merge_papers, paper_ids
from kg.graph.iris import family_iri
from kg.graph.mapping import added_metadata
from kg.stats import FactCounts, Leaderboards, top_with_ties

STATS_FLUSH = 200_000         # counted entities held before they are summed into the side table


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
        or title (:func:`kg.records.paper_ids`), else its own."""
        ids = paper_ids(paper)
        if len(ids) == 1:
            row = self.db.execute("SELECT key FROM paper_ids WHERE id=?", ids).fetchone()
            return paper.key if row is None else row[0]
        found = dict(self.db.execute(   # one lookup for all of them; the strongest id that is known wins
            f"SELECT id, key FROM paper_ids WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall())
        return next((found[i] for i in ids if i in found), paper.key)

    def add_ids(self, key: str, paper: Paper) -> None:
        self.db.executemany("INSERT OR IGNORE INTO paper_ids VALUES (?,?)", [(i, key) for i in paper_ids(paper)])

    def merge(self, key: str, paper: Paper) -> list:
        """Merge another source's ``paper`` into the stored paper ``key``: its identifiers are
        registered, its metadata completes the stored record, and the triples that adds are
        returned (:func:`kg.graph.mapping.added_metadata`)."""
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
        """Entities this run touched that an earlier run labelled (:func:`kg.build.labels.load_labels`)."""
        yield from (iri for (iri,) in self.db.execute(
            "SELECT iri FROM entities WHERE touched=? AND first_run<? ORDER BY iri", (self.run, self.run)))

    def unowned_families(self) -> dict[str, str]:
        """Referenced families that are not entities of their own (they get family_triples)."""
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
