"""Candidates and their features: what the trained model (:mod:`kg.learn`) decides on.

The rules of :mod:`kg.extract.proposes`, :mod:`kg.extract.datasets` and
:mod:`kg.extract.compares` are precise but miss much on papers they were not written for. Here
they become *candidate generators* with high recall: every rule's proposal plus title segments,
acronym definitions anywhere, name-shaped words, noun phrases after proposal cues; every dataset
mention whatever its context; every cue-bound comparison. Each candidate is described by named
features (which rules found it, its shape, where it stands, the words around its mentions, the
vocabulary's word on it); a :class:`~kg.learn.linear.LogisticModel` per decision keeps or drops
it. The same functions serve training (:mod:`kg.learn.train`) and extraction, so what the model
learned on is what it sees.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract import Document
from kg.extract.names import NOT_NAMES, STOPWORDS, acronym_matches, is_namey, words
from kg.learn.linear import LogisticModel
from kg.model import Extraction
from kg.text import Sentence

Features = dict[str, float]


# --------------------------------------------------------------------------- context cues (data)

@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, tuple[re.Pattern, re.Pattern]]:
    """``ontology/cues.json`` compiled: per list, a pattern for "ends the text before a mention"
    and one for "starts the text after it" (whole words, case-insensitive)."""
    from kg.vocab import ontology_dir

    data = json.loads((ontology_dir() / "cues.json").read_text(encoding="utf-8"))
    out = {}
    for key, phrases in data.items():
        if key.startswith("_"):
            continue
        alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
        out[key] = (re.compile(r"(?:^|[^\w-])(?:" + alt + r")[\s\"'“‘(]*$", re.IGNORECASE),
                    re.compile(r"^[\s\"'”’)]*(?:" + alt + r")(?![\w])", re.IGNORECASE))
    return out


def _before(key: str, text: str) -> bool:
    return cue_patterns()[key][0].search(text) is not None


def _after(key: str, text: str) -> bool:
    return cue_patterns()[key][1].search(text) is not None


_IN_SENTENCE: dict[tuple[str, str], bool] = {}


def _in_sentence(key: str, text: str) -> bool:
    """Whether any phrase of list ``key`` occurs in ``text`` (substring, case-insensitive).
    Memoised for the paper at hand (:func:`forget_paper` empties it before each paper)."""
    hit = _IN_SENTENCE.get((key, text))
    if hit is None:
        hit = _IN_SENTENCE[(key, text)] = any(map(text.lower().__contains__, _sentence_words(key)))
    return hit


def forget_paper() -> None:
    """Empty the per-paper memo (kg.extract.extract calls it before each paper)."""
    _IN_SENTENCE.clear()


@lru_cache(maxsize=None)
def _sentence_words(key: str) -> tuple[str, ...]:
    """The phrases of list ``key``, lower case (substring tests: a regex alternation of them cost
    ~100 µs a sentence)."""
    from kg.vocab import ontology_dir

    phrases = json.loads((ontology_dir() / "cues.json").read_text(encoding="utf-8"))[key]
    return tuple(p.lower() for p in phrases)


def candidate_group(decision: str, features: Features) -> str:
    """The group whose cut applies to a candidate: for proposes, evaluatesOn and comparesTo,
    whether a precise rule found (or kept) it."""
    if decision in ("proposes", "evaluatesOn", "comparesTo"):
        return "rule" if "o:rule" in features else "new"
    return ""


def _proposer_end(doc: Document, sentence: Sentence) -> float:
    """Where the sentence's first proposal cue ends (infinity: none), memoised per document."""
    memo = doc.cache.setdefault("proposer_end", {})
    end = memo.get(sentence.start)
    if end is None:
        low = sentence.text.lower()
        ends = [at + len(p) for p in _sentence_words("proposer") if (at := low.find(p)) >= 0]
        end = memo[sentence.start] = min(ends) if ends else float("inf")
    return end


