"""The learned proposes decision: the rules as candidate generators, a model keeps or drops.

Candidates: every rule's proposal plus title segments, acronym definitions anywhere, name-shaped
words, noun phrases after proposal cues and headed noun phrases ("a dual-branch fusion module").
Features (:func:`proposal_features`): which rules found a candidate, its shape, where it stands,
the cue words around its mentions, the vocabulary's word on it. Two decisions use them:
``proposes`` (is it the paper's own contribution) and ``primary`` (is it the main one).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.extract import Document
from kg.extract.features import (KIND_NOUN, WE_OR_OUR, Decision, Features, bucket, candidate_group, context_features,
                                 cue_in_sentence, cue_words, mentions_of, names_a_family, namey, namey_words,
                                 proposer_end, shape_features, vocab_features)
from kg.extract.names import (NOT_NAMES, STOPWORDS, VARIANT_TAIL, acronym_letters, acronym_matches, alternation,
                              is_namey, lexicon, words, words_to_spell)
from kg.extract.introduced import names_an_introduced_dataset
from kg.extract.proposes.rules import Proposal, definitions, rule_proposals, trim_long
from kg.extract.prefilter import prefilter
from kg.text import Sentence, match_key
from kg.vocab import singular


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
    + alternation("candidate_phrase_verbs") + r"(?:s|d|ed)?\s+",
    re.IGNORECASE)
_NP = re.compile(r"(?:(?:a|an|the|two|three|several)\s+)?(?:(?:novel|new|simple|effective|efficient|lightweight)\s+)*"
                 r"(?P<np>[\w-]+(?:\s+[\w-]+){0,5}?)(?=\s*(?:[,.;:()]|\s(?:to|that|which|for|with|by|as|in|on|based|"
                 r"using|where|via|from|is|and\s+(?:a|an|the))\b|$))", re.IGNORECASE)
# what starts no object of a proposal verb: "to train a once-for-all network", "(simple) and effective ..."
_NOT_AN_OBJECT = re.compile(r"(?:to|and)\s", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+)?(?:a|an|the)\s+|\s+and\s+(?:a|an|the)\s+", re.IGNORECASE)
_TITLECASE_RUN = re.compile(r"(?<![\w-])(?:[A-Z][\w-]*\s+){1,4}[A-Z][\w-]*(?![\w-])")
# the title's first segment: "Stacked Hourglass Networks | for Human Pose Estimation"
_TITLE_SEGMENT = re.compile(r"\s+(?:for|with|via|using|in|on|towards?|through|from|by|as|and|of|is|are|:)\s+|:\s*",
                            re.IGNORECASE)
# the means a title names after its problem: "Photographic Image Synthesis with | Cascaded
# Refinement Networks", "Optical Flow Estimation using | a Spatial Pyramid Network"
_TITLE_MEANS = re.compile(r"\s(?:with|using|via|by|through|based\s+on)\s+(?:an?\s+|the\s+)?(?P<means>\S.*)$",
                          re.IGNORECASE)
_AND = re.compile(r"\s+and\s+")
# words that end the run before a headed noun phrase ("further propose | feature gating")
_NOT_IN_PHRASE = lexicon("not_in_proposal_phrase")
_HEADED_NP = re.compile(r"\b(?P<np>(?:[a-z][\w-]*\s+){1,3}" + alternation("component_heads") + r"s?)\b")


# what every match of these patterns holds (kg.extract.prefilter): a sentence without it skips them
_PROPOSER_NP_GATE, _HEADED_NP_GATE = prefilter(_PROPOSER_NP), prefilter(_HEADED_NP)


_NAME_PAIR = re.compile(r"(?P<a>\S+)\s+and\s+(?P<b>\S+)")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+(?=\S)", re.IGNORECASE)
_MEANS_BEFORE = re.compile(r"\b(?:with|using|via|by|through|based\s+on)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)
_MEANS_AFTER = re.compile(r"\s+(?:with|using|via|by|through|based\s+on)\b", re.IGNORECASE)
# "ByteFormer achieves an ImageNet top-1 accuracy of 77.33%": a method the abstract gives a score
# to, as the subject of a result verb, is the one the paper measures (its own, mostly)
_SCORED_AFTER = re.compile(
    r"(?:\s*\([^()]{0,30}\))?(?:\s*,[^,.;]{0,50},)?\s+(?:\w+\s+){0,2}?" + alternation("result_verb_stems")
    + r"\w*\b[^.;]{0,80}?\d+(?:\.\d+)?\s*%?", re.IGNORECASE)
# "The ByteNet is a one-dimensional convolutional neural network", "we derive SimPool, a simple
# attention-based pooling mechanism": the abstract defines it
_DEFINED_AFTER = re.compile(
    r"(?:\s*\([^()]{0,30}\))?(?:\s+(?:is|are)|\s*,)\s+(?:a|an)\s+(?:[\w-]+\s+){0,5}?"
    + alternation("defined_after_kinds") + r"s?\b",
    re.IGNORECASE)


def _candidate_names(phrase: str, vocab) -> tuple[str, ...]:
    """The candidate names a generator's ``phrase`` gives: itself trimmed, two names joined by
    "and", or none (too long, no letter, only small words)."""
    name = " ".join(phrase.split()).strip(" \t\"'“”‘’-,.:;()")
    name = _ARTICLE.sub("", name)   # "A Point Set Generation Network" names the network
    pair = _NAME_PAIR.fullmatch(name)
    if pair and namey(vocab, pair["a"]) and namey(vocab, pair["b"]):
        # "called GHM-C and GHM-R": two names
        return _candidate_names(pair["a"], vocab) + _candidate_names(pair["b"], vocab)
    if not name or len(name) > 80 or not any(c.isalpha() for c in name):
        return ()
    ws = words(name)
    if len(ws) > 6 or all(w.lower() in STOPWORDS for w in ws):
        return ()
    return (name,)


def proposal_candidates(doc: Document) -> list[ProposalCandidate]:
    """Every plausible own contribution of the paper, the rules' first (cached on the document)."""
    if "proposal_candidates" in doc.cache:
        return doc.cache["proposal_candidates"]

    found: list[ProposalCandidate] = []

    names = doc.vocab.memo("proposal-candidate-names")   # (phrases recur across papers)

    def add(phrase: str, aliases: Iterable[str], sentence: Sentence | None, *origins: str) -> None:
        cleaned = names.get(phrase)
        if cleaned is None:
            cleaned = names.put(phrase, _candidate_names(phrase, doc.vocab))
        if len(cleaned) > 1:
            aliases = ()     # (two names split from one phrase take none of its aliases)
        for name in cleaned:
            found.append(ProposalCandidate(name, [a for a in aliases if a and a != name], sentence, set(origins)))

    for i, p in enumerate(rule_proposals(doc)):
        # (the rule's marks go with the names its phrase gives: none, when it gives none)
        add(p.name, p.aliases, p.sentence, f"rule:{p.origin}", "rule", *(("rule-first",) if i == 0 else ()))
    title = doc.title
    m = _TITLE_PREFIX.match(title)
    if m:
        add(m.group("name"), [], doc.title_sentence, "title-prefix")
    title_names = set(namey_words(doc.vocab, title))
    for k, w in enumerate(words(title)):
        if w in title_names and w.casefold() not in NOT_NAMES:
            add(w, [], doc.title_sentence, "title-first" if k == 0 else "title-namey")
    segment = _TITLE_SEGMENT.split(title, 1)[0]
    if 2 <= len(segment.split()) <= 6:
        add(segment, [], doc.title_sentence, "title-segment")
    means = _TITLE_MEANS.search(title.rsplit(":", 1)[-1])
    if means:
        phrase = _TITLE_SEGMENT.split(means.group("means"), 1)[0].rstrip("?!. ")
        if 1 <= len(phrase.split()) <= 6:
            add(phrase, [], doc.title_sentence, "title-means")
    for run in _TITLECASE_RUN.finditer(title):
        add(run.group(), [], doc.title_sentence, "title-titlecase")
    for sentence in doc.abstract_sentences:
        text = sentence.text
        for d in definitions(text):
            short = d.group("short").strip()
            ws = words(short)
            # "(real NVP)", "(GC ViT)": a short form of two words, one of them name-shaped
            if (is_namey(short) and len(ws) == 1) or (len(ws) == 2 and any(is_namey(w) for w in ws)
                                                     and short[:1].isalpha()):
                long_ = trim_long(" ".join(d.group("long").split()), short)
                add(short, [long_] if long_ else [], sentence, "definition-any")
        for w in namey_words(doc.vocab, text):
            if w.casefold() not in NOT_NAMES:
                add(w, [], sentence, "namey")
        heads = doc.word_heads(text)
        for cue in _PROPOSER_NP.finditer(text) if _PROPOSER_NP_GATE.admits(heads, text) else ():
            rest = text[cue.end():cue.end() + 160]
            for item in _ITEM_SPLIT.split(rest)[:3]:
                if _NOT_AN_OBJECT.match(item):
                    continue
                np = _NP.match(item)
                if np and 2 <= len(np.group("np").split()) <= 6:
                    # "feature gating and interaction aggregation layers": two contributions
                    parts = _AND.split(np.group("np"))
                    for part in parts if len(parts) == 2 else [np.group("np")]:
                        if 2 <= len(part.split()):
                            add(part, [], sentence, "np-after-cue")
        for run in _TITLECASE_RUN.finditer(text):
            if run.start() > 0:
                add(run.group(), [], sentence, "titlecase")
        for np in _HEADED_NP.finditer(text) if _HEADED_NP_GATE.admits(heads, text) else ():
            ws = np.group("np").split()
            # "we further propose feature gating": the phrase starts after the last verb or filler
            cut = max((i + 1 for i, w in enumerate(ws[:-1]) if w.lower() in _NOT_IN_PHRASE), default=0)
            ws = ws[cut:]
            if len(ws) < 2:
                continue
            phrase = " ".join(ws)
            if ws[0].lower() not in STOPWORDS and not any(w.lower() in ("the", "a", "an", "of", "and") for w in ws):
                add(phrase, [" ".join(ws[:-1])] if len(ws) > 2 else [], sentence, "np-headed")
    # What a paper works on or creates as data is never what it proposes, however proposal-like the
    # sentence: a task the vocabulary knows ("super-resolution (SR)", "channel pruning"; dropped
    # before the merge, so that no method takes it as an alias: "FDNet1.0" would take the title's
    # "Face Detection" as its long form), or a dataset the paper introduces ("we introduce VoxCeleb,
    # a ... dataset").
    found = [c for c in found if doc.vocab.lookup(c.name, kind="task") is None]
    merged = [c for c in _merge_candidates(found, doc.vocab) if not names_an_introduced_dataset(doc, c.names)]
    doc.cache["proposal_candidates"] = merged
    return merged


