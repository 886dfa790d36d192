"""The comparison rules: method comparesTo method, with the outcome.

A sentence with a comparative cue ("outperforms", "inferior to", "on par with", "compared with",
"+1.3% over X") is split at the cue: the named method or family on its left is the subject, every
named one on its right an object ("outperforms X, Y and Z" → three). "our method" and a cue
with no subject on its left resolve to the paper's primary method. Unnamed sides
("state-of-the-art methods") give nothing; what can be a side is :mod:`.sides`' to say.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract import Document
from kg.extract.compares.sides import (OUR_REF, OUR_REF_GATE, MethodMention, described_subject, method_mentions,
                                       name_in, with_described)
from kg.extract.proposes import find_proposals, primary_method
from kg.extract.prefilter import Prefilter, prefilter
from kg.extract.proposes.rules import PROPOSER, PROPOSER_GATE
from kg.records import Extraction
from kg.text import Caseless, word_heads
from kg.vocab import Vocabulary

def _cue(source: str, outcome: str, confidence: float) -> tuple[Caseless, str, float, Prefilter]:
    pattern = Caseless.compile(source)
    return pattern, outcome, confidence, prefilter(pattern.pattern)


BY_METRIC = "by-metric"   # a cue whose outcome the metric it qualifies decides (see metric_outcome)

# what a cue's gain is called: "an improvement over X", "the advantage of X over Y"
_GAIN_NOUN = r"(?:improv\w+|gains?|advantages?|boost|margin|speed-?ups?|increase|performance)"

# (pattern, outcome, confidence, what every match holds); the first matching cue of a sentence
# region wins. Most sentences hold none of a cue's words (kg.extract.prefilter) and skip its pattern.
# Patterns are written in lower case (kg.text.Caseless scans lower-cased text, case-sensitively).
CUES: list[tuple[Caseless, str, float, Prefilter]] = [
    _cue(*cue) for cue in [
        (r"\b(?:do|does|did|could|can|cannot|can't)\s+not\s+(?:outperform|surpass|beat|match)\w*|"
         r"\bfail(?:s|ed)?\s+to\s+(?:outperform|surpass|beat|match)\w*|"
         r"\b(?:cannot|can\s+not|can't|could\s+not|couldn't)\s+(?:\w+\s+)?compete\s+with", "underperforms", 0.8),
        (r"\b(?:inferior\s+(?:\w+\s+){0,2}?to|worse\s+than|lag(?:s|ging)?\s+(?:far\s+)?behind|underperform\w*|"
         r"fall(?:s|ing)?\s+short\s+of|fell\s+short\s+of|not\s+(?:\w+\s+)?as\s+(?:good|accurate|efficient\w*|fast)\s+as|"
         r"trail(?:s|ing)?\s+behind|lower\s+(?:accuracy|performance)\s+than|less\s+(?:accurate|effective|efficient)\s+than|"
         r"(?:slower|weaker)\s+(?:[\w-]+\s+){0,3}?than)",
         "underperforms", 0.85),
        (r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed(?:s|ed|ing)?|outrun\w*|eclips\w*|supersed\w*|"
         # ("dominates CNNs and ViTs"; not "dominated by", which turns the sides round)
         r"dominat\w*\s+over|dominat(?:es|ing)\b|"
         # ("superior performance than plain networks": common, if ungrammatical)
         r"superior\s+(?:[\w-]+\s+){0,2}?(?:to|over|than)|better\s+(?:[\w-]+\s+){0,4}?than|favou?rable\s+to|"
         r"(?:higher|faster|smaller|lighter|cheaper|stronger|more\s+[\w-]+|fewer|lower\s+(?:latency|cost|"
         r"complexity|memory|flops|error)\w*|less\s+(?:memory|comput\w+|training|time|data|energy|latency|"
         r"(?:learning\s+)?parameters?))"
         r"\s+(?:[\w-]+\s+){0,4}?than|"
         + _GAIN_NOUN + r"\s+(?:\w+(?:\.\d+)?\s+){0,4}?(?:over|upon|against)|"
         r"(?:%|points?|pp|ap|miou|x|×)\s+(?:\w+\s+){0,3}?(?:over|than)|(?:compares?|compet\w*)\s+favou?rably\s+(?:to|with|against)|"
         r"(?:improv|enhanc|boost)\w*\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:accuracy|performance|effectiveness|results?|robustness)\s+of|"
         # "reduces the parameter count and MACs of vanilla ViT", "lowers the error rate of X": a cost
         # or an error of X made smaller
         r"(?:reduc|lower|decreas|halv)\w*\s+(?:the\s+)?(?:[\w-]+\s+(?:and\s+)?){0,3}?(?:param\w*|flops|macs|latency|"
         r"memory|cost|comput\w+|errors?|error\s+rates?|wer|cer|perplexity|size)\s+of|"
         # "state-of-the-art results among NF-based methods", "the best ... result among pure CNN models"
         r"(?:best|lowest|highest|state-of-the-art|sota)\s+(?:[\w-]+\s+){0,6}?among)",
         "outperforms", 0.85),
        (r"\b(?:comparabl[ey]\s+(?:\w+\s+){0,3}?(?:to|with)|on\s+(?:a\s+)?par\s+with|similar\s+(?:\w+\s+){0,2}?(?:to|with)|"
         # ("equivalent to" alone is an identity: "the update rule is equivalent to attention")
         r"equivalent\s+(?:accuracy|performance|results?|quality)\s+(?:to|with)|"
         r"competitive(?:ly)?\s+(?:\w+\s+){0,2}?(?:with|to)|as\s+(?:good|accurate|fast|efficient)\s+as|"
         # ("X as well as Y" is mostly "X and Y": only what performs as well as Y is compared)
         r"(?:perform\w*|work\w*|do|does|did|generali[sz]\w*|transfer\w*)\s+(?:\w+\s+)?as\s+well\s+as|"
         r"(?<!-)match(?:es|ing)?|(?<!-)rival(?:s|ing)?|on\s+a\s+par\s+with|(?:clos|narrow|bridg)(?:e|es|ed|ing|s)?\s+the\s+(?:[\w-]+\s+)?gap\s+(?:with|to)|"
         r"(?:the\s+)?same\s+(?:[\w-]+\s+){0,2}?as|alternatives?\s+to)",
         "comparable", 0.75),
        # "lower perplexity than X", "a lower word error rate than X": who wins depends on the metric
        # (resolved by raw_cues through the metric vocabulary; none named, no cue)
        (r"\blower\s+(?:[\w-]+\s+){0,3}?than\b", BY_METRIC, 0.8),
        # ("the gap between A and B": A and B are compared, split at "and" like "compare A with B")
        (r"\b(?:compared?\s+(?:with|to|against)|comparing|in\s+comparison\s+(?:with|to)|relative\s+to|versus|vs\.?|"
         r"against|compare[sd]?|gap\s+between)\b", "compared", 0.65),
        # "improves Vision Transformer (ViT) in performance", "we boost the detector DINO from 49.0% AP
        # to 51.9% AP": the method improved on is the loser (weaker than the cues above: last)
        # ("feature-enhanced", "self-improving": a compound adjective, no verb)
        # ("an enhanced attention", "achieves improved segmentation": a participle before a noun
        # describes; only the finite verb and the gerund improve on something)
        (r"(?<!-)\b(?:improv(?:es|ing)|boost(?:s|ing)?|enhanc(?:es|ing))\b", "outperforms", 0.6),
    ]
]
# compiled once (re.search(source, …) looks its source up in re's cache on every call)
_CLAUSE_END = re.compile(r";|\.\s|,\s+(?:while|whereas|but|which|and\s+(?:it|we|our|they)|thus|leading|"
                         r"demonstrating|showing|achieving|making|resulting)\b|\bwhile\b|\bwhereas\b|\bbut\b|"
                         r"\b(?:(?:partly|largely|mainly)\s+)?(?:thanks\s+to|due\s+to|owing\s+to|because\s+of)\b")
_CLAUSE_START = re.compile(r";|:\s|\bwhile\b|\bwhereas\b|\bbut\b|,\s+(?:and\s+)?(?:we|which)\b")
_COMMA_END = re.compile(r",\s*$")
_WHICH_END = re.compile(r",\s+which\s*$")
_NOMINAL_OF = re.compile("^" + _GAIN_NOUN + r"\s+of\s", re.I)
_BARE_IMPROVE = CUES[-1][0]    # "improves", "boosting": the last, weakest cue
_PREPOSITION_BETWEEN = re.compile(r"\b(?:for|in|on|with|to|at|from|across|when|during)\b")
VERBAL = re.compile(r"compare[sd]?$|comparing$|gap\s+between$")
_WITH = re.compile(r"\b(?:with|to|against|and)\b")


def _clause_end(text: str, start: int) -> int:
    """Where the objects of a cue stop: the end of the clause that follows it."""
    m = _CLAUSE_END.search(text[start:])
    return start + m.start() if m else len(text)


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
                     r"outperform\w*|superior|advantage|favou?rabl\w*)\b", re.IGNORECASE)
_WORSE = re.compile(r"\b(?:worse|lower\s+(?:accuracy|performance)|drops?|degrad\w+|inferior|slower)\b", re.IGNORECASE)
_SIMILAR = re.compile(r"\b(?:similar|equivalent|comparable|competitive|on\s+par|same\s+level|matching)\b", re.IGNORECASE)


def verdict(left_text: str, vocab: Vocabulary) -> str | None:
    """The outcome a "compared with" clause states before the cue ("3% higher accuracy compared
    with X", "a lower perplexity compared to X")."""
    by_metric = metric_outcome(left_text, vocab)
    if by_metric is not None:
        return by_metric
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
            if ((PROPOSER_GATE.admits(heads, s.text) and PROPOSER.search(s.text))
                    or (OUR_REF_GATE.admits(heads, s.text) and OUR_REF.search(s.text))
                    or any(name_in(n, s.text) for n in names)):
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
        raw = raw_cues(text, doc.vocab, doc.word_heads(text))
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
                      r"importantly|finally),?\s+)?(?:(?:when\s+|as\s+)?compared\s+(?:with|to|against)|"
                      r"in\s+comparison\s+(?:with|to)|unlike|relative\s+to)\s", re.IGNORECASE)
