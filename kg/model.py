"""Plain data that flows between pipeline stages.

Nothing here imports rdflib: readers and extractors produce these frozen dataclasses, and only
:mod:`kg.rdf` turns them into RDF.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Predicate = Literal["proposes", "evaluatesOn", "comparesTo"]
Outcome = Literal["outperforms", "comparable", "underperforms", "compared"]
EntityKind = Literal["paper", "method", "dataset"]

PREDICATES: tuple[str, ...] = ("proposes", "evaluatesOn", "comparesTo")
OUTCOMES: tuple[str, ...] = ("outperforms", "comparable", "underperforms", "compared")


def normalise_title(title: str) -> str:
    """The key under which two listings of the same paper meet.

    >>> normalise_title("  VOLO:  Vision Outlooker ") == normalise_title("volo: vision outlooker")
    True
    """
    t = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"\s+", " ", t).strip()


def paper_key(title: str) -> str:
    """Deterministic short key of a paper, derived from its normalised title."""
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class SourceRef:
    """Where an entry was read: file path, 1-based line (0 when unknown), reader name."""

    path: str
    line: int = 0
    reader: str = ""


@dataclass(frozen=True)
class Paper:
    """One paper as read from a listing. Optional metadata is empty when the source lacks it."""

    title: str
    abstract: str
    source: SourceRef = field(default_factory=lambda: SourceRef(""))
    id: str = ""                      # the source's own id (arXiv id, S2 id, ...)
    url: str = ""
    date: str = ""                    # ISO 8601 (YYYY-MM-DD or YYYY-MM) when known
    authors: tuple[str, ...] = ()
    arxiv_id: str = ""                # unversioned, e.g. "2106.13112"
    doi: str = ""                     # lower-case, no "https://doi.org/" prefix
    categories: tuple[str, ...] = ()  # e.g. ("cs.CV", "cs.LG")
    links: tuple[str, ...] = ()
    venue: str = ""

    @property
    def key(self) -> str:
        return paper_key(self.title)


@dataclass(frozen=True)
class SkippedEntry:
    """An entry a reader could not turn into a Paper, with the reason (never dropped silently)."""

    source: SourceRef
    reason: str


@dataclass(frozen=True)
class Evidence:
    """The sentence that supports a triple and its character span in title + abstract text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """One extracted triple with its provenance.

    ``subject`` / ``object`` are surface forms as written in the paper (the paper's title for a
    paper subject); normalisation into entities happens later, in :mod:`kg.normalize`.
    """

    paper_key: str
    subject: str
    subject_kind: EntityKind
    predicate: Predicate
    object: str
    object_kind: EntityKind
    evidence: Evidence
    extractor: str
    confidence: float
    outcome: Outcome | None = None
    object_aliases: tuple[str, ...] = ()   # other names the paper gives the object ("VOLO" → "Vision Outlooker")
    subject_aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.predicate not in PREDICATES:
            raise ValueError(f"unknown predicate {self.predicate!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} outside [0, 1]")
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")


@dataclass(frozen=True)
class Entity:
    """A normalised method or dataset: one node per real-world entity."""

    key: str                 # slug used in the IRI, stable across runs
    kind: EntityKind
    label: str               # canonical name
    family_keys: tuple[str, ...] = ()   # for methods: keys of the families it belongs to
    is_family: bool = False
    in_vocabulary: bool = False


@dataclass(frozen=True)
class Fact:
    """An extraction resolved to entities: what :mod:`kg.rdf` writes."""

    paper: Paper
    subject: Entity | None     # None: the subject is the paper itself
    predicate: Predicate
    object: Entity
    extraction: Extraction
