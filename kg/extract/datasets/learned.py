"""The learned evaluatesOn decision: every dataset mention a candidate, a model keeps or drops.

Features (:func:`dataset_features`): where the name came from (vocabulary, pattern, after "on",
kept by the rules), its shape and the vocabulary's word on it, its mentions and the cue words
around them (pre-training, evaluation, "used"), whether the paper proposes a name like it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.extract import Document
from kg.extract.datasets.rules import (dataset_mentions, is_pretraining, joined_to_a_name, names_after_on,
                                      plausible_dataset_name, rule_datasets, unknown_dataset_names)
from kg.extract.features import (DIGIT, Decision, Features, bucket, candidate_group, cue_after, cue_before, cue_in_sentence,
                                 shape_features)
from kg.extract.introduced import introduced_dataset_names
from kg.extract.names import VARIANT_TAIL
from kg.extract.proposes import own_names
from kg.records import Extraction
from kg.text import LIST_SEPARATOR, Sentence, listed_spans


@dataclass
class DatasetCandidate:
    surface: str
    label: str
    origins: set[str] = field(default_factory=set)
    mentions: list[tuple[Sentence, int, int]] = field(default_factory=list)   # sentence, start, end (in doc.text)


def _names_a_known_method_or_task(doc: Document, name: str) -> bool:
    """Whether a name found by a dataset pattern is a method or task the vocabulary knows ("SR":
    super-resolution), a variant of a method or a name built on one ("ResNet-50", "SWIN-Small",
    "CLIP-ViT")."""
    if doc.vocab.lookup(name, kind="method") is not None or doc.vocab.lookup(name, kind="task") is not None:
        return True
    head = next((m for m in doc.vocab.find(name, kind="method") if m.start == 0), None)
    # (a known method's name and a hyphen start a model's name: "CLIP-ViT", "CNN-based")
    return head is not None and (name.startswith("-", head.end) or bool(VARIANT_TAIL.fullmatch(name, head.end)))


# a name-shaped list item: capitalised words or words with digits ("YouTube Face", "Celebrity-1000")
_NAME_WORD = r"(?:[A-Z][\w'-]*|\d[\w-]*[A-Za-z][\w-]*)(?:\.\d[\w-]*)?"
_NAME_ITEM = _NAME_WORD + r"(?:\s+(?:" + _NAME_WORD + r"|\d+(?:\.\d+)?|v\d+)){0,2}(?<!-based)(?<!-like)"
# an item ends the list or goes on with it ("ELU networks" after "On ImageNet," is no item)
_ITEM_END = (r"(?=\s*(?:[,.;:)]|$)|\s+(?:and|or|&|datasets?|benchmarks?|data\s+sets?|collections?|corpora|"
             r"respectively)\b)")
_ITEM_AFTER = re.compile(LIST_SEPARATOR + r"(?:the\s+)?(?P<name>" + _NAME_ITEM + r")" + _ITEM_END)
_ITEM_BEFORE = re.compile(r"(?:[,(:]\s*|\b(?:on|and|or|the|of|as|like|including)\s+)(?P<name>" + _NAME_ITEM + r")"
                          + LIST_SEPARATOR + r"$")


def _coordinated_names(text: str, anchors: list[tuple[int, int]], sentence: Sentence) -> Iterator[tuple[str, int, int]]:
    """Name-shaped items listed with a dataset mention ("Caltech, INRIA, and ETH", "WiderFace and
    MAFA"): a list of benchmarks names each one. Spans in ``text`` (the document's), within
    ``sentence``."""
    for start, end in listed_spans(text, anchors, _ITEM_AFTER, _ITEM_BEFORE, (sentence.start, sentence.end),
                                   lambda m: m.span("name")):
        yield text[start:end], start, end


def dataset_candidates(doc: Document) -> list[DatasetCandidate]:
    """Every dataset mention, whatever its context, and every name listed beside one ("benchmarks
    like WiderFace and MAFA"), one candidate per dataset; not a method the vocabulary knows, nor
    a name the paper gives its own method ("Scattering Vision Transformer (SVT)" is no Street
    View Text), nor a dataset's name inside a model's hyphenated one, nor one named only as
    pre-training data ("pretrained on ImageNet-22K")."""
    kept_by_rules = {e.object.casefold() for e in rule_datasets(doc)}
    own = {n.casefold() for n in own_names(doc)}
    by_key: dict[str, DatasetCandidate] = {}
    text = doc.text
    for sentence in doc.abstract_sentences:
        found = [(m.surface, m.start, m.end, m.concept.label, "vocab")
                 for m in dataset_mentions(doc, sentence)
                 if m.surface.casefold() not in own
                 and not joined_to_a_name(text, m.start, m.end)]
        covered = [(s, e) for _, s, e, _, _ in found]
        unknown = [(n, s, e, "pattern") for n, s, e in unknown_dataset_names(sentence, doc)]
        unknown += [(n, s, e, "after-on") for n, s, e in names_after_on(sentence, doc)]
        for name, s, e, origin in unknown:
            if (any(cs <= s < ce or cs < e <= ce for cs, ce in covered) or not plausible_dataset_name(name)
                    or _names_a_known_method_or_task(doc, name)):
                continue
            covered.append((s, e))
            found.append((name, s, e, name, origin))
        for name, s, e in _coordinated_names(text, covered, sentence):
            if (plausible_dataset_name(name) and not _names_a_known_method_or_task(doc, name)
                    and name.casefold() not in own):
                covered.append((s, e))
                found.append((name, s, e, name, "coordinated"))
        for surface, s, e, label, origin in found:
            c = by_key.get(label.casefold())
            if c is None:
                c = by_key[label.casefold()] = DatasetCandidate(surface, label)
            c.origins.add(origin)
            c.mentions.append((sentence, s, e))
            if surface.casefold() in kept_by_rules:
                c.origins.add("rule")
    # the guideline's rule, too rare in the annotations for a model to learn: a dataset named
    # only as pre-training data is not evaluated on
    return [c for c in by_key.values()
            if not all(is_pretraining(sentence, s, e, text, explicit=True) for sentence, s, e in c.mentions)]


def dataset_features(doc: Document, cand: DatasetCandidate, own: set[str]) -> Features:
    f: Features = {}
    for o in cand.origins:
        f["o:" + o] = 1.0
    # (no feature per first or last word: a dataset's words are its name, and weights on them learn
    # which datasets the annotated papers happened to evaluate on, "first:wmt'14")
    shape_features(f, "", cand.surface, doc.vocab, edge_words=False)
    concept = doc.vocab.lookup(cand.surface, kind="dataset") or doc.vocab.lookup(cand.label, kind="dataset")
    if concept is not None and concept.area:
        f["area:" + concept.area] = 1.0
    if doc.vocab.lookup(cand.surface, kind="method"):
        f["also-method"] = 1.0
    if doc.vocab.lookup(cand.surface, kind="task"):
        f["also-task"] = 1.0   # "VQA": the dataset, or the task it is named after
    if cand.surface.casefold() in own or cand.label.casefold() in own:
        f["own-name"] = 1.0
    text = doc.text
    f["mentions:" + bucket(len(cand.mentions), 4)] = 1.0
    sentences = doc.abstract_sentences
    first = sentences.index(cand.mentions[0][0]) if cand.mentions[0][0] in sentences else 0
    f["first-sentence:" + bucket(first, 5)] = 1.0
    if len(sentences) > 2 and first >= len(sentences) - 2:
        f["first-in-last-two"] = 1.0
    if cand.surface.casefold() in doc.title.casefold():
        f["in-title"] = 1.0
    pre = [cue_before("pretrain_before", text[max(0, s - 60):s]) for _, s, _ in cand.mentions]
    if any(pre):
        f["pretrain-before"] = 1.0
        if all(pre):
            f["always-pretrain-before"] = 1.0
    # the rules' reading of each mention (a wider window than the cue lists': "pretrained on larger
    # datasets (e.g. ImageNet-22k)", "after ImageNet-22K pre-training")
    pre = [is_pretraining(sent, s, e, text) for sent, s, e in cand.mentions]
    if any(pre):
        f["reads-pretraining"] = 1.0
        if all(pre):
            f["always-reads-pretraining"] = 1.0
    for key in ("eval_before", "used_before", "compare_before"):
        if any(cue_before(key, text[max(0, s - 40):s]) for _, s, _ in cand.mentions):
            f["before:" + key] = 1.0
    if any(cue_after("used_after", text[e:e + 25]) for _, _, e in cand.mentions):
        f["after:used_after"] = 1.0
    for key in ("eval_sentence", "zero_shot", "pretrain_before"):
        hits = [cue_in_sentence(doc, key, sent.text) for sent, _, _ in cand.mentions]
        if any(hits):
            f["sentence:" + key] = 1.0
            if all(hits):
                f["every-sentence:" + key] = 1.0
    if any(DIGIT.search(sent.text) for sent, _, _ in cand.mentions):
        f["sentence-has-number"] = 1.0
    return f


def decide_datasets(doc: Document, model: Decision) -> Iterator[Extraction]:
    own = {n.casefold() for n in own_names(doc)}
    kept: set[str] = set()
    for cand in dataset_candidates(doc):
        feats = dataset_features(doc, cand, own)
        p = model.probability(feats)
        if p < model.cut(candidate_group("evaluatesOn", feats)):
            continue
        kept.update((cand.surface.casefold(), cand.label.casefold()))
        sentence = cand.mentions[0][0]
        yield Extraction(paper_key=doc.paper.key, subject=doc.paper.title, subject_kind="paper",
                         predicate="evaluatesOn", object=cand.surface, object_kind="dataset",
                         evidence=doc.evidence(sentence), extractor="datasets/learned",
                         confidence=round(p, 2))
    yield from _introduced(doc, kept)


def _introduced(doc: Document, kept: set[str]) -> Iterator[Extraction]:
    """The datasets the paper creates (:mod:`kg.extract.introduced`): evaluated on, in every
    annotated paper that creates one, whatever the decision made of their mentions."""
    introduced = introduced_dataset_names(doc)
    for name in sorted(introduced - kept):
        if any(name.startswith(other + "-") for other in introduced | kept):
            continue   # "DataComp-1B" beside "DataComp": one dataset, its variant
        for sentence in doc.sentences:
            m = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence.text, re.IGNORECASE)
            if m:
                yield Extraction(paper_key=doc.paper.key, subject=doc.paper.title, subject_kind="paper",
                                 predicate="evaluatesOn", object=m.group(), object_kind="dataset",
                                 evidence=doc.evidence(sentence), extractor="datasets/introduced",
                                 confidence=0.9)
                break
