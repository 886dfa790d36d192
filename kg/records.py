"""Plain data that flows between pipeline stages.

Nothing here imports rdflib: readers and extractors produce these frozen dataclasses, and only
:mod:`kg.graph` turns them into RDF.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Predicate = Literal["proposes", "evaluatesOn", "comparesTo", "addressesTask", "reportsResult"]
Outcome = Literal["outperforms", "comparable", "underperforms", "compared"]
EntityKind = Literal["paper", "method", "dataset", "task", "metric"]

PREDICATES: tuple[str, ...] = ("proposes", "evaluatesOn", "comparesTo", "addressesTask", "reportsResult")

# A result's value: a plain decimal number as written, without unit or sign ("83.4", "0.912", "98").
_RESULT_VALUE = re.compile(r"\d+(?:\.\d+)?|\.\d+")
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


# Latin letters that NFKD does not split into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i",
                               "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d"})
_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """Accents dropped, special Latin letters spelt out, case folded: "Łukasz Müller" → "lukasz muller"."""
    if text.isascii():    # nearly every title: nothing to decompose
        return text.casefold()
    t = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in t if not unicodedata.combining(c)).casefold()


def match_title(title: str) -> str:
    r"""A looser title key, used only to recognise one paper arriving from several sources: LaTeX
    commands, punctuation, spacing, accents and case are ignored (the paper IRI keeps
    :func:`paper_key`, so existing IRIs do not move).

    >>> match_title("$\\mathcal{O}(n)$ Attention: Vision-Transformers") == match_title("O(n) attention — vision transformers")
    True
    """
    return _NOT_ALNUM.sub("", _fold(_LATEX_COMMAND.sub("", title)))


def display_name(name: str) -> str:
    """A person's name in reading order: "Müller, Jörg" → "Jörg Müller", "von Last, Jr, First" →
    "First von Last Jr"; other names are only trimmed.

    >>> display_name("Touvron, Hugo"), display_name("Hugo Touvron"), display_name("Doe, Jr., John")
    ('Hugo Touvron', 'Hugo Touvron', 'John Doe Jr.')
    """
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        name = f"{parts[1]} {parts[0]}"
    elif len(parts) == 3 and parts[0] and parts[2]:
        name = f"{parts[2]} {parts[0]} {parts[1]}"
    return " ".join(name.split())


def normalise_name(name: str) -> str:
    """The key under which two spellings of one author meet: reading order, no accents, no
    punctuation, case folded.

    >>> normalise_name("Müller, Jörg-Peter") == normalise_name("Jorg Peter MULLER")
    True
    """
    return " ".join(_NOT_ALNUM.sub(" ", _fold(display_name(name))).split())


def author_key(name: str) -> str:
    """Deterministic IRI path segment of an author, from the normalised name ("" when the name has
    no letter or digit). Latin names read as slugs; other scripts are percent-encoded UTF-8.

    >>> author_key("Łukasz Kaiser"), author_key("Kaiser, Lukasz")
    ('lukasz-kaiser', 'lukasz-kaiser')
    """
    from urllib.parse import quote

    return quote(normalise_name(name).replace(" ", "-"), safe="-")


def paper_ids(paper: "Paper") -> tuple[str, ...]:
    """The identifiers by which one paper from several sources is recognised, strongest first:
    arXiv id, DOI, loose title (:func:`match_title`)."""
    ids = []
    if paper.arxiv_id:
        ids.append("arxiv:" + re.sub(r"v\d+$", "", paper.arxiv_id.strip()).casefold())
    if paper.doi:
        ids.append("doi:" + paper.doi.strip().casefold())
    title = match_title(paper.title)
    if title:
        ids.append("title:" + title)
    return tuple(ids)


def merge_papers(first: "Paper", other: "Paper") -> "Paper":
    """``first`` completed with what ``other`` (the same paper from another source) adds.

    The first source's title, abstract, source and every field it has win (the graph allows one
    value for each); empty fields are filled from ``other``; categories and links are united.
    Authors are taken from ``other`` only when ``first`` has none: two sources spell names
    differently ("L. Yuan", "Li Yuan") and uniting the lists would double the people.
    """
    changes: dict = {}
    for f in dataclasses.fields(first):
        if f.name in ("title", "abstract", "source"):
            continue
        mine, theirs = getattr(first, f.name), getattr(other, f.name)
        if f.name in ("categories", "links"):
            united = tuple(dict.fromkeys(mine + theirs))
            if united != mine:
                changes[f.name] = united
        elif not mine and theirs:
            changes[f.name] = theirs
    return dataclasses.replace(first, **changes) if changes else first


def category_matches(categories: tuple[str, ...] | list[str], wanted: tuple[str, ...] | list[str]) -> bool:
    """True when a category is one of ``wanted`` or in the archive of one ("cs" holds "cs.CV",
    "astro-ph" holds "astro-ph.GA"); case-insensitive.

    >>> category_matches(("cs.CV", "cs.LG"), ("cs",)), category_matches(("cs.CV",), ("cs.C",))
    (True, False)
    """
    for category in categories:
        c = category.casefold()
        for w in wanted:
            w = w.casefold()
            if c == w or (c.startswith(w) and c[len(w)] == "."):
                return True
    return False


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
    links: tuple[str, ...] = ()       # other pages of the paper (PDF, DOI resolver, OpenAlex, ...)
    venue: str = ""                   # journal or conference, as the source names it
    updated: str = ""                 # ISO 8601 date of the latest version, when the source has one

    @cached_property   # asked for every triple of the paper; a frozen field never changes
    def key(self) -> str:
        """The paper's IRI key (title-derived: seed IRIs stay stable whatever else is known)."""
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

    A ``reportsResult`` extraction is (method, dataset, metric, value): ``subject`` the method as
    written (variant kept: "iFormer-S"), ``object`` the dataset, ``metric`` the metric as written
    ("top-1 accuracy") and ``value`` the number as written ("83.4"); the other predicates have no
    metric and no value.
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
    metric: str = ""      # reportsResult only: the metric's name as written
    value: str = ""       # reportsResult only: the number as written

    def __post_init__(self) -> None:
        if self.predicate not in PREDICATES:
            raise ValueError(f"unknown predicate {self.predicate!r}")
        if self.predicate == "reportsResult":
            if not _RESULT_VALUE.fullmatch(self.value):
                raise ValueError(f"a result's value is a plain number, not {self.value!r}")
            if not self.metric.strip():
                raise ValueError("a result names its metric")
        elif self.value or self.metric:
            raise ValueError(f"only a reportsResult has a metric and a value, not a {self.predicate!r}")
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
    higher_is_better: bool | None = None   # metrics: the vocabulary's direction (None: unknown)


@dataclass(frozen=True)
class Fact:
    """An extraction resolved to entities: what :mod:`kg.graph` writes."""

    paper: Paper
    subject: Entity | None     # None: the subject is the paper itself
    predicate: Predicate
    object: Entity
    extraction: Extraction
    metric: Entity | None = None   # reportsResult: the metric (subject: the method, object: the dataset)
