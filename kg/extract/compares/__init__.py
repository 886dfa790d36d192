"""method → comparesTo → method, with the outcome of the comparison (who wins).

:mod:`.rules` splits a sentence at a comparative cue ("outperforms", "inferior to", "on par
with", "compared with") into the named sides; :mod:`.learned` makes every mention pair around a
cue a candidate and lets a trained model decide which ones the sentence compares.
"""
from __future__ import annotations

from collections.abc import Iterator

from kg.extract import Document, register_extractor
from kg.extract.compares.learned import decide_comparisons
from kg.extract.compares.rules import rule_comparisons
from kg.records import Extraction

__all__ = ["extract_compares"]


@register_extractor("compares", "comparesTo")
def extract_compares(doc: Document) -> Iterator[Extraction]:
    """method comparesTo method with the outcome, from comparative cues."""
    decide = doc.model.get("comparesTo") if doc.model is not None else None
    if decide is not None:
        yield from decide_comparisons(doc, decide)
    else:
        yield from rule_comparisons(doc)
