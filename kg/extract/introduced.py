"""Datasets a paper creates ("we introduce VoxCeleb, a large-scale speaker identification
dataset"): not its own method (the guideline's ``introduces_datasets``), and in every annotated
paper that creates one, what it evaluates on. The learned proposes decision drops such a name
from its candidates (:func:`names_an_introduced_dataset`); the learned evaluatesOn decision
keeps it whatever the model says of its mentions.

The patterns name a dataset only where a creation verb or the title stands right before it and
a dataset noun right after it (or the other way round: "a new car dataset, named CompCars").
"""
from __future__ import annotations

import re

from kg.extract import Document
from kg.extract.names import alternation
from kg.extract.prefilter import prefilter

# what a created dataset is called: a benchmark, not a "platform" or "framework" (methods too);
# not "a collection of foundation language models" either
_DATA_NOUN = (r"(?:datasets?|data\s+sets?|corpus|corpora|benchmarks?|database|test\s*bed|collection(?!\s+of\s+"
              r"(?:(?!(?:for|of|to|on|in|with)\b)[\w-]+\s+){0,3}?(?:models|networks|methods|algorithms|architectures|agents|"
              r"tools|libraries)\b))")
_NAME = r"(?P<name>[A-Z0-9][\w'’.+-]*(?:\s+[A-Z0-9][\w'’.+-]*){0,5})"
_CREATE = r"\b" + alternation("dataset_creation_verbs") + r"(?:s|d|ed|ing)?\s+"
# "we introduce the Stanford Natural Language Inference corpus, a new ... collection"
# "VoxCeleb: a large-scale speaker identification dataset" (title), "X (Y), a benchmark of ..."
_NAME_THEN_NOUN = re.compile(
    _CREATE + r"(?:(?:a|an|the|our)\s+)?(?:new\s+)?" + _NAME + r"(?:\s*\((?P<short>[^()\s]{1,20})\))?"
    r"(?:\s+" + _DATA_NOUN + r"\b|\s*[,:]\s*(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,5}?" + _DATA_NOUN + r"\b)")
_TITLE_NAME_THEN_NOUN = re.compile(
    r"^" + _NAME + r"\s*:\s*(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,6}?" + _DATA_NOUN +
    r"(?=\s+(?:for|of|with|on|in|from|to|and)\b|\s*$|[:,.])", re.IGNORECASE)
# "a large-scale car dataset, named CompCars", "a new benchmark called NEVIS'22"
_DATA_NOUN_AT_END = re.compile(r"\s+" + _DATA_NOUN + r"$", re.IGNORECASE)
_NOUN_THEN_NAME = re.compile(
    _CREATE + r"(?:(?:a|an|the|our)\s+)?(?:[\w-]+\s+){0,4}?" + _DATA_NOUN + r"(?:\s+[\w-]+){0,6}?" +
    r"\s*,?\s*(?:(?:which\s+is\s+)?(?:named|called|dubbed|termed)\s+(?:the\s+)?[\"“]?|[\"“])" + _NAME)
# what every match of each sentence pattern holds (kg.extract.prefilter): most sentences skip both
_NAME_THEN_NOUN_GATE, _NOUN_THEN_NAME_GATE = prefilter(_NAME_THEN_NOUN), prefilter(_NOUN_THEN_NAME)


def introduced_dataset_names(doc: Document) -> frozenset[str]:
    """The names (case-folded) of datasets the paper itself creates, cached on the document.

    >>> from kg.records import Paper
    >>> from kg.vocab import default_vocabulary
    >>> paper = Paper(title="VoxCeleb: a large-scale speaker identification dataset",
    ...               abstract="We present a new car dataset, named CompCars, for fine-grained recognition.")
    >>> sorted(introduced_dataset_names(Document(paper, default_vocabulary())))
    ['compcars', 'voxceleb']
    """
    memo = doc.cache.get("introduced_datasets")
    if memo is None:
        names: set[str] = set()
        title = _TITLE_NAME_THEN_NOUN.match(doc.title)
        if title and title.group("name")[:1].isupper():
            names.add(title.group("name"))
        for sentence in doc.sentences:
            text, heads = sentence.text, doc.word_heads(sentence.text)
            if _NAME_THEN_NOUN_GATE.admits(heads, text):
                for m in _NAME_THEN_NOUN.finditer(text):
                    names.update(n for n in (m.group("name"), m.group("short")) if n)
            if _NOUN_THEN_NAME_GATE.admits(heads, text):
                names.update(m.group("name") for m in _NOUN_THEN_NAME.finditer(text))
        memo = doc.cache["introduced_datasets"] = frozenset(n.strip(" .,'’").casefold() for n in names)
    return memo


def names_an_introduced_dataset(doc: Document, names: list[str]) -> bool:
    """Whether one of ``names`` ("SNLI", "Stanford Natural Language Inference corpus") is a
    dataset the paper creates, with or without its dataset noun."""
    introduced = introduced_dataset_names(doc)
    return bool(introduced) and any(_DATA_NOUN_AT_END.sub("", n).casefold() in introduced for n in names)