@dataclass(frozen=True)
class _NameShape:
    """What :func:`_same` compares of a candidate's name, worked out once per name (memoised
    behind the vocabulary: it depends on it)."""

    fold: str                     # case-folded
    bare: str                     # case-folded, without a trailing kind noun ("... networks")
    single: bool                  # one word
    first: str                    # its first letter or digit
    initials: frozenset[str]      # the first letters of its words
    known: bool                   # the vocabulary knows it
    namey: bool
    letters: tuple[str, ...]      # the letters it spells as an acronym (kg.extract.names.acronym_letters)
    to_spell: int                 # how many an acronym of it needs (kg.extract.names.words_to_spell)

    @classmethod
    def of(cls, name: str, vocab) -> _NameShape:
        return cls(name.casefold(), KIND_NOUN.sub("", name).casefold(), " " not in name,
                   next((c.lower() for c in name if c.isalnum()), ""),
                   frozenset(w[:1].lower() for w in name.replace("-", " ").split()),
                   vocab.lookup(name) is not None, namey(vocab, name),
                   acronym_letters(name), words_to_spell(name))


def _is_variant(name: str, family: str) -> bool:
    """Whether ``name`` is a sized variant of ``family`` ("Next-ViT-S" of "Next-ViT")."""
    return name.casefold().startswith(family.casefold() + "-") and VARIANT_TAIL.fullmatch(name, len(family)) is not None


