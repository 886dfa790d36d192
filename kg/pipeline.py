"""read papers → extract triples → normalise entities → build RDF → write outputs.

Each arrow is a function of its own; :func:`build` strings them together and returns a
:class:`BuildReport` that accounts for every entry read. The library never prints.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from kg.model import Fact, Paper, SkippedEntry, SourceRef

if TYPE_CHECKING:
    from kg.readers import InputPlan, ReadOptions

ProgressFn = Callable[[int], None]


@dataclass
class BuildReport:
    files: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    entries: int = 0            # entries seen in all files (papers + duplicates + skipped + filtered)
    papers: int = 0             # distinct papers
    duplicates: int = 0         # entries merged into a paper read before (same arXiv id, DOI or title)
    filtered: int = 0           # entries left out by a category filter (kg build --category)
    skipped: list[dict] = field(default_factory=list)   # {"source": "file:line", "reason": ...}
    readers: dict[str, str] = field(default_factory=dict)   # file → the reader that read it
    left_out: list[dict] = field(default_factory=list)  # files in folders not read: {"file", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"source": "file[:line]", "message": ...}
    triples: int = 0
    relations: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    min_confidence: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    store: dict = field(default_factory=dict)   # what the build did to the persistent store (kg.stream)

    @property
    def ok(self) -> bool:
        return self.papers > 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Corpus:
    """Distinct papers in reading order, with every listing each one came from.

    A paper is recognised by its arXiv id, its DOI or its title (:func:`kg.model.paper_ids`): the
    same paper from arXiv, OpenAlex and a BibTeX file is one entry, keyed (and so named in the
    graph) by the first source's title, and completed with what the others add
    (:func:`kg.model.merge_papers`).
    """

    papers: dict[str, Paper] = field(default_factory=dict)
    sources: dict[str, list[SourceRef]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)   # arXiv id / DOI / title id → paper key

    def add(self, paper: Paper) -> bool:
        """Add a paper; False when it was already there (its source and metadata are merged)."""
        from kg.model import merge_papers, paper_ids

        ids = paper_ids(paper)
        key = next((self.ids[i] for i in ids if i in self.ids), paper.key)
        for i in ids:
            self.ids.setdefault(i, key)
        if key in self.papers:
            self.sources[key].append(paper.source)
            self.papers[key] = merge_papers(self.papers[key], paper)
            return False
        self.papers[key] = paper
        self.sources[key] = [paper.source]
        return True

    def __iter__(self) -> Iterator[tuple[Paper, list[SourceRef]]]:
        for key, paper in self.papers.items():
            yield paper, self.sources[key]

    def __len__(self) -> int:
        return len(self.papers)


def read_corpus(paths: Iterable[str | Path], format: str | None = None,
                report: BuildReport | None = None, categories: Iterable[str] = (),
                options: ReadOptions | None = None) -> Corpus:
    """Read every file (a folder: the listing files under it, :func:`kg.readers.plan_inputs`); a
    file that cannot be read is reported and the others still read. With ``categories``, only
    papers in those categories or archives are kept (``report.filtered`` counts the others)."""
    from kg.readers import plan_inputs

    report = report if report is not None else BuildReport()
    corpus = Corpus()
    for paper in read_inputs(plan_inputs(paths, format), format, report, tuple(categories), options):
        if not corpus.add(paper):
            report.duplicates += 1
    report.papers = len(corpus)
    return corpus


def read_inputs(plan: InputPlan, format: str | None, report: BuildReport, categories: tuple[str, ...] = (),
                options: ReadOptions | None = None) -> Iterator[Paper]:
    """The papers of every file of ``plan``, in order; everything else goes into ``report``: the
    files and the reader of each, the files of folders left out, skipped entries, readers'
    warnings, files that could not be read, entries seen and entries outside ``categories``."""
    from kg.readers import ReaderError, detect_format, display_path, read_papers
    from kg.readers.filters import CategoryFilter

    # File names as they can be shown (a newline or U+202E in a name would forge or garble a
    # summary line; undecodable bytes could not be written as JSON): every file the report lists.
    def warn(w) -> None:
        shown = display_path(w.source.path)
        where = f"{shown}:{w.source.line}" if w.source.line else shown
        report.warnings.append({"source": where, "message": w.message})

    report.left_out.extend({**item, "file": display_path(item["file"])} for item in plan.left_out)
    category_filter = CategoryFilter(categories) if categories else None
    for path in plan.files:
        shown = display_path(path)
        report.files.append(shown)
        try:
            name = format or plan.readers.get(str(path)) or detect_format(path)
            report.readers[shown] = name
            for item in read_papers(path, name, category_filter, options=options, on_warning=warn):
                report.entries += 1
                if isinstance(item, SkippedEntry):   # its path is shown escaped already (read_papers)
                    where = f"{item.source.path}:{item.source.line}" if item.source.line else item.source.path
                    report.skipped.append({"source": where, "reason": item.reason})
                else:
                    yield item
        except ReaderError as exc:   # its message names the file escaped
            report.readers.pop(shown, None)
            report.file_errors.append(str(exc))
        if category_filter is not None:   # entries the filter left out, as read so far
            report.entries += category_filter.rejected - report.filtered
            report.filtered = category_filter.rejected


def extract_facts(papers: Iterable[Paper], min_confidence: float = 0.0,
                  progress: ProgressFn | None = None, model: str | None = None) -> Iterator[Fact]:
    """Extract and normalise every paper's triples, keeping those at or above ``min_confidence``.

    ``model``: the extraction model's file (None: the shipped default; "rules": no model)."""
    from kg.extract import extract
    from kg.learn.model import load_model
    from kg.normalize import normalise
    from kg.graph.mapping import one_fact_per_statement
    from kg.vocab import default_vocabulary

    vocab = default_vocabulary()
    decider = load_model(model)
    for i, paper in enumerate(papers, 1):
        extractions = [e for e in extract(paper, vocab, model=decider) if e.confidence >= min_confidence]
        # one fact per statement here, where both build paths (memory, store) take their facts
        yield from one_fact_per_statement(normalise(paper, extractions, vocab))
        if progress:
            progress(i)


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``.

    A crash mid-way leaves the previous file intact. The file is flushed to disk before the
    rename (a power cut cannot leave an empty file under the old name) and gets the usual
    permissions (mkstemp's are owner-only; outputs are meant to be shared).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(paths: Iterable[str | Path], out_dir: str | Path, *, format: str | None = None,
          min_confidence: float = 0.0, html: bool = True,
          progress: ProgressFn | None = None, store: str = "oxigraph", workers: int | None = None,
          dask: str | None = None, fresh: bool = False, reextract: bool = False,
          wait: float = 0.0, categories: Iterable[str] = (), turtle: bool = True,
          columns: dict[str, str] | None = None, encoding: str | None = None,
          model: str | None = None) -> BuildReport:
    """Build the graph of the listings in ``paths`` into ``out_dir``.

    Writes ``graph.ttl``, ``graph.html`` (unless ``html=False``) and ``report.json``. Nothing is
    written when no paper could be read, so a failed run leaves the previous outputs intact.

    ``store="oxigraph"`` (default): stream the papers into the folder's persistent Oxigraph store
    (:func:`kg.stream.build_store`: batches, ``workers`` processes or a ``dask`` cluster, adds new
    papers only, crash-safe, one writer at a time; ``progress`` receives
    :class:`kg.stream.BuildProgress`). ``store="memory"``: the plain rdflib path, the whole graph in
    memory and the outputs replaced (``progress`` receives the number of papers extracted).

    ``categories``: keep only papers in these arXiv categories or archives ("cs.CV", "cs");
    ``turtle=False``: skip ``graph.ttl`` (for big stores; ``kg export`` writes it when needed).
    ``columns`` (paper field → header) and ``encoding``: how to read tables and text files whose
    headers or encoding detection would miss (:class:`kg.readers.ReadOptions`; ValueError when
    ``encoding`` is unknown).
    ``model``: the extraction model's file (``kg train``; None: the shipped one; "rules": none).
    """
    from kg.readers import ReadOptions

    options = ReadOptions(columns=dict(columns or {}), encoding=encoding)
    if store == "oxigraph":
        from kg.stream import build_store

        return build_store(paths, out_dir, format=format, min_confidence=min_confidence, html=html,
                           workers=workers, dask=dask, fresh=fresh, reextract=reextract, wait=wait,
                           progress=progress, categories=categories, turtle=turtle, read_options=options,
                           model=model)
    if store != "memory":
        raise ValueError(f"unknown store {store!r}: 'oxigraph' or 'memory'")
    if not turtle:
        raise ValueError("store='memory' keeps the graph only in graph.ttl: it cannot skip writing it")
    from kg.oxstore import has_store
    if has_store(out_dir):
        raise ValueError(f"{out_dir} holds a kg store: build into it without store='memory', "
                         "or choose another output folder")
    from kg.graph.mapping import build_graph
    from kg.vocab import default_vocabulary

    out = Path(out_dir)
    report = BuildReport(min_confidence=min_confidence)
    t0 = time.perf_counter()
    corpus = read_corpus(paths, format, report, categories, options)
    t1 = time.perf_counter()
    if not report.ok:
        report.seconds = {"read": round(t1 - t0, 3)}
        return report
    facts = list(extract_facts((p for p, _ in corpus), min_confidence, progress, model))
    t2 = time.perf_counter()
    families = {k: c.label for k, c in default_vocabulary().concepts.items() if c.is_family}
    graph = build_graph(corpus, facts, families)
    t3 = time.perf_counter()
    report.triples = len(graph)
    for fact in facts:
        report.relations[fact.predicate] = report.relations.get(fact.predicate, 0) + 1
    report.entities = _entity_counts(graph)
    write_atomic(out / "graph.ttl", lambda p: graph.serialize(p, format="turtle", encoding="utf-8"))
    report.outputs.append(str(out / "graph.ttl"))
    if html:
        from kg.viz import write_html
        write_atomic(out / "graph.html", lambda p: write_html(graph, p))
        report.outputs.append(str(out / "graph.html"))
    t4 = time.perf_counter()
    report.seconds = {"read": round(t1 - t0, 3), "extract": round(t2 - t1, 3),
                      "rdf": round(t3 - t2, 3), "write": round(t4 - t3, 3), "total": round(t4 - t0, 3)}
    write_atomic(out / "report.json",
                 lambda p: p.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8"))
    report.outputs.append(str(out / "report.json"))
    return report


def _entity_counts(graph) -> dict[str, int]:
    """Papers, methods, method families, datasets: a family (typed kgo:Method too) counts as a
    family only, as ``kg stats`` counts it (kg.analysis.ENTITY_NAMES)."""
    from rdflib.namespace import RDF

    from kg.graph.iris import KGO
    counts = {name: len(set(graph.subjects(RDF.type, KGO[name])))
              for name in ("Paper", "Method", "MethodFamily", "Dataset")}
    counts["Method"] -= counts["MethodFamily"]
    return counts
