"""paper → addressesTask → task: the research problems a paper works on.

Candidates, then decisions (so that a learned classifier can later replace the rules):

- candidates: every mention of a task the vocabulary knows (``ontology/vocab/tasks.ttl``: "object
  detection", "COCO detection", "NAS"), and task-shaped noun phrases it does not know, in the
  title only ("... for Text-independent Writer Identification": a phrase ending in a task head
  such as segmentation, detection, estimation, recognition, classification, generation), and
  task-shaped items listed beside a task mention ("machine translation and headline generation");
- decisions: a mention in the title, or in a sentence about the paper's own work or experiments
  ("we", "our", "experiments", "achieves", "on COCO"), is addressed; one in a background
  sentence ("CNNs dominate many tasks such as ...", "has been widely used in ...") is not;
- a general task the paper also names more specifically ("segmentation" beside "semantic
  segmentation") is folded into the specific one, as another surface form of it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kg.extract import Document, register_extractor
from kg.extract.features import (WE_OR_OUR, Features, bucket, candidate_group, cue_alternation, cue_in_sentence,
                                 cue_words)
from kg.extract.names import STOPWORDS, alternation, lexicon
from kg.records import Extraction
from kg.text import LIST_SEPARATOR, Sentence, heads_of, listed_spans, match_key, may_contain, may_start
from kg.vocab import Concept, Mention, singular

# Sentences about the paper's own work, its experiments or results.
_OWN_WORK = re.compile(
    r"\b(?:we|our|ours|us|this\s+(?:paper|work|study|article|letter)|the\s+proposed|(?:is|are)\s+proposed|"
    r"experiment\w*|evaluat\w*|results?|benchmarks?|achiev\w*|outperform\w*|surpass\w*|"
    r"state[-\s]of[-\s]the[-\s]art|sota|demonstrat\w*|show[sn]?|validat\w*|apply|applied|transfer\w*|"
    r"downstream|extensive|improv\w*)\b", re.IGNORECASE)

# Background: the task is named as the field's context, not as the paper's problem.
_BACKGROUND = re.compile(
    r"\b(?:such\s+as|(?:many|various|several|numerous|a\s+(?:wide\s+)?(?:range|variety|number)\s+of)\s+"
    r"(?:\w+\s+){0,2}?(?:tasks|applications|problems|fields|domains|areas)|"
    r"(?:has|have)\s+(?:been\s+)?(?:widely|successfully|extensively|recently)|dominat\w*|"
    r"(?:great|remarkable|tremendous|huge|impressive)\s+(?:success|progress|performance)|"
    r"(?:widely|commonly)\s+used|e\.g\.|i\.e\.|in\s+recent\s+years|recently)\b",
    re.IGNORECASE)

# Where a task-shaped phrase the vocabulary does not know may start: in the title, at its start
# or a segment's, or after a preposition ("... for Writer Identification"); in the abstract, after
# a preposition or a verb of addressing ("we tackle open-vocabulary segmentation"). The phrase ends
# in one of the task heads of ontology/cues.json ("segmentation", "estimation", ...).
_TITLE_LEAD = r"(?:^|[:?!]\s*|\s[-–—]\s|\b(?:for|in|on|towards?|via|of)\s+)"
_ABSTRACT_LEAD = (r"\b(?:for|in|on|of|to|address(?:es|ed|ing)?|tackl(?:e|es|ed|ing)|stud(?:y|ies|ied|ying)|"
                  r"solv(?:e|es|ed|ing)|consider(?:s|ed|ing)?)\s+(?:the\s+(?:task|problem)s?\s+of\s+)?")
_TASK_WORD_AFTER = re.compile(r"\s*(?:tasks?|problems?|benchmarks?|challenges?)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _task_head_heads() -> frozenset[str]:
    return heads_of(cue_words("task_heads"))


@lru_cache(maxsize=2)
def _phrase_pattern(lead: str) -> re.Pattern:
    return re.compile(lead + r"(?P<np>(?:[A-Za-z0-9][\w'-]*\s+){0,4}?(?:" + cue_alternation("task_heads")
                      + r"))(?![\w-])", re.IGNORECASE)


# Words that do not belong to a task's name at its start.
_NOT_TASK_WORDS = lexicon("not_task_words")
_MIN_TITLE_WORDS = 2   # a bare head ("Detection") in a title is too vague without the vocabulary


@dataclass
class TaskCandidate:
    """One task of a paper, with every mention of it: what the decision reads."""

    key: str                           # the vocabulary concept's key, or the phrase's match key
    surfaces: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    in_title: bool = False
    own_work: int = 0                  # mentions in sentences about the paper's own work
    background: int = 0                # mentions in background sentences
    concept: Concept | None = None
    found_by: set[str] = field(default_factory=set)   # vocabulary, title-start, title, abstract; then-task-word
    narrows: Concept | None = None     # the known task this phrase narrows ("Dense | Face Alignment")
    modifier: str = ""                 # the words that narrow it ("Dense")
    listed: int = 0                    # mentions listed beside another task ("detection and segmentation")


def _add(cands: dict[str, TaskCandidate], key: str, surface: str, sentence: Sentence, is_title: bool,
         own: bool, background: bool, concept: Concept | None, found_by: tuple[str, ...] = ("vocabulary",),
         narrows: Concept | None = None, modifier: str = "") -> None:
    c = cands.setdefault(key, TaskCandidate(key, concept=concept, narrows=narrows, modifier=modifier))
    c.found_by.update(found_by)
    if surface not in c.surfaces:
        c.surfaces.append(surface)
    c.sentences.append(sentence)
    c.in_title |= is_title
    c.own_work += own and not background
    c.background += background


def task_candidates(doc: Document) -> list[TaskCandidate]:
    """Every task the paper mentions, first mentioned first (cached on the document)."""
    if "task_candidates" in doc.cache:
        return doc.cache["task_candidates"]
    cands: dict[str, TaskCandidate] = {}
    heads = cue_words("task_heads")
    for i, sentence in enumerate(doc.sentences):
        is_title = i == 0
        text = sentence.text
        mentions = doc.find(text, kind="task")
        # (the sentence's word heads first: most sentences have no word starting like a task head)
        shaped = may_start(doc.word_heads(text), _task_head_heads()) and may_contain(text, heads)
        phrases = [(phrase, how) for phrase, how in (_task_phrases(text, is_title) if shaped else ())
                   if doc.vocab.lookup(phrase, kind="task") is None
                   and not any(match_key(m.surface) in match_key(phrase) for m in mentions)]
        if not mentions and not phrases:
            continue
        if not is_title and shaped:
            anchors = [(m.start, m.end) for m in mentions] + [
                (i, i + len(phrase)) for phrase, _ in phrases if (i := text.casefold().find(phrase.casefold())) >= 0]
            known = {match_key(m.surface) for m in mentions} | {match_key(p) for p, _ in phrases}
            phrases += [(phrase, ("coordinated",)) for phrase in _coordinated(text, anchors)
                        if match_key(phrase) not in known and doc.vocab.lookup(phrase, kind="task") is None]
        own = bool(_OWN_WORK.search(text))
        background = not is_title and bool(_BACKGROUND.search(text)) and not re.search(
            r"\b(?:we|our)\b", text, re.IGNORECASE)
        listed = _listed_keys(text, mentions)
        for m in mentions:
            _add(cands, m.concept.key, m.surface, sentence, is_title, own, background, m.concept)
            cands[m.concept.key].listed += m.concept.key in listed
            modifier = _modifier(doc, text, m.start)
            if modifier:
                narrowed = _phrase_name((modifier + ("" if modifier.endswith("-") else " ") + m.surface).split())
                _add(cands, match_key(narrowed), narrowed, sentence, is_title, own, background, None,
                     ("narrowed", "title" if is_title else "abstract"), m.concept, modifier)
        for phrase, how in phrases:
            _add(cands, match_key(phrase), phrase, sentence, is_title, own or is_title, background, None, how)
    for task, gerund in _title_gerunds(doc.title):
        concept = doc.vocab.lookup(task, kind="task")
        key = concept.key if concept is not None else match_key(task)
        _add(cands, key, task, doc.sentences[0], True, True, False, concept, ("title-gerund",))
        cands[key].surfaces.append(gerund)
    doc.cache["task_candidates"] = list(cands.values())
    return doc.cache["task_candidates"]


_LISTED = re.compile(LIST_SEPARATOR + r"$")


def _listed_keys(text: str, mentions: list[Mention]) -> set[str]:
    """The tasks of ``mentions`` (vocabulary matches in ``text``) written next to another of them,
    with only a list mark between: "classification, detection and segmentation"."""
    spans = sorted((m.start, m.end, m.concept.key) for m in mentions)
    out: set[str] = set()
    for (_, end, a), (start, _, b) in zip(spans, spans[1:]):
        if a != b and start > end and _LISTED.match(text, end, start):
            out.update((a, b))
    return out


# "Detecting Faces Using ...", "... by Generating Images from Captions": a title's verb of a task
# and its object, up to the means or the next segment
_GERUND = re.compile(r"(?:^|[:?!]\s*|\b(?:for|to|towards?|on|by)\s+)(?P<verb>[A-Za-z]+ing)\s+(?:the\s+|an?\s+)?"
                     r"(?P<object>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)(?=\s+(?:using|with|via|by|in|from|for|through|"
                     r"without|under|based|on|and|at|as|of|to)\b|\s*[:?!,.]|$)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _gerund_heads() -> dict[str, str]:
    return dict(pair.split() for pair in cue_words("task_gerunds"))


@lru_cache(maxsize=1)
def _model_kinds() -> frozenset[str]:
    return frozenset(cue_words("side_heads"))


def _title_gerunds(title: str) -> Iterator[tuple[str, str]]:
    """(task, the title's words for it): "Detecting Oriented Text in Natural Images" names oriented
    text detection, the object's last word in the singular ("Faces": face detection)."""
    for m in _GERUND.finditer(title):
        head = _gerund_heads().get(m.group("verb").lower())
        words = m.group("object").split()
        if head is None or any(w.lower() in _not_modifiers() or w.lower() in STOPWORDS for w in words):
            continue
        last = singular(words[-1])
        if last.lower() in _model_kinds():
            continue    # "Matching Networks for ...": a participle naming a model, not a task
        yield _phrase_name([*words[:-1], last, head]), title[m.start("verb"):m.end("object")]


# Up to three words joined to a task's name by single spaces, or a word joined by a hyphen
# ("AMR-to-|text generation"), whole words on the left.
_MODIFIERS = re.compile(r"(?<![\w'’-])(?:(?:[\w'’-]+ ){1,3}|[\w'’-]+-)$")
_NO_MODIFIER = re.compile(r"[\w'’-]*(?:ly|ing)", re.IGNORECASE)   # "simultaneously", "performing"


@lru_cache(maxsize=1)
def _not_modifiers() -> frozenset[str]:
    return _NOT_TASK_WORDS | _ITEM_STOP | frozenset(cue_words("task_modifier_stops"))


def _ends_name(word: str) -> bool:
    """Whether a task's name cannot reach left past ``word``: a function word, a verb ("we
    study", "render"), a number ("2012 image classification")."""
    bare = word.rstrip("-").casefold()
    return bare in _not_modifiers() or bare.isdigit()


def _modifier(doc: Document, text: str, start: int) -> str:
    """The words before a known task mention at ``text[start]`` that narrow it:
    "Dense | Face Alignment", "cross-lingual text classification", "AMR-to-text Generation". The
    guideline keeps a task at the level the text names it; whether these words belong to the
    task's name is the decision's to learn. A run stops at a function word, a verb ("we tackle",
    ``task_modifier_stops`` in ``ontology/cues.json``), a number, an adverb or gerund
    ("simultaneously", "performing"), and a name the vocabulary knows ("ImageNet
    classification" is an alias already; "image classification object detection" a list)."""
    run = _MODIFIERS.search(text, max(0, start - 60), start)
    if run is None:
        return ""
    kept: list[str] = []
    for word in reversed(run.group().split()):
        if _ends_name(word) or _NO_MODIFIER.fullmatch(word) or doc.vocab.lookup(word.rstrip("-")) is not None:
            break
        kept.insert(0, word)
    return " ".join(kept)


def _joins_same(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is the "to" of "Sequence to Sequence", "Set to Set": a mapping from
    one kind of thing to the same kind names one task, "to" and all.

    >>> _joins_same(["Set", "to", "Set", "Recognition"], 1), _joins_same(["Learning", "to", "Rank"], 1)
    (True, False)
    """
    return (0 < i < len(words) - 1 and words[i].casefold() == "to"
            and words[i - 1].casefold() == words[i + 1].casefold())


def _phrase_name(words: list[str]) -> str:
    """A task phrase the vocabulary does not know, as a name: lower case, unless an acronym in it
    keeps the case as written ("infant brain MRI segmentation")."""
    phrase = " ".join(words)
    return phrase if any(w.isupper() and len(w) > 1 for w in words) else phrase.casefold()


def _task_phrases(text: str, is_title: bool) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Task-shaped noun phrases of a sentence, with how each was found."""
    for m in _phrase_pattern(_TITLE_LEAD if is_title else _ABSTRACT_LEAD).finditer(text):
        words = m.group("np").split()
        words = words[max((i + 1 for i, w in enumerate(words[:-1]) if _ends_name(w) and not _joins_same(words, i)),
                          default=0):]
        if len(words) < _MIN_TITLE_WORDS or any(w.casefold() in ("and", "or") for w in words):
            continue
        phrase = _phrase_name(words)
        how = ("title-start" if m.start() == 0 or text[m.start()] in ":?!-–—" or text[m.start():m.start() + 1].isspace()
               else "title") if is_title else "abstract"
        yield phrase, (how, "then-task-word") if _TASK_WORD_AFTER.match(text, m.end()) else (how,)


# words that end a list item's name on its left ("five tasks from tagging": tagging)
_ITEM_STOP = lexicon("task_item_stops")


@lru_cache(maxsize=1)
def _item_patterns() -> tuple[re.Pattern, re.Pattern]:
    item = r"(?P<np>(?:[A-Za-z0-9][\w'-]*\s+){0,3}?(?:" + cue_alternation("task_heads") + r"))(?![\w-])"
    # an item on the left must be the whole list item: after a list mark or a function word
    boundary = r"(?:^|[,;:(]\s*|\b(?:" + "|".join(re.escape(w) for w in sorted(_ITEM_STOP)) + r")\s+)"
    return (re.compile(LIST_SEPARATOR + item, re.IGNORECASE),
            re.compile(boundary + item + LIST_SEPARATOR + r"$", re.IGNORECASE))


def _coordinated(text: str, anchors: list[tuple[int, int]]) -> Iterator[str]:
    """Task-shaped items coordinated with a task mention ("machine translation and headline
    generation", "person detection, keypoint detection and person segmentation"): a list of
    tasks names each one."""
    after, before = _item_patterns()
    for start, end in listed_spans(text, anchors, after, before, (0, len(text)), _task_item):
        yield _phrase_name(text[start:end].split())


def _task_item(m: re.Match) -> tuple[int, int] | None:
    """The item a list match holds, without the words before its last function word or verb
    ("five tasks from tagging": tagging; "render 3D face reconstruction"). Its last word is the
    task head, which stays ("imitation learning")."""
    words = list(re.finditer(r"\S+", m.group("np")))
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if _ends_name(w.group())), default=0)
    return m.start("np") + words[cut].start(), m.end("np")