def _same(p: str, q: str, sp: _NameShape, sq: _NameShape) -> bool:
    """Whether names ``p`` and ``q`` (shapes ``sp``, ``sq``) name one contribution."""
    # "Squeeze-and-Excitation" and "Squeeze-and-Excitation Networks": one contribution, named
    # with and without its kind noun
    if sp.bare == sq.fold or sq.bare == sp.fold:
        return True
    if sq.namey and sp.single and _is_variant(p, q):
        return True     # "Next-ViT-S" is a variant of Next-ViT; "ViT-ResNAS" is not one of ViT
    if sp.single and sq.single:
        return False
    if sp.known or sq.known:
        return False     # "ViT" spells "Novel ViT" loosely, but ViT is a known family, not its acronym
    # an acronym and a long form: "VOLO" / "Vision Outlooker" (the acronym's first letter must
    # start a word of the long form, and it needs a letter for each: cheap tests before the full one)
    return ((sq.first in sp.initials and len(sq.letters) >= sp.to_spell and acronym_matches(q, p, sq.letters))
            or (sp.first in sq.initials and len(sp.letters) >= sq.to_spell and acronym_matches(p, q, sp.letters)))


def _name_key(name: str) -> str:
    """The key names are compared under (:func:`kg.text.match_key`: "MPC-ViT" is "MPCViT"), less
    a single trailing "+": "MPCViT+" is a variant of MPCViT, "PointNet++" a method of its own."""
    key = match_key(name)
    if key.endswith("+") and not key.endswith("++"):
        key = key[:-1]
    return key or name.casefold()


