"""method → comparesTo → method, with the outcome of the comparison (who wins).

:mod:`.rules` splits a sentence at a comparative cue ("outperforms", "inferior to", "on par
with", "compared with") into the named sides; :mod:`.learned` makes every mention pair around a
cue a candidate and lets a trained model decide which ones the sentence compares.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from kg.extract import Document, available_extractors, register_extractor
from kg.extract.compares.learned import decide_comparisons
from kg.extract.compares.rules import rule_comparisons
from kg.records import Extraction
from kg.text import match_key

__all__ = ["extract_compares", "outcome_from_scores"]


@register_extractor("compares", "comparesTo")
def extract_compares(doc: Document) -> Iterator[Extraction]:
    """method comparesTo method with the outcome, from comparative cues."""
    decide = doc.model.get("comparesTo") if doc.model is not None else None
    found = decide_comparisons(doc, decide) if decide is not None else rule_comparisons(doc)
    for e in found:
        yield replace(e, outcome=outcome_from_scores(doc, e)) if e.outcome == "compared" else e


def outcome_from_scores(doc: Document, comparison: Extraction) -> str:
    """Who wins a comparison whose words say none ("92% average success rate, compared to 61% for
    SAC"): the side with the better score its sentence gives both, on one dataset and metric, in
    the metric's direction (``kgo:higherIsBetter``); "compared" when the sentence does not say."""
    results = available_extractors().get("results")
    if results is None:
        return comparison.outcome
    here = [r for r in results.fn(doc) if r.evidence.start == comparison.evidence.start]
    subject = _scores_of(here, comparison.subject)
    other = _scores_of(here, comparison.object)
    for (dataset, metric), value in subject.items():
        if (dataset, metric) not in other:
            continue
        concept = doc.vocab.lookup(metric, kind="metric")
        if concept is None or concept.higher_is_better is None:
            continue
        theirs = other[dataset, metric]
        if value == theirs:
            return "comparable"
        return "outperforms" if (value > theirs) == concept.higher_is_better else "underperforms"
    return comparison.outcome


def _scores_of(results: Iterable[Extraction], method: str) -> dict[tuple[str, str], float]:
    """A method's scores among ``results``, by (dataset, metric): its own and its variants'
    ("HeronNet-S" is HeronNet's)."""
    key, prefix = match_key(method), method.casefold() + "-"
    return {(r.object.casefold(), r.metric.casefold()): float(r.value) for r in results
            if match_key(r.subject) == key or r.subject.casefold().startswith(prefix)}