def _bucket(n: int, top: int) -> str:
    return str(n) if n < top else f"{top}+"


# --------------------------------------------------------------------------- mentions

@dataclass(frozen=True)
class Mention:
    index: int          # which abstract sentence (0-based; -1: the title)
    sentence: Sentence
    start: int          # span within sentence.text
    end: int


def _is_word_char(c: str) -> bool:
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
        if low.startswith("es", end) and not (end + 2 < len(low) and _is_word_char(low[end + 2])):
            end += 2
        elif low.startswith("s", end) and not (end + 1 < len(low) and _is_word_char(low[end + 1])):
            end += 1
        if (at == 0 or not _is_word_char(low[at - 1])) and (end == len(low) or not _is_word_char(low[end])):
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
    for index, sentence, low in lowered:
        if len(low) != len(sentence.text):
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence.text)   # keep offsets
        taken: list[tuple[int, int]] = []
        for name in names:
            if name.lower() not in low:
                continue
            for s, e in _spans(name, low):
                if not any(s < te and ts < e for ts, te in taken):
                    taken.append((s, e))
                    out.append(Mention(index, sentence, s, e))
    return out


def _context_features(f: Features, prefix: str, mentions: list[Mention], keys_before: Iterable[str],
                      keys_after: Iterable[str]) -> None:
    """Per cue list: does it stand right before / after any mention (and before all of them)."""
    abstract = [m for m in mentions if m.index >= 0]
    for key in keys_before:
        hits = [_before(key, m.sentence.text[max(0, m.start - 40):m.start]) for m in abstract]
        if any(hits):
            f[f"{prefix}before:{key}"] = 1.0
            if all(hits):
                f[f"{prefix}always-before:{key}"] = 1.0
    for key in keys_after:
        hits = [_after(key, m.sentence.text[m.end:m.end + 25]) for m in abstract]
        if any(hits):
            f[f"{prefix}after:{key}"] = 1.0
            if all(hits):
                f[f"{prefix}always-after:{key}"] = 1.0


def _shape(f: Features, prefix: str, name: str) -> None:
    ws = words(name)
    f[f"{prefix}words:{_bucket(len(ws), 4)}"] = 1.0
    if any(is_namey(w) for w in ws):
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
        f[f"{prefix}first:{first}"] = 1.0
        f[f"{prefix}last:{last}"] = 1.0
        if first.endswith("ing"):
            f[f"{prefix}first-ing"] = 1.0
        if first in ("a", "an", "the", "on", "towards", "toward", "when", "how", "why", "what", "is", "are"):
            f[f"{prefix}first-function-word"] = 1.0
        if any(w.lower() in STOPWORDS for w in ws[1:-1]):
            f[f"{prefix}inner-stopword"] = 1.0


def _vocab_features(f: Features, prefix: str, doc: Document, names: Iterable[str]) -> None:
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


# --------------------------------------------------------------------------- proposes

@dataclass
class ProposalCandidate:
    name: str
    aliases: list[str] = field(default_factory=list)
    sentence: Sentence | None = None
    origins: set[str] = field(default_factory=set)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


_TITLE_PREFIX = re.compile(r"^\s*(?P<name>[^:]{1,60}?)\s*:\s+\S")
_PROPOSER_NP = re.compile(
    r"\b(?:we|(?:this|the|our)\s+(?:paper|work|study)|in\s+this\s+(?:paper|work))\b[^.;]{0,40}?\b"
    r"(?:propose|present|introduce|develop|design|devise|put\s+forward|build|construct)(?:s|d|ed)?\s+",
    re.IGNORECASE)
_NP = re.compile(r"(?:(?:a|an|the|two|three|several)\s+)?(?:(?:novel|new|simple|effective|efficient|lightweight)\s+)*"
                 r"(?P<np>[\w-]+(?:\s+[\w-]+){0,5}?)(?=\s*(?:[,.;:()]|\s(?:to|that|which|for|with|by|as|in|on|based|"
                 r"using|where|via|from|is|and\s+(?:a|an|the)\b)|$))", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+)?(?:a|an|the)\s+|\s+and\s+(?:a|an|the)\s+", re.IGNORECASE)
