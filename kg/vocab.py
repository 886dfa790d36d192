"""The domain vocabulary: datasets, methods and method families, tasks and metrics from
``ontology/vocab/*.ttl``.

The vocabulary is data (SKOS concepts with prefLabel / altLabel / broader), not code. This module
loads it once per process and answers one question fast: which known entities does a text
mention, and where.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import Any, TypeVar

from kg.text import ASCII_TOKEN_SPLIT, Token, match_key, token_spans, tokens

KGO = "https://w3id.org/kgpaper/ontology#"
MAX_ALIAS_TOKENS = 8


def ontology_dir() -> Path:
    """Where the ontology lives: $KG_ONTOLOGY_DIR; else ``kg/ontology`` in an installed wheel;
    else ``ontology/`` beside the ``kg`` package (a checkout or an editable install)."""
    env = os.environ.get("KG_ONTOLOGY_DIR")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parent
    installed = package / "ontology"
    return installed if (installed / "kg.ttl").is_file() else package.parent / "ontology"


@dataclass(frozen=True)
class Concept:
    key: str                      # IRI local name, e.g. "imagenet-1k"
    kind: str                     # "method", "dataset", "task" or "metric"
    label: str
    aliases: tuple[str, ...] = ()
    families: tuple[str, ...] = ()  # keys of broader concepts: a method's families, a task's broader tasks
    is_family: bool = False
    area: str = ""
    higher_is_better: bool | None = None   # metrics: which way is better (None: not a metric)
    benchmark_for: tuple[str, ...] = ()    # datasets: keys of the tasks it is a standard benchmark for
    # the label alone also names other things ("MARS", "Spider"): text must use an alias ("MARS
    # dataset"); a whole name equal to the label still resolves to it (lookup())
    ambiguous_label: bool = False
    # metrics: labels that name it only beside a score ("an MAE of 0.31"; elsewhere MAE is a method)
    score_labels: tuple[str, ...] = ()


# What a lookup or find without a kind may answer: the entities extractors name (tasks and metrics
# are asked for by kind, so adding them changed no method or dataset answer).
ENTITY_KINDS = frozenset({"method", "dataset"})


@dataclass(frozen=True)
class Mention:
    concept: Concept
    surface: str
    start: int
    end: int


def _case_sensitive(alias: str, kind: str) -> bool:
    """All-caps names ("IAM", "AID", "DROP", "PROTEINS") match only in capitals: "aid" is a word.
    So do short method and dataset names spelled with inner capitals ("BiT", "PiT"): "8-bit" is
    no Big Transfer. (Metrics keep matching in any case: "IOU" is IoU.)

    >>> _case_sensitive("BiT", "method"), _case_sensitive("DeiT", "method"), _case_sensitive("mIoU", "metric")
    (True, False, False)
    """
    letters = re.sub(r"[^A-Za-z]", "", alias)
    if not letters:
        return False
    return letters.isupper() or (kind in ("method", "dataset") and len(letters) <= 3
                                 and any(c.isupper() for c in letters[1:]) and not letters.islower())


# the last word of a multi-word name that reads as a plural: "Faces", "Birds", "Networks" (not
# "Glass", "Corpus", "Analysis")
_PLURAL_TAIL = re.compile(r"^[a-z]{3,}(?<![siu])s$")


def singular(word: str) -> str:
    """``word`` in the singular when it reads as a plural by the rule above; case kept.

    >>> [singular(w) for w in ["Faces", "Entities", "Glass", "Corpus", "Analysis", "Text"]]
    ['Face', 'Entity', 'Glass', 'Corpus', 'Analysis', 'Text']
    """
    low = word.lower()
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    return word[:-1] if _PLURAL_TAIL.search(low) else word


_SIZE_TAIL = re.compile(r"\d+[kmb]")     # a last token "6m", "1k", "300m" (case-folded)

_V = TypeVar("_V")


class Memo(dict):
    """A memo that empties itself when full: a bound on memory, not a cache policy (the answers
    it holds are cheap to recompute; a corpus's names mostly recur within a few thousand)."""

    limit = 100_000

    def put(self, key: Any, value: _V) -> _V:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


@dataclass
class Vocabulary:
    concepts: dict[str, Concept] = field(default_factory=dict)
    # match key → [(concept, exact alnum surface for case-sensitive aliases or "")]
    index: dict[str, list[tuple[Concept, str]]] = field(default_factory=dict)
    # first token (case-folded) of any alias → the most tokens an alias starting with it has
    first_tokens: dict[str, int] = field(default_factory=dict)
    # every prefix of an index key: a window of tokens whose key is none cannot grow into a match
    key_prefixes: set[str] = field(default_factory=set, repr=False)
    # match key of an ambiguous label (Concept.ambiguous_label) → its concepts: lookup() only
    labels: dict[str, list[Concept]] = field(default_factory=dict)
    # The process-wide memos of extraction (see memo()); memos keyed on a paper's sentences live
    # on its Document (kg.extract), which passes one to find().
    _memos: dict[str, Memo] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, name: str) -> Memo:
        """The process-wide memo called ``name``: answers keyed on names or words, which recur
        across papers in any corpus (lookup()'s, the entities names resolve to, comparison
        sides). They live here, the one place for them, because most depend on the vocabulary:
        add() empties them all, and each is bounded (:class:`Memo`)."""
        memo = self._memos.get(name)
        if memo is None:
            memo = self._memos[name] = Memo()
        return memo

    def add(self, concept: Concept) -> None:
        for memo in self._memos.values():
            memo.clear()
        self.concepts[concept.key] = concept
        if concept.ambiguous_label:
            self.labels.setdefault(match_key(concept.label), []).append(concept)
        for alias in ((*concept.aliases,) if concept.ambiguous_label else (concept.label, *concept.aliases)):
            key = match_key(alias)
            if not key:
                continue
            alias_tokens = [t.text.casefold() for t in tokens(alias)]
            exact = "".join(t.text for t in tokens(alias)) if _case_sensitive(alias, concept.kind) else ""
            variants = {key: exact}
            firsts = {alias_tokens[0]}
            if re.search(r"[^aeiou]y$", key) and alias_tokens[-1].endswith("y"):
                variants[key[:-1] + "ies"] = exact[:-1] + "ies" if exact else ""   # perplexity → perplexities
                if len(alias_tokens) == 1:
                    firsts.add(alias_tokens[0][:-1] + "ies")
            elif not key.endswith("s") and not key[-1:].isdigit():
                variants[key + "s"] = exact + "s" if exact else ""   # ViT → ViTs
                if len(alias_tokens) == 1:
                    firsts.add(alias_tokens[0] + "s")
            elif (concept.kind in ("dataset", "task") and len(alias_tokens) > 1
                  and _PLURAL_TAIL.search(alias_tokens[-1])):
                # "YouTube Faces" → "YouTube Face" (not methods: "the CNN model ConvNeXt" names no CNN
                # family, while "CNN models" does)
                variants[key[:-1]] = exact[:-1]
            # a size's unit a scraped page set apart ("Human3.6 M", "ImageNet-5 K"): one token more
            reach = len(alias_tokens) + (1 if _SIZE_TAIL.fullmatch(alias_tokens[-1]) else 0)
            for first in firsts:
                self.first_tokens[first] = max(self.first_tokens.get(first, 0), reach)
            for k, ex in variants.items():
                self.key_prefixes.update(k[:j] for j in range(1, len(k) + 1))
                entries = self.index.setdefault(k, [])
                if (concept, ex) not in entries:
                    entries.append((concept, ex))

    def lookup(self, surface: str, kind: str | None = None) -> Concept | None:
        """The concept a whole name refers to ("MS-COCO" → COCO), or None. Asked for a ``kind``, a
        label too ambiguous for find() to match in running text names its concept too ("MARS" a
        dataset: the MARS dataset).

        >>> vocab = default_vocabulary()
        >>> vocab.lookup("MARS", kind="dataset").label, vocab.lookup("MARS"), vocab.find("results on MARS")
        ('MARS', None, [])
        """
        memo = self.memo("lookup")
        key = (surface, kind)
        if key in memo:
            return memo[key]
        words = token_spans(surface)[0]
        folded = "".join(words).casefold()
        found = self._resolve(folded, "".join(words), kind)
        if found is None and kind is not None:
            found = next((c for c in self.labels.get(folded, ()) if c.kind == kind), None)
        return memo.put(key, found)

    def _resolve(self, key: str, exact_surface: str, kind: str | None) -> Concept | None:
        for concept, exact in self.index.get(key, ()):
            if (concept.kind != kind) if kind else (concept.kind not in ENTITY_KINDS):
                continue
            if exact and exact != exact_surface:
                continue
            return concept
        return None

    def find(self, text: str, kind: str | None = None, offset: int = 0,
             toks: list[Token] | None = None, memo: dict | None = None) -> list[Mention]:
        """Known entities mentioned in ``text``, longest match first, left to right. ``memo``
        (a dict the caller owns, e.g. a paper's) keeps the answers for texts asked about again."""
        if toks is not None:
            spans = ([t.text for t in toks], [t.start for t in toks], [t.end for t in toks])
            return self._select(text, kind, offset, self._candidates(text, spans))
        if memo is None:
            memo = {}
        key = (text, kind)
        found = memo.get(key)
        if found is None:
            cands = memo.get(text)
            if cands is None:
                cands = memo[text] = (self._ascii_candidates(text) if text.isascii()
                                      else self._candidates(text, token_spans(text)))
            found = memo[key] = tuple(self._select(text, kind, 0, cands))
        if offset:
            return [Mention(m.concept, m.surface, m.start + offset, m.end + offset) for m in found]
        return list(found)

    def _candidates(self, text: str, spans: tuple[list[str], list[int], list[int]]) -> list:
        """What find() does not owe to ``kind``: for each token that starts some alias, the windows
        of tokens (longest first) that hang together as one name and whose key is in the index,
        as (start, end, key, exact surface, number of tokens)."""
        first = self.first_tokens
        index = self.index
        prefixes = self.key_prefixes
        words, starts, ends = spans
        low = list(map(str.casefold, words))
        count = len(words)
        out = []
        for i in compress(range(count), map(first.__contains__, low)):   # tokens that start an alias
            # Windows from token i, growing while the tokens hang together as one name (each gap
            # at most one space or punctuation run, no bracket or clause mark: "(CNN)
            # architectures" is not the name "CNN architectures") and the key can still grow
            # into an index key; found shortest first, listed longest first.
            reach = min(first[low[i]], MAX_ALIAS_TOKENS, count - i)
            windows = []
            key = ""
            n = 0
            while n < reach:
                if n:
                    gap_start, gap_end = ends[i + n - 1], starts[i + n]
                    if gap_end - gap_start > 2 or not _BREAK.isdisjoint(text[gap_start:gap_end]):
                        break
                key += low[i + n]
                n += 1
                if key in index:
                    windows.append((starts[i], ends[i + n - 1], key, "".join(words[i:i + n]), n))
                if key not in prefixes:
                    break
            if windows:
                windows.reverse()
                out.append((i, windows))
        return out

    def _ascii_candidates(self, text: str) -> list:
        """``_candidates(text, token_spans(text))`` for ASCII ``text``, from one split of the
        lower-cased text (lower() is casefold() on ASCII, and keeps every offset): no case-folding
        per word, the gaps between tokens at hand, offsets worked out only for a sentence that has
        a window (tests/test_extract_patterns.py checks both agree)."""
        first = self.first_tokens
        index = self.index
        prefixes = self.key_prefixes
        parts = ASCII_TOKEN_SPLIT.split(text.lower())   # gap, token, gap, …, token, gap
        low = parts[1::2]                                # token k is parts[2k + 1]
        count = len(low)
        offsets = None                                   # where each part starts
        out = []
        for i in compress(range(count), map(first.__contains__, low)):
            reach = min(first[low[i]], MAX_ALIAS_TOKENS, count - i)
            windows = []
            key = ""
            n = 0
            while n < reach:
                if n:
                    gap = parts[2 * (i + n)]             # between tokens i + n - 1 and i + n
                    if len(gap) > 2 or not _BREAK.isdisjoint(gap):
                        break
                key += low[i + n]
                n += 1
                if key in index:
                    if offsets is None:
                        offsets = list(accumulate(map(len, parts), initial=0))
                    exact = "".join([text[offsets[k]:offsets[k + 1]] for k in range(2 * i + 1, 2 * (i + n), 2)])
                    windows.append((offsets[2 * i + 1], offsets[2 * (i + n)], key, exact, n))
                if key not in prefixes:
                    break
            if windows:
                windows.reverse()
                out.append((i, windows))
        return out

    def _select(self, text: str, kind: str | None, offset: int, candidates) -> list[Mention]:
        """Left to right, the longest window at each token that names a concept of ``kind``;
        the tokens of a match are not looked at again."""
        found: list[Mention] = []
        after = 0   # the first token not inside a match
        for i, windows in candidates:
            if i < after:
                continue
            for start, end, key, exact, n in windows:
                concept = self._resolve(key, exact, kind)
                if concept is not None:
                    found.append(Mention(concept, text[start:end], start + offset, end + offset))
                    after = i + n
                    break
        return found

    def family_of(self, concept: Concept) -> list[Concept]:
        return [self.concepts[k] for k in concept.families if k in self.concepts]


