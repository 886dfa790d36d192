"""What every learned decision describes its candidates with: cue words, mentions, shapes.

Each relation's ``learned`` module (:mod:`kg.extract.proposes.learned`,
:mod:`kg.extract.datasets.learned`, :mod:`kg.extract.compares.learned`, and
:func:`kg.extract.tasks.task_features`) turns its rules into *candidate generators* and describes
every candidate by named features (which rules found it, its shape, where it stands, the words
around its mentions, the vocabulary's word on it); a :class:`~kg.learn.linear.LogisticModel` per
decision keeps or drops it. The same functions serve training (:mod:`kg.learn.train`) and
extraction, so what the model learned on is what it sees. The cue words are data
(``ontology/cues.json``).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from kg.extract import Document
from kg.extract.names import NOT_NAMES, STOPWORDS, is_namey, words
from kg.text import Sentence
from kg.vocab import Vocabulary, ontology_dir

Features = dict[str, float]

# sentence tests that several decisions' features share
WE_OR_OUR = re.compile(r"\b(?:we|our)\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")


class Decision(Protocol):
    """What a learned extractor asks of a trained decision (:class:`kg.learn.linear.LogisticModel`
    is one): a probability for a candidate's features, and the cut for its group."""

    threshold: float

    def probability(self, features: Features) -> float: ...

    def cut(self, group: str) -> float: ...


# --------------------------------------------------------------------------- context cues (data)

@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, tuple[re.Pattern, re.Pattern]]:
    """``ontology/cues.json`` compiled: per list, a pattern for "ends the text before a mention"
    (written backwards: see :func:`cue_before`) and one for "starts the text after it" (whole
    words, case-insensitive)."""
    data = json.loads((ontology_dir() / "cues.json").read_text(encoding="utf-8"))
    out = {}
    for key, phrases in data.items():
        if key.startswith("_"):
            continue

        def alt(backwards: bool) -> str:
            return "|".join(re.escape(p[::-1] if backwards else p).replace(r"\ ", r"\s+")
                            for p in sorted(phrases, key=len, reverse=True))
        # (a comma or colon may stand between a cue and the mention: "namely, X", "our model, X")
        out[key] = (re.compile(r"[\s,:\"'“‘(]*(?:" + alt(True) + r")(?:[^\w-]|$)", re.IGNORECASE),
                    re.compile(r"^[\s\"'”’)]*(?:" + alt(False) + r")(?![\w])", re.IGNORECASE))
    return out


def cue_before(key: str, text: str) -> bool:
    """Whether ``text`` ends with a phrase of list ``key`` (whole words; a comma, colon, quote or
    bracket may follow it). Matched on the reversed text, anchored at its start: a search for a
    pattern anchored at the end tries every position of the text.

    >>> cue_before("own_before", "In this paper, we present our "), cue_before("own_before", "a tour (")
    (True, False)
    """
    return cue_patterns()[key][0].match(text[::-1]) is not None


def cue_after(key: str, text: str) -> bool:
    return cue_patterns()[key][1].search(text) is not None


def cue_in_sentence(doc: Document, key: str, text: str) -> bool:
    """Whether any phrase of list ``key`` occurs in ``text`` (substring, case-insensitive),
    memoised on the document (several features ask about the same sentences)."""
    memo = doc.memo("cue_in_sentence")
    hit = memo.get((key, text))
    if hit is None:
        hit = memo[(key, text)] = any(map(text.lower().__contains__, cue_words(key)))
    return hit


@lru_cache(maxsize=None)
def cue_words(key: str) -> tuple[str, ...]:
    """The phrases of list ``key``, lower case (substring tests: a regex alternation of them cost
    ~100 µs a sentence)."""
    phrases = json.loads((ontology_dir() / "cues.json").read_text(encoding="utf-8"))[key]
    return tuple(p.lower() for p in phrases)


def cue_alternation(key: str) -> str:
    """The phrases of list ``key`` as a regular-expression alternation, longest first (so that a
    longer phrase wins over its prefix).

    >>> cue_alternation("task_heads").split("|")[-1] in cue_words("task_heads")
    True
    """
    return "|".join(re.escape(w) for w in sorted(cue_words(key), key=len, reverse=True))


