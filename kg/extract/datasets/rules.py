"""paper → evaluatesOn → dataset.

Known datasets come from the vocabulary (``ontology/vocab/datasets.ttl``) with their aliases;
unknown ones from patterns ("on the X dataset", "X and Y datasets", "the X benchmark").
A dataset named only as pre-training or training data is not evaluated on.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract import Document
from kg.extract.names import NAME_CHARS, NOT_NAMES, STOPWORDS, WORD, acronym_matches, is_namey, lexicon
from kg.extract.prefilter import prefilter
from kg.extract.proposes import own_names
from kg.records import Extraction
from kg.text import Caseless, Sentence
from kg.vocab import Mention

# what stands between a training verb and the dataset: "pretrained on larger datasets (e.g. X)"
_TRAINED_ON = (r"\b[^.;]{0,25}?\b(?:on|with|using|from|of)\s+(?:the\s+)?"
               r"(?:(?:large-scale|larger|large|bigger|extra|additional|external)\s+)*"
               r"(?:(?:datasets?|data|corpus|corpora)\s+)?(?:\(\s*(?:e\.g\.|\\eg|such\s+as)[,\s]*)?$")
# words that say pre-training outright, and words that may also mean the training a paper
# evaluates ("trained on ImageNet-1K from scratch")
_PRETRAIN_WORDS = r"pre-?train(?:ed|ing)?|distill(?:ed)?\s+from|initiali[sz]ed|transfer(?:red)?\s+from"
_PRETRAIN_BEFORE = re.compile(r"(?:" + _PRETRAIN_WORDS + r"|trained|training\s+(?:data|set)|learned|collected|crawled)"
                              + _TRAINED_ON, re.IGNORECASE)
_EXPLICIT_PRETRAIN_BEFORE = re.compile(r"(?:" + _PRETRAIN_WORDS + r")" + _TRAINED_ON, re.IGNORECASE)
_PRETRAIN_AFTER = re.compile(r"^\W{0,3}(?:pre-?train(?:ed|ing)|pretrain|weights|initiali[sz]ation|-based pre)",
                             re.IGNORECASE)
# "trained on MS MARCO and evaluated zero-shot on BEIR": training data, as its own sentence says
_TRAINED_BEFORE = re.compile(r"\btrained\s+(?:only\s+|solely\s+)?(?:on|using|with)\s+(?:the\s+)?$", re.IGNORECASE)
_TESTED_AFTER = re.compile(r"[^.;]{0,60}?\b(?:and|then|but)\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:\w+\s+)?"
                           r"(?:evaluat|test|transferr)\w*\s+(?:[\w-]+\s+)?(?:on|to)\b", re.IGNORECASE)
_EVAL_CUE = Caseless.compile(
    r"\b(?:evaluat|experiment|test|benchmark|achiev|obtain|report|result|outperform|surpass|"
    r"accuracy|map|ap\b|miou|top-?1|score|state-of-the-art|sota|validat|fine-?tun|perform)",
)
# what every match holds (kg.extract.prefilter): a sentence without it is not scanned
_EVAL_CUE_GATE = prefilter(_EVAL_CUE.pattern)
# "on the X dataset", "X and Y datasets", "the X benchmark", "X data set"
_SET_NOUN = Caseless.compile(r"\b(?:dataset|datasets|data\s+sets?|benchmark|benchmarks|database|corpus|challenge)\b")
_SET_NOUN_GATE = prefilter(_SET_NOUN.pattern)
_NAMES_BEFORE = re.compile(r"(?:" + WORD + r")(?:(?:\s*,\s*|\s+and\s+|\s+)(?:" + WORD + r")){0,6}\s+$")
_RUN = re.compile(r"[" + NAME_CHARS + r"]+")   # one word of a name at most (names.WORD)
_RUN_LEAD = "-+'’./"                          # ... which starts at the run's first letter or digit


def _names_before(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_NAMES_BEFORE.search(text, start, end)``, trying only the places a match can start.

    The search would try every character of the window (~90 µs a noun). A match is at most seven
    names (whole runs of name characters) joined by spaces, commas and "and", up to ``end``; so it
    starts at the first letter or digit of a run (a run failing there fails at its later
    characters too), past the last character that is no name, space or comma, and among the
    runs that leave at most seven that are not "and". Those starts are tried left to right.
    """
    window = text[start:end]
    runs = list(_RUN.finditer(window))
    first, names, after = len(runs), 0, len(window)
    for k in range(len(runs) - 1, -1, -1):
        run = runs[k]
        if window[run.end():after].replace(",", "").strip():
            break   # something that is not a space or a comma: no match spans it
        if run.group() != "and":
            names += 1
            if names > 7:
                break
        first, after = k, run.start()
    for run in runs[first:]:
        word = run.group()
        lead = len(word) - len(word.lstrip(_RUN_LEAD))
        if lead < len(word):
            m = _NAMES_BEFORE.match(text, start + run.start() + lead, end)
            if m:
                return m
    return None