_TITLECASE_RUN = re.compile(r"(?<![\w-])(?:[A-Z][\w-]*\s+){1,4}[A-Z][\w-]*(?![\w-])")
# the title's first segment: "Stacked Hourglass Networks | for Human Pose Estimation"
_TITLE_SEGMENT = re.compile(r"\s+(?:for|with|via|using|in|on|towards?|through|from|by|as|and|of|is|are|:)\s+|:\s*",
                            re.IGNORECASE)
# "a novel outlook attention", "the proposed feature gating layer", "a cascade feature fusion unit"
_MODIFIED_NP = re.compile(r"\b(?:(?:a|an|the|our)\s+)?(?:(?:novel|new|proposed|simple|effective|efficient|lightweight|"
                          r"dedicated|so-called)\s+)+(?P<np>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4})", re.IGNORECASE)
_HEADED_NP = re.compile(r"\b(?P<np>(?:[a-z][\w-]*\s+){1,3}(?:module|block|layer|loss|attention|mechanism|unit|token|"
                        r"tokens|strategy|scheme|network|pooling|embedding|gating|head|operator|objective|"
                        r"regularization|regularizer|normalization|convolution|bank|pruning|distillation)s?)\b")


def proposal_candidates(doc: Document) -> list[ProposalCandidate]:
    """Every plausible own contribution of the paper, the rules' first (cached on the document)."""
    if "proposal_candidates" in doc.cache:
        return doc.cache["proposal_candidates"]
    from kg.extract.proposes import _definitions, _trim_long, rule_proposals

    found: list[ProposalCandidate] = []

    def add(name: str, aliases: Iterable[str], sentence: Sentence | None, origin: str) -> None:
        name = " ".join(name.split()).strip(" \t\"'“”‘’-,.:;()")
        if not name or len(name) > 80 or len(words(name)) > 6 or not any(c.isalpha() for c in name):
            return
        if all(w.lower() in STOPWORDS for w in words(name)):
            return
        found.append(ProposalCandidate(name, [a for a in aliases if a and a != name], sentence, {origin}))

    for i, p in enumerate(rule_proposals(doc)):
        add(p.name, p.aliases, p.sentence, f"rule:{p.origin}")
        found[-1].origins.add("rule")
        if i == 0:
            found[-1].origins.add("rule-first")
    title = doc.paper.title
    m = _TITLE_PREFIX.match(title)
    if m:
        add(m.group("name"), [], doc.title_sentence, "title-prefix")
    for k, w in enumerate(words(title)):
        if is_namey(w) and w.casefold() not in NOT_NAMES:
            add(w, [], doc.title_sentence, "title-first" if k == 0 else "title-namey")
    segment = _TITLE_SEGMENT.split(title, 1)[0]
    if 2 <= len(segment.split()) <= 6:
        add(segment, [], doc.title_sentence, "title-segment")
    for run in _TITLECASE_RUN.finditer(title):
        add(run.group(), [], doc.title_sentence, "title-titlecase")
    for sentence in doc.abstract_sentences:
        text = sentence.text
        for d in _definitions(text):
            short = d.group("short").strip()
            if is_namey(short) and len(words(short)) == 1:
                long_ = _trim_long(" ".join(d.group("long").split()), short)
                add(short, [long_] if long_ else [], sentence, "definition-any")
        for w in words(text):
            if is_namey(w) and w.casefold() not in NOT_NAMES:
                add(w, [], sentence, "namey")
        for cue in _PROPOSER_NP.finditer(text):
            rest = text[cue.end():cue.end() + 160]
            for item in _ITEM_SPLIT.split(rest)[:3]:
                np = _NP.match(item)
                if np and 2 <= len(np.group("np").split()) <= 6:
                    add(np.group("np"), [], sentence, "np-after-cue")
        for run in _TITLECASE_RUN.finditer(text):
            if run.start() > 0:
                add(run.group(), [], sentence, "titlecase")
        for np in _MODIFIED_NP.finditer(text):
            phrase = _NP.match(np.group("np") + ".")
            if phrase and 1 <= len(phrase.group("np").split()) <= 4:
                add(phrase.group("np"), [], sentence, "np-modified")
        for np in _HEADED_NP.finditer(text):
            phrase = np.group("np")
            ws = phrase.split()
            if ws[0].lower() not in STOPWORDS and not any(w.lower() in ("the", "a", "an", "of", "and") for w in ws):
                add(phrase, [" ".join(ws[:-1])] if len(ws) > 2 else [], sentence, "np-headed")
    merged = _merge_candidates(found, doc.vocab)
    doc.cache["proposal_candidates"] = merged
    return merged