_BREAK = frozenset("()[]{},;:")




def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def load_vocabulary(directory: str | Path | None = None) -> Vocabulary:
    """Parse every ``*.ttl`` under ``directory`` (default: ``ontology/vocab``)."""
    import rdflib
    from rdflib.namespace import RDF, SKOS

    directory = Path(directory) if directory else ontology_dir() / "vocab"
    graph = rdflib.Graph()
    for path in sorted(directory.glob("*.ttl")):
        graph.parse(path, format="turtle")
    kgo = rdflib.Namespace(KGO)
    vocab = Vocabulary()
    kinds = ((kgo.Dataset, "dataset", False), (kgo.MethodFamily, "method", True), (kgo.Method, "method", False),
             (kgo.Task, "task", False), (kgo.Metric, "metric", False))
    seen: set = set()
    for cls, kind, is_family in kinds:
        for node in sorted(graph.subjects(RDF.type, cls)):
            if node in seen:
                continue
            seen.add(node)
            label = graph.value(node, SKOS.prefLabel)
            if label is None:
                continue
            aliases = tuple(sorted(str(a) for a in graph.objects(node, SKOS.altLabel)))
            families = tuple(sorted(_local(str(b)) for b in graph.objects(node, SKOS.broader)))
            area = graph.value(node, kgo.area)
            higher = graph.value(node, kgo.higherIsBetter)
            tasks = tuple(sorted(_local(str(t)) for t in graph.objects(node, kgo.benchmarkFor)))
            ambiguous = graph.value(node, kgo.ambiguousLabel)
            score_labels = tuple(sorted(str(a) for a in graph.objects(node, kgo.scoreLabel)))
            vocab.add(Concept(_local(str(node)), kind, str(label), aliases, families, is_family,
                              str(area) if area else "",
                              bool(higher.toPython()) if higher is not None else None, tasks,
                              ambiguous is not None and bool(ambiguous.toPython()), score_labels))
    return vocab


@lru_cache(maxsize=4)
def default_vocabulary(directory: str | None = None) -> Vocabulary:
    """The vocabulary, loaded once per process."""
    return load_vocabulary(directory)
