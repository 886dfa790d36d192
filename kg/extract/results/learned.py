"""The learned reportsResult decision: the rules' readings of each score as candidates, a model decides.

For every number the rules read as a result (:func:`~kg.extract.results.rules.result_candidates`)
there are up to two candidates: the rules' reading, and the same number credited to the paper's
main method when the rules gave it to another (abstracts credit most numbers to their own method,
and a baseline named nearby misleads the rules). Features (:func:`result_features`) describe the
number (its size, the words around it, gains and comparisons in its sentence), where its metric
and dataset stand, and who the method is (the paper's own, a known method, a name-shaped word).
A :class:`~kg.learn.linear.LogisticModel` scores each candidate; of a number's candidates the best
is kept when it clears the cut.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract import Document
from kg.extract.features import Features, bucket, candidate_group
from kg.extract.results.rules import (Number, Span, own_methods, paper_dataset_names, result_candidates,
                                      result_extraction, result_key)
from kg.learn.linear import LogisticModel
from kg.model import Extraction
from kg.text import Sentence, match_key


@dataclass(frozen=True)
class ResultCandidate:
    sentence: Sentence
    number: Number
    method: str
    dataset: Span
    metric: Span
    confidence: float      # the rules' confidence in their reading
    origin: str            # "rule", or "primary": the rules' reading credited to the main method


_GAIN = re.compile(r"\b(?:improv\w*|gains?|boost\w*|increas\w*|outperform\w*|surpass\w*|higher|better|"
                   r"lower|drops?|reduc\w*)\b|\+\s?\d", re.IGNORECASE)
_COMPARE = re.compile(r"\b(?:than|compared|versus|vs\.?|over|outperform\w*|surpass\w*)\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|our|ours)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z][\w-]*")


def candidates(doc: Document) -> list[ResultCandidate]:
    """Every reading of every number the rules take for a result (cached on the document)."""
    if "result_candidates" in doc.cache:
        return doc.cache["result_candidates"]
    own = own_methods(doc)
    primary = own[0][0] if own else None
    out: list[ResultCandidate] = []
    for sentence, n, method, dataset, metric, confidence in result_candidates(doc):
        out.append(ResultCandidate(sentence, n, method, dataset, metric, confidence, "rule"))
        if primary is not None and match_key(method) not in {match_key(x) for x in own[0]}:
            out.append(ResultCandidate(sentence, n, primary, dataset, metric, confidence, "primary"))
    doc.cache["result_candidates"] = out
    return out


def result_features(doc: Document, cand: ResultCandidate) -> Features:
    """Named features of one reading of a number."""
    text, n = cand.sentence.text, cand.number
    value = float(n.text)
    f: Features = {"origin:" + cand.origin: 1.0, "rule-confidence": cand.confidence,
                   "value:" + next(k for k, top in (("<1", 1), ("<10", 10), ("<50", 50), ("<80", 80),
                                                    ("<=100", 100.001), (">100", float("inf"))) if value < top): 1.0}
    if n.percent:
        f["percent"] = 1.0
    if "." in n.text:
        f["decimal"] = 1.0
    before = _LETTERS.findall(text[max(0, n.start - 30):n.start])
    after = _LETTERS.findall(text[n.end:n.end + 30])
    f["before:" + (before[-1].lower() if before else "-")] = 1.0
    f["after:" + (after[0].lower() if after else "-")] = 1.0
    metric = cand.metric
    if metric.start == n.start and metric.name == "accuracy":
        f["metric:implicit"] = 1.0
    else:
        f["metric:after" if metric.start >= n.end else "metric:before"] = 1.0
        f["metric-gap:" + bucket(max(metric.start - n.end, n.start - metric.end, 0) // 10, 4)] = 1.0
    f["metric:" + metric.label.casefold()] = 1.0
    dataset = cand.dataset
    if dataset.name not in text:
        f["dataset:elsewhere"] = 1.0     # the abstract's only dataset, not named in the sentence
    else:
        f["dataset:after" if dataset.start >= n.end else "dataset:before"] = 1.0
        f["dataset-gap:" + bucket(max(dataset.start - n.end, n.start - dataset.end, 0) // 20, 5)] = 1.0
    if dataset.name in paper_dataset_names(doc) or dataset.label in paper_dataset_names(doc):
        f["dataset:evaluated"] = 1.0
    own = own_methods(doc)
    key = match_key(cand.method)
    if own and key in {match_key(x) for x in own[0]}:
        f["method:primary"] = 1.0
    elif any(key in {match_key(x) for x in names} for names in own):
        f["method:own"] = 1.0
    elif doc.vocab.lookup(cand.method, kind="method") is not None:
        f["method:known"] = 1.0
    else:
        f["method:other"] = 1.0
    at = text.find(cand.method)
    if at < 0:
        f["method:not-in-sentence"] = 1.0
    else:
        f["method:before" if at < n.start else "method:after"] = 1.0
    if _GAIN.search(text):
        f["sentence:gain"] = 1.0
    if _COMPARE.search(text):
        f["sentence:compare"] = 1.0
    if _WE.search(text):
        f["sentence:we"] = 1.0
    if "respectively" in text.lower():
        f["sentence:respectively"] = 1.0
    scores = sum(1 for c in candidates(doc) if c.sentence == cand.sentence and c.origin == "rule")
    f["sentence-results:" + bucket(scores, 4)] = 1.0
    index = next((i for i, s in enumerate(doc.abstract_sentences) if s.start == cand.sentence.start), 0)
    f["sentence:" + bucket(index, 8)] = 1.0
    f["sentence:last"] = float(index == len(doc.abstract_sentences) - 1)
    return f


def decide_results(doc: Document, model: LogisticModel) -> Iterator[Extraction]:
    """Of each number's readings, the one the model scores highest, when it clears the cut."""
    best: dict[tuple[int, int], tuple[float, ResultCandidate]] = {}
    for cand in candidates(doc):
        feats = result_features(doc, cand)
        p = model.probability(feats)
        if p < model.cut(candidate_group("reportsResult", feats)):
            continue
        where = (cand.sentence.start, cand.number.start)
        if where not in best or p > best[where][0]:
            best[where] = (p, cand)
    seen: set[tuple[str, str, str, str]] = set()
    for p, c in sorted(best.values(), key=lambda pc: (pc[1].sentence.start, pc[1].number.start)):
        key = result_key(c.method, c.dataset, c.metric, c.number)
        if key not in seen:
            seen.add(key)
            yield result_extraction(doc, c.sentence, c.number, c.method, c.dataset, c.metric, round(p, 2),
                                    "results/learned")
