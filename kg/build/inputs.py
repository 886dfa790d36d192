"""Reading a build's input: the papers of every listing, in order, with every entry accounted
for in the :class:`~kg.build.report.BuildReport`; the distinct papers of an in-memory build
(:class:`Corpus`); how far through its input a build is (:class:`InputPosition`)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.report import BuildReport
from kg.records import Paper, SkippedEntry, SourceRef, merge_papers, paper_ids
from kg.readers import InputPlan, ReaderError, ReadOptions, detect_format, display_path, plan_inputs, read_papers
from kg.readers.filters import CategoryFilter


@dataclass
class Corpus:
    """Distinct papers in reading order, with every listing each one came from.

    A paper is recognised by its arXiv id, its DOI or its title (:func:`kg.records.paper_ids`): the
    same paper from arXiv, OpenAlex and a BibTeX file is one entry, keyed (and so named in the
    graph) by the first source's title, and completed with what the others add
    (:func:`kg.records.merge_papers`).
    """

    papers: dict[str, Paper] = field(default_factory=dict)
    sources: dict[str, list[SourceRef]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)   # arXiv id / DOI / title id → paper key

    def add(self, paper: Paper) -> bool:
        """Add a paper; False when it was already there (its source and metadata are merged)."""
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


class InputPosition:
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
