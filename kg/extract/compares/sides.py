"""What can be a side of a comparison: the methods and method families a sentence names
(:func:`method_mentions`), and a side named only by its kind ("than other tree-structured
models", "globally normalized models can be ... more expressive than"): :func:`with_described`,
:func:`described_subject`. :mod:`kg.extract.compares.rules` pairs them around the cues.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from kg.extract import Document
from kg.extract.datasets import dataset_names
from kg.extract.features import cue_alternation, cue_words, is_word_char
from kg.extract.names import NOT_NAMES, STOPWORDS, VARIANT_TAIL, WORD, is_namey
from kg.extract.proposes import find_proposals, primary_method
from kg.extract.proposes.rules import definitions, trim_long
from kg.extract.prefilter import prefilter
from kg.text import Caseless

# "our method", "the proposed network", "ours": the paper's own method, unnamed
OUR_REF = Caseless.compile(
    r"\b(?:our|the\s+proposed|this)\s+(?:[\w-]+\s+){0,3}?(?:method|model|approach|network|framework|"
    r"architecture|algorithm|technique|system|design|module|backbone|scheme|solution|strategy)s?\b|"
    r"\bours\b|\b(?:our|the\s+proposed)\s+(?:proposed\s+)?(?:method|model|approach)\b",
)
OUR_REF_GATE = prefilter(OUR_REF.pattern)
_NAMEY_TOKEN = re.compile(WORD)
_TITLECASE_LEAD = re.compile(r"(?<![\w-])(?:[A-Z][a-z]{2,}\s+){1,2}$")
# a size or patch tail that makes a known method's name a variant of it ("ViT-L/14", "Mixer-B/16")
_VARIANT_TAIL = re.compile(r"(?:-[A-Za-z]{1,2}\d?)?/\d{1,2}(?![\w/])")
_CITATION_KEY = re.compile(r"[a-z]+\d{4}[a-z]*")                # "wang2017sample": a LaTeX citation key
_NUMBERISH = re.compile(r"[\d.x×%-]+[A-Za-z]{0,2}")          # "3x", "12.5M": sizes, not names
_LETTER_INDEX = re.compile(r"[A-Z]\d*")                       # "K", "N2": variables
_LATEX_GLUE = re.compile(r"(?:approx|sim|times|pm|leq?|geq?|mathrm|textbf)\d")
_SENTENCE_GLUE = re.compile(r"[a-z]+\.[A-Z][a-z]*")                # "methods.Code": a missing space after a period
# a kind word between two names ("the strong CNN model ConvNeXt")
_KIND_BEFORE_NAME = re.compile(r"\s+(?:models?|networks?|architectures?|backbones?|baselines?|methods?)\s+", re.I)
# what follows a mention and makes it something other than a comparison side
_MODIFIER_AFTER = re.compile(
    r"(?:\s*\([^()]{1,30}\)|\))?\s*-?\s*(?:based|like|style|inspired|pretrained|pre-trained|free|specific)\b"
    r"(?P<family>\s+(?:architectures?|models?|networks?|methods?|approaches|backbones?|layers?|ones|detectors?|"
    r"variants?|counterparts?|baselines?))?", re.I)
_MODIFIER_NAME = re.compile(r"-(?:based|like|style|inspired|free|specific|aware|wise|pretrained|pre-trained|trained)$",
                            re.I)
_YARDSTICK_AFTER = re.compile(r"\s*-?\s*(?:scores?|metrics?|benchmarks?|leaderboard)\b", re.I)
_PART_AFTER = re.compile(r"\s*(?:blocks?|layers?|placements?|features?|tokens?|weights?|components?|"
                         r"representations?|embeddings?|kernels?|operations?|operators?)\b", re.I)
_PAREN_AFTER = re.compile(r"\s*\((?P<short>[^()]{1,30})\)")


def _ascii_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _name_spans(name: str, text: str, low: str | None = None) -> list[tuple[int, int]]:
    r"""Spans of ``re.finditer(r"(?<![\w-])NAME(?:s|es)?(?![\w])", text, re.IGNORECASE)``.

    Each paper has names of its own, so that regex would be compiled anew for every paper; for
    ASCII text and name (nearly every sentence) the same spans are found with string search
    (``low``: ``text.lower()`` when the caller has it).
    """
    if not (name and name.isascii() and text.isascii()):
        return [m.span() for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?:s|es)?(?![\w])", text,
                                              re.IGNORECASE)]
    if low is None:
        low = text.lower()
    key, size = name.lower(), len(text)
    spans = []
    pos = low.find(key)
    while pos >= 0:
        nxt = pos + 1
        if pos == 0 or not (_ascii_word(low[pos - 1]) or low[pos - 1] == "-"):
            end = pos + len(key)
            for suffix in ("s", "es", ""):
                if low.startswith(suffix, end) and (end + len(suffix) >= size or not _ascii_word(low[end + len(suffix)])):
                    spans.append((pos, end + len(suffix)))
                    nxt = end + len(suffix)
                    break
        pos = low.find(key, nxt)
    return spans


def name_in(name: str, text: str) -> bool:
    r"""``re.search(r"(?<![\w-])NAME(?![\w])", text)`` is not None (string search for ASCII)."""
    if not (name and name.isascii() and text.isascii()):
        return re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w])", text) is not None
    pos, size = text.find(name), len(text)
    while pos >= 0:
        end = pos + len(name)
        if ((pos == 0 or not (_ascii_word(text[pos - 1]) or text[pos - 1] == "-"))
                and (end >= size or not _ascii_word(text[end]))):
            return True
        pos = text.find(name, pos + 1)
    return False


class MethodMention(NamedTuple):   # (a tuple: ~4 are made per sentence with a cue, each cheaply)
    name: str           # the name to emit (canonical surface for "our method")
    start: int          # offsets inside the sentence
    end: int
    key: str            # identity for de-duplication within a sentence
    strength: float     # how sure we are this is a method


def _overlaps(start: int, end: int, spans: list) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (with .start and .end)."""
    for k in spans:
        if start < k.end and k.start < end:
            return True
    return False


