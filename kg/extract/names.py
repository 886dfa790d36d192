"""What a method name looks like in an abstract: shared by the proposes and compares extractors."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from kg.vocab import ontology_dir


@lru_cache(maxsize=1)
def _lexicon_data() -> dict[str, list[str]]:
    return json.loads((ontology_dir() / "lexicon.json").read_text(encoding="utf-8"))


def lexicon(key: str) -> frozenset[str]:
    """Word list ``key`` of ``ontology/lexicon.json``: stop words and the like are data, not code.

    >>> "the" in lexicon("stopwords"), "FLOPs" in lexicon("not_names")
    (True, True)
    """
    return frozenset(_lexicon_data()[key])


def alternation(key: str) -> str:
    """Word list ``key`` of ``ontology/lexicon.json`` as a regular-expression group, in its
    order, a space standing for any white space.

    >>> alternation("proposal_participles")
    '(?:proposed|introduced|presented|developed|designed|devised)'
    """
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _lexicon_data()[key]) + ")"


# One word of a name: letters/digits joined by - + . ' / (Next-ViT, SeiT++, YOLOv8, NEVIS'22);
# NAME_CHARS are its characters, for a class ("[" + NAME_CHARS + "]").
NAME_CHARS = r"A-Za-z0-9\-+'’./"
WORD = r"[A-Za-z0-9][" + NAME_CHARS + r"]*[A-Za-z0-9+]|[A-Za-z0-9]"
_WORD_RE = re.compile(WORD)
# a size, version or patch tail that makes a model's name a variant of it: "-S", "-B-16", "-Small",
# "-v2", "-Net", "/14" (matched whole, after the name: "Next-ViT" + "-S", "SWIN" + "-Small")
VARIANT_TAIL = re.compile(r"(?:[-\s](?:[A-Za-z]{1,2}\d*|\d+[A-Za-z]?|v\d+(?:\.\d+)?|tiny|small|base|medium|large|huge|"
                          r"giant|lite|mini|nano|nets?)(?![A-Za-z0-9]))+(?:/\d+)?", re.IGNORECASE)

# Words that never start or make up a coined name on their own.
STOPWORDS = lexicon("stopwords")

GENERIC_HEADS = lexicon("generic_heads")

# Modifiers that make a phrase a common technique or task rather than a coined name.
GENERIC_MODIFIERS = lexicon("generic_modifiers")


# Name-shaped words that are neither methods nor datasets: metrics, hardware, units, formats.
NOT_NAMES = frozenset(x.casefold() for x in lexicon("not_names"))
_HYPHEN_SLASH = re.compile(r"[-/]")       # (compiled once: the functions below are hot)
_PHRASE_SEP = re.compile(r"[\s\-]+")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


# "CNN-based", "ResNet-like", "Mask2Former-style", "MPC-aware": a name made an adjective
_MODIFIER_SUFFIX = re.compile(r"-(?:like|based|style|inspired|type|oriented|driven|guided|specific|agnostic|aware|"
                              r"free|friendly)$", re.IGNORECASE)


def is_namey(word: str) -> bool:
    """A word that can only be a name: CamelCase, an acronym, letters mixed with digits, ``++``;
    not a name made an adjective ("CNN-based", "ResNet-like").

    >>> [is_namey(w) for w in ["VOLO", "DiffDis", "Next-ViT", "YOLOv8", "SeiT++", "Transformer", "a", "CNN-based"]]
    [True, True, True, True, True, False, False, False]
    """
    core = word.strip("-'’./")
    if len(core) < 2 or ("-" in core and _MODIFIER_SUFFIX.search(core)):
        return False
    if "++" in core:
        return True
    rest = core[1:]
    if rest.lower() == rest:
        # no capital after the first letter (a string method, not a loop over the characters)
        return core[0].isalpha() and len(core) <= 15 and any(map(str.isdigit, core))
    # "ImageNet", "ViT", "SCNN"; but not "Multi-Scale"-style Title-Case hyphenations
    parts = _HYPHEN_SLASH.split(core)
    return len(parts) < 2 or not all(p[:1].isupper() and p[1:].islower() for p in parts if p)


def acronym_matches(acronym: str, phrase: str, letters: tuple[str, ...] | None = None) -> bool:
    """Whether ``acronym`` is built from the initials (or leading letters) of ``phrase``'s words.

    >>> acronym_matches("VOLO", "Vision Outlooker")
    True
    >>> acronym_matches("SCNN", "Spatial CNN")
    True
    >>> acronym_matches("ATS", "Adaptive Token Sampler")
    True
    >>> acronym_matches("EWA", "random uniform partition")
    False

    A phrase that holds the acronym as a word qualifies it rather than spelling it out:

    >>> acronym_matches("LSTM", "Multiplicative LSTM")
    False

    ``letters``: ``acronym_letters(acronym)``, when the caller has them.
    """
    if letters is None:
        letters = acronym_letters(acronym)
    parts = [p.lower() for p in _PHRASE_SEP.split(phrase) if p]
    if not letters or not parts or acronym.lower() in parts:
        return False
    if spells(letters, parts):
        return True
    # (an acronym of fewer words than the phrase: "Dual Attention Vision Transformers" spells no
    # "DaViT-Gaint")
    tokens = phrase.split()
    heads = compound_heads(tokens) if len(acronym.split()) < len(tokens) else None
    return heads is not None and spells(letters, heads)


def compound_heads(tokens: list[str]) -> list[str] | None:
    """The first part of each hyphenated token of ``tokens`` (lower case), or None when no token
    is hyphenated: an acronym may take a compound's initial alone, as Schwartz and Hearst's
    algorithm (2003) allows any letters of the long form ("All-Pairs Multi-Field Transforms"
    is AMT, "Vision Transformer-Based Detector" is VTD).

    >>> acronym_matches("AMT", "All-Pairs Multi-Field Transforms")
    True
    """
    if not any("-" in t for t in tokens):
        return None
    heads = [next((p for p in t.split("-") if p), "").lower() for t in tokens]
    return [h for h in heads if h]


def words_to_spell(phrase: str) -> int:
    """How many words of ``phrase`` an acronym of it must give a letter each (all but small
    words): an acronym of fewer :func:`acronym_letters` cannot spell it.

    >>> words_to_spell("Vision Outlooker"), words_to_spell("Squeeze and Excitation"), words_to_spell("Multi-Field Transforms")
    (2, 2, 2)
    """
    # (a hyphenated compound may give its first word's initial alone: compound_heads)
    return sum(t.split("-")[0].lower() not in STOPWORDS for t in phrase.split() if t.strip("-"))


def acronym_letters(acronym: str) -> tuple[str, ...]:
    """The letters (lower case) ``acronym`` spells a phrase with: "EfficientViM" → e, v, m;
    "mLSTM" → m, l, s, t, m (a lower-case first letter is the initial of a word of its own)."""
    core = "".join(filter(str.isalnum, acronym))
    if any(map(str.islower, core)) and sum(map(str.isupper, core)) >= 2:
        lead = core[0] if core[0].islower() else ""
        core = lead + "".join(c for c in core if c.isupper() or c.isdigit())  # "EfficientViM" spells E-V-M
        if core[-1:].isdigit():
            core = core[:-1]
    return tuple(core.lower()) if core.isascii() else tuple(c.lower() for c in core)


def spells(letters: tuple[str, ...], parts: list[str]) -> bool:
    """:func:`acronym_matches` for the acronym's :func:`acronym_letters` (not empty) and the
    phrase's parts (split at white space and hyphens, lower case; not empty)."""
    return _match(letters, parts, 0, 0, True)