def addressed(candidate: TaskCandidate) -> float:
    """The decision: the confidence that the paper addresses the task (0: background only)."""
    if candidate.concept is None and "title" not in candidate.found_by:
        return 0.0   # phrases the vocabulary does not know: the rules trust only "... for X" in a title
    if candidate.in_title:
        return 0.9
    if len(candidate.surfaces[0].split()) == 1 and candidate.own_work < 2:
        return 0.0   # a bare "detection", "planning": named once, too vague to count
    if candidate.own_work:
        return 0.75 if candidate.own_work > 1 or candidate.background == 0 else 0.6
    return 0.0


def _fold_general(kept: list[tuple[TaskCandidate, float]], doc: Document) -> list[tuple[TaskCandidate, float]]:
    """A general task named beside a specific one of its kind becomes a surface form of it (of the
    most specific one: "segmentation" beside "image segmentation" and "biomedical image
    segmentation" goes to the last). Keys are read before any folding, so that a candidate which
    took a general one's surfaces does not look general in turn."""
    keys = {id(c): [match_key(s) for s in c.surfaces] for c, _ in kept}

    def narrower(other: TaskCandidate, cand: TaskCandidate) -> int:
        """The length of ``other``'s longest key that ends with one of ``cand``'s (0: none)."""
        return max((len(s) for s in keys[id(other)] for t in keys[id(cand)] if s != t and s.endswith(t)), default=0)

    into: dict[int, int] = {}
    for i, (cand, _) in enumerate(kept):
        specific = max(((n, j) for j, (other, _) in enumerate(kept) if j != i and (n := narrower(other, cand))),
                       default=None)
        if specific is not None:
            into[i] = specific[-1]
    surfaces = {j: list(kept[j][0].surfaces) for j in set(into.values())}   # (the candidates stay as found)
    for i, j in sorted(into.items()):
        if i not in into.values():   # (a candidate others fold into stays)
            surfaces[j].extend(s for s in kept[i][0].surfaces if s not in surfaces[j])
    return [(replace(cand, surfaces=surfaces[i]) if i in surfaces else cand, conf)
            for i, (cand, conf) in enumerate(kept) if i not in into or i in into.values()]


