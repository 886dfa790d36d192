"""The build folder's interactive page, ``graph.html``: a step ``kg build`` runs on the built
graph before the build's outputs are published (:class:`kg.build.StagedBuild`), so a page that
fails to draw leaves the previous outputs and store as they were.

Imports the build's public API and the view (:func:`kg.viz.write_html`); the build imports
neither this module nor the view.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kg.build import BuildOptions, BuildReport, StagedBuild, staged_build
from kg import viz

PAGE = "graph.html"
HTML_MAX_TRIPLES = 250_000     # a store build's page is skipped above this (an interactive page cannot show more)


def add_page(staged: StagedBuild) -> None:
    """Stage ``graph.html`` of the built graph, unless the page is current (a store build that
    changed nothing and wrote no output) or the store's graph is too big for a page (then an
    older page is removed and ``report.store["html_skipped"]`` says why). An in-memory build holds
    its whole graph anyway: its page is always drawn."""
    report = staged.report
    if not report.ok or (not staged.writing and (staged.out / PAGE).exists()):
        return
    if report.store and report.triples > HTML_MAX_TRIPLES:
        staged.leave_out(PAGE)
        report.store["html_skipped"] = (f"{report.triples} triples is more than an interactive page can show "
                                        f"({HTML_MAX_TRIPLES}); {PAGE} not written")
        return
    graph = staged.graph()
    staged.stage(PAGE, lambda p: viz.write_html(graph, p))


def build_with_page(paths: Iterable[str | Path], out_dir: str | Path, options: BuildOptions = BuildOptions(),
                    progress: Callable | None = None, *, page: bool = True) -> BuildReport:
    """Build (:func:`kg.build.build`) and, with ``page``, draw ``graph.html`` (:func:`add_page`),
    published together: what ``kg build`` does."""
    with staged_build(paths, out_dir, options, progress) as staged:
        if page:
            add_page(staged)
    return staged.report