# words that name no dataset in front of a dataset noun ("the large-scale public | benchmark")
_GENERIC_SET_WORDS = STOPWORDS | lexicon("generic_set_words")

# a preposition in front of the name next to the noun ends the list there
_PREPOSITION = re.compile(r"\b(?:on|in|of|for|with|from|at|over|across|to|by|than|against|using)\b", re.IGNORECASE)

_JOINED_BEFORE = re.compile(r"[A-Za-z0-9]-$")
_JOINED_AFTER = re.compile(r"-[A-Z0-9]")


def joined_to_a_name(text: str, start: int, end: int) -> bool:
    """Whether the dataset name at ``text[start:end]`` is joined by a hyphen to a name part:
    "Twins-SVT", "SVT-H-S" name models, not the Street View Text dataset."""
    return bool(_JOINED_BEFORE.search(text, max(0, start - 2), start) or _JOINED_AFTER.match(text, end))


def is_pretraining(sentence: Sentence, start: int, end: int, text: str, explicit: bool = False) -> bool:
    """Whether the dataset mention at ``text[start:end]`` reads as pre-training data: "pretrained on
    larger datasets (e.g. ImageNet-22k)", "after ImageNet-22K pre-training". ``explicit``: only
    where the words say pre-training outright ("trained on X" may be the training of the model
    evaluated on X)."""
    before = text[max(0, start - 90):start]
    after = text[end:end + 25]
    pattern = _EXPLICIT_PRETRAIN_BEFORE if explicit else _PRETRAIN_BEFORE
    if explicit and _TRAINED_BEFORE.search(before) and _TESTED_AFTER.match(text, end, sentence.end):
        return True
    return bool(pattern.search(before) or _PRETRAIN_AFTER.search(after))


def _has_eval_cue(sentence: Sentence, doc: Document) -> bool:
    """Memoised per document, like :func:`unknown_dataset_names`."""
    memo = doc.memo("eval_cue")
    hit = memo.get(sentence)   # (one look-up: a Sentence hashes in Python)
    if hit is None:
        hit = memo[sentence] = (_EVAL_CUE_GATE.admits(doc.word_heads(sentence.text), sentence.text)
                                and _EVAL_CUE.search(sentence.text) is not None)
    return hit


def _per_sentence(doc: Document, sentence: Sentence, scan) -> list[tuple[str, int, int]]:
    """``scan(sentence, doc)`` as a list, memoised on the document under the scan's name."""
    memo = doc.memo(scan.__name__)
    hit = memo.get(sentence)
    if hit is None:
        hit = memo[sentence] = list(scan(sentence, doc))
    return hit


def unknown_dataset_names(sentence: Sentence, doc: Document) -> list[tuple[str, int, int]]:
    """Memoised per document: both dataset_names() and the extractor ask for every sentence."""
    return _per_sentence(doc, sentence, _scan_unknown_dataset_names)


