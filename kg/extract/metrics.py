"""Which metric a score of a sentence is in (a decision of :mod:`kg.extract.results`).

The metrics a sentence names (:func:`metric_spans`), then for each score the one it belongs to
(:func:`metric_for`): the metric right after it ("87.1% top-1 accuracy", "52.1 box AP", past the
dataset: "87.8% ImageNet top-1 accuracy"), qualified by the words between ("96.9% slot accuracy"),
in order along a slash group ("53.8/46.4 box/mask AP"), or right before it ("mIoU of 55.6").
"""
from __future__ import annotations

import re

from kg.extract import Document
from kg.extract.names import STOPWORDS, lexicon
from kg.extract.scores import Number, Span

_METRIC_BEFORE_GAP = re.compile(r"^\s*\)?\s*(?:scores?\s+)?(?:of|=|:|is|was|reaches|reached|reaching|at|\(|as|to)?\s*"
                                r"(?:only\s+)?(?:\(?)\s*$", re.IGNORECASE)
_METRIC_GAP_STOP = re.compile(r";|\b(?:by|than|over|improv\w*|gain\w*|increas\w*|reduc\w*|drop\w*)\b",
                              re.IGNORECASE)
_NUMBER_BEFORE_METRIC = re.compile(r"\d\s*(?:%|\\%)?\s*$")


def _score_labels(doc: Document) -> tuple[dict[str, str], re.Pattern | None]:
    """The metrics' score labels (``kgo:scoreLabel``: "MAE" → mean absolute error) and where one
    stands beside a score ("an MAE of 0.31", "MAE = 0.31", "0.31 MAE"); memoised on the
    vocabulary, which they depend on."""
    memo = doc.vocab.memo("metrics.score-labels")
    found = memo.get("")
    if found is None:
        labels = {a: c.label for c in doc.vocab.concepts.values() for a in c.score_labels}
        names = "|".join(re.escape(a) for a in sorted(labels, key=len, reverse=True))
        pattern = (re.compile(rf"(?<![\w.\-/])\d+(?:\.\d+)?\s?%?\s?(?P<after>{names})\b|"
                              rf"\b(?P<before>{names})\b(?=\s*(?:of|=|:|is|was)?\s*\d)") if labels else None)
        found = memo.put("", (labels, pattern))
    return found


# "a 92% average success rate": a summary word before a metric belongs to its name
_SUMMARY_BEFORE = re.compile(r"\b(?:average|mean|overall|median)\s+$", re.IGNORECASE)


def metric_spans(doc: Document, text: str) -> list[Span]:
    """The metrics a sentence names: the vocabulary's (a summary word before one joins it: "average
    success rate"), a score label beside a score ("an MAE of 0.31"), two sharing a head ("box/mask AP")."""
    out = []
    for m in doc.find(text, kind="metric"):
        summary = _SUMMARY_BEFORE.search(text, max(0, m.start - 10), m.start)
        start = summary.start() if summary else m.start
        out.append(Span(m.surface, start, m.end, m.concept.label))
    labels, pattern = _score_labels(doc)
    if pattern is not None:
        for m in pattern.finditer(text):
            which = "after" if m.group("after") else "before"
            at, end = m.span(which)
            if not any(s.start < end and at < s.end for s in out):
                out.append(Span(labels[m.group(which)], at, end, labels[m.group(which)]))   # (the label resolves)
    # "box/mask AP": two metrics sharing a head
    for m in re.finditer(r"\b([A-Za-z]+)/([A-Za-z]+)\s+([A-Za-z][\w-]*)", text):
        a, b = f"{m.group(1)} {m.group(3)}", f"{m.group(2)} {m.group(3)}"
        ca, cb = doc.vocab.lookup(a, kind="metric"), doc.vocab.lookup(b, kind="metric")
        if ca and cb:
            out = [s for s in out if not (m.start() <= s.start < m.end())]
            out.append(Span(a, m.start(1), m.end(1), ca.label))
            out.append(Span(b, m.start(2), m.end(3), cb.label))
    return sorted(out, key=lambda s: s.start)


# lower-case words that qualify a known metric into one of its own, written between a number and
# it ("96.9% slot accuracy", "0.41 macro AUC"); not the words that only place or compare it
_QUALIFIED_GAP = re.compile(r"\s*(?P<q>(?:[a-z][a-z-]+\s+){1,2})")
_NO_QUALIFIER = lexicon("not_metric_qualifiers")


def _qualified(n: Number, text: str, metrics: list[Span]) -> Span | None:
    """A known metric right after the number behind words that make it another one ("96.9% slot
    accuracy" is no joint goal accuracy of the sentence before), named as written."""
    for s in metrics:
        if s.start >= n.end:
            m = _QUALIFIED_GAP.fullmatch(text, n.end, s.start)
            words = m.group("q").split() if m else ()
            if words and not any(w in STOPWORDS or w in _NO_QUALIFIER or w.endswith("ly") for w in words):
                name = f"{' '.join(words)} {text[s.start:s.end]}"
                return Span(name, s.start - len(m.group("q")), s.end, name)
            return None
    return None


def metric_for(n: Number, run: list[Number], text: str, metrics: list[Span],
                datasets: list[Span] = ()) -> Span | None:
    """The metric named right after the number (or after its list; "87.8% ImageNet top-1 accuracy"
    has the dataset between; "96.9% slot accuracy" qualifies it), or right before it."""
    last = run[-1]
    between = [d for d in datasets if d.start >= n.end]
    for anchor in (n, last):
        for s in metrics:
            gap = text[anchor.end:s.start]
            if between and s.start >= anchor.end and any(
                    text[anchor.end:d.start].strip() in ("", "%", "\\%") and not text[d.end:s.start].strip()
                    for d in between):
                return s
            if s.start >= anchor.end and len(gap) <= 3 and not re.search(r"[,;()]", gap):
                if anchor is last and n.group == last.group and len(run) > 1 and n is not last:
                    pass
                return s
    qualified = _qualified(n, text, metrics)
    if qualified is not None:
        return qualified
    # slash group with slash metrics: "53.8/46.4 box/mask AP"
    for s in metrics:
        gap = text[n.end:s.start]
        if 0 <= len(gap) <= 40 and s.start >= n.end and re.fullmatch(r"[\s/\d.%\\]*", gap):
            following = [m for m in metrics if m.start >= n.end and re.fullmatch(r"[\s/\d.%\\]*", text[n.end:m.start]) or
                         (m.start >= n.end and re.fullmatch(r"[\s/\d.%\\]*[A-Za-z]+/", text[n.end:m.start]))]
            if n.slot < len(following):
                return following[n.slot]
            return s
    first = run[0]
    for s in reversed(metrics):
        if s.end <= first.start and _METRIC_BEFORE_GAP.match(text[s.end:first.start]):
            return s
    # "achieved the lowest error rate among state-of-the-art NAS models, with 2.46% for CIFAR-10,
    # 15.02% for CIFAR-100": the sentence's last metric before a percentage, no gain or comparison
    # between (else a percentage defaults to accuracy, and a bare count is no score)
    before = next((s for s in reversed(metrics) if s.end <= first.start), None)
    if (before is not None and n.percent and first.start - before.end <= 120
            and not _METRIC_GAP_STOP.search(text, before.end, first.start)
            and not _NUMBER_BEFORE_METRIC.search(text, 0, before.start)):   # ("3.3 mAP": another number's)
        return before
    return None