def namey(vocab: Vocabulary, word: str) -> bool:
    """:func:`~kg.extract.names.is_namey`, memoised behind the vocabulary (names recur)."""
    memo = vocab.memo("namey")
    hit = memo.get(word)
    if hit is None:
        hit = memo.put(word, is_namey(word))
    return hit


def namey_words(vocab: Vocabulary, text: str) -> list[str]:
    """The words of ``text`` that :func:`~kg.extract.names.is_namey`, memoised behind the
    vocabulary: candidate generation asks it of every word of every sentence, and words recur
    across papers."""
    memo = vocab.memo("namey")
    out = []
    for w in words(text):
        hit = memo.get(w)
        if hit is None:
            hit = memo.put(w, is_namey(w))
        if hit:
            out.append(w)
    return out


def candidate_group(decision: str, features: Features) -> str:
    """The group whose cut applies to a candidate: for proposes, evaluatesOn and comparesTo,
    whether a precise rule found (or kept) it; for tasks, whether the title names it as its
    purpose ("... for Visual Recognition": nine in ten are the paper's task), else whether it is a
    known task narrowed by the words before it ("cross-lingual text classification": a kind of
    candidate of its own, kept less often than the known task it narrows)."""
    if decision in ("proposes", "evaluatesOn", "comparesTo"):
        return "rule" if "o:rule" in features else "new"
    if decision == "addressesTask":
        return "title-for" if "title:for" in features else "narrowed" if "narrowed" in features else "other"
    return ""


def proposer_end(doc: Document, sentence: Sentence) -> float:
    """Where the sentence's first proposal cue ends (infinity: none), memoised per document."""
    memo = doc.memo("proposer_end")
    end = memo.get(sentence.start)
    if end is None:
        low = sentence.text.lower()
        ends = [at + len(p) for p in cue_words("proposer") if (at := low.find(p)) >= 0]
        end = memo[sentence.start] = min(ends) if ends else float("inf")
    return end


def bucket(n: int, top: int) -> str:
    return str(n) if n < top else f"{top}+"


# --------------------------------------------------------------------------- mentions

@dataclass(frozen=True)
class Mention:
    index: int          # which abstract sentence (0-based; -1: the title)
    sentence: Sentence
    start: int          # span within sentence.text
    end: int


def is_word_char(c: str) -> bool:
    """A character of a name's word: a letter, a digit, "_" or "-"."""
    return c.isalnum() or c in "_-"


def _spans(name: str, low: str) -> Iterator[tuple[int, int]]:
    """Where ``name`` (case-folded like ``low``, the lower-cased sentence) stands as whole words,
    a plural "s"/"es" allowed (str.find, not a regex per name: names differ in every paper)."""
    if not name:
        return
    needle = name.lower()
    at = low.find(needle)
    while at >= 0:
        end = at + len(needle)
        if low.startswith("es", end) and not (end + 2 < len(low) and is_word_char(low[end + 2])):
            end += 2
        elif low.startswith("s", end) and not (end + 1 < len(low) and is_word_char(low[end + 1])):
            end += 1
        if (at == 0 or not is_word_char(low[at - 1])) and (end == len(low) or not is_word_char(low[end])):
            yield at, end
        at = low.find(needle, at + 1)


def mentions_of(doc: Document, names: Iterable[str]) -> list[Mention]:
    """Where any of ``names`` occurs, title first, then abstract sentences in order."""
    names = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    out: list[Mention] = []
    lowered = doc.cache.get("lowered_sentences")
    if lowered is None:
        lowered = doc.cache["lowered_sentences"] = [
            (i, s, s.text.lower()) for i, s in [(-1, doc.title_sentence), *enumerate(doc.abstract_sentences)]]
    needles = [(name, name.lower()) for name in names]
    for index, sentence, low in lowered:
        if len(low) != len(sentence.text):
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence.text)   # keep offsets
        taken: list[tuple[int, int]] = []
        for name, needle in needles:
            if needle not in low:
                continue
            for s, e in _spans(name, low):
                if not any(s < te and ts < e for ts, te in taken):
                    taken.append((s, e))
                    out.append(Mention(index, sentence, s, e))
    return out