def _scan_unknown_dataset_names(sentence: Sentence, doc: Document) -> Iterator[tuple[str, int, int]]:
    text = sentence.text
    if not _SET_NOUN_GATE.admits(doc.word_heads(text), text):
        return
    for noun in _SET_NOUN.finditer(text):   # (a Caseless pattern: use only the span of noun)
        # look back from "dataset(s)/benchmark" for the names in front of it
        window_start = max(0, noun.start() - 120)
        m = _names_before(text, window_start, noun.start())
        if not m:
            continue
        chunk = m.group()
        parts = [p for p in _NAME_SEP.split(chunk.strip()) if p]
        names: list[str] = []
        for i, part in enumerate(reversed(parts)):
            ws = part.split()
            # the part next to the noun keeps its trailing name words ("widely-used YCB-V" → "YCB-V");
            # the parts coordinated before it must be names as a whole ("IAM and HWDB datasets")
            name_words: list[str] = []
            for w in reversed(ws):
                if w.lower() in _GENERIC_SET_WORDS or not (is_namey(w) or w[:1].isupper()):
                    break
                name_words.insert(0, w)
            title_case = len(name_words) >= 2 and all(w.lower() not in STOPWORDS for w in name_words)
            if not name_words or not (any(is_namey(w) for w in name_words) or title_case):
                break   # "Foggy Driving and Foggy Zurich benchmarks": two Title-Case words are a name
            if i and len(name_words) < len(ws) and not (
                    i == len(parts) - 1 and ws[-len(name_words) - 1].lower() in {"the", "on", "of", "and", "both"}):
                break   # a coordinated part must be a name as a whole, but the first may follow "on the"
            names.append(" ".join(name_words))
            if i == 0 and _PREPOSITION.search(" ".join(ws[:len(ws) - len(name_words)])):
                break   # "compared with ViT, MPCFormer and THE-X on the Tiny-ImageNet dataset": the
                # list before the preposition is another phrase's, not the dataset's
        # "the Music Demixing Challenge", "the Stanford Question Answering Dataset": a capitalised
        # noun right after the name belongs to it
        noun_word = text[noun.start():noun.end()]
        whole = (names and noun_word[:1].isupper() and " " not in noun_word
                 and text[m.start():noun.start()].rstrip().endswith(names[0]))
        for name in reversed(names):
            start = text.find(name, m.start())
            end = start + len(name)
            if whole and name is names[0]:
                name, end = f"{name} {noun_word}", noun.end()
            yield name, sentence.start + start, sentence.start + end


# "results on ImageNav and ObjectNav", "SOTA on Galaxy10 DECals": names right after on/across
_ON_NAMES = re.compile(
    r"\b(?:on|across|over)\s+(?:the\s+)?(?:(?:challenging|popular|standard|widely[- ]used|large-scale|public|"
    r"real-world|benchmark|recent)\s+)*(?P<names>(?:" + WORD + r")(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:" + WORD + r")){0,6})"
)
_ON_NAMES_GATE = prefilter(_ON_NAMES)
# "a 2% improvement over LiTv2", "gains in accuracy over Strong-Weak": over a rival, not a dataset
# (unless the names are called data: "increase in accuracy over UCF-50 and YouTube 11 datasets")
_RIVAL_BEFORE_OVER = re.compile(r"\b(?:improv\w*|gains?|advantages?|boosts?|margins?|speed-?ups?|increases?|"
                                r"superior\w*|outperform\w*|better|lead)\s+(?:[\w%.@/+\\-]+\s+){0,5}?$", re.IGNORECASE)   # ("NDCG@20")
_CALLED_DATA = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:datasets?|benchmarks?|corpus|corpora|splits?)\b", re.IGNORECASE)

_NAME_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")    # (compiled once: used per sentence)
_NOT_A_DATASET = re.compile(r"\d+[A-Za-z]{0,2}|[A-Z]\d*|top-?\d+|(?:approx|sim|times|pm)\d.*", re.IGNORECASE)
_DIRECTION = re.compile(r"[A-Z][a-z]+-to-[A-Z][a-z]+")
_WORD_RE = re.compile(WORD)


def plausible_dataset_name(name: str) -> bool:
    core = name.strip()
    if not core or core.casefold() in NOT_NAMES or not any(c.isalpha() for c in core):
        return False
    if _NOT_A_DATASET.fullmatch(core):
        return False  # "2D", "4K", "top-1"
    if _DIRECTION.fullmatch(core):
        return False  # "English-to-German" (a translation direction), "Image-to-Image"
    return True


