"""The extractors registry and the document every extractor reads.

An extractor is a small function ``(doc: Document) -> Iterable[Extraction]``, registered under a
name like spaCy pipeline components. :func:`extract` runs them in order and fails loudly, naming
the extractor, when one returns something that is not an :class:`~kg.records.Extraction`.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from kg.records import Evidence, Extraction, Paper
from kg.text import Sentence, is_identifier, split_sentences, title_opening, word_heads
from kg.vocab import Mention, Vocabulary, default_vocabulary

_BUILTIN_MODULES = ("kg.extract.proposes", "kg.extract.datasets", "kg.extract.compares",
                    "kg.extract.tasks", "kg.extract.results")


class ExtractorError(RuntimeError):
    """An extractor broke its contract (wrong return type) or crashed on a paper."""


_T = TypeVar("_T")


class _cached_property(Generic[_T]):
    """``functools.cached_property`` without its lock: on Python 3.11 the first read of each
    property takes an RLock, five times a paper in the extraction workers; a Document is read
    by one thread. As there, the value is stored in the instance's ``__dict__`` under the
    property's name, where later reads find it without calling this."""

    def __init__(self, fn: Callable[[Any], _T]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


@dataclass
class Document:
    """A paper prepared for extraction: the text, its sentences, the vocabulary.

    ``text`` is the title, a blank line, then the abstract; evidence spans index into it.
    """

    paper: Paper
    vocab: Vocabulary
    # per-paper results and memos shared by the extractors: every memo keyed on this paper's
    # text lives here and dies with the document (process-wide ones only behind the vocabulary)
    cache: dict = field(default_factory=dict)
    model: Any = None       # a kg.learn.model.ExtractionModel deciding on candidates; None: rules only

    @_cached_property
    def text(self) -> str:
        return f"{self.paper.title}\n\n{self.paper.abstract}"

    @_cached_property
    def _title_in_abstract(self) -> int:
        """How many characters of the abstract belong to the title (page-scrape noise: the source
        gave an identifier for the title, or cut it at its colon, and the abstract opens with it)."""
        title = self.paper.title
        if title.rstrip().endswith(":") or is_identifier(title):
            return title_opening(self.paper.abstract)
        return 0

    @_cached_property
    def title_sentence(self) -> Sentence:
        """The title as extraction reads it: the paper's, or, when the abstract opens with it
        (see :attr:`_title_in_abstract`), its span of :attr:`text` ("FractalNet:" and "Ultra-Deep
        Neural Networks without Residuals"; an identifier left out)."""
        title, k = self.paper.title, self._title_in_abstract
        if not k:
            return Sentence(title, 0, len(title))
        start = 0 if title.rstrip().endswith(":") else len(title) + 2
        return Sentence(self.text[start:len(title) + 2 + k], start, len(title) + 2 + k)

    @property
    def title(self) -> str:
        """The text of :attr:`title_sentence` (what the extractors read as the title; the paper
        keeps the title its source gave, which is how annotations and other tools name it)."""
        return self.title_sentence.text

    @_cached_property
    def abstract_sentences(self) -> list[Sentence]:
        k = self._title_in_abstract
        return split_sentences(self.paper.abstract[k:], offset=len(self.paper.title) + 2 + k)

    @_cached_property
    def folded_abstract(self) -> str:
        """The abstract case-folded, each run of white space one space (what names are sought in)."""
        return " ".join(self.paper.abstract.split()).casefold()

    @_cached_property
    def sentences(self) -> list[Sentence]:
        return [self.title_sentence, *self.abstract_sentences]

    def memo(self, name: str) -> dict:
        """The per-paper memo called ``name`` (in :attr:`cache`), made on first use."""
        memo = self.cache.get(name)
        if memo is None:
            memo = self.cache[name] = {}
        return memo

    def find(self, text: str, kind: str | None = None, offset: int = 0) -> list[Mention]:
        """The vocabulary's :meth:`~kg.vocab.Vocabulary.find`, memoised for this paper (the
        extractors ask about each sentence several times)."""
        return self.vocab.find(text, kind, offset, memo=self.memo("found"))

    def word_heads(self, text: str) -> set[str] | None:
        """:func:`kg.text.word_heads`, memoised for this paper: do not modify the set."""
        memo = self.memo("word_heads")
        heads = memo.get(text, memo)
        if heads is memo:
            heads = memo[text] = word_heads(text)
        return heads

    def evidence(self, sentence: Sentence) -> Evidence:
        return Evidence(sentence.text, sentence.start, sentence.end)


ExtractorFn = Callable[[Document], Iterable[Extraction]]


@dataclass(frozen=True)
class Extractor:
    name: str
    predicate: str
    fn: ExtractorFn
    description: str = ""


_REGISTRY: dict[str, Extractor] = {}
_loaded = False


def register_extractor(name: str, predicate: str) -> Callable[[ExtractorFn], ExtractorFn]:
    """Decorator: add ``fn`` to the registry under ``name`` (for relation ``predicate``)."""

    def decorate(fn: ExtractorFn) -> ExtractorFn:
        doc = (fn.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = Extractor(name, predicate, fn, doc[0] if doc else "")
        return fn

    return decorate


def available_extractors() -> dict[str, Extractor]:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in _BUILTIN_MODULES:
            importlib.import_module(module)
    return dict(_REGISTRY)


def extract(paper: Paper, vocab: Vocabulary | None = None,
            names: Iterable[str] | None = None, model: Any = None) -> list[Extraction]:
    """Run the extractors (all registered ones by default) over one paper; ``model`` (a
    :class:`kg.learn.model.ExtractionModel`) decides on their candidates where it has a decision."""
    registry = available_extractors()
    doc = Document(paper, vocab if vocab is not None else default_vocabulary(), model=model)
    out: list[Extraction] = []
    for name in (names or registry):
        if name not in registry:
            raise ExtractorError(f"unknown extractor {name!r}; known: {', '.join(registry)}")
        extractor = registry[name]
        try:
            results = list(extractor.fn(doc))
        except Exception as exc:  # name the stage, keep the cause
            raise ExtractorError(f"extractor {name!r} failed on {paper.title[:60]!r}: {exc}") from exc
        for item in results:
            if not isinstance(item, Extraction):
                raise ExtractorError(
                    f"extractor {name!r} returned {type(item).__name__}, expected Extraction")
            if item.predicate != extractor.predicate:
                raise ExtractorError(
                    f"extractor {name!r} is registered for {extractor.predicate!r} "
                    f"but returned a {item.predicate!r} triple")
        out.extend(results)
    return out
