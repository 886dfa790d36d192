"""paper → evaluatesOn → dataset: the datasets a paper evaluates on, not those it pre-trains on.

:mod:`.rules` finds dataset names (the vocabulary, "X dataset/benchmark" patterns, names after
"on" in an evaluation sentence) and keeps those in an evaluation context; :mod:`.learned` makes
every mention a candidate and lets a trained model decide.
"""
from __future__ import annotations

from dataclasses import replace

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
        found = list(decide_datasets(doc, decide)) if decide is not None else list(rule_datasets(doc))
        doc.cache["datasets"] = _fold_editions(doc, _fold_long_forms(doc, found))
    return doc.cache["datasets"]


def _fold_editions(doc: Document, found: list[Extraction]) -> list[Extraction]:
    """"Results on PASCAL VOC ... 72.1% mAP on VOC2007 test": where the paper names an edition of
    a series (``skos:broader`` in the vocabulary), its mentions of the series mean that edition,
    not a dataset of their own."""
    concepts = [doc.vocab.lookup(e.object, kind="dataset") for e in found]
    series = {key for c in concepts if c is not None for key in c.families}
    return [e for e, c in zip(found, concepts) if c is None or c.key not in series]


def _fold_long_forms(doc: Document, found: list[Extraction]) -> list[Extraction]:
    """"the Stanford Question Answering Dataset (SQuAD)": the long form is another name of the
    dataset in brackets after it, not a second dataset."""
    if len(found) < 2:
        return found
    text = f"{doc.title}\n{doc.paper.abstract}"
    out = list(found)
    for long in found:
        short = next((e for e in out if e is not long and _bracketed_after(text, long.object, e.object)), None)
        if short is not None and long in out:
            out.remove(long)
            out[out.index(short)] = replace(short, object_aliases=(*short.object_aliases, long.object))
    return out


def _bracketed_after(text: str, long: str, short: str) -> bool:
    """Whether ``long`` stands in ``text`` right before "(short" (string search: the names
    differ in every paper, and a regex built per pair would be compiled per pair)."""
    at = text.find(long)
    while at >= 0:
        rest = text[at + len(long):].lstrip()
        if rest.startswith("(") and rest[1:].lstrip().startswith(short):
            after = rest[1:].lstrip()[len(short):].lstrip()
            if after[:1] in (")", ",", ";"):
                return True
        at = text.find(long, at + 1)
    return False