def benchmark_tasks(doc: Document) -> tuple[frozenset[str], frozenset[str]]:
    """The tasks the datasets a paper names are standard benchmarks for (vocabulary keys,
    ``kgo:benchmarkFor``), and the broader tasks of those ("classification" for ImageNet-1K's
    image classification)."""
    memo = doc.cache.get("benchmark_tasks")
    if memo is None:
        exact = {t for s in doc.sentences for m in doc.find(s.text, kind="dataset") for t in m.concept.benchmark_for}
        broader = set().union(*(_broader_tasks(doc.vocab, t) for t in exact))
        memo = doc.cache["benchmark_tasks"] = (frozenset(exact), frozenset(broader - exact))
    return memo


def _broader_tasks(vocab, key: str) -> set[str]:
    """Every task above ``key`` by skos:broader."""
    found: set[str] = set()
    stack = [key]
    while stack:
        concept = vocab.concepts.get(stack.pop())
        for broader in concept.families if concept is not None else ():
            if broader not in found:
                found.add(broader)
                stack.append(broader)
    return found


def _benchmark_name(doc: Document, cand: TaskCandidate) -> str | None:
    """The one task of the paper's datasets a general task stands for: "classification" beside
    ImageNet-1K is image classification (None when no or several tasks fit). Only a one-word
    task is that vague: "Visual Recognition" in a title is the level the paper names its task at,
    as the guideline keeps it."""
    exact, broader = benchmark_tasks(doc)
    if cand.concept is None or cand.concept.key not in broader or " " in cand.surfaces[0].strip():
        return None
    narrower = [t for t in sorted(exact) if cand.concept.key in _broader_tasks(doc.vocab, t)]
    return doc.vocab.concepts[narrower[0]].label if len(narrower) == 1 else None


