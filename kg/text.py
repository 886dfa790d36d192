"""Text utilities shared by the extractors: sentence splitting and tokens with offsets."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter

# Tokens that end with a period but do not end a sentence.
_ABBREVIATIONS = {
    "e.g", "i.e", "et al", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "approx", "resp",
    "no", "nos", "vol", "pp", "ca", "viz", "incl", "ref", "refs", "tab", "dr", "mr", "ms", "prof",
    "st", "jr", "sr", "inc", "ltd", "co", "corp", "u.s", "w.r.t", "a.k.a", "etc.)",
}
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)")   # the reference; _boundaries() finds the same
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")       # the reference of _word_before()
_CLOSERS = "\"'”’)]"
_TO_DOT = str.maketrans("!?", "..")
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def _is_boundary(text: str, dot: int, after: int) -> bool:
    """Whether the punctuation at ``dot`` ends a sentence; ``after`` is the next non-space index."""
    if after >= len(text):
        return True
    nxt = text[after]
    before = text[max(0, dot - 40):dot]   # a bounded window: searching all of text[:dot] is quadratic
    if text[dot] == ".":
        word = _word_before(before)
        if word and word.lower().rstrip(".") in _ABBREVIATIONS:
            return False
        if word and len(word) == 1 and word.isupper() and nxt.isupper():
            return False  # an initial: "J. Smith"
        if before[-1:].isdigit() and nxt.isdigit():
            return False  # "77. 7%" (a decimal broken by the page scrape)
    # A sentence starts with a capital, a digit, a quote or a bracket; "e.g. the" stays joined.
    return nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘([" or not nxt.isalpha()


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split ``text`` into sentences with character spans (shifted by ``offset``); a blank line
    ends one too.

    >>> [s.text for s in split_sentences("We use ViTs, e.g. DeiT. It gets 81.3% vs. 79.8%. Done.")]
    ['We use ViTs, e.g. DeiT.', 'It gets 81.3% vs. 79.8%.', 'Done.']
    """
    if "\n" in text and _PARAGRAPH_BREAK.search(text):
        # a blank line ends a sentence, punctuated or not ("... outperforms\n\nWe propose X.")
        sentences: list[Sentence] = []
        start = 0
        for m in _PARAGRAPH_BREAK.finditer(text):
            sentences += split_sentences(text[start:m.start()], offset + start)
            start = m.end()
        return sentences + split_sentences(text[start:], offset + start)
    sentences = []
    start = 0
    size = len(text)
    for dot, end in _boundaries(text):
        after = end
        while after < size and text[after].isspace():
            after += 1
        if not _is_boundary(text, dot, after):
            continue
        _append(sentences, text, start, end, offset)
        start = after
    _append(sentences, text, start, size, offset)
    return sentences


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n\s*")


# Page-scrape noise in some sources (SciREX's records): an identifier where the title should be,
# or a title cut at its colon, the title (or its rest) opening the abstract instead
_IDENTIFIER = re.compile(r"(?i)(?:arxiv:|doi:)?(?:[0-9a-f]{16,}|\d{4}\.\d{4,5}(?:v\d+)?|10\.\d{4,}/\S+)")
_TITLE_SMALL_WORDS = frozenset("a an the of for with without in on and or to via through from by using at into as "
                               "vs versus towards toward over under beyond".split())


def is_identifier(title: str) -> bool:
    """Whether ``title`` is an identifier, not a title ("0523e14247d7...", "1512.03385")."""
    return _IDENTIFIER.fullmatch(title.strip()) is not None


def title_opening(abstract: str) -> int:
    """How many characters of ``abstract`` a title takes that opens it, glued to the first
    sentence (0 when none does): the run of capitalised words and small ones before the first
    lower-case word, less its last capitalised word, which starts the sentence.

    >>> abstract = "Local Decorrelation For Improved Pedestrian Detection Even with the advent of CNNs ..."
    >>> abstract[:title_opening(abstract)]
    'Local Decorrelation For Improved Pedestrian Detection'
    >>> title_opening("We propose a network.")
    0
    """
    words = list(re.finditer(r"\S+", abstract[:400]))
    run = 0
    while run < len(words) and (words[run].group()[:1].isupper() or words[run].group()[:1].isdigit()
                                or words[run].group().lower() in _TITLE_SMALL_WORDS):
        run += 1
    if run >= len(words) or not words[run].group()[:1].islower():
        return 0        # no lower-case word ends the run: no sentence starts inside it
    kept = [w for w in words[:run]]
    while kept and kept[-1].group().lower() in _TITLE_SMALL_WORDS:
        kept.pop()
    kept = kept[:-1]    # the sentence's first word
    while kept and kept[-1].group().lower() in _TITLE_SMALL_WORDS:
        kept.pop()
    if len(kept) < 2 or kept[-1].group()[-1:] in ".;,":
        return 0
    return kept[-1].end()