def _shape_of(name: str, shapes: dict) -> tuple[bool, str, frozenset[str]]:
    """(one word?, its first letter, the initials of its words), worked out once per merge."""
    shape = shapes.get(name)
    if shape is None:
        parts = name.replace("-", " ").split()
        first = next((c.lower() for c in name if c.isalnum()), "")
        shape = shapes[name] = (" " not in name, first, frozenset(w[:1].lower() for w in parts))
    return shape


def _same(p: ProposalCandidate, q: ProposalCandidate, shapes: dict, vocab) -> bool:
    keys = {k.casefold() for k in p.names}
    if any(k.casefold() in keys for k in q.names):
        return True
    if is_namey(q.name) and " " not in p.name and p.name.casefold().startswith(q.name.casefold() + "-"):
        return True     # "Next-ViT-S" is a variant of Next-ViT
    p_single, p_first, p_initials = _shape_of(p.name, shapes)
    q_single, q_first, q_initials = _shape_of(q.name, shapes)
    if p_single and q_single:
        return False
    if vocab.lookup(p.name) is not None or vocab.lookup(q.name) is not None:
        return False     # "ViT" spells "Novel ViT" loosely, but ViT is a known family, not its acronym
    # an acronym and a long form: "VOLO" / "Vision Outlooker" (the acronym's first letter must
    # start a word of the long form: a cheap test before the full one)
    return ((q_first in p_initials and acronym_matches(q.name, p.name))
            or (p_first in q_initials and acronym_matches(p.name, q.name)))


def _merge_candidates(found: list[ProposalCandidate], vocab) -> list[ProposalCandidate]:
    out: list[ProposalCandidate] = []
    owner: dict[str, ProposalCandidate] = {}      # a name (case-folded) → the candidate holding it
    shapes: dict = {}
    for p in found:
        same = next((owner[k.casefold()] for k in p.names if k.casefold() in owner), None)
        for q in ([same] if same is not None else out):
            if same is not None or _same(p, q, shapes, vocab):
                known = {k.casefold() for k in q.names}
                q.aliases.extend(a for a in p.names if a.casefold() not in known and not known.add(a.casefold()))
                q.origins |= p.origins
                if q.sentence is None:
                    q.sentence = p.sentence
                owner.update((k.casefold(), q) for k in q.names)
                break
        else:
            out.append(ProposalCandidate(p.name, list(p.aliases), p.sentence, set(p.origins)))
            owner.update((k.casefold(), out[-1]) for k in p.names)
    return out


def _paper_features(doc: Document) -> Features:
    """What the whole abstract says about the paper's kind: does it propose, or study?"""
    memo = doc.cache.get("paper_features")
    if memo is None:
        text = f"{doc.paper.title}. {doc.paper.abstract}"
        memo = {}
        if _in_sentence("proposer", text):
            memo["paper:proposes"] = 1.0
        if _in_sentence("study", text):
            memo["paper:study"] = 1.0
        if re.search(r"\b(?:survey|review|overview|comparative|empirical|study|analysis|tutorial)\b",
                     doc.paper.title, re.IGNORECASE):
            memo["paper:study-title"] = 1.0
        if ":" in doc.paper.title:
            memo["paper:title-colon"] = 1.0
        doc.cache["paper_features"] = memo
    return memo