def _merge_candidates(found: list[ProposalCandidate], vocab) -> list[ProposalCandidate]:
    out: list[ProposalCandidate] = []
    owner: dict[str, ProposalCandidate] = {}      # a name's key (_name_key) → the candidate holding it
    kept: list[tuple[ProposalCandidate, _NameShape]] = []
    shapes = vocab.memo("proposal-name-shape")    # (names recur across papers)

    for p in found:
        same = next((owner[k] for k in map(_name_key, p.names) if k in owner), None)
        if same is None:   # (no name of p is one of a kept candidate's: compare the main names)
            sp = shapes.get(p.name) or shapes.put(p.name, _NameShape.of(p.name, vocab))
            same = next((q for q, sq in kept if _same(p.name, q.name, sp, sq)), None)
            if same is None and "definition-any" in p.origins:
                # "our PC-NAS-S" found before "Posterior Convergent NAS (PC-NAS)": a variant series
                # is its family's (the guideline), and a family the abstract defines names it (one
                # it only mentions may be another's: "CornerNet-Lite" is no variant of CornerNet)
                same = next((q for q, _ in kept if " " not in q.name and _is_variant(q.name, p.name)), None)
                if same is not None:
                    same.aliases = [same.name, *(a for a in same.aliases if a != p.name)]
                    same.name = p.name
        if same is not None:
            known = {k.casefold() for k in same.names}
            same.aliases.extend(a for a in p.names if a.casefold() not in known and not known.add(a.casefold()))
            same.origins |= p.origins
            if same.sentence is None:
                same.sentence = p.sentence
            owner.update((_name_key(k), same) for k in same.names)
        else:
            out.append(ProposalCandidate(p.name, list(p.aliases), p.sentence, set(p.origins)))
            kept.append((out[-1], sp))
            owner.update((_name_key(k), out[-1]) for k in p.names)
    return out


_STUDY_TITLE = re.compile(r"\b" + alternation("study_title_words") + r"\b", re.IGNORECASE)


def _paper_features(doc: Document) -> Features:
    """What the whole abstract says about the paper's kind: does it propose, or study?"""
    memo = doc.cache.get("paper_features")
    if memo is None:
        text = f"{doc.title}. {doc.paper.abstract}"
        memo = {}
        if cue_in_sentence(doc, "proposer", text):
            memo["paper:proposes"] = 1.0
        if cue_in_sentence(doc, "study", text):
            memo["paper:study"] = 1.0
        if _STUDY_TITLE.search(doc.title):
            memo["paper:study-title"] = 1.0
        if ":" in doc.title:
            memo["paper:title-colon"] = 1.0
        doc.cache["paper_features"] = memo
    return memo