_TITLE_PURPOSE = re.compile(r"\b(?:for|towards?|in|on)\s+(?:[\w'-]+\s+){0,3}$", re.IGNORECASE)


# A task that opens the title (or a segment after its colon) and is followed by the means is the
# problem the title names as well: "Optical Flow Estimation using a Spatial Pyramid Network",
# "Passage Re-ranking with BERT", "Matrix Completion on Graphs".
_TITLE_OPENING = re.compile(r"(?:^|[:?!])\s*$")
_MEANS_AFTER = re.compile(r"\s+(?:using|with|via|by|through|from|without|in|on|based\s+on)\b", re.IGNORECASE)


def _leads_title(title: str, at: int, surface: str) -> bool:
    return bool(_TITLE_OPENING.search(title[:at]) and _MEANS_AFTER.match(title, at + len(surface)))


def _title_mentions(title: str, cand: TaskCandidate) -> Iterator[tuple[int, str]]:
    """Where the candidate's surfaces start in the title, with the surface."""
    low = title.casefold()
    for surface in cand.surfaces:
        at = low.find(surface.casefold())
        while at >= 0:
            yield at, surface
            at = low.find(surface.casefold(), at + 1)


def task_names(doc: Document, cand: TaskCandidate) -> list[str]:
    """The names a task is written under: the specific one its benchmark gives, if any, then the
    paper's own surfaces."""
    specific = _benchmark_name(doc, cand)
    return [specific, *cand.surfaces] if specific and specific not in cand.surfaces else list(cand.surfaces)


