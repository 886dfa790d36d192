"""What every match of a regular expression must contain, read off the expression itself.

Most sentences match none of an extractor's patterns, and a pattern scan costs far more than a
set test. :func:`prefilter` walks a compiled pattern's parse tree (Python's own ``re`` parser)
and collects the words a match cannot do without: runs of literal word characters that start a
word ("outperform" in ``\\b(?:outperform\\w*|surpass\\w*)``, either "outperform" or "surpass").
The :class:`Prefilter` it returns says, from a sentence's :func:`kg.text.word_heads` and its
lower-cased text, whether the pattern may match there; when it says no, the pattern cannot.
This is the required-substring prefilter of indexed regular-expression search (R. Cox, "Regular
Expression Matching with a Trigram Index", 2012; RE2's ``prefilter``), with words in place of
trigrams. Deriving it from the pattern keeps no word list in step with the pattern by hand.

>>> gate = prefilter(re.compile(r"\\b(?:outperform\\w*|surpass\\w*)\\s+(?:all|most)\\b", re.IGNORECASE))
>>> sorted(gate.needles)
['outperform', 'surpass']
>>> gate.admits(word_heads("It surpasses all baselines."), "It surpasses all baselines.")
True
>>> gate.admits(word_heads("It outputs all labels."), "It outputs all labels.")
False
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as sre
from re import _parser as sre_parse

from kg.extract.names import STOPWORDS
from kg.text import may_start, word_heads

__all__ = ["Prefilter", "prefilter"]

# A group: literal words one of which every match holds, each starting a word of the text, with
# whether the word ends right after it (a delimiter follows): "is" as a whole word, or "propos"
# as the start of one.
Group = frozenset[tuple[str, bool]]
_MAX_PATHS = 256         # more alternative spellings than this: the group is not worth a set test
_MAX_GROUPS = 3          # the most selective groups kept (each is one set test)


@dataclass(frozen=True)
class Prefilter:
    """Necessary conditions for a pattern to match an ASCII text: for each of ``heads`` a word
    of the text starts with one of its heads (:func:`kg.text.may_start`), and the text holds
    one of ``needles`` (lower case). Non-ASCII text is always admitted (case-insensitive
    matching folds characters such as "ſ" that lower-casing does not)."""

    heads: tuple[frozenset[str], ...] = ()
    needles: tuple[str, ...] = ()
    spaced: bool = False    # a needle holds a space: sought in the text with its white space collapsed

    def admits(self, heads: set[str] | None, text: str, low: str | None = None) -> bool:
        """Whether the pattern may match ``text``; ``heads`` are its :func:`kg.text.word_heads`
        (None for non-ASCII text), ``low`` its ``text.lower()`` if the caller has it."""
        if heads is None:
            return True
        if not may_start(heads, *self.heads):
            return False
        if self.needles:
            low = text.lower() if low is None else low
            if self.spaced:
                low = " ".join(low.split())
            return any(map(low.__contains__, self.needles))
        return True


def prefilter(pattern: re.Pattern[str]) -> Prefilter:
    """The :class:`Prefilter` of ``pattern`` (an empty one, which admits every text, when the
    pattern requires no word)."""
    walk, phrases = _Walk(), _Walk(phrases=True)
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
        for w in (walk, phrases):
            w.close(w.sequence(tree, None, follow=False), exact=False)
    except (AttributeError, TypeError, ValueError):
        # (re's parser is private and may change shape in a later Python: then no gate, the same
        # matches, slower; tests/test_extract_patterns.py fails on a pattern left without one)
        return Prefilter()
    usable = sorted((g for g in walk.groups if _heads(g) is not None), key=_selectivity, reverse=True)
    if not usable:
        return Prefilter()
    heads: list[frozenset[str]] = []
    for g in usable:
        h = _heads(g)
        if h not in heads and len(heads) < _MAX_GROUPS:
            heads.append(h)
    best = max(phrases.groups + usable, key=_needle_rank)
    found = sorted({phrase for phrase, _ in best})
    # (a text holding "proposed" holds "propose": the shorter needle alone tests the same)
    needles = tuple(w for w in found if not any(w != v and w.startswith(v) for v in found))
    return Prefilter(tuple(heads), needles, any(" " in n for n in needles))


def _heads(group: Group) -> frozenset[str] | None:
    """The :func:`kg.text.word_heads` that a text holding a word of ``group`` has: a literal's
    first four characters (three: itself); a literal of one or two only as a whole word."""
    out = set()
    for word, whole in group:
        word = word.lower()
        if len(word) >= 3:
            out.add(word[:4])
        elif whole and word:
            out.add(word)
        else:
            return None
    return frozenset(out)


def _selectivity(group: Group) -> tuple[int, int, int, int]:
    """Rarer words first: fewer common ones (:data:`kg.extract.names.STOPWORDS`: "par" in "on a
    par with" rather than "with"), then longer and fewer words ("outperform" rather than "we")."""
    lengths = [len(w) for w, _ in group]
    return -sum(w in STOPWORDS for w, _ in group), min(min(lengths), 4), -len(group), min(lengths)


def _needle_rank(group: Group) -> tuple[int, int, int]:
    """The substring test a group makes: better with fewer short or common members ("as well as"
    rather than "well"), then longer ones, then fewer."""
    members = [m for m, _ in group]
    return -sum(len(m) < 4 or m in STOPWORDS for m in members), min(map(len, members)), -len(members)


def _is_word(code: int) -> bool:
    return code < 128 and (chr(code).isalnum() or code == ord("_"))


def _class_kind(items) -> str | set[str]:
    """An ``IN`` item: "delimiter" (it matches only non-word characters), a set of literal
    word characters, or "any"."""
    chars: set[str] = set()
    delimiters = False
    for op, av in items:
        if op is sre.LITERAL and _is_word(av):
            chars.add(chr(av))
        elif ((op is sre.LITERAL) or (op is sre.CATEGORY and av in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD))
              or (op is sre.RANGE and not any(_is_word(c) for c in range(av[0], av[1] + 1)))):
            delimiters = True
        else:
            return "any"      # (a negated class, a range or category of word characters)
    if not chars:
        return "delimiter"
    return chars if not delimiters and len(chars) <= 4 else "any"


