"""Streaming, incremental, parallel build into the folder's Oxigraph store (what ``kg build`` does).

Papers are read, extracted and written in batches; the corpus is never held in memory at once:

    read (this process) ─ batches of new papers ─▶ extract_batch (kg.build.executors: inline,
        worker processes or Dask) ─▶ N-Triples + entity surface counts ─▶ Oxigraph bulk load
        (kg.build.spool: a writer thread)
                                   └▶ side table (kg.build.sidetable): papers, surfaces, families

The triples come from the one RDF mapping, :mod:`kg.graph.mapping` (``paper_triples``,
``fact_triples``, ``EntityLabels``), written as N-Triples by :mod:`kg.graph.ntriples` and bulk-loaded, so the graph is
the one the in-memory build (:mod:`kg.build.memory`) makes. Entity labels depend on every paper,
so each entity a build touched gets its labels written once, at the end of that build
(:mod:`kg.build.labels`).

Incremental: a paper already in the store is not extracted again (its new listing, if any, is
added as a ``kgo:source``); a build that adds nothing publishes nothing. When the extractors, the
vocabulary, the RDF mapping or ``min_confidence`` changed since the store was built
(:mod:`kg.build.fingerprint`), the stored papers are extracted again (from the records kept in the
side table) together with the new input. See :mod:`kg.oxstore` for how a build is made crash-safe.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import traceback
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.build import labels, sidetable
from kg.build.executors import Executor, make_executor
from kg.build.fingerprint import extraction_fingerprint
from kg.build.inputs import InputPosition, read_inputs
from kg.build.options import BuildOptions
from kg.build.report import BuildProgress, BuildReport, ProgressCallback
from kg.build.sidetable import SideTable
from kg.build.spool import StoreWriter
from kg.build.staging import StagedBuild, clean_stale_temps
from kg.build.worker import BatchResult, extract_batch, warm_up
from kg.records import Paper, SourceRef
from kg.graph.ntriples import lines
from kg import oxstore
from kg.graph.mapping import source_triples
from kg.readers import InputPlan, plan_inputs
from kg.stats import LEADERBOARD, STATS_GRAPH, FactCounts, leaderboard_ntriples


def build_store(paths: Iterable[str | Path], out_dir: str | Path, options: BuildOptions = BuildOptions(),
                progress: ProgressCallback | None = None) -> BuildReport:
    """Build (or extend) the store of ``out_dir`` with the listings in ``paths`` (files, or folders
    of them) and write ``graph.ttl`` and ``report.json`` from it (:func:`staged_store_build`)."""
    with staged_store_build(paths, out_dir, options, progress) as staged:
        pass
    return staged.report


@contextmanager
def staged_store_build(paths: Iterable[str | Path], out_dir: str | Path, options: BuildOptions = BuildOptions(),
                       progress: ProgressCallback | None = None) -> Iterator[StagedBuild]:
    """Build (or extend) the store of ``out_dir``; the outputs are published when the ``with``
    block ends without an error (steps in it stage theirs: :class:`kg.build.staging.StagedBuild`),
    and thrown away with the new store generation when it raises. The report's ``store`` tells
    what happened to the store.

    One build of a folder at a time (``options.wait``: seconds to wait for another before refusing,
    :class:`kg.oxstore.StoreBusy`). A paper already in the store under the same arXiv id, DOI or
    title is the same node: the new listing is added as a source and the metadata it brings as
    triples (:meth:`kg.build.sidetable.SideTable.merge`).
    """
    out = Path(out_dir)
    plan = plan_inputs(paths, options.format)   # a folder: the listing files under it
    with oxstore.build_lock(out, options.wait):
        oxstore.prune(out)
        clean_stale_temps(out)
        live = oxstore.current_generation(out)
        fingerprint = extraction_fingerprint(options.min_confidence, options.model)
        previous = oxstore.manifest(live) if live else {}
        if options.fresh or live is None:
            mode = "fresh"
        elif options.reextract or previous.get("fingerprint") != fingerprint:
            mode = "reextract"
        else:
            mode = "incremental"
        if mode != "fresh":   # a file the store has read keeps the name it was first read under
            _spell_as_stored(plan, previous.get("listings") or {})
        gen = oxstore.next_generation(out)
        gen.mkdir(parents=True)
        staged = None
        try:
            staged = _Build(out, gen, live, previous, mode, fingerprint, plan, options, progress).run()
            yield staged
            staged.commit()
        except BaseException as exc:
            # The traceback's frames hold the half-written store open (RocksDB keeps its LOCK while
            # the object lives); drop them so a retry in this process can open a store there again.
            traceback.clear_frames(exc.__traceback__)
            raise
        finally:
            if staged is not None:
                staged.discard()
            if gen.exists() and (oxstore.current_generation(out) != gen):
                shutil.rmtree(gen, ignore_errors=True)


def _spell_as_stored(plan: InputPlan, listings: dict[str, str]) -> None:
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
    """One build of a store generation: :meth:`run` streams the input into it and stages outputs."""

    def __init__(self, out: Path, gen: Path, live: Path | None, previous: dict, mode: str, fingerprint: str,
                 plan: InputPlan, options: BuildOptions, progress: ProgressCallback | None) -> None:
        self.out, self.gen, self.live, self.previous, self.mode = out, gen, live, previous, mode
        self.fingerprint, self.plan, self.paths, self.options = fingerprint, plan, plan.files, options
        self.progress_fn = progress
        self.report = BuildReport(min_confidence=options.min_confidence)
        self.t0 = time.perf_counter()
        self.run_no = previous.get("run", 0) + 1 if mode == "incremental" else 1
        self.extracted = 0
        self.new_papers = self.known_papers = self.new_sources = self.reextracted = self.enriched = 0
        self.relations: Counter[str] = Counter()
        self.counts = FactCounts()   # for the stats graph; flushed into the side table now and then
        self.store: ox.Store | None = None   # the store the outputs are written from, until committed

    def _progress(self, stage: str, fraction: float | None) -> None:
        if self.progress_fn:
            self.progress_fn(BuildProgress(stage, self.report.papers, self.extracted, fraction,
                                           time.perf_counter() - self.t0))

    def run(self) -> StagedBuild:
        report = self.report
        if self.mode == "incremental":
            ox.Store.read_only(str(self.live / "oxigraph")).backup(str(self.gen / "oxigraph"))
            shutil.copyfile(self.live / "side.sqlite", self.gen / "side.sqlite")
        store = ox.Store(str(self.gen / "oxigraph"))
        side = SideTable(self.gen / "side.sqlite", self.run_no)
        stored = None
        if self.mode == "reextract":
            stored = SideTable(self.live / "side.sqlite", 0, writable=False)
        position = InputPosition(self.paths)
        input_bytes = sum(position.sizes.values())
        if stored is not None:
            input_bytes += self.previous.get("input_bytes", 0) or 1500 * stored.papers()
        executor = make_executor(self.options.workers, self.options.dask, input_bytes, warm_up)
        writer = StoreWriter(store, self.gen)
        t_streamed = t_labelled = None
        label_spool = self.gen / "spool-labels.nt"
        try:
            try:
                self._stream(side, stored, position, executor, writer)
                t_streamed = time.perf_counter()
                writer.finish()
                if report.ok and self._changed():
                    # The labels are worked out while the last spool file loads (its load, on
                    # Oxigraph's threads, and this Python work overlap: 1M papers, ~16 s)
                    self._progress("labels", None)
                    labels.spool_labels(side, label_spool)
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
            label_spool.unlink(missing_ok=True)
            del writer, store
            return self._unchanged(t_extract) if report.ok else self._failed(t_extract)
        labels.load_labels(store, side, label_spool)
        side.add_counts(self.counts)
        boards = side.leaderboards(LEADERBOARD)
        papers_total = side.papers()
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
                    "min_confidence": self.options.min_confidence, "triples": report.triples, "papers": papers_total,
                    "entities": report.entities, "relations": report.relations,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "input_bytes": input_bytes if self.mode != "incremental" else
                    self.previous.get("input_bytes", 0) + sum(position.sizes.values()),
                    "listings": self._listings()}
        (self.gen / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        report.store = self._store_info(executor, changed=True)
        self.store = store
        del writer, store

        def finish() -> None:
            self.store = None   # closes RocksDB before the generation is published
            t_out = time.perf_counter()
            report.seconds = {"extract": round(t_extract - self.t0, 3), "labels": round(t_labels - t_extract, 3),
                              "write": round(t_out - t_labels, 3), "total": round(t_out - self.t0, 3),
                              "optimize": round(t_optimized - t_optimize, 3),   # (part of "labels")
                              "last_load": round(t_extract - t_streamed, 3),    # (part of "extract")
                              "labels_spooled": round(t_labelled - t_streamed, 3)}  # (during "last_load")

        def after() -> None:
            oxstore.prune(self.out)
            self._progress("done", 1.0)

        return StagedBuild(self.out, report, graph=self._graph, stage_own=self._stage_outputs,
                           publish=lambda: oxstore.publish(self.out, self.gen), finish=finish, after=after)

    def _stream(self, side: SideTable, stored: SideTable | None, position: InputPosition, executor: Executor,
                writer: StoreWriter) -> None:
        report = self.report
        inflight: deque = deque()
        max_inflight = 2 * executor.workers + 1
        pending: list[tuple[Paper, tuple[SourceRef, ...]]] = []
        batch_size, min_confidence, model = self.options.batch_size, self.options.min_confidence, self.options.model

        def handle(item) -> None:
            future, n, fraction, stage = item
            result: BatchResult = future.result()
            writer.put(result.nt, fraction)
            side.add_batch(result)
            self.relations.update(result.relations)
            if result.counts is not None:
                self.counts.update(result.counts)
                if self.counts.size() >= sidetable.STATS_FLUSH:   # bounded memory: sum into the side table
                    side.add_counts(self.counts)
                    self.counts = FactCounts()
            self.extracted += n
            self._progress(stage, fraction)

        def submit(stage: str, fraction: float | None) -> None:
            if not pending:
                return
            while len(inflight) >= max_inflight:
                handle(inflight.popleft())
            inflight.append((executor.submit(extract_batch, list(pending), min_confidence, model),
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
                if len(pending) >= batch_size:
                    submit("reextract", i / total)
            submit("reextract", 1.0)

        for paper in read_inputs(self.plan, self.options.format, report, self.options.categories,
                                 self.options.read_options()):
            key = side.resolve(paper)              # same arXiv id, DOI or title: the same paper node
            seen = side.paper_seen_run(key)
            if seen is None:                       # new: extract it
                side.add_paper(key, paper)
                side.add_source(key, paper.source)
                report.papers += 1
                self.new_papers += 1
                pending.append((paper, ()))
                if len(pending) >= batch_size:
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

    def _relations_total(self, store: ox.Store) -> dict[str, int]:
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

    def _store_info(self, executor: Executor | None, changed: bool) -> dict:
        return {"path": str(self.gen if changed else self.live), "generation": (self.gen if changed else self.live).name,
                "mode": self.mode, "changed": changed, "new_papers": self.new_papers,
                "known_papers": self.known_papers, "new_sources": self.new_sources,
                "reextracted": self.reextracted, "relations_extracted": dict(self.relations),
                "executor": executor.name if executor else None, "workers": executor.workers if executor else 1}

    def _failed(self, t_extract: float) -> StagedBuild:
        self.report.seconds = {"read": round(t_extract - self.t0, 3)}
        return StagedBuild(self.out, self.report, writing=False)

    def _listings(self) -> dict[str, str]:
        """Every file read into the store, by its real path, with the name it was read under (this
        build's, and the earlier builds' unless the store was started afresh): _spell_as_stored."""
        listings = {} if self.mode == "fresh" else dict(self.previous.get("listings") or {})
        for f in self.paths:
            listings[os.path.realpath(f)] = str(f)
        return listings

    def _unchanged(self, t_extract: float) -> StagedBuild:
        """Nothing new: the live generation stays; outputs are written only if they are missing
        or were not made from it (a build killed between publishing and writing them), or when a
        step after the build stages one."""
        report = self.report
        info = oxstore.manifest(self.live)
        report.triples = info.get("triples", 0)
        report.entities = info.get("entities", {})
        report.relations = (dict(info["relations"]) if "relations" in info
                            else self._relations_total(ox.Store.read_only(str(self.live / "oxigraph"))))
        report.store = self._store_info(None, changed=False)
        try:
            previous = json.loads((self.out / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
        made_from = (previous.get("store") or {}).get("generation")
        missing = self.options.turtle and not (self.out / "graph.ttl").exists()

        def stage_own(staged: StagedBuild) -> None:
            self.store = ox.Store.read_only(str(self.live / "oxigraph"))
            self._stage_outputs(staged)

        def finish() -> None:
            self.store = None
            t = time.perf_counter()
            report.seconds = {"extract": round(t_extract - self.t0, 3), "total": round(t - self.t0, 3)}

        staged = StagedBuild(self.out, report, graph=self._graph, writing=False, stage_own=stage_own,
                             finish=finish)
        if made_from != self.live.name or missing:
            staged.write_outputs()
        return staged

    def _graph(self):
        """The built graph in memory, for steps after the build (read from the store that is published)."""
        if self.store is None:
            self.store = ox.Store.read_only(str(self.live / "oxigraph"))
        return oxstore.memory_copy(self.store)

    def _stage_outputs(self, staged: StagedBuild) -> None:
        """graph.ttl (unless ``turtle=False``: then an older one is removed)."""
        if self.options.turtle:
            store = self.store
            staged.stage("graph.ttl", lambda p: oxstore.dump(store, p, "turtle"))
        else:
            staged.leave_out("graph.ttl")


def entity_counts(store: ox.Store) -> dict[str, int]:
    """Papers, methods, method families, datasets in ``store`` (a family, typed kgo:Method too,
    counts as a family only)."""
    rows = store.query("""
        PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {
          VALUES ?c { kgo:Paper kgo:Method kgo:MethodFamily kgo:Dataset } ?s a ?c } GROUP BY ?c""")
    found = {row["c"].value.rsplit("#", 1)[1]: int(row["n"].value) for row in rows}
    counts = {name: found.get(name, 0) for name in ("Paper", "Method", "MethodFamily", "Dataset")}
    counts["Method"] -= counts["MethodFamily"]   # a family is typed kgo:Method too: counted as a family only
    return counts