def proposal_features(doc: Document, cand: ProposalCandidate, rank: int) -> Features:
    f: Features = {"bias-rank:" + _bucket(rank, 5): 1.0, **_paper_features(doc)}
    for o in cand.origins:
        f["o:" + o] = 1.0
    f["n-origins:" + _bucket(len(cand.origins), 4)] = 1.0
    _shape(f, "", cand.name)
    if cand.aliases:
        f["has-alias"] = 1.0
        if any(acronym_matches(cand.name, a) for a in cand.aliases if " " in a):
            f["acronym-defined"] = 1.0
    _vocab_features(f, "", doc, cand.names)
    mentions = mentions_of(doc, cand.names)
    in_title = [m for m in mentions if m.index < 0]
    abstract = [m for m in mentions if m.index >= 0]
    if in_title:
        f["in-title"] = 1.0
        if in_title[0].start == 0:
            f["title-start"] = 1.0
        colon = doc.paper.title.find(":")
        if colon > 0 and in_title[0].end <= colon:
            f["title-before-colon"] = 1.0
    f["mentions:" + _bucket(len(abstract), 4)] = 1.0
    if abstract:
        first = abstract[0].index
        f["first-sentence:" + _bucket(first, 5)] = 1.0
        n = len(doc.abstract_sentences)
        if n > 2 and first >= n - 2:
            f["first-in-last-two"] = 1.0
        if any(_in_sentence("proposer", m.sentence.text) for m in abstract):
            f["sentence-proposer"] = 1.0
        if any(re.search(r"\b(?:we|our)\b", m.sentence.text, re.IGNORECASE) for m in abstract):
            f["sentence-we"] = 1.0
        proposer = [m for m in abstract if _proposer_end(doc, m.sentence) <= m.start]
        if proposer:
            f["after-proposer"] = 1.0
            if proposer[0] is abstract[0]:
                f["first-after-proposer"] = 1.0
    title_words = {w.casefold() for w in words(doc.paper.title)} - STOPWORDS
    for alias in cand.aliases:
        content = {w.casefold() for w in words(alias)} - STOPWORDS
        if len(content & title_words) >= 2:
            f["alias-in-title"] = 1.0
    _context_features(f, "", mentions, ("own_before", "novel_before", "coined_before", "used_before",
                                         "compare_before"), ("used_after", "part_after", "subject_after"))
    return f


def decide_proposals(doc: Document, proposes: LogisticModel, primary: LogisticModel | None) -> list:
    """The proposals the model keeps, the primary first, as :class:`kg.extract.proposes.Proposal`."""
    from kg.extract.proposes import Proposal

    cands = proposal_candidates(doc)
    scored = []
    for rank, c in enumerate(cands):
        feats = proposal_features(doc, c, rank)
        scored.append((proposes.probability(feats), primary.probability(feats) if primary else 0.0, rank, c,
                       proposes.cut(candidate_group("proposes", feats))))
    kept = [s for s in scored if s[0] >= s[4]]
    if primary is not None and scored:
        best = max(scored, key=lambda s: (s[1], -s[2]))
        if best[1] >= primary.threshold or (kept and best in kept):
            kept = [best] + [s for s in kept if s is not best]
        elif kept:
            kept.sort(key=lambda s: (-s[1], s[2]))
    out = []
    for p, _, _, c, _ in kept:
        origin = sorted(o[5:] for o in c.origins if o.startswith("rule:"))
        out.append(Proposal(c.name, list(c.aliases), c.sentence, round(p, 2),
                            "learned" + (f"+{origin[0]}" if origin else "")))
    return out


# --------------------------------------------------------------------------- evaluatesOn