Runs = frozenset[str] | None    # the word run each way of matching has open so far (None: unknown)


class _Walk:
    """One pass over a parse tree: ``groups`` collects what every match requires. With
    ``phrases``, a run goes on across white space (one space for ``\\s+``): "as well as"."""

    def __init__(self, phrases: bool = False) -> None:
        self.groups: list[Group] = []
        self.phrases = phrases

    def close(self, runs: Runs, exact: bool) -> None:
        if runs is not None and runs:
            runs = frozenset(r.strip() for r in runs) if self.phrases else runs
            if "" not in runs:
                self.groups.append(frozenset((r, exact) for r in runs))

    def sequence(self, items, runs: Runs, follow: bool) -> Runs:
        """Walk ``items`` from ``runs``; ``follow``: what comes after them starts with a
        delimiter (a word still open at their end ends there)."""
        items = list(items)
        for i, (op, av) in enumerate(items):
            runs = self.item(op, av, runs, _starts_with_delimiter(items[i + 1:]) if i + 1 < len(items) else follow)
        return runs

    def item(self, op, av, runs: Runs, follow: bool) -> Runs:
        if op is sre.LITERAL:
            if not _is_word(av):
                self.close(runs, exact=True)
                return frozenset({""})
            return None if runs is None else frozenset(r + chr(av).lower() for r in runs)
        if op is sre.IN:
            kind = _class_kind(av)
            if kind == "delimiter":
                self.close(runs, exact=True)
                return frozenset({""})
            if isinstance(kind, set) and runs is not None and len(runs) * len(kind) <= _MAX_PATHS:
                return frozenset(r + c.lower() for r in runs for c in kind)
            self.close(runs, exact=False)
            return None
        if op is sre.AT:
            if av in (sre.AT_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
                self.close(runs, exact=True)
                return frozenset({""})
            if av in (sre.AT_END, sre.AT_END_STRING):
                self.close(runs, exact=True)
                return None
            return runs
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, sub = av
            if op is sre.ASSERT_NOT and direction < 0 and _excludes_words(sub):
                return frozenset({""}) if runs is None or runs == {""} else runs
            return runs            # a lookaround consumes nothing: what it requires is not counted
        if op is sre.SUBPATTERN:
            return self.sequence(av[-1], runs, follow)
        if op is sre.ATOMIC_GROUP:
            return self.sequence(av, runs, follow)
        if op is sre.BRANCH:
            return self.branch(av[1], runs, follow)
        if op in _REPEATS:
            return self.repeat(*av, runs, follow)
        self.close(runs, exact=False)
        return None

    def branch(self, branches, runs: Runs, follow: bool) -> Runs:
        exits: set[str] | None = set()
        required: list[list[Group]] = []     # per branch, what it requires, most selective first
        for b in branches:
            inner = _Walk(self.phrases)
            out = inner.sequence(b, runs, follow)
            inner.close(out, exact=follow)   # (the word a branch ends in is one of its requirements)
            required.append(sorted((g for g in inner.groups if _heads(g) is not None), key=_selectivity, reverse=True))
            if exits is not None:
                exits = None if out is None else exits | out
        if all(required):
            # a match takes one branch and holds each of its groups: the union of one group of every
            # branch is required; so is the union of another of each (a branch with fewer repeats its last)
            for i in range(min(_MAX_GROUPS, max(map(len, required)))):
                union = frozenset().union(*(groups[min(i, len(groups) - 1)] for groups in required))
                if len(union) <= _MAX_PATHS:
                    self.groups.append(union)
        if exits is None or len(exits) > _MAX_PATHS:
            return None
        return frozenset(exits)

    def repeat(self, low: int, high: int, sub, runs: Runs, follow: bool) -> Runs:
        if self.phrases and low >= 1 and _is_space(sub) and runs is not None and "" not in runs:
            return frozenset(r if r.endswith(" ") else r + " " for r in runs)
        inner_follow = follow if high == 1 else False
        if low == 0:
            # (what an optional part holds is not required; after it, the runs of both ways;
            # the words open before it are, whichever way: "denoted" in "denoted(?: as)?", and
            # they end there if both ways start with a delimiter: "vs" in "vs\\.?\\b")
            self.close(runs, exact=follow and _starts_with_delimiter(sub))
            once = _Walk(self.phrases).sequence(sub, runs, inner_follow)
            if high == 1:
                return None if runs is None or once is None else runs | once
            again = _Walk(self.phrases).sequence(sub, once, inner_follow)
            return None if runs is None or once is None or again != once else runs | once
        out = self.sequence(sub, runs, inner_follow)
        if high == 1:
            return out
        again = _Walk(self.phrases).sequence(sub, out, inner_follow)
        return out if again == out else None


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _starts_with_delimiter(items) -> bool:
    """Whether whatever ``items`` match starts with a non-word character or a word boundary."""
    for op, av in items:
        if op is sre.LITERAL:
            return not _is_word(av)
        if op is sre.IN:
            return _class_kind(av) == "delimiter"
        if op is sre.AT:
            return av is sre.AT_BOUNDARY
        if op is sre.SUBPATTERN:
            return _starts_with_delimiter(av[-1])
        if op in _REPEATS:
            return av[0] > 0 and _starts_with_delimiter(av[2])
        if op is sre.BRANCH:
            return all(_starts_with_delimiter(b) for b in av[1])
        return False
    return False


def _is_space(items) -> bool:
    """Whether ``items`` is the one class ``\\s``."""
    items = list(items)
    return (len(items) == 1 and items[0][0] is sre.IN
            and all(op is sre.CATEGORY and av is sre.CATEGORY_SPACE for op, av in items[0][1]))


def _excludes_words(sub) -> bool:
    """Whether a lookbehind's pattern ``(?<![\\w…])`` forbids a word character before."""
    items = list(sub)
    return (len(items) == 1 and items[0][0] is sre.IN
            and any(op is sre.CATEGORY and av is sre.CATEGORY_WORD for op, av in items[0][1]))