def names_after_on(sentence: Sentence, doc: Document) -> list[tuple[str, int, int]]:
    """Memoised per document: both dataset_names() and the extractor ask for a sentence with a cue."""
    return _per_sentence(doc, sentence, _scan_names_after_on)


def _scan_names_after_on(sentence: Sentence, doc: Document) -> Iterator[tuple[str, int, int]]:
    text = sentence.text
    if not _ON_NAMES_GATE.admits(doc.word_heads(text), text):
        return
    for m in _ON_NAMES.finditer(text):
        if (m.group()[:4].lower() == "over" and _RIVAL_BEFORE_OVER.search(text, max(0, m.start() - 80), m.start())
                and not _CALLED_DATA.match(text, m.end())):
            continue
        items = [p for p in _WORD_RE.finditer(m.group("names")) if p.group().lower() not in ("and", "the")]
        # the names run to the first word that is not one; a capitalised word counts when it is
        # listed with one that is ("on Caltech, INRIA, and ETH")
        listed = len(items) > 1 and any(is_namey(p.group()) for p in items)
        for part in items:
            word = part.group()
            if not (is_namey(word) or (listed and word[:1].isupper() and word[1:].islower())):
                break
            start = m.start("names") + part.start()
            yield word, sentence.start + start, sentence.start + start + len(word)


def dataset_names(doc: Document) -> set[str]:
    """Case-folded names the paper uses for datasets (known or found by pattern), in any role.

    The comparison extractor uses it so that "ImageNet-1K" never becomes a method.
    """
    if "dataset_names" not in doc.cache:
        names = set()
        for sentence in doc.abstract_sentences:
            names.update(m.surface.casefold() for m in doc.find(sentence.text, kind="dataset"))
            names.update(n.casefold() for n, _, _ in unknown_dataset_names(sentence, doc))
            if _has_eval_cue(sentence, doc):
                names.update(n.casefold() for n, _, _ in names_after_on(sentence, doc)
                             if not doc.vocab.lookup(n, kind="method"))
        doc.cache["dataset_names"] = names
    return doc.cache["dataset_names"]


# "CIFAR-10/100", "Kinetics-400/600", "Something-Something V1/V2", "VOC2007/2012": a known name's
# last part and, after a slash, the part that names its sibling
_SLASH_SIBLING = re.compile(r"/(?P<part>[A-Za-z]{0,2}\d+[A-Za-z]?)(?![\w/])")
_LAST_PART = re.compile(r"(?:(?<=[\s_-])[A-Za-z]{1,2})?\d+[A-Za-z]?$")
# "KITTI 2012 and 2015", "PASCAL VOC 2007, 2010 and 2012": the later parts of a listed edition
# (a list that ends in "and"; each part ends at a clause mark or a word that names data)
_LISTED_SIBLINGS = re.compile(
    r"(?:\s*,\s*[A-Za-z]{0,2}\d+[A-Za-z]?)*\s*,?\s+and\s+[A-Za-z]{0,2}\d+[A-Za-z]?"
    r"(?=\s*(?:[.,;:)\]]|$)|\s+(?:datasets?|benchmarks?|challenges?|sets?|test|val|validation|splits?|respectively)\b)")
_PART = re.compile(r"[A-Za-z]{0,2}\d+[A-Za-z]?")


_CLOSING_BRACKET = re.compile(r"\s?\)")
_BEFORE_BRACKET = re.compile(r"((?:[\w-]+\s+){0,4}[\w-]+)\s*\(\s*$")


def _abbreviates_a_task(doc: Document, m: Mention) -> bool:
    """Whether the mention is a task's short form in brackets after its long form, which it spells
    (:func:`kg.extract.names.acronym_matches`): "Visual question answering (VQA) models" name the
    task, not the VQA dataset, while "image captioning (COCO-Captions)" names its dataset."""
    if not _CLOSING_BRACKET.match(doc.text, m.end):
        return False
    before = _BEFORE_BRACKET.search(doc.text, max(0, m.start - 80), m.start)
    if before is None:
        return False
    ws = before.group(1).split()
    return any(acronym_matches(m.surface, long_) and doc.vocab.lookup(long_, kind="task") is not None
               for i in range(len(ws)) if (long_ := " ".join(ws[i:])))