def _word_before(before: str) -> str | None:
    """``_WORD_BEFORE.search(before)``'s group, or None: the trailing run of letters and dots,
    from its first letter (string methods: the regex tried every letter of the window)."""
    if before.endswith("\n"):
        before = before[:-1]   # "$" also matches before a final newline
    word = before[len(before.rstrip(_WORD_CHARS)):].lstrip(".")
    return word or None


def _boundaries(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_BOUNDARY.finditer(text)``: a run of "." "!" "?", the closing quotes and
    brackets after it, then a space. Found with str.find (the regex scan tried every character;
    an abstract has a few dozen dots)."""
    flat = text.translate(_TO_DOT) if "!" in text or "?" in text else text
    size = len(text)
    dot = flat.find(".")
    while dot >= 0:
        end = dot + 1
        while end < size and flat[end] == ".":
            end += 1
        while end < size and text[end] in _CLOSERS:
            end += 1
        if end < size and text[end].isspace():
            yield dot, end
        dot = flat.find(".", end)


# The longest sentence an extractor reads. Real abstracts' sentences stay under ~650 characters
# (seeds, annotated sets, SciREX); a longer "sentence" (a list run together, a page scrape
# without full stops, a hostile file) is cut at clause breaks, so that the extractors' work per
# sentence stays bounded and their time linear in the text's length.
MAX_SENTENCE = 1000


def _append(out: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    while len(stripped) > MAX_SENTENCE:
        cut = _last_break(stripped)
        piece = stripped[:cut].rstrip()
        out.append(Sentence(piece, s + offset, s + len(piece) + offset))
        rest = stripped[cut:]
        s += cut + len(rest) - len(rest.lstrip())
        stripped = rest.strip()
    if stripped:
        out.append(Sentence(stripped, s + offset, s + len(stripped) + offset))


def _last_break(sentence: str) -> int:
    """Where to cut an over-long sentence: after its last "; " / ", " / ": " within
    MAX_SENTENCE characters, else its last space there, else at MAX_SENTENCE."""
    window = sentence[:MAX_SENTENCE]
    for pattern in ("; ", ", ", ": ", " "):
        at = window.rfind(pattern)
        if at > 0:
            return at + len(pattern)
    return MAX_SENTENCE


_TOKEN = re.compile(r"[^\W_]+(?:\+(?![^\W_]))*", re.UNICODE)  # "PointNet++" keeps its pluses
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\+(?![A-Za-z0-9]))*")  # the same on ASCII text, faster
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
ASCII_TOKEN_SPLIT = re.compile(f"({_ASCII_TOKEN.pattern})")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Alphanumeric runs with offsets; punctuation and spaces separate tokens."""
    texts, starts, ends = token_spans(text)
    return [Token(t, s, e) for t, s, e in zip(texts, starts, ends)]


def token_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """:func:`tokens` as three lists (texts, starts, ends): what the vocabulary's scanner reads,
    without a Token object per word."""
    # split() keeps the tokens (the pattern's group) between the gaps, and the offsets are
    # running sums of the parts' lengths: no Python-level step per token
    parts = (ASCII_TOKEN_SPLIT if text.isascii() else _TOKEN_SPLIT).split(text)
    offsets = list(accumulate(map(len, parts), initial=0))
    return parts[1::2], offsets[1:-1:2], offsets[2::2]


def match_key(text: str) -> str:
    """The case-folded alphanumeric key under which names are compared ("Next-ViT" → "nextvit")."""
    return "".join((_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)).casefold()


def may_contain(text: str, words: tuple[str, ...], low: str | None = None) -> bool:
    """Whether ``text`` may hold one of ``words`` (lower-case ASCII) in any letter case.

    The cheap check in front of a case-insensitive pattern every match of which contains one of
    ``words``: a substring test costs far less than a regex scan that finds nothing. ``low`` is
    ``text.lower()`` when the caller has it. Non-ASCII text always may: Unicode case folding
    ("ſ" matches "s" under re.IGNORECASE) is left to the pattern itself.
    """
    if not text.isascii():
        return True
    if low is None:
        low = text.lower()
    return any(map(low.__contains__, words))   # (no generator: a bytecode step per word costs more than its test)


@dataclass(frozen=True)
class Caseless:
    """A case-insensitive pattern that scans ASCII text lower-cased, with a case-sensitive twin.

    re.IGNORECASE makes the regex engine fold every character it compares and try every branch of
    an alternation; lower-cased text scanned case-sensitively gives the same spans 3-4x faster.
    On ASCII text the spans are those of ``pattern``; the matched text (``group()``) is lower-cased.
    Non-ASCII text is scanned with ``pattern`` itself (Unicode folds "ſ" to "s", "K" to "k").
    """

    pattern: re.Pattern[str]   # the reference: case-insensitive
    twin: re.Pattern[str]      # the same source, case-sensitive, for lower-cased ASCII text

    @classmethod
    def compile(cls, source: str, flags: int = 0) -> Caseless:
        """Compile ``source``, written in lower case (upper-case letters only in escapes such as
        ``\\S``): a capital would match nothing in lower-cased text, so it is refused."""
        letters = re.sub(r"\\.|\(\?P[<=]\w+[>)]", "", source)   # escapes and group names match no letters
        if re.search(r"[A-Z]", letters) or re.search(r"\(\?[a-zA-Z]*-[a-zA-Z]*i", source):
            raise ValueError(f"a Caseless pattern is written in lower case: {source!r}")
        return cls(re.compile(source, flags | re.IGNORECASE), re.compile(source, flags & ~re.IGNORECASE))

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        """``pattern.search(text)``; ``low`` is ``text.lower()`` when the caller has it."""
        if text.isascii():
            return self.twin.search(text.lower() if low is None else low)
        return self.pattern.search(text)

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``; ``low`` is ``text.lower()`` when the caller has it."""
        if text.isascii():
            return self.twin.finditer(text.lower() if low is None else low)
        return self.pattern.finditer(text)


# word_heads(): every ASCII character that is not a word character (\w) becomes a space, and
# a capital its lower-case letter (a bytes table: bytes.translate is several times faster than
# str.translate through a dict, and lower-cases in the same pass)
_NOT_WORD = bytes(ord(chr(c).lower()) if c < 128 and (chr(c).isalnum() or chr(c) == "_") else ord(" ")
                  for c in range(256))
_HEAD3, _HEAD4 = itemgetter(slice(3)), itemgetter(slice(4))


def word_heads(text: str) -> set[str] | None:
    r"""The first three and the first four characters of every word (maximal run of ``\w``) of
    ``text.lower()``; None for non-ASCII text (:meth:`kg.extract.Document.word_heads` memoises
    it for a paper's sentences).

    A head of three or four characters is in the set exactly when some word starts with it, one
    of one or two characters when some word is it. So a pattern every match of which holds a word
    starting with one of some heads (it follows ``\b`` or ``\s``) cannot match text whose set
    holds none of them (:func:`may_start`): one set per sentence, built once, tells every
    extractor which of its patterns are worth running (tests/test_extract_patterns.py checks it).
    """
    if not text.isascii():
        return None   # (lower() and case-insensitive matching leave ASCII behind: no shortcut)
    words = text.encode("ascii").translate(_NOT_WORD).decode("ascii").split()
    heads = set(map(_HEAD3, words))
    heads.update(map(_HEAD4, words))
    return heads


def heads_of(words: Iterable[str]) -> frozenset[str]:
    """The heads (:func:`word_heads`) that words starting with one of ``words`` have: a group for
    :func:`may_start` made from a pattern's :func:`may_contain` words.

    >>> sorted(heads_of(("proposed", "is")))
    ['is', 'prop']
    """
    return frozenset(w[:4] for w in words)


def may_start(heads: set[str] | None, *groups: frozenset[str]) -> bool:
    """Whether text with :func:`word_heads` ``heads`` may match a pattern that needs, for each of
    ``groups``, a word starting with one of its heads (always, for non-ASCII text)."""
    if heads is None:
        return True
    for group in groups:
        if heads.isdisjoint(group):
            return False
    return True


# Lists: "A, B, and C", "A and B", "A & B"
LIST_SEPARATOR = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)"
_LIST_WINDOW = 120    # how far before an item the one listed before it is looked for (items are short)


def listed_spans(text: str, anchors: Iterable[tuple[int, int]], after: re.Pattern, before: re.Pattern,
                 bounds: tuple[int, int], item: Callable[[re.Match], tuple[int, int] | None]) -> Iterator[tuple[int, int]]:
    """Spans of what is listed with ``anchors`` (spans in ``text``), one item after another:
    ``after`` is matched right after a span, ``before`` searched in a short window ending where it
    starts, both within ``bounds`` (a sentence); ``item`` gives a match's item span, or None. Each
    item found is an anchor in turn, so a list is read from any of its members.

    >>> after = re.compile(LIST_SEPARATOR + r"(?P<item>[A-Z]\\w*)")
    >>> before = re.compile(r"(?P<item>[A-Z]\\w*)" + LIST_SEPARATOR + "$")
    >>> text = "We test on Caltech, INRIA, and ETH."
    >>> [text[s:e] for s, e in listed_spans(text, [(20, 25)], after, before, (0, len(text)), lambda m: m.span("item"))]
    ['ETH', 'Caltech']
    """
    low, high = bounds
    todo = list(anchors)
    seen = set(todo)
    while todo:
        start, end = todo.pop()
        for m in filter(None, (after.match(text, end, high), before.search(text, max(low, start - _LIST_WINDOW), start))):
            span = item(m)
            if span is not None and span not in seen:
                seen.add(span)
                todo.append(span)
                yield span
