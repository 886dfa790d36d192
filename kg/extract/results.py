"""paper → reportsResult → (method, dataset, metric, value): the absolute scores an abstract states.

Candidates, then decisions (rules: a learned decision over their readings scored lower in
cross-validation, see docs/extraction.md):

- candidates: every number of a sentence that could be a score, grouped into lists ("82.8%, 84.2%
  and 84.6%") and slash groups ("82.9/84.8");
- decisions, each a small rule on the number's neighbourhood:
  * is it a score at all? (:mod:`kg.extract.scores`: gains, bounds, efficiency figures, years and
    numbers inside names are not); after "=" or "with", only with its metric named right there;
  * its metric (:mod:`kg.extract.metrics`): a metric name right after it ("87.1% top-1 accuracy",
    "52.1 box AP", "96.9% slot accuracy") or right before it ("mIoU of 55.6", "EPE=4.26"), shared
    along a list; a bare percentage in a paper about classification or recognition is an accuracy;
    no metric, no result;
  * its dataset: the one named before its metric ("COCO box AP of 56.4"), paired in order with a
    list of datasets ("94.1% and 69.0% on UCF101 and HMDB51, respectively", "Kinetics-400/600"),
    the next one after it ("... on ImageNet-1K"), else the last one before it in the sentence,
    else the abstract's only dataset; no dataset, no result;
  * its method: the sentence's subject for that number: the nearest method named before it in its
    clause ("TransNeXt-Tiny attains ..."), "achieved by X" after it, "X ... from A to B" (A is the
    baseline's), a list of methods paired with the list of numbers; "we", "our model", "it" are
    the paper's own method (:func:`own_methods`), a variant keeping its label ("our iFormer-S");
    a score after a comparison marker that follows another score is the reference's ("84.6 F1,
    better than the best published F1 score of 81.8", "compared with 72.2% for DeiT-Ti"): the
    method named with it, or nobody's.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from kg.extract import Document, available_extractors, register_extractor
from kg.extract.datasets.rules import joined_to_a_name
from kg.extract.features import cue_alternation
from kg.extract.names import NOT_NAMES, WORD, alternation, is_namey
from kg.extract.metrics import metric_for, metric_spans
from kg.extract.scores import LIST_GAP, NUM, VALUE, Number, Span, number_runs, sentence_scores
from kg.records import Extraction
from kg.text import Sentence, match_key

# after these, a number is a metric's value or nothing (not after "compared with": a reference's score)
_METRIC_VALUE_BEFORE = re.compile(r"=\s?$|(?<!compared )(?<!comparison )\bwith\s$", re.IGNORECASE)
_EQUALS_GAP = re.compile(r"\s?=?\s?")                    # "EPE=4.26", "RMSE = 1.23"
_DATASET_WITH = re.compile(r"(?:\s+(?:val|validation|test)\s+set)?,?\s+with\s+", re.IGNORECASE)
_SHORT_FORM_GAP = re.compile(r"(?:\s+(?:dataset|data\s+set|benchmark|corpus))?\s*\(\s*", re.IGNORECASE)


# The paper speaking of its own model as the subject of a result.
_OWN_SUBJECT = re.compile(
    r"\b(?:we|our|ours|it|this\s+(?:model|method|approach|network|architecture|framework)|"
    r"the\s+proposed\s+(?:\w+\s+)?(?:model|method|approach|network|architecture|framework)s?)\b",
    re.IGNORECASE)
_OWN_MODEL = re.compile(r"we\b|(?:our|the\s+proposed)\s+(?:[\w-]+\s+)?(?:model|method|approach|network|"
                        r"architecture|framework|system)s?\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r";|\bwhile\b|\bwhereas\b|\bbut\b|,\s*(?:and|which|surpassing|outperforming|"
                           r"compared|beating|exceeding)\b", re.IGNORECASE)
_PARTICIPLE = re.compile(r",\s*" + alternation("result_participles") + r"\b", re.IGNORECASE)
# "T2T-ViT with comparable size to ResNet50 ... can achieve 83.3%", "X outperforms Y by 1.2% and
# reaches 83.4%": a method named as a yardstick inside the subject's clause is not the subject
_REFERENCE_BEFORE = re.compile(
    r"(?:\bthan|\bover|\bagainst|\bamong|\bvs\.?|\bversus|\b(?:outperform|surpass|beat|exceed)\w*|\b(?:comparable|"
    r"similar|compared|relative|equivalent|close|superior|inferior)\b[^,;()]{0,30}?\b(?:to|with))\s+"
    r"(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# "84.6 F1, better than the best published F1 score of 81.8", "75.2% compared with 72.2% for
# DeiT-Ti": after another score, a comparison marker introduces the reference's score
# ("competes against X with 64.0%": "against" leads to a rival, not to its score)
_REFERENCE_MARKER = re.compile(r"\b(?:than|compared\s+(?:to|with)|in\s+comparison\s+(?:to|with)|versus|vs\.?)(?![\w-])",
                               re.IGNORECASE)
_REFERENCE_OWNER = re.compile(r"\s*(?:\\?%)?\s*(?:[\w-]+\s+){0,2}?(?:for|of|by|from)\s+(?:the\s+)?", re.IGNORECASE)
_ACHIEVED_BY = re.compile(r"^\s*(?:\\?%)?\s*(?:\w+\s+){0,3}?" + alternation("result_passives") + r"\s+by\s+(?:the\s+)?",
                          re.IGNORECASE)
_FROM_TO = re.compile(rf"\bfrom\s+(?P<a>{NUM})(?:\s+[A-Za-z^{{}}_\-]+){{0,3}}\s+to\s+(?P<b>{NUM})",
                      re.IGNORECASE)
# "VAN-B2 surpasses Swin-T 4% mIoU (50.1 vs. 46.1)", "improving the accuracy of YOLOv3 (34.4% AP
# at 30 ms compared to 33.0% AP at 39 ms)": the subject's number, then the baseline's
_VERSUS = re.compile(rf"\(\s*(?P<b>{NUM})[^()]{{0,45}}?\s(?:vs\.?|versus|compared\s+(?:to|with))\s*"
                     rf"(?P<a>{NUM})[^()]{{0,40}}\)", re.IGNORECASE)
_PRETRAINING = re.compile(r"(?:pre-?train\w*|trained)\s+(?:\w+\s+){0,3}?on\s*$|^\s*pre-?train", re.IGNORECASE)
_COORDINATED_GAP = re.compile(r"\s*(?:%|\\%)?\s+(?:,\s*)?(?:and|,)\s*", re.IGNORECASE)
_PREP_GAP = re.compile(r"\b(?:on|for|in|at|over|across)\b", re.IGNORECASE)
# "(68.7% on V1 and 77.0% on V2)": a number said to be on a name the vocabulary does not know as
# a dataset is on that name, not on the dataset named before it
_SAID_ON = r"\s*(?:%|\\%)?\s*(?:[a-z-]+\s+){0,2}?on\s+(?:the\s+)?"   # "% on the", "accuracy on"
_ON_A_NAME = re.compile(_SAID_ON + r"(?:[A-Z0-9]|[a-z]+[A-Z])[\w-]*")   # ("arXiv", "nuScenes": a name too)


@lru_cache(maxsize=1)
def _on_a_task() -> re.Pattern:
    """A number said to be on a task ("99.3% on underwater image classification"): measured on
    data the abstract does not name, not on the one dataset it names elsewhere."""
    heads = cue_alternation("task_heads")
    return re.compile(_SAID_ON + rf"(?:[\w-]+\s+){{0,3}}?(?:{heads})(?:s|es)?\b"
                      rf"(?!\s+(?:dataset|benchmark|data|set|corpus|challenge))", re.IGNORECASE)


# "On BiodaVid, X achieves 80.0%": the sentence names where its numbers are measured
_LEADING_PLACE = re.compile(r"\s*(?:On|For|In)\s+(?:the\s+)?(?:[A-Z]|\d+[A-Za-z-])[\w-]*\s*,")
_CLASSIFICATION_CUE = re.compile(r"classif|recogni|accura|top-?1|imagenet|cifar", re.IGNORECASE)
_WORD_RE = re.compile(WORD)
_VARIANT_SUFFIX = re.compile(
    r"(?:[-\s](?:T|S|M|B|L|H|G|N|X|XS|XL|XXL|Ti|Tiny|Small|Base|Medium|Large|Huge|Giant|Gaint|Nano|Mini|Micro|"
    r"[A-Z]?\d+[A-Za-z]?|[BDLSW]\d+)|/\d+)$")


def own_methods(doc: Document) -> list[tuple[str, ...]]:
    """The paper's own method names (each with its aliases), primary first: the proposes
    extractor's output, read through the registry and kept in the document's cache. The one place
    the result extractor depends on it."""
    if "results.own_methods" not in doc.cache:
        proposes = available_extractors().get("proposes")
        found = list(proposes.fn(doc)) if proposes is not None else []
        doc.cache["results.own_methods"] = [(ex.object, *ex.object_aliases) for ex in found]
    return doc.cache["results.own_methods"]


def _dataset_spans(doc: Document, sentence: Sentence) -> list[Span]:
    """Datasets named in the sentence (vocabulary, and the names the datasets extractor found),
    with "Kinetics-400/600" read as two."""
    text = sentence.text
    out = [Span(m.surface, m.start, m.end, m.concept.label) for m in doc.find(text, kind="dataset")
           if not joined_to_a_name(text, m.start, m.end)]
    for name in paper_dataset_names(doc):
        if name not in text:
            continue      # (most names are not in most sentences: no pattern to compile)
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if not any(s.start <= m.start() < s.end or m.start() <= s.start < m.end() for s in out):
                out.append(Span(name, m.start(), m.end(), name))
    extra = []
    for s in out:
        tail = re.match(r"/([A-Za-z0-9]+)\b", text[s.end:])
        if tail:
            head = re.match(r"(.*?)([A-Za-z]*\d+[A-Za-z]*|[Vv]\d+)$", s.name)
            if head:
                other = head.group(1) + tail.group(1)
                concept = doc.vocab.lookup(other, kind="dataset")
                if concept is not None:
                    extra.append(Span(other, s.end + 1, s.end + 1 + len(tail.group(1)), concept.label))
    return sorted(out + extra, key=lambda s: s.start)


def paper_dataset_names(doc: Document) -> list[str]:
    """Names of datasets the paper evaluates on (the datasets extractor's output, cached)."""
    if "results.datasets" not in doc.cache:
        datasets = available_extractors().get("datasets")
        names = []
        for ex in (datasets.fn(doc) if datasets is not None else ()):
            names.extend(n for n in (ex.object, *ex.object_aliases) if n not in names)
        doc.cache["results.datasets"] = names
    return doc.cache["results.datasets"]


def _method_spans(doc: Document, text: str, datasets: list[Span], metrics: list[Span]) -> list[Span]:
    """Methods named in the sentence: the paper's own names, known methods, name-shaped words."""
    taken = [(s.start, s.end) for s in (*datasets, *metrics)]

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    out: list[Span] = []
    low = text.casefold()
    for names in own_methods(doc):
        for name in sorted(names, key=len, reverse=True):
            if name.casefold() not in low:
                continue      # (most own names are not in most sentences: no pattern to compile)
            for m in re.finditer(rf"(?<![\w-]){re.escape(name.casefold())}(?:[-\s]?[\w/]+(?:-\w+)?)?", low):
                # "our iFormer-S", "Sequencer2D-L": the own name with a variant tail (kept when name-shaped)
                end = m.start() + len(name)
                variant = text[m.start():m.end()]
                if m.end() > end and _VARIANT_SUFFIX.search(variant) and " " not in variant[len(name):].strip():
                    end = m.end()
                if free(m.start(), end):
                    out.append(Span(text[m.start():end], m.start(), end))
                    taken.append((m.start(), end))
    for m in doc.find(text, kind="method"):   # (not inside a compound: "NAS" of "PC-NAS-L")
        if free(m.start, m.end) and not re.search(r"\w-$", text[:m.start]):
            end = m.end
            tail = re.match(r"-[A-Za-z0-9]+(?:/\d+)?", text[end:])
            if tail:
                end += tail.end()
            out.append(Span(text[m.start:end], m.start, end, m.concept.label))
            taken.append((m.start, end))
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        if (is_namey(word) and word.casefold() not in NOT_NAMES and free(m.start(), m.end())
                and not VALUE.fullmatch(word.rstrip("%")) and doc.vocab.lookup(word, kind="metric") is None
                and doc.vocab.lookup(word, kind="task") is None and not re.fullmatch(r"\d.*|[A-Z]?\d+[A-Za-z]*", word)):
            if any(_SHORT_FORM_GAP.fullmatch(text, d.end, m.start()) for d in datasets if d.end <= m.start()):
                continue   # "the extended Cohn-Kanade dataset (CK +)": the dataset's short name
            out.append(Span(word, m.start(), m.end()))
    return sorted(out, key=lambda s: s.start)


def _listed_on(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, between a list of numbers and a list of datasets, says the one
    is on the other ("% on", "F1 on the"): a preposition, within a few words."""
    return end - start <= 60 and _PREP_GAP.search(text, start, end) is not None and ";" not in text[start:end]


def _dataset_for(n: Number, run: list[Number], text: str, datasets: list[Span], metric: Span | None,
                 numbers: list[Number], respectively: bool, metrics: list[Span] = ()) -> tuple[Span | None, float]:
    usable = [d for d in datasets if not _PRETRAINING.search(text[max(0, d.start - 40):d.start])]
    if not usable:
        return None, 0.0
    # "87.8% ImageNet top-1 accuracy"
    if metric is not None and metric.start >= n.end:
        for d in usable:
            if n.end <= d.start and d.end <= metric.start:
                return d, 1.0
    # "COCO box AP of 56.4", "an ImageNet-A accuracy of 61.6%"
    if metric is not None and metric.end <= n.start:
        for d in reversed(usable):
            if d.end <= metric.start and re.fullmatch(r"[\sA-Za-z-]{0,30}", text[d.end:metric.start]):
                return d, 1.0
    # "on Flowers-102 with 99.76% top-1 accuracy, and ... on ImageNet (82.71%)": the dataset right
    # before "with" is the number's, not the next one
    joined = [d for d in usable if d.end <= n.start and _DATASET_WITH.fullmatch(text, d.end, n.start)]
    if joined:
        return joined[-1], 0.9
    # lists paired in order
    index = next(i for i, x in enumerate(run) if x is n)
    if respectively and len(run) > 1:
        after = [d for d in usable if d.start > run[-1].end] or [d for d in usable if d.end < run[0].start]
        if len(after) >= len(run):
            pool = after[:len(run)] if after[0].start > run[-1].end else after[-len(run):]
            return pool[index], 0.9
    elif len(run) > 1:
        # "F1 scores of 90.1 and 91.2 on CoNLL-2003 and OntoNotes": a list of exactly as many
        # datasets, said to be where the numbers are, pairs with them in order, "respectively" or not
        after = [d for d in usable if d.start > run[-1].end]
        together = 1    # how many datasets after the numbers are listed together
        while together < len(after) and LIST_GAP.match(text[after[together - 1].end:after[together].start]):
            together += 1
        if together == len(run) and _listed_on(text, run[-1].end, after[0].start):
            return after[index], 0.85
    slash = [x for x in numbers if x.group == n.group]
    if len(slash) > 1:
        after = [d for d in usable if d.start > slash[-1].end]
        if len(after) >= len(slash):
            return after[n.slot], 0.9
    # the next dataset after it (after its range, "(from 40.4 to 45.9) on COCO"), before the next number's;
    # a range right after a dataset is on it ("on Natural Questions from 41.5 to 45.2 and on TriviaQA ...")
    anchor = run[-1].end
    for ft in _FROM_TO.finditer(text):
        if ft.start() <= n.start < ft.end():
            right_before = [d for d in usable if d.end <= ft.start() and not text[d.end:ft.start()].strip()]
            if right_before and not _RANGE_ON.match(text, ft.end()):   # (not "... from 1.13 to 1.08 on text8")
                return right_before[-1], 0.9
            anchor = max(anchor, ft.end())
    # "53.8 box AP and 46.4 mask AP on COCO": a number coordinated with the next, each with its
    # metric, shares the dataset named after the last
    while True:
        x = next((x for x in numbers if x.start >= anchor and x.group != n.group), None)
        if x is None:
            break
        # the text between, its metrics cut out
        gap, at = "", anchor
        for m in metrics:
            if at <= m.start and m.end <= x.start:
                gap, at = gap + text[at:m.start] + " ", m.end
        if not _COORDINATED_GAP.fullmatch(gap + text[at:x.start]):
            break
        anchor = x.end
    nxt = next((x.start for x in numbers if x.start >= anchor and x.group != n.group), len(text))
    for d in usable:
        if anchor <= d.start < nxt:
            gap = text[anchor:d.start]
            if _PREP_GAP.search(gap) and len(gap) <= 90 and not re.search(r";", gap):
                return d, 0.9
            break
    # the last dataset before it, unless the number is said to be on another name
    if _ON_A_NAME.match(text, n.end):
        return None, 0.0
    before = [d for d in usable if d.end <= n.start]
    if before:
        return before[-1], 0.75
    return None, 0.0


def _method_for(doc: Document, n: Number, run: list[Number], text: str, methods: list[Span],
                numbers: list[Number]) -> tuple[str, float] | None:
    primary = own_methods(doc)[0][0] if own_methods(doc) else None
    # "82.0% achieved by EVA-E"
    by = _ACHIEVED_BY.match(text[n.end:])
    if by:
        m = next((s for s in methods if s.start == n.end + by.end()), None)
        if m:
            return m.name, 0.85
    # "X surpasses Y by 5.5 mAP (from 40.4 to 45.9)", "boost DINO from 49.0% AP to 51.9% AP";
    # "(50.1 vs. 46.1)" names them the other way round
    for ft in (*_FROM_TO.finditer(text), *_VERSUS.finditer(text)):
        if ft.start("a") <= n.start < ft.end("a") or ft.start("b") <= n.start < ft.end("b"):
            before = [s for s in methods if s.end <= ft.start()]
            clause = text[:ft.start()]
            verb = re.search(r"\b(?:surpass\w*|outperform\w*|beat\w*|improv\w*|boost\w*|over)\s+(?:the\s+)?$|"
                             r"\b(?:surpass\w*|outperform\w*|beat\w*|improv\w*|boost\w*)\b", clause, re.IGNORECASE)
            subject = _subject_before(doc, verb.start() if verb else ft.start(), text, methods, primary)
            baseline = next((s for s in reversed(before) if verb and s.start >= verb.end() - 1), None) or (
                before[-1] if before and (not subject or before[-1].name != subject[0]) else None)
            if ft.start("a") <= n.start < ft.end("a"):
                return (baseline.name, 0.75) if baseline else None
            return subject
    is_reference, owner = _reference_score(n, text, methods, numbers)
    if is_reference:
        return owner
    # a method inside parentheses right before: "DeiT-Ti (72.2% accuracy)"
    paren = text.rfind("(", 0, n.start)
    if paren >= 0 and ")" not in text[paren:n.start] and re.fullmatch(r"\(\s*(?:[\w-]+\s+){0,3}", text[paren:n.start]):
        m = next((s for s in reversed(methods) if s.end <= paren and text[s.end:paren].strip() in ("", ",")), None)
        if m:
            return m.name, 0.8
    # a list of methods paired with a list of numbers
    subj = [s for s in methods if s.end <= run[0].start]
    if len(run) > 1 and len(subj) >= len(run):
        names = subj[-len(run):]
        if all(LIST_GAP.match(text[a.end:b.start]) for a, b in zip(names, names[1:])):
            return names[run.index(n)].name, 0.8
    return _subject_before(doc, run[0].start, text, methods, primary)


def _reference_score(n: Number, text: str, methods: list[Span], numbers: list[Number]
                     ) -> tuple[bool, tuple[str, float] | None]:
    """Whether ``n`` is a reference's score, introduced by a comparison marker after another score
    of its clause ("84.6 F1, better than the best published F1 score of 81.8"), and whose: the
    method named between the marker and it or with it ("versus 72.2% for DeiT-Ti"), or nobody's."""
    marker = None
    for marker in _REFERENCE_MARKER.finditer(text, 0, n.start):
        pass
    if (marker is None or n.start - marker.end() > 60 or _CLAUSE_BREAK.search(text, marker.end(), n.start)
            or not any(s is not n and s.end <= marker.start() for s in numbers)):
        return False, None
    named = [s for s in methods if marker.end() <= s.start and s.end <= n.start]
    if named:
        return True, (named[-1].name, 0.7)
    owner = _REFERENCE_OWNER.match(text, n.end)
    after = next((s for s in methods if s.start == owner.end()), None) if owner else None
    return True, ((after.name, 0.7) if after else None)


def _subject_before(doc: Document, pos: int, text: str, methods: list[Span], primary: str | None
                    ) -> tuple[str, float] | None:
    """The nearest method (or "we"/"our model", the paper's own) before ``pos`` in its clause."""
    clause_start = 0
    for b in _CLAUSE_BREAK.finditer(text, 0, pos):
        clause_start = b.end()
    before = [s for s in methods if clause_start <= s.start and s.end <= pos]
    own = [m for m in _OWN_SUBJECT.finditer(text, clause_start, pos)]
    method = before[-1] if before else None
    while method is not None and method is not before[0] and _REFERENCE_BEFORE.search(
            text, max(clause_start, method.start - 60), method.start):
        method = before[before.index(method) - 1]
    if method is not None and _PARTICIPLE.search(text, method.end, pos):
        # "ConvNeXts compete with Transformers ..., achieving 87.8%": the subject, the paper's own
        # method when it is one of them ("Built from standard ConvNet modules, ConvNeXts ...")
        own_names = {n.casefold() for names in own_methods(doc) for n in names}
        method = next((m for m in before if m.name.casefold().rstrip("s") in own_names
                       or m.name.casefold() in own_names), before[0])
    if own and primary and (method is None or own[-1].start() > method.end):
        # "our method", but "Our iFormer-S" names it
        return primary, 0.75
    if (own and method is not None and own[-1].start() > method.end and "," in text[method.end:own[-1].start()]
            and _OWN_MODEL.match(text, own[-1].start())):
        # "On vision-language contrastive learning, we achieve 88.3%": a method in a phrase
        # before the subject is not whose number it is, and the paper names no method of its own
        return None
    if method is not None:
        return method.name, 0.8
    if clause_start > 0:   # the sentence's subject, before the clause
        earlier = [s for s in methods if s.end <= clause_start]
        own = list(_OWN_SUBJECT.finditer(text, 0, clause_start))
        if own and primary and (not earlier or own[-1].start() > earlier[-1].end):
            return primary, 0.65
        # (not a reference: "EEEA-Net achieved the lowest error rate among ... NAS models, with ...")
        earlier = [m for m in earlier if not _REFERENCE_BEFORE.search(text, max(0, m.start - 60), m.start)]
        if earlier:
            return earlier[-1].name, 0.6
    if primary:
        return primary, 0.55
    return None


def _abstract_datasets(doc: Document) -> list[Span]:
    if "results.abstract_datasets" not in doc.cache:
        labels: dict[str, Span] = {}
        for s in doc.abstract_sentences:
            for d in _dataset_spans(doc, s):
                labels.setdefault(d.label.casefold(), d)
        doc.cache["results.abstract_datasets"] = list(labels.values())
    return doc.cache["results.abstract_datasets"]


_DIGIT = re.compile(r"\d")


def _classification_benchmark(doc: Document, n: Number, run: list[Number], text: str, datasets: list[Span],
                              scores: list[Number], respectively: bool, metrics: list[Span]) -> bool:
    """Whether the dataset of a percentage with no metric named is a benchmark of a classification
    or recognition task ("90.0% on K400": action recognition), so that its number is an accuracy."""
    dataset, _ = _dataset_for(n, run, text, datasets, None, scores, respectively, metrics)
    concept = doc.vocab.lookup(dataset.label, kind="dataset") if dataset is not None else None
    return concept is not None and any(_CLASSIFICATION_CUE.search(task) for task in concept.benchmark_for)


# "mAP (from", "exact match score on Natural Questions from": what may stand between a metric and the
# range of its values (a dataset span stands as "@")
_RANGE_AFTER_METRIC = re.compile(r"\s*\(?\s*(?:scores?\s+)?(?:(?:on|in|for)\s+(?:the\s+)?@\s*)?", re.IGNORECASE)


_RANGE_ON = re.compile(r"\s*(?:%|\\%)?\s*(?:on|in|for)\s", re.IGNORECASE)


def _before_range(text: str, start: int, end: int, datasets: list[Span]) -> bool:
    gap = text[start:end]
    for d in sorted(datasets, key=lambda d: -d.start):
        if start <= d.start and d.end <= end:
            gap = gap[:d.start - start] + "@" + gap[d.end - start:]
    return _RANGE_AFTER_METRIC.fullmatch(gap) is not None


def result_candidates(doc: Document) -> Iterator[tuple[Sentence, Number, str, Span, Span, float]]:
    """(sentence, number, method, dataset, metric, confidence) for every number decided a result."""
    for sentence in doc.abstract_sentences:
        text = sentence.text
        if not _DIGIT.search(text):
            continue
        scores = sentence_scores(text)
        if not scores:
            continue
        metrics = metric_spans(doc, text)
        # after "=" or "with", only a metric's value: "EPE=4.26", "with 75.1% EM accuracy"; not "k=3"
        scores = [n for n in scores if not _METRIC_VALUE_BEFORE.search(text, max(0, n.start - 5), n.start)
                  or any((m.end <= n.start and _EQUALS_GAP.fullmatch(text, m.end, n.start)) or 0 <= m.start - n.end <= 1
                         for m in metrics)]
        if not scores:
            continue
        datasets = _dataset_spans(doc, sentence)
        # a number inside a dataset's or a metric's name is part of it ("SQuAD 1.1", "Hits@10")
        scores = [n for n in scores if not any(s.start <= n.start < s.end for s in (*datasets, *metrics))]
        if not scores:
            continue
        methods = _method_spans(doc, text, datasets, metrics)
        respectively = bool(_RESPECTIVELY.search(text))
        runs = number_runs(scores, text)
        previous: Span | None = None    # the metric of the sentence's last result
        previous_percent = False
        for run in runs:
            for n in run:
                metric = metric_for(n, run, text, metrics, datasets)
                confidence = 0.85
                if metric is None:   # "mAP (from 40.4 to 45.9)": the metric before the range
                    ft = next((f for f in _FROM_TO.finditer(text) if f.start() <= n.start < f.end()), None)
                    if ft is not None:
                        metric = next((m for m in reversed(metrics) if m.end <= ft.start()
                                       and _before_range(text, m.end, ft.start(), datasets)), None)
                if metric is None and previous is not None and n.percent == previous_percent:
                    metric, confidence = previous, 0.75   # "84.3% mIoU on X and 54.3% on Y"
                if metric is None:
                    if not n.percent or not (_CLASSIFICATION_CUE.search(text) or _CLASSIFICATION_CUE.search(doc.title)
                                             or _classification_benchmark(doc, n, run, text, datasets, scores,
                                                                          respectively, metrics)):
                        continue
                    metric = Span("accuracy", n.start, n.end, "accuracy")
                    confidence -= 0.15
                dataset, dconf = _dataset_for(n, run, text, datasets, metric, scores, respectively, metrics)
                if dataset is None:
                    known = _abstract_datasets(doc)
                    if _ON_A_NAME.match(text, n.end):
                        # (a score on a name no dataset span holds: its metric still goes on,
                        # "46.3 on arXiv and 47.9 on PubMed")
                        previous, previous_percent = metric, n.percent
                        continue
                    if len(known) != 1 or _on_a_task().match(text, n.end) or _LEADING_PLACE.match(text):
                        continue
                    dataset, dconf = known[0], 0.6
                method = _method_for(doc, n, run, text, methods, scores)
                if method is None:
                    continue
                name, mconf = method
                if match_key(name) == match_key(dataset.name):
                    continue   # "CK" read as the method of a number on CK: the dataset itself
                previous, previous_percent = metric, n.percent
                yield sentence, n, name, dataset, metric, round(min(confidence, dconf, mconf), 2)


@register_extractor("results", "reportsResult")
def extract_results(doc: Document) -> Iterator[Extraction]:
    """paper reportsResult (method, dataset, metric, value): absolute scores with their sentence.
    Cached on the document: a comparison's outcome reads them too (kg.extract.compares)."""
    if "results" not in doc.cache:
        doc.cache["results"] = list(_paper_results(doc))
    yield from doc.cache["results"]


def _paper_results(doc: Document) -> Iterator[Extraction]:
    seen: set[tuple[str, str, str, str]] = set()
    for sentence, n, method, dataset, metric, confidence in result_candidates(doc):
        key = (match_key(method), dataset.label.casefold(), metric.label.casefold(), n.text)
        if key in seen:
            continue
        seen.add(key)
        yield Extraction(
            paper_key=doc.paper.key, subject=method, subject_kind="method", predicate="reportsResult",
            object=dataset.name, object_kind="dataset", evidence=doc.evidence(sentence),
            extractor="results/rules", confidence=confidence, metric=metric.name, value=n.text)