def _match(letters: tuple[str, ...], parts: list[str], i: int, j: int, fresh: bool) -> bool:
    # Letters are consumed from word starts; a word may give several leading letters
    # ("Outlooker" → "O", "VOLO" = Vi-sion O-utLO-oker is accepted loosely by allowing any
    # letters of the current word after its first).
    if i == len(letters):
        return j >= len(parts) - 1 or all(p in STOPWORDS for p in parts[j + 1:])
    if j >= len(parts):
        return False
    word = parts[j]
    if fresh:
        if word[0] == letters[i] and _match_in_word(letters, parts, i, j, 1):
            return True
        # skip small words ("for", "of") that acronyms leave out
        return word in STOPWORDS and _match(letters, parts, i, j + 1, True)
    return False


def _match_in_word(letters: tuple[str, ...], parts: list[str], i: int, j: int, k: int) -> bool:
    # letters[i] matched parts[j][k-1]; continue inside the word or move to the next word
    if i + 1 == len(letters):
        return j == len(parts) - 1 or all(p in STOPWORDS for p in parts[j + 1:])
    if _match(letters, parts, i + 1, j + 1, True):
        return True
    word = parts[j]
    for kk in range(k, len(word)):
        if word[kk] == letters[i + 1] and _match_in_word(letters, parts, i + 1, j, kk + 1):
            return True
    return False