_PHRASE_COMMA = re.compile(r",\s")
_SUBJECT_LEAD = re.compile(r"\s*(?:[\w-]+\s+){0,3}")        # "our SGAN", "the proposed LMUFormer"
_WE_LEAD = re.compile(r"\s*(?:we|this|it)\b", re.IGNORECASE)   # ("Compared to X, this leads to ...")
_EXAMPLES_OPEN = re.compile(r"\(\s*(?:e\.g\.|i\.e\.|such\s+as|including|like)", re.IGNORECASE)
_QUALIFIER = re.compile(r"\b(?:within|in|on|for|across|at|under|from|when|that|which|using|trained)\b")


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


def _in_brackets(text: str, at: int, pos: int) -> bool:
    """Whether ``pos`` stands in brackets opened after ``at``."""
    return text.count("(", at, pos) != text.count(")", at, pos)


def _describes(text: str, at: int, pos: int) -> bool:
    """Whether ``pos`` stands in brackets opened after ``at`` that describe what precedes them
    ("X (a strong CNN, 2021)"), not list examples of it ("the Transformer model (e.g., ViT)")."""
    return _in_brackets(text, at, pos) and _EXAMPLES_OPEN.match(text, text.rfind("(", at, pos)) is None


def _fronted_pairs(doc: Document, sentence, mentions: list[MethodMention], at: int, primary,
                   seen: set[frozenset[str]]) -> Iterator[Extraction]:
    """The pairs of a sentence opened by a comparing phrase that ends at its first comma; ``at``
    is where the rivals may start."""
    text = sentence.text
    comma = next((c for c in _PHRASE_COMMA.finditer(text, at) if not _in_brackets(text, at, c.start())), None)
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
    outcome = verdict(text[comma.end():main_end], doc.vocab) or "compared"
    for rival in _unseen_objects(rivals, subj_key, subj_name, seen):
        yield Extraction(
            paper_key=doc.paper.key, subject=subj_name, subject_kind="method", predicate="comparesTo",
            object=rival.name, object_kind="method", evidence=doc.evidence(sentence), extractor="compares/fronted",
            confidence=round(0.65 * (0.5 + min(strength, rival.strength) / 2), 2), outcome=outcome)


