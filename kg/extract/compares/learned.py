"""The learned comparesTo decision: mention pairs around a cue as candidates, a model decides.

Candidates: the rules' comparisons, every other (left of a cue, right of it) pair of named
mentions in a cue sentence, and the paper's main method against each name right of a cue. The
mentions here include weak ones the rules skip: the generic techniques the vocabulary knows
("Adam", "batch normalization": a paper proposing an optimizer compares with Adam) and capitalised
words that are no name by their shape ("faster than FlowVid, CoDeF, Rerender"); the model weighs
their marks.
Features (:func:`comparison_features`): the cue and its confidence, distances, what stands
between the sides (examples, clause breaks), each side's shape and the vocabulary's word on it,
whether a side is the paper's own method.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from kg.extract import Document
from kg.extract.compares.rules import PARTICIPLE, VERBAL, raw_cues, rule_comparisons, sentence_cues, verdict
from kg.extract.compares.sides import method_mentions, with_described
from kg.extract.features import (DIGIT, WE_OR_OUR, Decision, Features, bucket, candidate_group, names_a_family,
                                 shape_features, vocab_features)
from kg.extract.proposes import own_names, primary_method
from kg.records import Extraction


@dataclass
class ComparisonCandidate:
    extraction: Extraction                 # the pair as it would be emitted (subject wins when there is a winner)
    features: Features = field(default_factory=dict)


_BETWEEN_EXAMPLES = re.compile(r"\b(?:such\s+as|e\.g\.|including|like)\b", re.IGNORECASE)
_BETWEEN_BREAK = re.compile(r"[;:]|\bwhile\b|\bwhereas\b|\bbut\b|\bwhich\b|\band\s+(?:we|it|our)\b", re.IGNORECASE)


def comparison_candidates(doc: Document, relaxed: bool = True) -> list[ComparisonCandidate]:
    """The rules' comparisons, then (``relaxed``) every other (left of a cue, right of it)
    mention pair of a cue sentence, and the paper's main method against each name right of a cue."""
    out: list[ComparisonCandidate] = []
    seen: set[frozenset[str]] = set()
    for e in rule_comparisons(doc):
        seen.add(frozenset((e.subject.casefold(), e.object.casefold())))
        f: Features = {"o:rule": 1.0, "rule-confidence": e.confidence}
        if e.extractor == "compares/fronted":
            f["o:rule-fronted"] = 1.0    # "Compared with X, Y ...": no cue between the sides
        out.append(ComparisonCandidate(e, f))
    if not relaxed:
        return out
    primary = primary_method(doc)
    for index, sentence in [(-1, doc.title_sentence), *enumerate(doc.abstract_sentences)]:
        text = sentence.text
        raw = raw_cues(text, doc.vocab, doc.word_heads(text))
        if not raw:
            continue
        mentions = method_mentions(doc, text, weak=True)
        if not mentions:
            continue
        for cue, outcome, confidence in sentence_cues(raw, mentions):
            if outcome == "compared":
                outcome = verdict(text[:cue.start()], doc.vocab) or outcome
            left = [m for m in mentions if m.end <= cue.start()]
            right = [m for m in with_described(doc, text, mentions, cue.end()) if m.start >= cue.end()]
            subjects = [(m, "left") for m in left[-3:]]
            if primary is not None and not any(m.key.startswith("own:") for m in left):
                subjects.append((None, "primary"))
            for r_i, r in enumerate(right[:6]):
                for subj, how in subjects:
                    name = subj.name if subj is not None else primary.name
                    if name.casefold() == r.name.casefold():
                        continue
                    pair = frozenset((name.casefold(), r.name.casefold()))
                    if pair in seen:
                        continue
                    seen.add(pair)
                    f: Features = {"o:relaxed": 1.0, "subject:" + how: 1.0, "outcome:" + outcome: 1.0,
                                   "cue-confidence": confidence, "object-rank:" + bucket(r_i, 3): 1.0}
                    between_r = text[cue.end():r.start]
                    f["object-gap:" + bucket(len(between_r) // 25, 4)] = 1.0
                    if _BETWEEN_EXAMPLES.search(between_r):
                        f["object-after-examples"] = 1.0
                    if _BETWEEN_BREAK.search(between_r):
                        f["object-after-break"] = 1.0
                    if subj is not None:
                        between_l = text[subj.end:cue.start()]
                        f["subject-gap:" + bucket(len(between_l) // 25, 4)] = 1.0
                        if _BETWEEN_BREAK.search(between_l):
                            f["subject-before-break"] = 1.0
                        if subj is left[0]:
                            f["subject-first-left"] = 1.0
                        f["subject-strength"] = subj.strength
                    f["object-strength"] = r.strength
                    if r.key.startswith("described:"):
                        f["o:described"] = 1.0
                    if r.key.startswith("capital:"):
                        f["o:capitalised"] = 1.0
                    if subj is not None and subj.key.startswith("capital:"):
                        f["s:capitalised"] = 1.0
                    if VERBAL.match(cue.group().lower()):
                        f["cue-verbal"] = 1.0
                    if PARTICIPLE.match(cue.group()):
                        f["cue-participle"] = 1.0
                    e = Extraction(paper_key=doc.paper.key, subject=name, subject_kind="method",
                                   predicate="comparesTo", object=r.name, object_kind="method",
                                   evidence=doc.evidence(sentence), extractor="compares/relaxed",
                                   confidence=round(confidence, 2), outcome=outcome)
                    out.append(ComparisonCandidate(e, f))
    return out


_OUR = re.compile(r"\bour\b|\bproposed\b", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:while|whereas|however|but|although|despite)\b", re.IGNORECASE)


def comparison_features(doc: Document, cand: ComparisonCandidate, own: set[str]) -> Features:
    e = cand.extraction
    f: Features = dict(cand.features)
    f["outcome:" + (e.outcome or "none")] = 1.0
    for side, name in (("s:", e.subject), ("o:", e.object)):
        shape_features(f, side, name, doc.vocab)
        vocab_features(f, side, doc, [name])
        if names_a_family(doc, name):
            f[side + "family"] = 1.0   # "CNN models", "transformer architectures": a kind, not a model
        if name.casefold() in own:
            f[side + "own"] = 1.0
    text = e.evidence.sentence
    if text == doc.title:
        f["in-title"] = 1.0
    if e.subject.casefold() not in text.casefold():
        f["subject-implicit"] = 1.0
    if _OUR.search(text):
        f["sentence-our"] = 1.0
    if DIGIT.search(text):
        f["sentence-number"] = 1.0
    if _CONTRAST.search(text):
        f["sentence-contrast"] = 1.0
    if "subject:primary" in f or "subject-implicit" in f:
        # the main method stands in for an unnamed subject: rightly in a sentence about the paper's
        # own work ("we outperform ..."), or one naming a variant of it ("YOLOv10-B has 46% less latency")
        f["primary&" + ("we" if WE_OR_OUR.search(text) else "no-we")] = 1.0
        low = text.casefold()
        if any(n.casefold() in low for n in _primary_names(doc)):
            f["primary-named-in-sentence"] = 1.0
    index = next((i for i, s in enumerate(doc.abstract_sentences) if s.start == e.evidence.start), -1)
    f["sentence:" + ("title" if index < 0 else bucket(index, 5))] = 1.0
    return f


def _primary_names(doc: Document) -> list[str]:
    primary = primary_method(doc)
    return [n for n in (primary.name, *primary.aliases) if len(n) > 1] if primary is not None else []


def decide_comparisons(doc: Document, model: Decision) -> Iterator[Extraction]:
    own = {n.casefold() for n in own_names(doc)}
    # a model whose cut for the relaxed pairs is above 1 keeps none of them: not worth finding
    # (the shipped model's is: they are 189 candidates with 34 comparisons, that no feature told apart)
    relaxed = model.cut(candidate_group("comparesTo", {})) <= 1.0
    for cand in comparison_candidates(doc, relaxed):
        feats = comparison_features(doc, cand, own)
        p = model.probability(feats)
        if p >= model.cut(candidate_group("comparesTo", feats)):
            yield replace(cand.extraction, confidence=round(p, 2), extractor="compares/learned")