_UNSEEN = object()


def _side_name(token: str) -> str | None:
    """The name-shaped word a token of ``_NAMEY_TOKEN`` gives as a comparison side, or None
    (memoised by the caller: every word of every sentence with a cue is asked, and most are
    common words)."""
    word = token.rstrip(".")
    if not (is_namey(word) and word.casefold() not in NOT_NAMES
            and not _NUMBERISH.fullmatch(word) and not _LETTER_INDEX.fullmatch(word)
            and not _CITATION_KEY.fullmatch(word)
            and not _LATEX_GLUE.match(word) and not _SENTENCE_GLUE.fullmatch(word)):
        word = None
    return word


def _name_start(text: str, start: int) -> int:
    """Where a name starting at ``start`` really starts: capitalised words before it, mid-sentence,
    are part of it ("than Prioritized Dueling DQN and Categorical DQN")."""
    lead = _TITLECASE_LEAD.search(text, max(0, start - 40), start)
    if lead and lead.start() > 0 and not any(w.lower() in STOPWORDS or w.lower() in NOT_NAMES
                                             for w in lead.group().split()):
        return lead.start()
    return start


def _compound(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a new name built on a known one at [start, end): "CV-CNN", "ViT-ResNAS",
    "Flatten-Swin" (a capitalised part joined by a hyphen), or [start, end) itself. A size tail
    ("DeiT-S", "ResNet-50") keeps the known name (a variant of it), and so does a lower-case
    part ("CNN-based", "non-Transformer"): a modifier, not a name."""
    s, e = start, end
    while s > 0 and is_word_char(text[s - 1]):
        s -= 1
    while e < len(text) and is_word_char(text[e]):
        e += 1
    while e > end and text[e - 1] == "-":
        e -= 1
    before, after = text[s:start], text[end:e]
    if before and before.endswith("-") and before[0].isupper():
        # "CV-CNN models": the name is the hyphenated word, not the known phrase it starts
        e = start
        while e < len(text) and is_word_char(text[e]):
            e += 1
        return s, e
    if after and after.startswith("-") and after[1:2].isupper() and not VARIANT_TAIL.fullmatch(after):
        return start, e
    return start, end


# a capitalised word, or hyphen compound, inside a sentence ("Rerender", "Cross-encoders",
# "Strong-Weak"): English capitalises no common word there, unless it starts the sentence; not a
# citation ("Devlin et al."), a stop word or a not_names word (ontology/lexicon.json). Languages and
# places ("English", "Google") pass: the learned decision weighs the mark
_CAPITALISED = re.compile(r"(?<![\w.'’/+-])(?:[A-Z][a-z]+(?:-[A-Za-z][a-z]+)+|[A-Z][a-z]{3,})(?![\w+'’/-])")
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;]\s+|\(\s*|[\"“‘]\s*)$")
# a word of a Title-Case run ("Minimum Reconstruction Error", "Improved Wasserstein GANs") is part
# of a longer name or heading, not a name of its own
_CAPITAL_BEFORE = re.compile(r"[A-Z][\w'’-]*\s+$")
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
_CITATION_AFTER = re.compile(r"\s+(?:et\s+al|and\s+[A-Z]\w+,?\s+(?:\(?\d{4}|et\s+al))|,?\s+\(?\d{4}\b")


def _capitalised_words(text: str) -> list[MethodMention]:
    out = []
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        if (word.casefold() in STOPWORDS or word.casefold() in NOT_NAMES
                or _SENTENCE_OPENING.search(text, max(0, m.start() - 3), m.start())
                or _CITATION_AFTER.match(text, m.end())
                or _CAPITAL_BEFORE.search(text, max(0, m.start() - 30), m.start())
                or _CAPITAL_AFTER.match(text, m.end())):
            continue
        out.append(MethodMention(word, m.start(), m.end(), "capital:" + word.casefold(), 0.5))
    return out


_WORD_AFTER = re.compile(r"\s*([\w-]+)")


def task_short_forms(doc: Document) -> frozenset[str]:
    """The short forms (case-folded) the abstract defines for a task the vocabulary knows, with the
    word after the bracket or without: "knowledge base completion (KBC)", "part-of-speech (POS)
    tagging", "click-through rate (CTR) prediction". Written alone later, they name the task."""
    found = doc.cache.get("task_short_forms")
    if found is None:
        shorts = set()
        for sentence in doc.abstract_sentences:
            for d in definitions(sentence.text):
                short = d.group("short").strip()
                long_ = trim_long(" ".join(d.group("long").split()), short)
                after = _WORD_AFTER.match(sentence.text, d.end())
                if long_ and any(doc.vocab.lookup(name, kind="task") is not None
                                 for name in (long_, *((f"{long_} {after.group(1)}",) if after else ()))):
                    shorts.add(short.casefold())
        found = doc.cache["task_short_forms"] = frozenset(shorts)
    return found


def method_mentions(doc: Document, text: str, weak: bool = False) -> list[MethodMention]:
    """Methods and method families named in ``text`` (one sentence); with ``weak``, as weak
    mentions for a learned decision to weigh, also the generic techniques the vocabulary knows
    ("Adam", "batch normalization") and capitalised words inside the sentence that are no name by
    their shape ("than FlowVid, CoDeF, Rerender", "faster than Cross-encoders")."""
    found: list[MethodMention] = []
    primary = primary_method(doc)
    own = [(n, p) for p in find_proposals(doc) for n in (p.name, *p.aliases)]
    low = text.lower() if own else None   # (once, not once a name)
    for name, p in own:
        for start, end in _name_spans(name, text, low):
            found.append(MethodMention(p.name, start, end, "own:" + p.name.casefold(), 1.0))
    if primary is not None and OUR_REF_GATE.admits(doc.word_heads(text), text, low):
        for m in OUR_REF.finditer(text):
            found.append(MethodMention(primary.name, m.start(), m.end(), "own:" + primary.name.casefold(), 0.9))
    # a dataset or a metric ("62.2% mean IU") is never a side: their spans block the names in them
    datasets = doc.find(text, kind="dataset") + doc.find(text, kind="metric")
    in_abstract = text != doc.title    # (a title capitalises every word)
    data_names = dataset_names(doc)
    for m in doc.find(text, kind="method"):
        if m.concept.area == "technique":
            # generic techniques (dropout, fine-tuning) are no comparison sides of the rules (the
            # learned decision asks for them, as weak ones); the span still blocks name-shaped
            # words inside it
            found.append(MethodMention(m.surface, m.start, m.end, "technique:" + m.concept.key,
                                       0.2 if weak else 0.0))
            continue
        start = _name_start(text, m.start) if in_abstract else m.start
        tail = _VARIANT_TAIL.match(text, m.end)
        end = tail.end() if tail else m.end
        if start == m.start and end == m.end:
            start, end = _compound(text, m.start, m.end)
        if start < m.start or end > m.end:   # "Categorical DQN" is not DQN, nor "ViT-L/14" ViT
            found.append(MethodMention(text[start:end], start, end, "name:" + text[start:end].casefold(), 0.95))
            continue
        found.append(MethodMention(m.surface, m.start, m.end, "vocab:" + m.concept.key, 0.95))
    side_names = doc.vocab.memo("side_names")
    for m in _NAMEY_TOKEN.finditer(text):
        token = m.group()
        word = side_names.get(token, _UNSEEN)
        if word is _UNSEEN:
            word = side_names.put(token, _side_name(token))
        if word is not None:
            start = _name_start(text, m.start()) if in_abstract else m.start()
            name = text[start:m.start()] + word
            found.append(MethodMention(name, start, m.start() + len(word), "name:" + name.casefold(), 0.7))
    if weak and in_abstract:
        found.extend(w for w in _capitalised_words(text) if not _overlaps(w.start, w.end, found))
    # drop overlaps (stronger, then longer, wins) and anything inside a dataset name
    found.sort(key=lambda x: (-x.strength, -(x.end - x.start), x.start))
    kept: list[MethodMention] = []
    for x in found:
        start, end = x.start, x.end
        if _overlaps(start, end, kept) or _overlaps(start, end, datasets) or x.name.casefold() in data_names:
            continue
        # "SR", "NER", a "KBC" the abstract defines: a task's short name is no side (a method's,
        # "NAS", is a vocab: mention)
        if x.key.startswith(("name:", "capital:")) and (doc.vocab.lookup(x.name, kind="task") is not None
                                                        or x.name.casefold() in task_short_forms(doc)):
            continue
        # "RNN-based ReNet", "ViT-inspired design": a modifier is not a side of the comparison,
        # but "transformer-based architectures" is the family itself (the patterns below look at
        # the text after the mention from x.end on: none looks behind its start)
        after = x.end
        modifier = _MODIFIER_AFTER.match(text, after)
        if modifier and not modifier.group("family"):
            continue
        if _MODIFIER_NAME.search(x.name):
            continue
        if _YARDSTICK_AFTER.match(text, after):
            continue  # "CLIP score", "GenEval benchmark": a yardstick, not a competitor
        if _PART_AFTER.match(text, after):
            continue  # "the Transformer block", "LayerNorm placement": a part, not a competitor
        paren = _PAREN_AFTER.match(text, after)
        short = paren.group("short").strip() if paren else ""
        if (short and _NAMEY_TOKEN.fullmatch(short) and short[0].isalpha() and is_namey(short)
                and not x.key.startswith("own:")):
            continue  # "MRF+CNN (MRFNet)": the bracketed name stands for the phrase and is its own mention
        kept.append(x)
    kept.sort(key=lambda x: x.start)
    # "the strong CNN model ConvNeXt": the first name only says what kind the second is
    kept = [k for k, nxt in zip(kept, kept[1:] + [None])
            if nxt is None or not _KIND_BEFORE_NAME.fullmatch(text[k.end:nxt.start])]
    return [k for k in kept if k.strength > 0]


@lru_cache(maxsize=1)
def _described_side() -> re.Pattern:
    """A side named by its kind right after a cue: "than other tree-structured models", "over
    all previous bottom-up methods", "with real-valued CNNs" (the ``np`` group, without the
    words that only point at it: ``side_fillers`` of ``ontology/cues.json``)."""
    fillers, heads = cue_alternation("side_fillers"), cue_alternation("side_heads")
    filler = rf"(?:{fillers})(?:-(?:{fillers}))*"     # ("recently-proposed")
    return re.compile(rf"[\s,:(]*(?:{filler}\s+)*(?P<np>(?!{filler}\s)[\w-]+(?:\s+[\w-]+){{0,3}}?"
                      rf"\s+(?:{heads})(?:s|es)?)(?![\w-])", re.IGNORECASE)


def with_described(doc: Document, text: str, mentions: list[MethodMention], at: int) -> list[MethodMention]:
    """``mentions`` with the side named by its kind right after a cue at ``at``, if there is
    one: as a weak mention of its own, or instead of the family it qualifies ("real-valued
    CNNs", "audio transformers" are the side, not CNNs); a named method inside it stays the side
    ("the DeiT models" compare with DeiT)."""
    m = _described_side().match(text, at)
    if m is None or any(w.lower() in STOPWORDS for w in m.group("np").split()[:-1]):
        return mentions
    np = m.group("np")
    if any(k.start > m.end("np") and not text[m.end("np"):k.start].strip() for k in mentions):
        return mentions     # "the strong CNN model ConvNeXt": the kind of the name that follows
    described = MethodMention(np, m.start("np"), m.end("np"), "described:" + np.casefold(), 0.3)
    inside = [k for k in mentions if described.start < k.end and k.start < described.end]
    for k in inside:
        concept = doc.vocab.lookup(k.name)
        if not (described.start < k.start and k.end <= described.end and concept is not None and concept.is_family):
            return mentions
    return sorted([*(k for k in mentions if k not in inside), described], key=lambda k: k.start)


@lru_cache(maxsize=1)
def _described_before() -> re.Pattern:
    """A side named by its kind ending right before a cue, only auxiliaries and adverbs between
    ("globally normalized models can be strictly | more expressive than")."""
    fillers, heads = cue_alternation("side_fillers"), cue_alternation("side_heads")
    return re.compile(rf"(?<![\w-])(?P<np>(?!(?:{fillers}|the|a|an)\s)(?:[\w-]+\s+){{1,3}}(?:{heads})(?:s|es)?)"
                      r"\s+(?:(?:can|could|may|might|will|would|should|must|is|are|was|were|be|been|do|does|did|"
                      r"consistently|significantly|strictly|often|generally|usually|still|also|even|much|far|not)\s+){0,4}$",
                      re.IGNORECASE)


def described_subject(text: str, start: int, end: int) -> MethodMention | None:
    """The side named by its kind that ends ``text[start:end]`` (the clause before a cue) as a
    weak mention, or None."""
    m = _described_before().search(text, start, end)
    if m is None:
        return None
    words = m.group("np").split()
    # ("implies that globally normalized models": the words before the last function word are not its name)
    fillers = cue_words("side_fillers")
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if w.lower() in STOPWORDS or w.lower() in fillers), default=0)
    if len(words) - cut < 2:
        return None
    np_start = m.start("np") + m.group("np").index(words[cut]) if cut else m.start("np")
    name = text[np_start:m.end("np")]
    return MethodMention(name, np_start, m.end("np"), "described:" + name.casefold(), 0.3)