_HIGHER_LOWER = re.compile(r"\b(higher|lower)\b", re.IGNORECASE)
_METRIC_GAP_BREAK = re.compile(r"[,;()]|\bthan\b", re.IGNORECASE)


def metric_outcome(text: str, vocab: Vocabulary) -> str | None:
    """The outcome "higher" or "lower" states in ``text`` of a metric next to it whose better
    direction the vocabulary knows (``kgo:higherIsBetter``), else None.

    >>> from kg.vocab import default_vocabulary
    >>> v = default_vocabulary()
    >>> metric_outcome("lower perplexity than", v), metric_outcome("a higher FID than", v)
    ('outperforms', 'underperforms')
    >>> metric_outcome("an error rate 2% lower than", v), metric_outcome("higher top-1 accuracy than", v)
    ('outperforms', 'outperforms')
    >>> metric_outcome("lower latency than", v) is None
    True
    """
    comparatives = list(_HIGHER_LOWER.finditer(text))
    if not comparatives:
        return None
    metrics = [m for m in vocab.find(text, kind="metric") if m.concept.higher_is_better is not None]
    for c in comparatives:
        for m in metrics:
            if m.start >= c.end():
                gap = text[c.end():m.start]      # "lower word error rate"
            elif m.end <= c.start():
                gap = text[m.end:c.start()]      # "an error rate 2% lower"
            else:
                continue
            if len(gap.split()) <= 3 and not _METRIC_GAP_BREAK.search(gap):
                higher_wins = (c.group(1).lower() == "higher") == m.concept.higher_is_better
                return "outperforms" if higher_wins else "underperforms"
    return None