def dataset_mentions(doc: Document, sentence: Sentence) -> list[Mention]:
    """The known datasets a sentence names (spans in the document), each sibling written after a
    slash or listed after it too ("CIFAR-10/100" names CIFAR-100, at "100"; "KITTI 2012 and 2015"
    names KITTI 2015) when the vocabulary knows it.

    >>> from kg.records import Paper
    >>> from kg.vocab import default_vocabulary
    >>> doc = Document(Paper(title="T", abstract="We test on CIFAR10/100, Kinetics-400/600 and "
    ...                                              "Something-Something V1/V2, and KITTI 2012 and 2015."),
    ...           default_vocabulary())
    >>> [m.concept.label for m in dataset_mentions(doc, doc.abstract_sentences[0])]
    ['CIFAR-10', 'CIFAR-100', 'Kinetics-400', 'Kinetics-600', 'Something-Something V1', 'Something-Something V2', 'KITTI 2012', 'KITTI 2015']
    """
    found = doc.find(sentence.text, kind="dataset", offset=sentence.start)
    out = []
    for m in found:
        if _abbreviates_a_task(doc, m):
            continue
        out.append(m)
        last = _LAST_PART.search(m.surface)
        if last is None or not m.surface[:last.start()].strip():
            continue
        slash = _SLASH_SIBLING.match(doc.text, m.end)
        listed = _LISTED_SIBLINGS.match(doc.text, m.end, sentence.end)
        parts = ([(slash.start("part"), slash.end("part"))] if slash is not None else
                 [p.span() for p in _PART.finditer(doc.text, listed.start(), listed.end())] if listed is not None else [])
        for start, end in parts:
            name = m.surface[:last.start()] + doc.text[start:end]
            concept = doc.vocab.lookup(name, kind="dataset")
            if concept is not None and concept.key != m.concept.key:
                out.append(Mention(concept, name, start, end))
    return out


def rule_datasets(doc: Document) -> Iterator[Extraction]:
    """The datasets the rules keep: evaluation context, no pre-training (the learned decision's
    strongest feature)."""
    seen: dict[str, Extraction] = {}
    proposals = {p.casefold() for p in own_names(doc)}
    for sentence in doc.abstract_sentences:
        text = doc.text
        mentions = dataset_mentions(doc, sentence)
        cue = _has_eval_cue(sentence, doc)
        candidates = [(m.surface, m.start, m.end, m.concept.label, 0.9 if cue else 0.75) for m in mentions]
        covered = [(m.start, m.end) for m in mentions]
        unknown = [(n, s, e, 0.7 if cue else 0.6) for n, s, e in unknown_dataset_names(sentence, doc)]
        if cue:
            unknown += [(n, s, e, 0.6) for n, s, e in names_after_on(sentence, doc)]
        for name, start, end, confidence in unknown:
            if any(s <= start < e or s < end <= e for s, e in covered):
                continue
            if (name.casefold() in proposals or doc.vocab.lookup(name, kind="method")
                    or doc.vocab.lookup(name, kind="task") or not plausible_dataset_name(name)):
                continue
            covered.append((start, end))
            candidates.append((name, start, end, name, confidence))
        for surface, start, end, label, confidence in candidates:
            if is_pretraining(sentence, start, end, text):
                continue
            key = label.casefold()
            if key in seen:
                continue
            seen[key] = Extraction(
                paper_key=doc.paper.key,
                subject=doc.paper.title,
                subject_kind="paper",
                predicate="evaluatesOn",
                object=surface,
                object_kind="dataset",
                evidence=doc.evidence(sentence),
                extractor="datasets/vocabulary" if label != surface or doc.vocab.lookup(surface) else "datasets/pattern",
                confidence=confidence,
            )
    yield from seen.values()
