"""The comparison rules: method comparesTo method, with the outcome.

A sentence with a comparative cue ("outperforms", "inferior to", "on par with", "compared with",
"+1.3% over X") is split at the cue: the named method or family on its left is the subject, every
named one on its right an object ("outperforms X, Y and Z" → three). "our method" and a cue
with no subject on its left resolve to the paper's primary method. Unnamed sides
("state-of-the-art methods") give nothing.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from kg.extract import Document
from kg.extract.datasets import dataset_names
from kg.extract.features import cue_words, is_word_char
from kg.extract.names import NOT_NAMES, STOPWORDS, VARIANT_TAIL, WORD, is_namey
from kg.extract.proposes import find_proposals, primary_method
from kg.extract.proposes.rules import PROPOSER, PROPOSER_HEADS
from kg.records import Extraction
from kg.text import Caseless, may_start, word_heads

# (pattern, outcome, confidence, words); the first matching cue of a sentence region wins. A
# pattern can only match a sentence whose case-folded, space-normalised text contains one of its
# words: checking that first skips most sentences cheaply (tests/test_extract_patterns.py proves
# the words never hide a match on the seeds).
# Patterns are written in lower case (kg.text.Caseless scans lower-cased text, case-sensitively).
CUES: list[tuple[Caseless, str, float, tuple[str, ...]]] = [
    (Caseless.compile(p), outcome, conf, tuple(needles.split("|")))
    for p, outcome, conf, needles in [
        (r"\b(?:do|does|did|could|can|cannot|can't)\s+not\s+(?:outperform|surpass|beat|match)\w*|"
         r"\bfail(?:s|ed)?\s+to\s+(?:outperform|surpass|beat|match)\w*", "underperforms", 0.8, " not |fail"),
        (r"\b(?:inferior\s+(?:\w+\s+){0,2}?to|worse\s+than|lag(?:s|ging)?\s+(?:far\s+)?behind|underperform\w*|"
         r"fall(?:s|ing)?\s+short\s+of|fell\s+short\s+of|not\s+(?:\w+\s+)?as\s+(?:good|accurate|efficient\w*|fast)\s+as|"
         r"trail(?:s|ing)?\s+behind|lower\s+(?:accuracy|performance)\s+than|less\s+(?:accurate|effective)\s+than)",
         "underperforms", 0.85, "inferior|worse|behind|underperform|short of|not |lower accuracy|lower performance|"
         "less accurate|less effective"),
        (r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed(?:s|ed|ing)?|outrun\w*|eclips\w*|supersed\w*|"
         r"dominat\w*\s+over|"
         r"superior\s+(?:performance\s+)?(?:to|over)|better\s+(?:[\w-]+\s+){0,4}?than|favou?rable\s+to|"
         r"(?:higher|faster|smaller|lighter|cheaper|stronger|more\s+\w+|fewer|lower\s+(?:latency|cost|"
         r"complexity|memory|flops|error)\w*|less\s+(?:memory|comput\w+|training|time|data|energy|latency))"
         r"\s+(?:[\w-]+\s+){0,4}?than|"
         r"(?:improv\w+|gains?|advantage|boost|margin|speed-?ups?|increase|performance)\s+(?:\w+\s+){0,4}?(?:over|upon|against)|"
         r"(?:%|points?|pp|ap|miou|x|×)\s+(?:\w+\s+){0,3}?(?:over|than)|(?:compares?|compet\w*)\s+favou?rably\s+(?:to|with|against)|"
         r"(?:improv|enhanc|boost)\w*\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:accuracy|performance|effectiveness|results?|robustness)\s+of)",
         "outperforms", 0.85, "outperform|surpass|beat|exceed|outrun|eclips|supersed|dominat|superior|than| over|"
         " upon| against|favo|improv|enhanc|boost"),
        (r"\b(?:comparabl[ey]\s+(?:\w+\s+){0,3}?(?:to|with)|on\s+(?:a\s+)?par\s+with|similar\s+(?:\w+\s+){0,2}?(?:to|with)|"
         r"competitive\s+(?:\w+\s+){0,2}?(?:with|to)|as\s+(?:good|accurate|fast|efficient)\s+as|"
         # ("X as well as Y" is mostly "X and Y": only what performs as well as Y is compared)
         r"(?:perform\w*|work\w*|do|does|did|generali[sz]\w*|transfer\w*)\s+(?:\w+\s+)?as\s+well\s+as|"
         r"(?<!-)match(?:es|ing)?|(?<!-)rival(?:s|ing)?|on\s+a\s+par\s+with|close\s+the\s+gap\s+(?:with|to)|"
         r"(?:the\s+)?same\s+(?:[\w-]+\s+){0,2}?as|alternatives?\s+to)",
         "comparable", 0.75, "compar|par with|similar|competitive|as good as|as accurate as|as well as|as fast as|"
         "as efficient as|match|rival|close the gap|same|alternative"),
        # ("the gap between A and B": A and B are compared, split at "and" like "compare A with B")
        (r"\b(?:compared?\s+(?:with|to|against)|comparing|in\s+comparison\s+(?:with|to)|versus|vs\.?|"
         r"against|compare[sd]?|gap\s+between)\b", "compared", 0.65, "compar|versus|vs|against|gap between"),
        # "improves Vision Transformer (ViT) in performance", "we boost the detector DINO from 49.0% AP
        # to 51.9% AP": the method improved on is the loser (weaker than the cues above: last)
        # ("feature-enhanced", "self-improving": a compound adjective, no verb)
        # ("an enhanced attention", "achieves improved segmentation": a participle before a noun
        # describes; only the finite verb and the gerund improve on something)
        (r"(?<!-)\b(?:improv(?:es|ing)|boost(?:s|ing)?|enhanc(?:es|ing))\b", "outperforms", 0.6,
         "improv|boost|enhanc"),
    ]
]
# For each cue, heads (kg.text.word_heads) of words every match holds ("than" in "faster … than"):
# a sentence without one skips the cue before its needles are sought (tests/test_extract_patterns.py)
_CUE_HEADS: list[frozenset[str]] = [frozenset(heads.split()) for heads in [
    "not fail",   # (and a verb: outperform surpass beat match)
    "infe wors lag unde fall fell not trai lowe less",
    "outp surp beat exce outr ecli supe domi bett than over upon agai comp impr enha boos favo",
    "comp par simi good accu well fast effi matc riva clos same alte",
    "comp vers vs agai gap",
    "impr boos enha",
]]
_OUR_REF = Caseless.compile(
    r"\b(?:our|the\s+proposed|this)\s+(?:[\w-]+\s+){0,3}?(?:method|model|approach|network|framework|"
    r"architecture|algorithm|technique|system|design|module|backbone|scheme|solution|strategy)s?\b|"
    r"\bours\b|\b(?:our|the\s+proposed)\s+(?:proposed\s+)?(?:method|model|approach)\b",
)
_OUR_REF_HEADS = frozenset(("our", "this", "prop"))
_NAMEY_TOKEN = re.compile(WORD)
_TITLECASE_LEAD = re.compile(r"(?<![\w-])(?:[A-Z][a-z]{2,}\s+){1,2}$")
# a size or patch tail that makes a known method's name a variant of it ("ViT-L/14", "Mixer-B/16")
_VARIANT_TAIL = re.compile(r"(?:-[A-Za-z]{1,2}\d?)?/\d{1,2}(?![\w/])")
_CITATION_KEY = re.compile(r"[a-z]+\d{4}[a-z]*")                # "wang2017sample": a LaTeX citation key
_NUMBERISH = re.compile(r"[\d.x×%-]+[A-Za-z]{0,2}")          # "3x", "12.5M": sizes, not names
_LETTER_INDEX = re.compile(r"[A-Z]\d*")                       # "K", "N2": variables
_LATEX_GLUE = re.compile(r"(?:approx|sim|times|pm|leq?|geq?|mathrm|textbf)\d")
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


def _name_in(name: str, text: str) -> bool:
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
            and not _LATEX_GLUE.match(word)):
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


def method_mentions(doc: Document, text: str) -> list[MethodMention]:
    """Methods and method families named in ``text`` (one sentence)."""
    found: list[MethodMention] = []
    primary = primary_method(doc)
    own = [(n, p) for p in find_proposals(doc) for n in (p.name, *p.aliases)]
    low = text.lower() if own else None   # (once, not once a name)
    for name, p in own:
        for start, end in _name_spans(name, text, low):
            found.append(MethodMention(p.name, start, end, "own:" + p.name.casefold(), 1.0))
    if primary is not None and may_start(doc.word_heads(text), _OUR_REF_HEADS):
        for m in _OUR_REF.finditer(text):
            found.append(MethodMention(primary.name, m.start(), m.end(), "own:" + primary.name.casefold(), 0.9))
    # a dataset or a metric ("62.2% mean IU") is never a side: their spans block the names in them
    datasets = doc.find(text, kind="dataset") + doc.find(text, kind="metric")
    in_abstract = text != doc.paper.title    # (a title capitalises every word)
    data_names = dataset_names(doc)
    for m in doc.find(text, kind="method"):
        if m.concept.area == "technique":
            # generic techniques (dropout, fine-tuning) are not comparison sides; the span still
            # blocks name-shaped words inside it
            found.append(MethodMention(m.surface, m.start, m.end, "technique:" + m.concept.key, 0.0))
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
    # drop overlaps (stronger, then longer, wins) and anything inside a dataset name
    found.sort(key=lambda x: (-x.strength, -(x.end - x.start), x.start))
    kept: list[MethodMention] = []
    for x in found:
        start, end = x.start, x.end
        if _overlaps(start, end, kept) or _overlaps(start, end, datasets) or x.name.casefold() in data_names:
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
    fillers = "|".join(re.escape(w) for w in sorted(cue_words("side_fillers"), key=len, reverse=True))
    heads = "|".join(re.escape(w) for w in sorted(cue_words("side_heads"), key=len, reverse=True))
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


# compiled once (re.search(source, …) looks its source up in re's cache on every call)
_CLAUSE_END = re.compile(r";|\.\s|,\s+(?:while|whereas|but|which|and\s+(?:it|we|our|they)|thus|leading|"
                         r"demonstrating|showing|achieving|making|resulting)\b|\bwhile\b|\bwhereas\b|\bbut\b|"
                         r"\b(?:(?:partly|largely|mainly)\s+)?(?:thanks\s+to|due\s+to|owing\s+to|because\s+of)\b")
_CLAUSE_START = re.compile(r";|:\s|\bwhile\b|\bwhereas\b|\bbut\b|,\s+(?:and\s+)?(?:we|which)\b")
_COMMA_END = re.compile(r",\s*$")
_BARE_IMPROVE = CUES[-1][0]    # "improves", "boosting": the last, weakest cue
_PREPOSITION_BETWEEN = re.compile(r"\b(?:for|in|on|with|to|at|from|across|when|during)\b")
VERBAL = re.compile(r"compare[sd]?$|comparing$|gap\s+between$")
_WITH = re.compile(r"\b(?:with|to|against|and)\b")


def _clause_end(text: str, start: int) -> int:
    """Where the objects of a cue stop: the end of the clause that follows it."""
    m = _CLAUSE_END.search(text[start:])
    return start + m.start() if m else len(text)


_KIND_BEFORE_NAME = re.compile(r"\s+(?:models?|networks?|architectures?|backbones?|baselines?|methods?)\s+", re.I)
_MEASURED_BY = re.compile(r"\b(?:measured|evaluated|assessed|quantified)\s+(?:by|with|using|in)\b|\bin\s+terms\s+of\b|"
                          r"\bmetrics?\b", re.IGNORECASE)
PARTICIPLE = re.compile(r"(?:outperform|surpass|beat|exceed)ing\b", re.IGNORECASE)


def _clause_start(text: str, end: int) -> int:
    m = None
    for m in _CLAUSE_START.finditer(text[:end]):
        pass
    if m and m.group().endswith("which") and _COMMA_END.search(text[m.end():end]):
        # "ConvFormer, which can be regarded as pure CNNs, outperforms …": the relative clause is
        # closed, the subject stands before it
        return _clause_start(text, m.start())
    return m.end() if m else 0


_BETTER = re.compile(r"\b(?:higher|better|faster|more\s+accurate|improv\w+|gains?|fewer|less\s+(?:memory|"
                     r"computation|latency)|lower\s+(?:latency|cost|error|flops|memory)|speed-?ups?|reduc\w+|"
                     r"outperform\w*|superior|advantage)\b", re.IGNORECASE)
_WORSE = re.compile(r"\b(?:worse|lower\s+(?:accuracy|performance)|drops?|degrad\w+|inferior|slower)\b", re.IGNORECASE)
_SIMILAR = re.compile(r"\b(?:similar|comparable|competitive|on\s+par|same\s+level|matching)\b", re.IGNORECASE)


def verdict(left_text: str) -> str | None:
    """The outcome a "compared with" clause states before the cue ("3% higher accuracy compared with X")."""
    if _WORSE.search(left_text):
        return "underperforms"
    if _BETTER.search(left_text):
        return "outperforms"
    if _SIMILAR.search(left_text):
        return "comparable"
    return None


def _own_start(doc: Document) -> int:
    """Where the paper starts speaking of its own work: the first abstract sentence that proposes,
    says "our …" or names an own method. An unnamed
    subject before that is background ("attention has improved deep networks"), not the method."""
    if "own_start" not in doc.cache:
        names = [n for p in find_proposals(doc) for n in (p.name, *p.aliases)]
        start = len(doc.text)
        for s in doc.abstract_sentences:
            heads = doc.word_heads(s.text)
            if ((may_start(heads, PROPOSER_HEADS) and PROPOSER.search(s.text))
                    or (may_start(heads, _OUR_REF_HEADS) and _OUR_REF.search(s.text))
                    or any(_name_in(n, s.text) for n in names)):
                start = s.start
                break
        doc.cache["own_start"] = start
    return doc.cache["own_start"]


def rule_comparisons(doc: Document) -> Iterator[Extraction]:
    """The comparisons the cue rules find (the candidates of the learned decision)."""
    primary = primary_method(doc)
    seen: set[frozenset[str]] = set()
    for sentence in doc.sentences:
        text = sentence.text
        raw = raw_cues(text, doc.word_heads(text))
        fronted = _FRONTED.match(text)
        if not raw and fronted is None:
            continue   # most sentences compare nothing: skip finding their names
        mentions = method_mentions(doc, text)   # (none named: a side may still be described by its kind)
        if fronted is not None and mentions:
            yield from _fronted_pairs(doc, sentence, mentions, fronted.end(), primary, seen)
        objects: list[MethodMention] = []   # mentions already used as objects in this sentence
        cues = sentence_cues(raw, mentions)
        for k, (cue, outcome, confidence) in enumerate(cues):
            # a cue's objects end where the next cue starts ("makes A competitive to B, closes the
            # gap between C and D": C and D are the second cue's)
            stop = cues[k + 1][0].start() if k + 1 < len(cues) else len(text)
            yield from _pairs(doc, sentence, text, with_described(doc, text, mentions, cue.end()), cue, outcome,
                              confidence, primary, seen, objects, stop)


# "Compared with YOLOv9-C, YOLOv10-B has 46% less latency", "Unlike ViTs, WaveMix neither unrolls
# the image ...": a phrase before the main clause names the rivals, the clause after its comma the
# subject (no cue stands between the two, so the cues' left/right split finds no pair)
_FRONTED = re.compile(r"(?:(?:moreover|furthermore|in\s+addition|notably|specifically|besides|also|however|"
                      r"importantly|finally),?\s+)?(?:(?:when\s+)?compared\s+(?:with|to|against)|"
                      r"in\s+comparison\s+(?:with|to)|unlike|relative\s+to)\s", re.IGNORECASE)
_PHRASE_COMMA = re.compile(r",\s")
_SUBJECT_LEAD = re.compile(r"\s*(?:[\w-]+\s+){0,3}")        # "our SGAN", "the proposed LMUFormer"
_WE_LEAD = re.compile(r"\s*we\b", re.IGNORECASE)
_EXAMPLES_OPEN = re.compile(r"\(\s*(?:e\.g\.|i\.e\.|such\s+as|including|like)", re.IGNORECASE)
_QUALIFIER = re.compile(r"\b(?:within|in|on|for|across|at|under|from|when|that|which|using|trained)\b")


@lru_cache(maxsize=1)
def _described_before() -> re.Pattern:
    """A side named by its kind ending right before a cue, only auxiliaries and adverbs between
    ("globally normalized models can be strictly | more expressive than")."""
    fillers = "|".join(re.escape(w) for w in sorted(cue_words("side_fillers"), key=len, reverse=True))
    heads = "|".join(re.escape(w) for w in sorted(cue_words("side_heads"), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?P<np>(?!(?:{fillers}|the|a|an)\s)(?:[\w-]+\s+){{1,3}}(?:{heads})(?:s|es)?)"
                      r"\s+(?:(?:can|could|may|might|will|would|should|must|is|are|was|were|be|been|do|does|did|"
                      r"consistently|significantly|strictly|often|generally|usually|still|also|even|much|far|not)\s+){0,4}$",
                      re.IGNORECASE)


def _described_subject(text: str, start: int, end: int) -> MethodMention | None:
    m = _described_before().search(text, start, end)
    if m is None:
        return None
    words = m.group("np").split()
    # ("implies that globally normalized models": the words before the last function word are not its name)
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if w.lower() in STOPWORDS or w.lower() in cue_words("side_fillers")),
              default=0)
    if len(words) - cut < 2:
        return None
    np_start = m.start("np") + m.group("np").index(words[cut]) if cut else m.start("np")
    name = text[np_start:m.end("np")]
    return MethodMention(name, np_start, m.end("np"), "described:" + name.casefold(), 0.3)


def _unseen_objects(objects: list[MethodMention], subj_key: str, subj_name: str,
                    seen: set[frozenset[str]]) -> Iterator[MethodMention]:
    """The objects that are not the subject itself and not yet paired with it in the paper
    (the pairs given are marked seen)."""
    for obj in objects:
        if obj.key == subj_key or obj.name.casefold() == subj_name.casefold():
            continue
        pair = frozenset((subj_key, obj.key))
        if pair not in seen:
            seen.add(pair)
            yield obj


def _describes(text: str, at: int, pos: int) -> bool:
    """Whether ``pos`` stands in brackets opened after ``at`` that describe what precedes them
    ("X (a strong CNN, 2021)"), not list examples of it ("the Transformer model (e.g., ViT)")."""
    if text.count("(", at, pos) == text.count(")", at, pos):
        return False
    return _EXAMPLES_OPEN.match(text, text.rfind("(", at, pos)) is None


def _fronted_pairs(doc: Document, sentence, mentions: list[MethodMention], at: int, primary,
                   seen: set[frozenset[str]]) -> Iterator[Extraction]:
    """The pairs of a sentence opened by a comparing phrase that ends at its first comma; ``at``
    is where the rivals may start."""
    text = sentence.text
    comma = next((c for c in _PHRASE_COMMA.finditer(text, at)
                  if text.count("(", at, c.start()) == text.count(")", at, c.start())), None)   # (not in brackets)
    if comma is None:
        return
    rivals = [m for m in with_described(doc, text, mentions, at) if at <= m.start and m.end <= comma.start()
              and not _describes(text, at, m.start)]
    if not rivals:
        return
    # "SOTA transformer-based models within the ANN domain": what follows a preposition qualifies them
    qualifier = _QUALIFIER.search(text, rivals[0].end, comma.start())
    if qualifier is not None:
        rivals = [m for m in rivals if m.start < qualifier.start()]
    main_end = _clause_end(text, comma.end())
    subject = next((m for m in mentions if comma.end() <= m.start < main_end), None)
    if subject is not None and _SUBJECT_LEAD.fullmatch(text, comma.end(), subject.start) is None:
        subject = None
    if subject is not None:
        subj_name, subj_key, strength = subject.name, subject.key, subject.strength
    elif primary is not None and _WE_LEAD.match(text, comma.end()) and sentence.start >= _own_start(doc):
        subj_name, subj_key, strength = primary.name, "own:" + primary.name.casefold(), 0.9
    else:
        return
    outcome = verdict(text[comma.end():main_end]) or "compared"
    for rival in _unseen_objects(rivals, subj_key, subj_name, seen):
        yield Extraction(
            paper_key=doc.paper.key, subject=subj_name, subject_kind="method", predicate="comparesTo",
            object=rival.name, object_kind="method", evidence=doc.evidence(sentence), extractor="compares/fronted",
            confidence=round(0.65 * (0.5 + min(strength, rival.strength) / 2), 2), outcome=outcome)


def raw_cues(text: str, heads: set[str] | None = None) -> list[tuple[int, re.Match, str, float]]:
    """Every cue match of ``text`` as (rank in CUES, match, outcome, confidence); ``heads`` are
    its :func:`kg.text.word_heads` if the caller has them."""
    # substring tests for each cue's needles (a few µs a sentence; one regex alternation of all
    # the needles cost 13 µs): most sentences hold none of a cue's needles and skip its pattern
    # first one set test per cue (a sentence's word heads, shared with the other extractors)
    if heads is None:
        heads = word_heads(text)
    out = []
    low = has = None
    for rank, (pattern, outcome, confidence, needles) in enumerate(CUES):
        if heads is not None and heads.isdisjoint(_CUE_HEADS[rank]):
            continue
        if has is None:
            has = " ".join(text.casefold().split()).__contains__
        if not any(map(has, needles)):   # (map, not a generator: no bytecode step per needle)
            continue
        if low is None:
            low = text.lower()
        out.extend((rank, cue, outcome, confidence) for cue in pattern.finditer(text, low))
    return out


def sentence_cues(raw: list[tuple[int, re.Match, str, float]],
          mentions: list[MethodMention]) -> list[tuple[re.Match, str, float]]:
    """Cue matches in reading order; where two overlap, the one listed first in CUES wins."""
    # a cue word inside a name ("Match" in "MatchFormer") is not a cue (loops, not any() over
    # a generator: these run for every cue and mention of a sentence with a cue)
    found = []
    for item in raw:
        at = item[1].start()
        for m in mentions:
            if m.start <= at < m.end:
                break
        else:
            found.append(item)
    kept: list[tuple[int, re.Match, str, float]] = []
    for item in sorted(found, key=lambda x: x[0]):
        if not any(item[1].start() < k[1].end() and k[1].start() < item[1].end() for k in kept):
            kept.append(item)
    return [(c, o, f) for _, c, o, f in sorted(kept, key=lambda x: x[1].start())]


def _pairs(doc, sentence, text, mentions, cue, outcome, confidence, primary, seen, objects,
           stop: int) -> Iterator[Extraction]:
    left_start = _clause_start(text, cue.start())
    left = [m for m in mentions if left_start <= m.start and m.end <= cue.start() and m not in objects]
    right_end = min(_clause_end(text, cue.end()), stop)
    right = [m for m in mentions if cue.end() <= m.start and m.end <= right_end
             and not _MEASURED_BY.search(text[cue.end():m.start])]   # "(measured by FVD, CLIP)": metrics
    verbal = VERBAL.match(cue.group().lower())
    if verbal:
        # "we compare A with B": A sits between the verb and "with"
        w = _WITH.search(text[cue.end():right_end])
        if w:
            split = cue.end() + w.start()
            subj = [m for m in right if m.end <= split]
            right = [m for m in right if m.start >= split]
            left = subj or left
        else:
            return
    if cue.re in (_BARE_IMPROVE.pattern, _BARE_IMPROVE.twin):
        # "TTUR improves learning for DCGANs", "improves generalization in the NASNet models":
        # what a bare "improves" helps across a preposition is where it applies, not a loser
        right = [m for m in right if not _PREPOSITION_BETWEEN.search(text, cue.end(), m.start)]
    if not right:
        return
    objects.extend(right)
    if outcome == "compared":
        outcome = verdict(text[left_start:cue.start()]) or outcome
    if not left and not verbal:
        # "globally normalized models can be strictly more expressive than locally normalized
        # models": a side named by its kind right before the cue is the subject
        described = _described_subject(text, left_start, cue.start())
        if described is not None:
            left = [described]
    if left:
        # the clause's subject: the paper's own method if named there, else the first name
        own = [m for m in left if m.key.startswith("own:")]
        if not own and PARTICIPLE.match(cue.group()) and _COMMA_END.search(text[:cue.start()]):
            # "EvoNorms work well on … Mask R-CNN …, outperforming BatchNorm": the participle's
            # subject is the sentence's, the paper's own method when it is named there
            own = [m for m in mentions if m.key.startswith("own:") and m.end <= cue.start()]
        subject = own[0] if own else left[0]
        if subject.strength < 0.8 and any(m.strength >= 0.8 for m in left):
            subject = next(m for m in left if m.strength >= 0.8)
        subj_name, conf = subject.name, confidence
    elif primary is not None and (outcome != "compared" or verbal) and sentence.start >= _own_start(doc):
        subj_name, conf = primary.name, confidence - 0.1
        subject = None
    else:
        return
    subj_key = subject.key if subject else "own:" + primary.name.casefold()
    for obj in _unseen_objects(right, subj_key, subj_name, seen):
        strength = min(obj.strength, subject.strength if subject else 0.9)
        yield Extraction(
            paper_key=doc.paper.key,
            subject=subj_name,
            subject_kind="method",
            predicate="comparesTo",
            object=obj.name,
            object_kind="method",
            evidence=doc.evidence(sentence),
            extractor="compares/cue",
            confidence=round(max(0.05, min(1.0, conf * (0.5 + strength / 2))), 2),
            outcome=outcome,
        )