def cue_matches(text: str, heads: set[str] | None = None) -> list[tuple[int, re.Match, str, float]]:
    """Every match of a CUES pattern in ``text`` as (rank in CUES, match, outcome, confidence),
    the outcome as CUES lists it; ``heads`` are its :func:`kg.text.word_heads` if the caller
    has them."""
    if heads is None:
        heads = word_heads(text)
    out = []
    low = text.lower()
    for rank, (pattern, outcome, confidence, gate) in enumerate(CUES):
        if gate.admits(heads, text, low):
            out.extend((rank, cue, outcome, confidence) for cue in pattern.finditer(text, low))
    return out


def raw_cues(text: str, vocab: Vocabulary, heads: set[str] | None = None) -> list[tuple[int, re.Match, str, float]]:
    """The cues of ``text`` (:func:`cue_matches`), each with the outcome it states: a "higher" or
    "lower" that qualifies a known metric states it by the metric's direction ("a higher FID than
    X" loses to X), and a "lower ... than" with no known metric states nothing."""
    out = []
    for rank, cue, outcome, confidence in cue_matches(text, heads):
        # ("an FID 2 points higher than X": the metric may stand just before the cue)
        around = text[max(0, cue.start() - 30):cue.end()]
        if outcome == BY_METRIC:
            outcome = metric_outcome(around, vocab)
        elif outcome in ("outperforms", "underperforms") and _HIGHER_LOWER.search(cue.group()):
            outcome = metric_outcome(around, vocab) or outcome
        if outcome is not None:
            out.append((rank, cue, outcome, confidence))
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
    of = _NOMINAL_OF.search(cue.group())
    if of:
        # "the advantage of these transformers over CNNs": the side the noun is of is the subject
        left = [m for m in mentions if cue.start() + of.end() <= m.start and m.end <= cue.end()] or left
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
        outcome = verdict(text[left_start:cue.start()], doc.vocab) or outcome
    if not left and not verbal:
        # "globally normalized models can be strictly more expressive than locally normalized
        # models": a side named by its kind right before the cue is the subject
        described = described_subject(text, left_start, cue.start())
        if described is not None:
            left = [described]
        elif _WHICH_END.search(text, 0, left_start):
            # "Vision Transformers (ViTs), which quickly superseded ConvNets": the relative
            # clause's subject is the name it follows (a part of the paper's own method stands for
            # the method, as without a subject)
            comma = text.rfind(",", 0, left_start)
            left = [m for m in mentions if m.end <= comma and not text[m.end:comma].strip(" )")
                    and not m.key.startswith("own:")][-1:]
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
