"""What a build is asked to do: one frozen :class:`BuildOptions`, checked when it is made."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.readers import ReadOptions

DEFAULT_BATCH = 100            # papers per task sent to a worker
STORES = ("oxigraph", "memory")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: what to read, what to keep, where it is extracted and how the store is used.

    ``format``: the reader of every file (None: detected per file); ``categories``: keep only
    papers in these arXiv categories or archives ("cs.CV", "cs"); ``columns`` (paper field →
    header) and ``encoding``: how to read tables and text files whose headers or encoding
    detection would miss (:class:`kg.readers.ReadOptions`); ``min_confidence``: keep only facts
    at least this confident; ``model``: the extraction model's file (None: the shipped one;
    "rules": none).

    ``store="oxigraph"`` (default): the folder's persistent store (:mod:`kg.build.store_build`),
    with ``workers`` extraction processes (None: all cores for inputs over a few MB, else 1) or a
    ``dask`` scheduler's cluster, ``batch_size`` papers per task, ``fresh`` (start from an empty
    store), ``reextract`` (extract the stored papers again), ``wait`` (seconds to wait for another
    build of the folder) and ``turtle`` (False: no ``graph.ttl``). ``store="memory"``: the plain
    rdflib build (:mod:`kg.build.memory`); it has no store and extracts in this process, so the
    options above that concern the store or the workers are refused (ValueError), never ignored.

    >>> BuildOptions(min_confidence=0.7).min_confidence
    0.7
    >>> BuildOptions(store="memory", workers=2)
    Traceback (most recent call last):
    ...
    ValueError: store='memory' builds in this process without a store: it cannot take workers=2
    """

    format: str | None = None
    categories: tuple[str, ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    min_confidence: float = 0.0
    model: str | None = None
    store: str = "oxigraph"
    workers: int | None = None
    dask: str | None = None
    batch_size: int = DEFAULT_BATCH
    fresh: bool = False
    reextract: bool = False
    wait: float = 0.0
    turtle: bool = True

    def __post_init__(self) -> None:
        # normalised here: any iterable of categories, a copy of the caller's columns
        set_ = object.__setattr__
        set_(self, "categories", tuple(self.categories))
        set_(self, "columns", dict(self.columns or {}))
        set_(self, "min_confidence", float(self.min_confidence))
        if self.model is not None:
            set_(self, "model", str(self.model))
        if self.store not in STORES:
            raise ValueError(f"unknown store {self.store!r}: 'oxigraph' or 'memory'")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, not {self.min_confidence}")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers must be at least 1, not {self.workers}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {self.batch_size}")
        if self.wait < 0:
            raise ValueError(f"wait must not be negative, not {self.wait}")
        if self.store == "memory":
            if not self.turtle:
                raise ValueError("store='memory' keeps the graph only in graph.ttl: it cannot skip writing it")
            for name, default in _STORE_ONLY.items():
                value = getattr(self, name)
                if value != default:
                    raise ValueError(f"store='memory' builds in this process without a store: "
                                     f"it cannot take {name}={value!r}")
        self.read_options()   # an unknown encoding fails here, before anything is read

    def read_options(self) -> ReadOptions:
        """How the readers read (``columns``, ``encoding``)."""
        return ReadOptions(columns=dict(self.columns), encoding=self.encoding)


# What only the store build does, with the value that means "not asked for".
_STORE_ONLY = {"workers": None, "dask": None, "batch_size": DEFAULT_BATCH, "fresh": False, "reextract": False,
               "wait": 0.0}