@dataclass
class DatasetCandidate:
    surface: str
    label: str
    origins: set[str] = field(default_factory=set)
    mentions: list[tuple[Sentence, int, int]] = field(default_factory=list)   # sentence, start, end (in doc.text)


def dataset_candidates(doc: Document) -> list[DatasetCandidate]:
    """Every dataset mention, whatever its context, one candidate per dataset."""
    from kg.extract.datasets import _names_after_on, _plausible_dataset_name, _unknown_dataset_names, rule_datasets

    kept_by_rules = {e.object.casefold() for e in rule_datasets(doc)}
    by_key: dict[str, DatasetCandidate] = {}
    for sentence in doc.abstract_sentences:
        found = [(m.surface, m.start, m.end, m.concept.label, "vocab")
                 for m in doc.vocab.find(sentence.text, kind="dataset", offset=sentence.start)]
        covered = [(s, e) for _, s, e, _, _ in found]
        unknown = [(n, s, e, "pattern") for n, s, e in _unknown_dataset_names(sentence, doc)]
        unknown += [(n, s, e, "after-on") for n, s, e in _names_after_on(sentence, doc)]
        for name, s, e, origin in unknown:
            if any(cs <= s < ce or cs < e <= ce for cs, ce in covered) or not _plausible_dataset_name(name):
                continue
            covered.append((s, e))
            found.append((name, s, e, name, origin))
        for surface, s, e, label, origin in found:
            c = by_key.get(label.casefold())
            if c is None:
                c = by_key[label.casefold()] = DatasetCandidate(surface, label)
            c.origins.add(origin)
            c.mentions.append((sentence, s, e))
            if surface.casefold() in kept_by_rules:
                c.origins.add("rule")
    return list(by_key.values())


def dataset_features(doc: Document, cand: DatasetCandidate, own: set[str]) -> Features:
    f: Features = {}
    for o in cand.origins:
        f["o:" + o] = 1.0
    _shape(f, "", cand.surface)
    concept = doc.vocab.lookup(cand.surface, kind="dataset") or doc.vocab.lookup(cand.label, kind="dataset")
    if concept is not None and concept.area:
        f["area:" + concept.area] = 1.0
    if doc.vocab.lookup(cand.surface, kind="method"):
        f["also-method"] = 1.0
    if cand.surface.casefold() in own or cand.label.casefold() in own:
        f["own-name"] = 1.0
    text = doc.text
    f["mentions:" + _bucket(len(cand.mentions), 4)] = 1.0
    sentences = doc.abstract_sentences
    first = sentences.index(cand.mentions[0][0]) if cand.mentions[0][0] in sentences else 0
    f["first-sentence:" + _bucket(first, 5)] = 1.0
    if len(sentences) > 2 and first >= len(sentences) - 2:
        f["first-in-last-two"] = 1.0
    if cand.surface.casefold() in doc.paper.title.casefold():
        f["in-title"] = 1.0
    pre = [_before("pretrain_before", text[max(0, s - 60):s]) for _, s, _ in cand.mentions]
    if any(pre):
        f["pretrain-before"] = 1.0
        if all(pre):
            f["always-pretrain-before"] = 1.0
    for key in ("eval_before", "used_before", "compare_before"):
        if any(_before(key, text[max(0, s - 40):s]) for _, s, _ in cand.mentions):
            f["before:" + key] = 1.0
    if any(_after("used_after", text[e:e + 25]) for _, _, e in cand.mentions):
        f["after:used_after"] = 1.0
    for key in ("eval_sentence", "zero_shot", "pretrain_before"):
        hits = [_in_sentence(key, sent.text) for sent, _, _ in cand.mentions]
        if any(hits):
            f["sentence:" + key] = 1.0
            if all(hits):
                f["every-sentence:" + key] = 1.0
    if any(re.search(r"\d", sent.text) for sent, _, _ in cand.mentions):
        f["sentence-has-number"] = 1.0
    return f


