"""Moved to :mod:`kg.graph` (issue 22). Kept only for kg/serve.py's one import of ``PREFIXES``,
which this branch does not touch (another helper's area); delete it once that import reads
``from kg.graph.iris import PREFIXES``."""
from kg.graph.iris import PREFIXES

__all__ = ["PREFIXES"]
