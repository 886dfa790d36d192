"""What the commands share: failing with one line, opening a graph given on the command line."""
from __future__ import annotations

import sys
from pathlib import Path

import click


def fail(message: str, code: int = 1) -> None:
    """Print ``error: message`` on stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def open_graph(location: Path, backend: str = "auto"):
    """The graph at ``location`` (:func:`kg.store.load_graph`); exits naming it when it cannot be read."""
    from kg.store import GraphNotFound, load_graph

    try:
        return load_graph(location, backend=backend)
    except GraphNotFound as exc:
        fail(str(exc))
    except Exception as exc:
        fail(f"{location}: cannot read graph: {exc}")