def decide_datasets(doc: Document, model: LogisticModel) -> Iterator[Extraction]:
    from kg.extract.datasets import _own_names

    own = {n.casefold() for n in _own_names(doc)}
    for cand in dataset_candidates(doc):
        feats = dataset_features(doc, cand, own)
        p = model.probability(feats)
        if p < model.cut(candidate_group("evaluatesOn", feats)):
            continue
        sentence = cand.mentions[0][0]
        yield Extraction(paper_key=doc.paper.key, subject=doc.paper.title, subject_kind="paper",
                         predicate="evaluatesOn", object=cand.surface, object_kind="dataset",
                         evidence=doc.evidence(sentence), extractor="datasets/learned",
                         confidence=round(p, 2))


# --------------------------------------------------------------------------- comparesTo

@dataclass
class ComparisonCandidate:
    extraction: Extraction                 # the pair as it would be emitted (subject wins when there is a winner)
    features: Features = field(default_factory=dict)


_BETWEEN_EXAMPLES = re.compile(r"\b(?:such\s+as|e\.g\.|including|like)\b", re.IGNORECASE)
_BETWEEN_BREAK = re.compile(r"[;:]|\bwhile\b|\bwhereas\b|\bbut\b|\bwhich\b|\band\s+(?:we|it|our)\b", re.IGNORECASE)


