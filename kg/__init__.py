"""kg: a knowledge-graph builder for research papers.

The pipeline, one module per arrow: :mod:`kg.readers` (files → papers) →
:mod:`kg.extract` (papers → triples with evidence) → :mod:`kg.normalize` (names → entities) →
:mod:`kg.graph` (entities → RDF) → :mod:`kg.query` / :mod:`kg.analysis` / :mod:`kg.viz` /
:mod:`kg.export`. :func:`kg.build.build` runs it end to end. Nothing is imported eagerly.
"""
__version__ = "0.1.0"
