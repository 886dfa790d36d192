"""The domain vocabulary: datasets, methods and method families from ``ontology/vocab/*.ttl``.

The vocabulary is data (SKOS concepts with prefLabel / altLabel / broader), not code. This module
loads it once per process and answers one question fast: which known entities does a text
mention, and where.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.text import Token, match_key, tokens

KGO = "https://w3id.org/kgpaper/ontology#"
MAX_ALIAS_TOKENS = 8


def ontology_dir() -> Path:
    """Where the ontology lives: $KG_ONTOLOGY_DIR, else ``ontology/`` beside the ``kg`` package."""
    env = os.environ.get("KG_ONTOLOGY_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "ontology"


@dataclass(frozen=True)
class Concept:
    key: str                      # IRI local name, e.g. "imagenet-1k"
    kind: str                     # "method" or "dataset"
    label: str
    aliases: tuple[str, ...] = ()
    families: tuple[str, ...] = ()  # keys of broader method families
    is_family: bool = False
    area: str = ""


@dataclass(frozen=True)
class Mention:
    concept: Concept
    surface: str
    start: int
    end: int


def _case_sensitive(alias: str) -> bool:
    """All-caps names ("IAM", "AID", "DROP", "PROTEINS") match only in capitals: "aid" is a word."""
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return bool(letters) and letters.isupper()


@dataclass
class Vocabulary:
    concepts: dict[str, Concept] = field(default_factory=dict)
    # match key → [(concept, exact alnum surface for case-sensitive aliases or "")]
    index: dict[str, list[tuple[Concept, str]]] = field(default_factory=dict)
    # first token (case-folded) of any alias → the most tokens an alias starting with it has
    first_tokens: dict[str, int] = field(default_factory=dict)

    def add(self, concept: Concept) -> None:
        self.concepts[concept.key] = concept
        for alias in (concept.label, *concept.aliases):
            key = match_key(alias)
            if not key:
                continue
            alias_tokens = [t.text.casefold() for t in tokens(alias)]
            exact = "".join(t.text for t in tokens(alias)) if _case_sensitive(alias) else ""
            variants = {key}
            firsts = {alias_tokens[0]}
            if not key.endswith("s") and not key[-1:].isdigit():
                variants.add(key + "s")        # ViT → ViTs
                if len(alias_tokens) == 1:
                    firsts.add(alias_tokens[0] + "s")
            for first in firsts:
                self.first_tokens[first] = max(self.first_tokens.get(first, 0), len(alias_tokens))
            for k in variants:
                entries = self.index.setdefault(k, [])
                ex = exact if k == key else (exact + "s" if exact else "")
                if (concept, ex) not in entries:
                    entries.append((concept, ex))

    def lookup(self, surface: str, kind: str | None = None) -> Concept | None:
        """The concept a whole name refers to ("MS-COCO" → COCO), or None."""
        return self._resolve(match_key(surface), "".join(t.text for t in tokens(surface)), kind)

    def _resolve(self, key: str, exact_surface: str, kind: str | None) -> Concept | None:
        for concept, exact in self.index.get(key, ()):
            if kind and concept.kind != kind:
                continue
            if exact and exact != exact_surface:
                continue
            return concept
        return None

    def find(self, text: str, kind: str | None = None, offset: int = 0,
             toks: list[Token] | None = None) -> list[Mention]:
        """Known entities mentioned in ``text``, longest match first, left to right."""
        toks = tokens(text) if toks is None else toks
        low = [t.text.casefold() for t in toks]
        found: list[Mention] = []
        i = 0
        while i < len(toks):
            hit = None
            longest = self.first_tokens.get(low[i], 0)
            for n in range(min(longest, MAX_ALIAS_TOKENS, len(toks) - i), 0, -1):
                window = toks[i:i + n]
                # Tokens of one name are separated by at most one space or punctuation run.
                if any(window[j + 1].start - window[j].end > 2
                       or _BREAK.search(text, window[j].end, window[j + 1].start) for j in range(n - 1)):
                    continue  # "(CNN) architectures" is not the name "CNN architectures"
                key = "".join(low[i:i + n])
                if key not in self.index:
                    continue
                concept = self._resolve(key, "".join(t.text for t in window), kind)
                if concept is not None:
                    hit = (concept, window)
                    break
            if hit is None:
                i += 1
                continue
            concept, window = hit
            start, end = window[0].start, window[-1].end
            found.append(Mention(concept, text[start:end], start + offset, end + offset))
            i += len(window)
        return found

    def family_of(self, concept: Concept) -> list[Concept]:
        return [self.concepts[k] for k in concept.families if k in self.concepts]


_BREAK = re.compile(r"[()\[\]{},;:]")


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
    kinds = ((kgo.Dataset, "dataset", False), (kgo.MethodFamily, "method", True), (kgo.Method, "method", False))
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
            vocab.add(Concept(_local(str(node)), kind, str(label), aliases, families, is_family,
                              str(area) if area else ""))
    return vocab


@lru_cache(maxsize=4)
def default_vocabulary(directory: str | None = None) -> Vocabulary:
    """The vocabulary, loaded once per process."""
    return load_vocabulary(directory)