def comparison_candidates(doc: Document) -> list[ComparisonCandidate]:
    """The rules' comparisons, then every other (left of a cue, right of it) mention pair of a
    cue sentence, and the paper's main method against each name right of a cue."""
    from kg.extract.compares import _PARTICIPLE, _VERBAL, _cues, _mentions, _raw_cues, _verdict, rule_comparisons
    from kg.extract.proposes import primary_method

    out: list[ComparisonCandidate] = []
    seen: set[frozenset[str]] = set()
    for e in rule_comparisons(doc):
        seen.add(frozenset((e.subject.casefold(), e.object.casefold())))
        out.append(ComparisonCandidate(e, {"o:rule": 1.0, "rule-confidence": e.confidence}))
    primary = primary_method(doc)
    for index, sentence in [(-1, doc.title_sentence), *enumerate(doc.abstract_sentences)]:
        text = sentence.text
        raw = _raw_cues(text)
        if not raw:
            continue
        mentions = _mentions(doc, text)
        if not mentions:
            continue
        for cue, outcome, confidence in _cues(raw, mentions):
            if outcome == "compared":
                outcome = _verdict(text[:cue.start()]) or outcome
            left = [m for m in mentions if m.end <= cue.start()]
            right = [m for m in mentions if m.start >= cue.end()]
            subjects = [(m, "left") for m in left[-3:]]
            if primary is not None and not any(m.key.startswith("own:") for m in left):
                subjects.append((None, "primary"))
            for r_i, r in enumerate(right[:6]):
                for subj, how in subjects:
                    name = subj.name if subj is not None else primary.name
                    if name.casefold() == r.name.casefold():
                        continue
                    pair = frozenset((name.casefold(), r.name.casefold()))
                    if pair in seen:
                        continue
                    seen.add(pair)
                    f: Features = {"o:relaxed": 1.0, "subject:" + how: 1.0, "outcome:" + outcome: 1.0,
                                   "cue-confidence": confidence, "object-rank:" + _bucket(r_i, 3): 1.0}
                    between_r = text[cue.end():r.start]
                    f["object-gap:" + _bucket(len(between_r) // 25, 4)] = 1.0
                    if _BETWEEN_EXAMPLES.search(between_r):
                        f["object-after-examples"] = 1.0
                    if _BETWEEN_BREAK.search(between_r):
                        f["object-after-break"] = 1.0
                    if subj is not None:
                        between_l = text[subj.end:cue.start()]
                        f["subject-gap:" + _bucket(len(between_l) // 25, 4)] = 1.0
                        if _BETWEEN_BREAK.search(between_l):
                            f["subject-before-break"] = 1.0
                        if subj is left[0]:
                            f["subject-first-left"] = 1.0
                        f["subject-strength"] = subj.strength
                    f["object-strength"] = r.strength
                    if _VERBAL.match(cue.group().lower()):
                        f["cue-verbal"] = 1.0
                    if _PARTICIPLE.match(cue.group()):
                        f["cue-participle"] = 1.0
                    e = Extraction(paper_key=doc.paper.key, subject=name, subject_kind="method",
                                   predicate="comparesTo", object=r.name, object_kind="method",
                                   evidence=doc.evidence(sentence), extractor="compares/relaxed",
                                   confidence=round(confidence, 2), outcome=outcome)
                    out.append(ComparisonCandidate(e, f))
    return out


def comparison_features(doc: Document, cand: ComparisonCandidate, own: set[str]) -> Features:
    e = cand.extraction
    f: Features = dict(cand.features)
    f["outcome:" + (e.outcome or "none")] = 1.0
    for side, name in (("s:", e.subject), ("o:", e.object)):
        _shape(f, side, name)
        _vocab_features(f, side, doc, [name])
        if name.casefold() in own:
            f[side + "own"] = 1.0
    text = e.evidence.sentence
    if text == doc.paper.title:
        f["in-title"] = 1.0
    if e.subject.casefold() not in text.casefold():
        f["subject-implicit"] = 1.0
    if re.search(r"\bour\b|\bproposed\b", text, re.IGNORECASE):
        f["sentence-our"] = 1.0
    if re.search(r"\d", text):
        f["sentence-number"] = 1.0
    if re.search(r"\b(?:while|whereas|however|but|although|despite)\b", text, re.IGNORECASE):
        f["sentence-contrast"] = 1.0
    index = next((i for i, s in enumerate(doc.abstract_sentences) if s.start == e.evidence.start), -1)
    f["sentence:" + ("title" if index < 0 else _bucket(index, 5))] = 1.0
    return f


def decide_comparisons(doc: Document, model: LogisticModel) -> Iterator[Extraction]:
    from dataclasses import replace
    from kg.extract.datasets import _own_names

    own = {n.casefold() for n in _own_names(doc)}
    for cand in comparison_candidates(doc):
        feats = comparison_features(doc, cand, own)
        p = model.probability(feats)
        if p >= model.cut(candidate_group("comparesTo", feats)):
            yield replace(cand.extraction, confidence=round(p, 2), extractor="compares/learned")


# --------------------------------------------------------------------------- addressesTask

def task_features(doc: Document, cand) -> Features:
    """Features of a :class:`kg.extract.tasks.TaskCandidate`."""
    f: Features = {"known" if cand.concept is not None else "unknown": 1.0}
    surface = cand.surfaces[0]
    f["words:" + _bucket(len(surface.split()), 4)] = 1.0
    f["last:" + surface.split()[-1].lower().rstrip("s")] = 1.0
    if cand.in_title:
        f["in-title"] = 1.0
    f["own-work:" + _bucket(cand.own_work, 3)] = 1.0
    f["background:" + _bucket(cand.background, 3)] = 1.0
    mentions = len(cand.sentences)
    f["mentions:" + _bucket(mentions, 4)] = 1.0
    index = next((i for i, s in enumerate(doc.sentences) if s in cand.sentences), 0)
    f["first-sentence:" + _bucket(index, 6)] = 1.0
    if cand.concept is not None and cand.concept.families:
        f["has-broader"] = 1.0
    texts = [s.text for s in cand.sentences]
    if any(_in_sentence("eval_sentence", t) for t in texts):
        f["sentence:eval"] = 1.0
    if any(_in_sentence("proposer", t) for t in texts):
        f["sentence:proposer"] = 1.0
    if any(re.search(r"\b(?:we|our)\b", t, re.IGNORECASE) for t in texts):
        f["sentence:we"] = 1.0
    if any(re.search(r"\b(?:such as|e\.g\.|including|like|various|many|numerous)\b", t, re.IGNORECASE) for t in texts):
        f["sentence:examples"] = 1.0
    return f