_EXAMPLES = re.compile(r"\b" + alternation("example_cues") + r"\b", re.IGNORECASE)


def task_features(doc: Document, cand: TaskCandidate) -> Features:
    """Features of a :class:`kg.extract.tasks.TaskCandidate`."""
    # (a phrase narrowing a known task is neither known nor a stranger)
    known = "known" if cand.concept is not None else "narrowed" if cand.narrows is not None else "unknown"
    f: Features = {known: 1.0}
    surface = cand.surfaces[0]
    f["words:" + bucket(len(surface.split()), 4)] = 1.0
    # (no feature per last word: "last:learning" and the like overfit a few hundred papers)
    if cand.in_title:
        f["in-title"] = 1.0
        title = doc.sentences[0].text
        if any(_TITLE_PURPOSE.search(title[:at]) or _leads_title(title, at, surface)
               for at, surface in _title_mentions(title, cand)):
            f["title:for"] = 1.0   # "... for Visual Recognition": the problem the title names
    # the linear model cannot combine these itself: a known multi-word task in the title is
    # nearly always addressed, a bare one in a background sentence rarely
    where = "title" if cand.in_title else ("own" if cand.own_work else "other")
    f[f"{where}&{known}&{bucket(len(surface.split()), 3)}"] = 1.0
    for how in cand.found_by:
        f["found:" + how] = 1.0
    if "coordinated" in cand.found_by:
        # an item listed with a known task in a sentence about the paper's own results is one of
        # its tasks as much as the known one ("results on tagging, parsing and entailment")
        f["coordinated&" + where] = 1.0
    if cand.listed:
        # one of a list of tasks: a paper lists the tasks it reports on, background rarely does
        f["listed"] = 1.0
    f["own-work:" + bucket(cand.own_work, 3)] = 1.0
    f["background:" + bucket(cand.background, 3)] = 1.0
    mentions = len(cand.sentences)
    f["mentions:" + bucket(mentions, 4)] = 1.0
    index = next((i for i, s in enumerate(doc.sentences) if s in cand.sentences), 0)
    f["first-sentence:" + bucket(index, 6)] = 1.0
    if cand.concept is not None and cand.concept.families:
        f["has-broader"] = 1.0
    if cand.narrows is not None:
        _narrowing_features(f, doc, cand)
    exact, broader = benchmark_tasks(doc)
    if exact and cand.concept is not None:
        # a task the paper's datasets are benchmarks for ("classification" beside ImageNet) is
        # what it reports on; another known task is more often background
        key = cand.concept.key
        how = ("exact" if key in exact else "broader" if key in broader
               else "narrower" if exact & set(cand.concept.families) else None)
        if how:
            f["benchmark:" + how] = 1.0
    # how it stands among the paper's other task candidates: the one it names most, or alone
    others = [c for c in task_candidates(doc) if c is not cand]
    most = max((len(c.sentences) for c in others), default=None)
    if most is None:
        f["only-task"] = 1.0
    elif mentions != most:
        f["most-mentioned-task" if mentions > most else "less-mentioned-task"] = 1.0
    f["task-candidates:" + bucket(len(others) + 1, 5)] = 1.0
    texts = [s.text for s in cand.sentences]
    if any(cue_in_sentence(doc, "eval_sentence", t) for t in texts):
        f["sentence:eval"] = 1.0
        if cand.listed:
            f["listed&eval"] = 1.0
    if any(cue_in_sentence(doc, "proposer", t) for t in texts):
        f["sentence:proposer"] = 1.0
    if any(WE_OR_OUR.search(t) for t in texts):
        f["sentence:we"] = 1.0
    if any(_EXAMPLES.search(t) for t in texts):
        f["sentence:examples"] = 1.0
        # a list in a sentence about the paper's own results names what it is evaluated on
        f["sentence:examples&" + ("own" if cand.own_work else "other")] = 1.0
    return f


