"""A build's outputs, staged and then moved into place together (:class:`StagedBuild`), so a
build that fails or is killed leaves the previous ``graph.ttl`` and ``report.json`` (and what
steps after the build add, such as ``kg build``'s ``graph.html``) intact.

Imports the one atomic file writer (:mod:`kg.files`) and the report; no store, no view.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from kg.build.report import BuildReport
from kg.files import stage_file

# The files a build folder's outputs are written as (temporary copies of them are named
# ".NAME.*.tmp" beside them, kg.files.stage_file): graph.html is written by the step after the
# build that draws the page (kg.page), under the same lock.
OUTPUT_NAMES = ("graph.ttl", "graph.html", "report.json")

Hook = Callable[[], None]


class StagedBuild:
    """A finished build whose outputs wait to be moved into place, all at once, by :meth:`commit`.

    Steps that run after the build (``kg build``'s HTML page: :func:`kg.page.add_page`) read the
    built graph (:meth:`graph`) and stage their files with :meth:`stage`, so a step that fails
    leaves the previous outputs and store as they were. ``writing``: whether this build writes
    its outputs (a store build that changed nothing writes none unless they are missing or stale,
    or a step stages a file: then they are all written again, ``stage_own``).

    The build provides the hooks: ``publish`` makes the new store live before the outputs move,
    ``finish`` (timings, closing the store) runs first and ``after`` (pruning) last.
    """

    def __init__(self, out: Path, report: BuildReport, *, graph: Callable[[], Graph] | None = None,
                 writing: bool = True, stage_own: Callable[[StagedBuild], None] | None = None,
                 publish: Hook | None = None, finish: Hook | None = None, after: Hook | None = None) -> None:
        self.out, self.report = out, report
        self.writing = writing
        self._graph_fn, self._graph = graph, None
        self._stage_own, self._publish, self._finish, self._after = stage_own, publish, finish, after
        self._staged: list[tuple[Path, Path]] = []
        self._removed: list[Path] = []
        self._done = False
        if writing and stage_own is not None:
            stage_own(self)

    def graph(self) -> Graph:
        """The built graph in memory (read once; for steps that draw it)."""
        if self._graph is None:
            if self._graph_fn is None:
                raise ValueError("this build has no graph (no paper could be read)")
            self._graph = self._graph_fn()
        return self._graph

    def write_outputs(self) -> None:
        """Write every output, even when the build would have written none (nothing changed)."""
        if not self.writing:
            self.writing = True
            if self._stage_own is not None:
                self._stage_own(self)

    def stage(self, name: str, write: Callable[[Path], None]) -> None:
        """Write the output ``name`` through ``write(temporary_path)``; it moves into place on commit."""
        self.write_outputs()
        target = self.out / name
        self._staged.append((stage_file(target, write), target))
        self.report.outputs.append(str(target))

    def leave_out(self, name: str) -> None:
        """An output not written this time: an older copy is removed on commit (it would mislead)."""
        self.write_outputs()
        self._removed.append(self.out / name)

    def commit(self) -> None:
        """Publish the build: the store first, then every staged output, ``report.json`` last."""
        if self._done:
            return
        self._done = True
        self._graph = self._graph_fn = None   # (a copy of the store's graph is not needed any more)
        if self._finish is not None:
            self._finish()
        if not self.writing:
            return
        report_file = self.out / "report.json"
        self.report.outputs.append(str(report_file))
        report_tmp = stage_file(report_file, lambda p: p.write_text(json.dumps(self.report.to_dict(), indent=2),
                                                                    encoding="utf-8"))
        try:
            if self._publish is not None:
                self._publish()
            while self._staged:
                tmp, target = self._staged.pop(0)
                os.replace(tmp, target)
            for path in self._removed:
                path.unlink(missing_ok=True)
            os.replace(report_tmp, report_file)
        finally:
            report_tmp.unlink(missing_ok=True)
        if self._after is not None:
            self._after()

    def discard(self) -> None:
        """Throw away what was staged and not committed (a build or a step failed)."""
        self._done = True
        self._graph = self._graph_fn = None
        while self._staged:
            self._staged.pop()[0].unlink(missing_ok=True)


def clean_stale_temps(out: Path) -> None:
    """Temporary outputs of a killed build (the build lock is held, so no one else is writing them)."""
    for name in OUTPUT_NAMES:
        for p in out.glob(f".{name}.*.tmp"):
            p.unlink(missing_ok=True)
