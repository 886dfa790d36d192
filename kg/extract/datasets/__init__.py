"""paper → evaluatesOn → dataset: the datasets a paper evaluates on, not those it pre-trains on.

:mod:`.rules` finds dataset names (the vocabulary, "X dataset/benchmark" patterns, names after
"on" in an evaluation sentence) and keeps those in an evaluation context; :mod:`.learned` makes
every mention a candidate and lets a trained model decide.
"""
from __future__ import annotations

from kg.extract import Document, register_extractor
from kg.extract.datasets.learned import decide_datasets
from kg.extract.datasets.rules import dataset_names, rule_datasets
from kg.records import Extraction

__all__ = ["dataset_names", "extract_datasets"]


@register_extractor("datasets", "evaluatesOn")
def extract_datasets(doc: Document) -> list[Extraction]:
    """paper evaluatesOn dataset: vocabulary matches and "X dataset/benchmark" patterns.
    Kept on the document: the results extractor reads it too."""
    if "datasets" not in doc.cache:
        decide = doc.model.get("evaluatesOn") if doc.model is not None else None
        if decide is not None:
            doc.cache["datasets"] = list(decide_datasets(doc, decide))
        else:
            doc.cache["datasets"] = list(rule_datasets(doc))
    return doc.cache["datasets"]
