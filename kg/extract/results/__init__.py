"""paper → reportsResult → (method, dataset, metric, value): the absolute scores an abstract states.

:mod:`.rules` reads every number of a sentence that could be a score and decides, rule by rule,
whether it is one, its metric, its dataset and its method; :mod:`.learned` takes the rules'
readings (and the same number credited to the paper's main method) as candidates and lets a
trained model decide. Each result keeps its sentence as evidence.
"""
from __future__ import annotations

from collections.abc import Iterator

from kg.extract import Document, register_extractor
from kg.extract.results.learned import decide_results
from kg.extract.results.rules import rule_results
from kg.model import Extraction

__all__ = ["extract_results"]


@register_extractor("results", "reportsResult")
def extract_results(doc: Document) -> Iterator[Extraction]:
    """paper reportsResult (method, dataset, metric, value): absolute scores with their sentence."""
    decide = doc.model.get("reportsResult") if doc.model is not None else None
    if decide is not None:
        yield from decide_results(doc, decide)
    else:
        yield from rule_results(doc)
