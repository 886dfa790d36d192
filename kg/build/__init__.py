"""The build: listings → papers → facts → RDF → the folder's store and outputs.

    options      BuildOptions: what a build is asked to do (one frozen object)
    report       BuildReport, BuildProgress: what it tells its caller
    inputs       reading the listings, every entry accounted for
    worker       extraction of papers and batches (runs wherever an executor puts it)
    executors    inline / process pool / Dask, and worker-process plumbing
    sidetable    the SQLite side table of a store generation
    spool        the two-thread N-Triples spool writer and bulk loader
    labels       entity labels, once per store build
    fingerprint  what decides the stored triples (a change re-extracts)
    staging      outputs staged and moved into place together (StagedBuild)
    store_build  the streaming, incremental build into the Oxigraph store
    memory       the plain in-memory rdflib build

:func:`build` runs a build to the end; :func:`staged_build` lets steps after it (``kg build``'s
HTML page, :mod:`kg.page`) add outputs that are published with the build's. The build knows
nothing of views, queries or the command line.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from kg.build.memory import staged_memory_build
from kg.build.options import BuildOptions
from kg.build.report import BuildProgress, BuildReport
from kg.build.staging import StagedBuild
from kg.build.store_build import staged_store_build

__all__ = ["BuildOptions", "BuildProgress", "BuildReport", "StagedBuild", "build", "staged_build"]


def staged_build(paths: Iterable[str | Path], out_dir: str | Path, options: BuildOptions = BuildOptions(),
                 progress: Callable | None = None) -> AbstractContextManager[StagedBuild]:
    """Build the graph of the listings in ``paths`` (files, or folders of them) into ``out_dir``;
    the outputs are published when the ``with`` block ends without an error.

    ``options.store="oxigraph"`` (default): stream the papers into the folder's persistent store
    (:func:`kg.build.store_build.staged_store_build`: batches, worker processes or a Dask cluster,
    adds new papers only, crash-safe, one writer at a time; ``progress`` receives
    :class:`BuildProgress`). ``options.store="memory"``: the plain rdflib build
    (:func:`kg.build.memory.staged_memory_build`; ``progress`` receives the papers extracted).
    """
    if options.store == "memory":
        return staged_memory_build(paths, out_dir, options, progress)
    return staged_store_build(paths, out_dir, options, progress)


def build(paths: Iterable[str | Path], out_dir: str | Path, options: BuildOptions = BuildOptions(),
          progress: Callable | None = None) -> BuildReport:
    """Build the graph of the listings in ``paths`` into ``out_dir``: ``graph.ttl`` (unless
    ``options.turtle`` is False) and ``report.json``; returns the report (:func:`staged_build`).
    Nothing is written when no paper could be read, so a failed run leaves the previous outputs
    intact."""
    with staged_build(paths, out_dir, options, progress) as staged:
        pass
    return staged.report