def _narrowing_features(f: Features, doc: Document, cand: TaskCandidate) -> None:
    """What tells a task's own narrower name ("Dense Face Alignment", "infant brain MRI
    segmentation") from words that merely stand before it ("Extendable Long Video Generation")."""
    words = cand.modifier.split()
    f["narrowed:words:" + bucket(len(words), 3)] = 1.0
    if all(w[:1].isupper() for w in words):
        f["narrowed:capitalised"] = 1.0
    if any(w.isupper() and len(w) > 1 for w in words):
        f["narrowed:acronym"] = 1.0
    if any(c.isdigit() for c in cand.modifier):
        f["narrowed:digit"] = 1.0
    if "-" in cand.modifier:
        f["narrowed:hyphen"] = 1.0
    # words that name the problem's setting ("semi-supervised", "cross-lingual", "multi-label",
    # "fine-grained") narrow a task into one of its own, more often than other words do
    if any(w.lower().startswith(cue_words("task_setting_prefixes")) for w in words):
        f["narrowed:setting"] = 1.0
    # the paper also names the task without these words: they describe this mention only
    key = cand.narrows.key
    if any(s not in cand.sentences and any(m.concept.key == key for m in doc.find(s.text, kind="task"))
           for s in doc.sentences):
        f["narrowed:bare-elsewhere"] = 1.0