def context_features(f: Features, prefix: str, mentions: list[Mention], keys_before: Iterable[str],
                      keys_after: Iterable[str]) -> None:
    """Per cue list: does it stand right before / after any mention (and before all of them)."""
    abstract = [m for m in mentions if m.index >= 0]
    patterns = cue_patterns()
    # (what stands before a mention, reversed once for every list: see cue_before)
    before = [m.sentence.text[max(0, m.start - 40):m.start][::-1] for m in abstract]
    after = [m.sentence.text[m.end:m.end + 25] for m in abstract]
    for key in keys_before:
        hits = [patterns[key][0].match(text) is not None for text in before]
        if any(hits):
            f[f"{prefix}before:{key}"] = 1.0
            if all(hits):
                f[f"{prefix}always-before:{key}"] = 1.0
    for key in keys_after:
        hits = [patterns[key][1].search(text) is not None for text in after]
        if any(hits):
            f[f"{prefix}after:{key}"] = 1.0
            if all(hits):
                f[f"{prefix}always-after:{key}"] = 1.0


def shape_features(f: Features, prefix: str, name: str, vocab: Vocabulary, edge_words: bool = True) -> None:
    """How ``name`` is written: its length in words, case, digits, hyphens, stop words and, with
    ``edge_words``, the words it starts and ends with (features per word)."""
    ws = words(name)
    f[f"{prefix}words:{bucket(len(ws), 4)}"] = 1.0
    if any(namey(vocab, w) for w in ws):
        f[f"{prefix}namey"] = 1.0
    if name.islower():
        f[f"{prefix}lower"] = 1.0
    elif all(w[:1].isupper() for w in ws):
        f[f"{prefix}titlecase"] = 1.0
    if name.isupper() and len(name) > 1:
        f[f"{prefix}allcaps"] = 1.0
    if any(c.isdigit() for c in name):
        f[f"{prefix}digit"] = 1.0
    if "-" in name:
        f[f"{prefix}hyphen"] = 1.0
    if name.casefold() in NOT_NAMES:
        f[f"{prefix}not-a-name"] = 1.0
    if len(ws) > 1:
        # the words a multi-word phrase starts and ends with: "Looking …", "… Search" name no method
        first, last = ws[0].lower(), ws[-1].lower().rstrip("s")
        if edge_words:
            f[f"{prefix}first:{first}"] = 1.0
            f[f"{prefix}last:{last}"] = 1.0
        if first.endswith("ing"):
            f[f"{prefix}first-ing"] = 1.0
        if first in ("a", "an", "the", "on", "towards", "toward", "when", "how", "why", "what", "which", "who", "where",
                     "is", "are", "do", "does", "can", "could", "should", "will", "would", "may"):
            f[f"{prefix}first-function-word"] = 1.0
        if any(w.lower() in STOPWORDS for w in ws[1:-1]):
            f[f"{prefix}inner-stopword"] = 1.0


# a kind noun ending a name ("Squeeze-and-Excitation Networks", "CNN architecture")
KIND_NOUN = re.compile(r"\s+(?:networks?|nets?|models?|modules?|blocks?|layers?|architectures?|frameworks?)$",
                       re.IGNORECASE)


def names_a_family(doc: Document, name: str) -> bool:
    """Whether ``name``, without a kind noun ending it, is a method family the vocabulary knows
    ("CNN architecture", "transformer models"): a kind of model, not a model."""
    concept = doc.vocab.lookup(KIND_NOUN.sub("", name)) or doc.vocab.lookup(name)
    return concept is not None and concept.is_family


def vocab_features(f: Features, prefix: str, doc: Document, names: Iterable[str]) -> None:
    for n in names:
        c = doc.vocab.lookup(n)
        if c is None:
            continue
        if c.kind == "dataset":
            f[f"{prefix}vocab:dataset"] = 1.0
        elif c.is_family:
            f[f"{prefix}vocab:family"] = 1.0
        elif c.area == "technique":
            f[f"{prefix}vocab:technique"] = 1.0
        else:
            f[f"{prefix}vocab:method"] = 1.0
