"""Which numbers of a sentence are absolute scores (the first decision of :mod:`kg.extract.results`).

Gains ("+1.3%", "by 5.5 mAP", "3.6% higher"), bounds ("over 80%", "~80%"), efficiency figures
(parameters, FLOPs, latency, throughput, memory: "3.7M", "58 FPS"), years and numbers inside names
("ResNet-50") are not; neither is every number of a list said to be differences ("by 8.7% and
4.6%", "1.9%, 1.3% and 3.6% higher accuracy").

>>> [n.text for n in sentence_scores("X reaches 84.2% top-1 accuracy, 1.3% higher than Y with 3.7M parameters.")]
['84.2']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A number, or a slash / bar group of numbers ("82.9/84.8", "75.15%|82.03%"), each with an
# optional percent sign; not inside a word or a name ("ResNet-50", "v2", "224^2", "1.5B").
# ("77. 7%": a decimal point a scraped page set a space after)
NUM = r"\d+(?:\.\d+|\.\s\d+(?=\s?(?:\\?%|percent\b)))?(?:\s?(?:\\?%|percent\b))?"
_GROUP = re.compile(rf"(?<![\w.\-+/|^±~≈$<>−])(?P<g>{NUM}(?:\s?[/|]\s?{NUM})*)(?![\w.]*\d)(?!\.\d)")
VALUE = re.compile(r"\d+(?:\.\d+)?")

# Words right before a number that make it a gain ("a drop in accuracy of"), a bound or an approximation.
_NOT_ABSOLUTE_BEFORE = re.compile(
    r"(?:\bby|\bover|\babove|\bnearly|\babout|\baround|\bapproximately|\balmost|\broughly|\bup\s+to|"
    r"\bmore\s+than|\bless\s+than|\bfewer\s+than|\bat\s+least|\bat\s+most|\bunder|\bbelow|\bexceeding|"
    r"\bbeyond|\bwithin|\bx|\btimes|[+~≈><±]|\bof\s+up\s+to|\bbetter\s+than|\bhigher\s+than|"
    r"\bgain\s+of|\bimprovement\s+of|\bincrease\s+of|\breduc\w*|\bsav\w*|\bcut\w*|\bspeed\w*|"
    r"\blatency\s+of|\bthroughput\s+of|\bmemory\s+of|\bat|\busing|\bcost\s+of|\bbudget\s+of|"
    r"\bfirst|\blast|\btop|\bonly\s+the|\b(?:sub)?task|\btrack|\bphase|\bversion|\bfold|\bsplit|\bstage|\bround|\bby\s+(?:only|just|merely)|\b(?:drop|decrease|degradation|loss|gain|"
    r"improvement|increase|reduction)s?\s+(?:in\s+(?:[\w-]+\s+){1,3}?)?(?:is|was|are|were|of)\s+(?:only|just|merely)?)\s*$",
    re.IGNORECASE)
# "VAN-B2 surpasses Swin-T 4% mIoU": the number right after the one surpassed is the margin
_MARGIN_BEFORE = re.compile(r"\b(?:surpass\w*|outperform\w*|beat(?:s|ing)?|exceed\w*)\s+(?:the\s+)?"
                            r"[\w.-]+(?:\s+[\w.-]+){0,2}?\s*$", re.IGNORECASE)
# "improving over the previous best IS of 52.52 and FID of 18.65": an unnamed baseline's numbers
_PREVIOUS_BEST_BEFORE = re.compile(
    r"\b(?:previous|prior)\s+(?:best|state[- ]of[- ]the[- ]art|sota)\b(?:[^.;:]|\.(?=\d)){0,40}$", re.IGNORECASE)
# What right after a number makes it a gain, a share or an efficiency figure (parameters, FLOPs,
# speed, size, resolution, counts).
_NOT_SCORE_AFTER = re.compile(
    r"^\s?(?:\\?%|percent)?\s*(?:[KMBGT]\b|[KMGT]?B\b|k\b|x\b|×|(?:"
    r"times|fps|ms|s|secs?|seconds?|minutes?|hours?|hrs|days?|epochs?|iterations?|steps?|GPUs?|TPUs?|"
    r"[KMGT]?FLOPs?|[KMGT]?MACs?|params|parameters?|million|billion|thousand|layers?|images?|frames?|"
    r"samples?|examples?|tokens?|classes|categories|labels?|videos?|points?|pp|pts|fewer|less|more|faster|"
    r"slower|higher|lower|better|worse|smaller|larger|bigger|efficient|cheaper|improvements?|improved|relative|absolute|"
    r"reductions?|gains?|speed|speedup|increases?|decreases?|drops?|boosts?|margins?|as\s+many|bits?(?![/-]|\s+per\b)|"
    r"px|pixels?|resolution|mb|gb|w|watts?|mj|j|hz|ghz|cm|mm|m|km|years?|subjects|patients|participants|"
    r"users|people|persons|languages|tasks|datasets|benchmarks|times|"
    r"the\s+(?:size|cost|latency|memory|comput\w*|param\w*|flops|macs|number)|of\s+(?:the|its|their|all|each|"
    r"pixels?|param\w*|comput\w*|flops|macs|memory|data|train\w*|label\w*))\b|"
    r"\^|\*\s*\d|×\s*\d|[-–]\s*\d|:\s*\d|/\s*[a-z])",
    re.IGNORECASE)
# "a mean human-normalized score of 121%", "230% median human normalized score": a score above 100%
_NORMALISED_BEFORE = re.compile(r"normali[sz]ed\s+(?:score|return|performance)s?\s+(?:of\s+)?(?:about\s+)?$",
                                re.IGNORECASE)
_NORMALISED_AFTER = re.compile(r"\s*(?:mean\s+|median\s+)?human[- ]normali[sz]ed\b", re.IGNORECASE)
# "5.5 mAP (from 40.4 to 45.9)", "0.3% accuracy drop": the number is a difference.
_GAIN_AFTER = re.compile(
    r"^\s?(?:\\?%)?\s*(?:[\w-]+\s+){0,3}?(?:\(\s*from\b|(?:drop|degradation|loss|improvement|gain|"
    r"increase|decrease|boost|reduction|higher|lower|better|worse|below|above|behind|ahead)s?\b)", re.IGNORECASE)
# "improvements ranging from 0.90% to 23.35% ... and from 3.82% to 78.14%": the ends of a range of
# gains are gains ("improves X from 40.4 to 45.9", with no "ranging", gives the baseline and the method)
_CHANGE = r"(?:improvement|gain|increase|boost|drop|reduction|decrease|degradation)s?"   # a change, named
_GAIN_RANGE_BEFORE = re.compile(
    rf"\b{_CHANGE}\s+(?:\w+\s+){{0,2}}?"
    rf"(?:ranging|range|ranges|varying)\b(?:[^.;]|\.(?=\d)){{0,120}}?\bfrom\s+(?:{NUM}\s+to\s*)?$", re.IGNORECASE)
# "improvements of 4.6% on MedMNIST, 5.8% on NonMNIST, and 13.4% on ...": every item a gain; and
# "compressed by 85.2% in MNIST and 83.9% in AlexNet" after a bare "by", where the names between the
# items are capitalised ("by 1.2% on ImageNet and reaches 83.4%" is no list)
_ITEMS = (r"(?:up\s+to\s+)?(?:" + NUM + r"\s+(?:on|in|for)\s+(?:the\s+)?[\w.-]+(?:\s+{word}){{0,2}}{lazy}"
          r"\s*,?\s*(?:and\s+)?){times}$")
_GAIN_ITEMS_BEFORE = re.compile(rf"\b{_CHANGE}\s+(?:of|by)\s+" + _ITEMS.format(word=r"[\w.-]+", lazy="?", times="*"),
                                re.IGNORECASE)
_GAIN_BY_ITEMS_BEFORE = re.compile(r"\bby\s+" + _ITEMS.format(word=r"(?-i:[A-Z0-9])[\w.-]*", lazy="", times="+"),
                                   re.IGNORECASE)
# what after the last number of a list makes every number of it a difference ("1.9%, 1.3% and
# 3.6% higher accuracy"; an efficiency unit too: "reduces 40.0% and 56.7% FLOPs"), and what before
# the first one does ("by 8.7% and 4.6%", "improvements of 14.4%, 18.2% and 13.1% mAP")
_LIST_GAIN_AFTER = re.compile(
    r"^\s?(?:\\?%|percent)?\s*(?:[\w-]+\s+){0,2}?(?:higher|lower|better|worse|more|less|fewer|"
    r"improvements?|gains?|drops?|increases?|decreases?|reductions?|boosts?)\b", re.IGNORECASE)
_LIST_GAIN_BEFORE = re.compile(rf"(?:\bby|\b{_CHANGE}\s+(?:in\s+(?:[\w-]+\s+){{1,3}}?)?of|"
                               r"\b(?:reduc|increas|decreas|sav|cut)\w*)\s+(?:only\s+|just\s+|merely\s+|up\s+to\s+)?$", re.IGNORECASE)
# "3.3 mAP points", "2 AP pts": a difference in points of a metric
_POINTS_AFTER = re.compile(r"^\s*(?:\\?%)?\s*(?:[\w-]+\s+){1,2}(?:points?|pts|pp)\b", re.IGNORECASE)
# "by up to 5.7% (3.3 mAP)": a number in brackets right after another restates it
_RESTATED = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?:\\?%|percent)?\s*\(\s*$")
LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or|vs\.?|/|\|)\s*$", re.IGNORECASE)


@dataclass
class Number:
    """A candidate score: where it is and what the decisions found about it."""

    text: str          # the number as written, without unit ("83.4")
    start: int         # offsets in the sentence
    end: int           # (after the percent sign, when there is one)
    percent: bool
    group: int         # index of its slash group (numbers written "a/b" share one)
    slot: int          # its place in the slash group


@dataclass(frozen=True)
class Span:
    """A name in a sentence beside its numbers: a dataset, a metric or a method."""

    name: str
    start: int
    end: int
    label: str = ""    # the vocabulary's label, when known


def _all_numbers(text: str) -> list[Number]:
    out: list[Number] = []
    for gi, m in enumerate(_GROUP.finditer(text)):
        for slot, v in enumerate(re.finditer(rf"{NUM}", m.group("g"))):
            raw = v.group(0)
            value = VALUE.match(raw.replace(". ", ".")).group(0)
            start = m.start("g") + v.start()
            out.append(Number(value, start, start + len(raw), "%" in raw or "percent" in raw, gi, slot))
    return out


def _is_score(n: Number, text: str, numbers: list[Number]) -> bool:
    value = float(n.text)
    if "." not in n.text and value >= 1000:
        return False     # a year, a count, a resolution
    before, after = text[:n.start], text[n.end:]
    if after[:1].isalpha() and not n.percent:
        return False     # "3rd", "5x", "1.5B"
    if (_NOT_ABSOLUTE_BEFORE.search(before[-40:]) or _GAIN_RANGE_BEFORE.search(before[-220:])
            or _GAIN_ITEMS_BEFORE.search(before[-220:]) or _GAIN_BY_ITEMS_BEFORE.search(before[-220:])
            or _PREVIOUS_BEST_BEFORE.search(before[-80:]) or _MARGIN_BEFORE.search(before[-60:])):
        return False
    if _NOT_SCORE_AFTER.match(after) or _GAIN_AFTER.match(after):
        return False
    if n.percent and value > 100 and not (_NORMALISED_BEFORE.search(before[-60:]) or _NORMALISED_AFTER.match(after)):
        return False     # (a share above the whole is a gain, unless a normalised score: "121% of human")
    if _POINTS_AFTER.match(after):
        return False
    restated = _RESTATED.search(before[-30:])
    if restated:
        first = next((m for m in numbers if m.end <= n.start and text[m.start:m.end].startswith(restated.group("n"))
                      and m.start >= n.start - 30), None)
        if first is not None and not _is_score(first, text, numbers):
            return False   # "by up to 5.7% (3.3 mAP)": the gain, restated
    return True


def number_runs(numbers: list[Number], text: str) -> list[list[Number]]:
    """Runs of numbers written as one list ("82.8%, 84.2%, and 84.6%")."""
    runs: list[list[Number]] = []
    for n in numbers:
        if runs and LIST_GAP.match(text[runs[-1][-1].end:n.start]):
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def sentence_scores(text: str) -> list[Number]:
    """The numbers of ``text`` (one sentence) that are absolute scores, in reading order."""
    numbers = _all_numbers(text)
    differences = {id(n) for run in number_runs(numbers, text) if len(run) > 1
                   and (_LIST_GAIN_AFTER.match(text[run[-1].end:]) or _NOT_SCORE_AFTER.match(text[run[-1].end:])
                        or _LIST_GAIN_BEFORE.search(text, 0, run[0].start))
                   for n in run}
    return [n for n in numbers if id(n) not in differences and _is_score(n, text, numbers)]
