"""kg.extract.prefilter: the gates read off a pattern never hide a match."""
from __future__ import annotations

import random
import re

import pytest

from kg.extract.prefilter import prefilter
from kg.text import word_heads

# pieces of patterns and of texts, from the shapes the extractors' patterns use
_WORDS = ["we", "propose", "proposed", "is", "on", "a", "an", "par", "with", "net", "outperform", "than", "vs",
          "data", "set", "top", "1", "x", "can't", "ours", "model", "Foo"]
_PIECES = [r"\b", r"\s+", r"\s*", r"\w*", r"[\w-]+", r"(?:\w+\s+){0,2}", r".", r"(?<![\w-])", r"-?", r"\.?",
           r"(?:s|d|ed)?", r"[sz]", r"[a-]", r"(?:\s+an?)?", r"(?=\W)", r"(?!\w)", r",", r"\(", r"$", r"^"]


def _random_pattern(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.4:
            parts.append(re.escape(rng.choice(_WORDS)))
        elif roll < 0.55:
            parts.append("(?:" + "|".join(re.escape(rng.choice(_WORDS)) + rng.choice(["", r"\w*", r"\b", r"\s+"])
                                          for _ in range(rng.randint(2, 3))) + ")")
        else:
            parts.append(rng.choice(_PIECES))
    return "".join(parts)


def _random_text(rng: random.Random) -> str:
    glue = [" ", "  ", "-", ", ", ".", "'", "(", "", "_", "\n"]
    words = [rng.choice(_WORDS + ["Proposes", "OUTPERFORMS", "nets", "dataset", "sets", "top-1"])
             for _ in range(rng.randint(1, 8))]
    return "".join(w + rng.choice(glue) for w in words)


@pytest.mark.parametrize("seed", range(4))
def test_a_gate_never_hides_a_match_of_random_patterns(seed):
    rng = random.Random(seed)
    texts = [_random_text(rng) for _ in range(400)]
    checked = skipped = 0
    for _ in range(300):
        source = _random_pattern(rng)
        flags = rng.choice([0, re.IGNORECASE])
        try:
            pattern = re.compile(source, flags)
        except re.error:
            continue
        gate = prefilter(pattern)
        for text in texts:
            checked += 1
            if not gate.admits(word_heads(text), text):
                skipped += 1
                assert pattern.search(text) is None, (source, text, gate)
    assert checked > 50_000 and skipped > 5_000


def test_whole_words_alternatives_and_optional_tails():
    gate = prefilter(re.compile(r"\b(?:is|are)\s+(?:proposed|introduced)\b", re.IGNORECASE))
    assert set(gate.heads) == {frozenset({"prop", "intr"}), frozenset({"is", "are"})}
    # words joined by white space make a phrase, sought in the text with its white space collapsed
    assert gate.needles == ("are introduced", "are proposed", "is introduced", "is proposed")
    assert gate.admits(word_heads("X is\n  PROPOSED."), "X is\n  PROPOSED.")
    assert not gate.admits(word_heads("Y is new, X proposed."), "Y is new, X proposed.")
    # "vs" ends its word whether or not the dot follows; "par" is rarer than "with"
    assert prefilter(re.compile(r"\b(?:versus|vs\.?)\b")).heads == (frozenset({"vers", "vs"}),)
    assert prefilter(re.compile(r"\bon\s+a\s+par\s+with\b")).heads[0] == frozenset({"par"})


def test_a_pattern_that_requires_no_word_admits_everything():
    gate = prefilter(re.compile(r"[A-Z][a-z]+\d*"))
    assert gate.heads == () and gate.admits(word_heads("nothing here"), "nothing here")
    # a word that may be absent, or that may start inside another word, is not required
    assert prefilter(re.compile(r"(?:foo)?bar")).heads == ()
    assert prefilter(re.compile(r"xbar\w+")).heads == ()


def test_non_ascii_text_is_always_admitted():
    gate = prefilter(re.compile(r"\bsimilar\b", re.IGNORECASE))
    assert gate.admits(word_heads("a ſimilar result"), "a ſimilar result")   # (re folds ſ to s)
    assert re.search(r"\bsimilar\b", "a ſimilar result", re.IGNORECASE)