def proposal_features(doc: Document, cand: ProposalCandidate, rank: int) -> Features:
    f: Features = {"bias-rank:" + bucket(rank, 5): 1.0, **_paper_features(doc)}
    for o in cand.origins:
        f["o:" + o] = 1.0
    f["n-origins:" + bucket(len(cand.origins), 4)] = 1.0
    shape_features(f, "", cand.name, doc.vocab)
    if cand.aliases:
        f["has-alias"] = 1.0
        if any(acronym_matches(cand.name, a) for a in cand.aliases if " " in a):
            f["acronym-defined"] = 1.0
    vocab_features(f, "", doc, cand.names)
    # "CNN architecture", "a deep neural network": a known family under its kind noun is the kind
    # of model the paper builds, not a name for it
    families = [names_a_family(doc, n) for n in cand.names]
    if families[0]:
        f["name:family"] = 1.0
        if all(families):
            f["names:all-family"] = 1.0
    # a task-shaped name the vocabulary does not know ("Smart Content Recognition"): a title
    # segment that says what the paper works on, not what it proposes (known tasks are no candidates)
    if cand.name.lower().rsplit(None, 1)[-1] in cue_words("task_heads"):
        f["ends-with-task-head"] = 1.0
    mentions = mentions_of(doc, cand.names)
    in_title = [m for m in mentions if m.index < 0]
    abstract = [m for m in mentions if m.index >= 0]
    if in_title:
        f["in-title"] = 1.0
        if in_title[0].start == 0:
            f["title-start"] = 1.0
        colon = doc.title.find(":")
        if colon > 0 and in_title[0].end <= colon:
            f["title-before-colon"] = 1.0
        # "Photographic Image Synthesis with Cascaded Refinement Networks": in a title, the means
        # follows "with / using / by" and the problem stands before it
        title = doc.title
        if _MEANS_BEFORE.search(title, 0, in_title[0].start):
            f["title-after-means"] = 1.0
        if _MEANS_AFTER.match(title, in_title[0].end):
            f["title-before-means"] = 1.0
    f["mentions:" + bucket(len(abstract), 4)] = 1.0
    if any(_SCORED_AFTER.match(m.sentence.text, m.end) for m in abstract):
        f["scored-after"] = 1.0
    if any(_DEFINED_AFTER.match(m.sentence.text, m.end) for m in abstract):
        f["defined-after"] = 1.0
    if abstract:
        first = abstract[0].index
        f["first-sentence:" + bucket(first, 5)] = 1.0
        n = len(doc.abstract_sentences)
        if n > 2 and first >= n - 2:
            f["first-in-last-two"] = 1.0
        if any(cue_in_sentence(doc, "proposer", m.sentence.text) for m in abstract):
            f["sentence-proposer"] = 1.0
        if any(WE_OR_OUR.search(m.sentence.text) for m in abstract):
            f["sentence-we"] = 1.0
        proposer = [m for m in abstract if proposer_end(doc, m.sentence) <= m.start]
        if proposer:
            f["after-proposer"] = 1.0
            if proposer[0] is abstract[0]:
                f["first-after-proposer"] = 1.0
    if cand.aliases:
        title_words = {w.casefold() for w in words(doc.title)} - STOPWORDS
        for alias in cand.aliases:
            content = {w.casefold() for w in words(alias)} - STOPWORDS
            if len(content & title_words) >= 2:
                f["alias-in-title"] = 1.0
    context_features(f, "", mentions, ("own_before", "own_noun_before", "novel_before", "coined_before", "used_before",
                                         "compare_before"), ("used_after", "part_after", "subject_after"))
    return f


def decide_proposals(doc: Document, proposes: Decision, primary: Decision | None, min_origins: int = 1) -> list:
    """The proposals the model keeps, the primary first, as :class:`kg.extract.proposes.Proposal`;
    candidates found by fewer than ``min_origins`` generators are not scored (the model's
    ``proposes_min_origins``: see :func:`kg.learn.train.fewest_origins_kept`)."""
    cands = proposal_candidates(doc)
    scored = []
    for rank, c in enumerate(cands):
        if len(c.origins) < min_origins:
            continue   # (no candidate found by so few generators was kept in training: not worth describing)
        feats = proposal_features(doc, c, rank)
        scored.append((proposes.probability(feats), primary.probability(feats) if primary else 0.0, rank, c,
                       proposes.cut(candidate_group("proposes", feats))))
    kept = [s for s in scored if s[0] >= s[4]]
    if not kept and scored and primary is not None:
        kept = _title_model(doc, scored)
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


_TITLE_ORIGINS = frozenset(("title-prefix", "title-segment", "title-means"))


def _title_model(doc: Document, scored: list) -> list:
    """The model keeps nothing, yet the abstract speaks of its own method ("we propose", "the
    proposed model") without naming it: a title phrase that ends in a word naming a model
    (``title_model_heads`` of ``ontology/cues.json``: "Matching Networks", "Gated-Attention
    Readers") is its name; the one the primary decision ranks first, if any."""
    paper = _paper_features(doc)
    if "paper:study-title" in paper or not ("paper:proposes" in paper
                                           or cue_in_sentence(doc, "own_noun_before", doc.paper.abstract)):
        return []
    heads = cue_words("title_model_heads")
    # (found by two generators at least, as every candidate the model was trained to keep)
    titled = [s for s in scored if len(s[3].origins) > 1 and _TITLE_ORIGINS & s[3].origins
              and singular(s[3].name.rsplit(None, 1)[-1]).lower() in heads and not names_a_family(doc, s[3].name)]
    return [max(titled, key=lambda s: (s[1], -s[2]))] if titled else []