@register_extractor("tasks", "addressesTask")
def extract_tasks(doc: Document) -> Iterator[Extraction]:
    """paper addressesTask task, from vocabulary mentions and task-shaped title phrases."""
    decide = doc.model.get("addressesTask") if doc.model is not None else None
    if decide is not None:
        kept = []
        for c in task_candidates(doc):
            features = task_features(doc, c)
            p = decide.probability(features)
            if p >= decide.cut(candidate_group("addressesTask", features)):
                kept.append((c, round(p, 2)))
    else:
        kept = [(c, conf) for c in task_candidates(doc) if (conf := addressed(c)) > 0]
    for cand, conf in _fold_general(kept, doc):
        sentence = next((s for s in cand.sentences if s.start == 0), None) or cand.sentences[0]
        if not cand.in_title:   # the first sentence about the paper's own work
            sentence = next((s for s in cand.sentences if _OWN_WORK.search(s.text)), sentence)
        names = task_names(doc, cand)
        yield Extraction(
            paper_key=doc.paper.key, subject=doc.paper.title, subject_kind="paper",
            predicate="addressesTask", object=names[0], object_kind="task",
            evidence=doc.evidence(sentence),
            extractor="tasks/title" if cand.in_title else ("tasks/vocabulary" if cand.concept else "tasks/phrase"),
            confidence=conf, object_aliases=tuple(names[1:]))
