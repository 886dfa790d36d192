"""The readers registry: one entry per input format, like rdflib's plugin registry.

A reader is a function ``read(path) -> Iterator[Paper | SkippedEntry]``. It yields a
:class:`~kg.records.SkippedEntry` (with file, line and reason) for an entry it cannot use rather
than dropping it, and raises :class:`ReaderError` when the file as a whole cannot be read.

Adding a format is one call::

    @register_reader("myformat", extensions=(".my",), sniff=lambda head: head.startswith("MY"))
    def read_my(path): ...

A reader may also yield a :class:`ReaderWarning` (the entries were read, but the user should know
how: a guessed text encoding), and may take keyword options (``options=("encoding", "columns")``:
``kg build --encoding`` / ``--columns``), passed by :func:`read_papers` from a :class:`ReadOptions`.

Built-in readers are imported on first use, not when :mod:`kg` is imported.

This module holds the registry and the public API; the work is done in modules of one job each,
whose public names are re-exported here:

- :mod:`~kg.readers.contract`: what a reader is and reports (Reader, ReaderError, ReaderWarning, ReadOptions)
- :mod:`~kg.readers.sniffing`: a file's format from its name and first bytes
- :mod:`~kg.readers.planning`: folders replaced by the listing files in them
- :mod:`~kg.readers.reading`: what read_papers does around every reader
- :mod:`~kg.readers.decoding`, :mod:`~kg.readers.lines`: bytes to text, whole or line by line
- :mod:`~kg.readers.bounds`, :mod:`~kg.readers.cleaning`: the checks on every paper read
- :mod:`~kg.readers.paths`, :mod:`~kg.readers.dates`: file names, dates
- the readers themselves (:mod:`~kg.readers.arxiv`, :mod:`~kg.readers.tabular`, …) and their
  shared parsers (:mod:`~kg.readers.jsondocs`, :mod:`~kg.readers.latex`, :mod:`~kg.readers.filters`)
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.records import Paper, SkippedEntry
from kg.readers.bounds import MAX_ABSTRACT_CHARS, MAX_FIELD_CHARS, MAX_FIELD_VALUES, MAX_TITLE_CHARS, oversized
from kg.readers.cleaning import clean_paper, clean_text
from kg.readers.contract import ReadFn, Reader, ReaderError, ReaderWarning, ReadOptions, SniffFn
from kg.readers.dates import iso_date, parse_date
from kg.readers.decoding import bom_encoding, decode_text, read_text, read_text_guessing, unnoted_decoding
from kg.readers.lines import MAX_LINE_BYTES, iter_lines, iter_raw_lines
from kg.readers.paths import canonical_path, display_path
from kg.readers.planning import InputPlan, plan_files
from kg.readers.reading import check_regular_file, read_entries
from kg.readers.sniffing import detect, read_head

if TYPE_CHECKING:
    from kg.readers.filters import CategoryFilter

__all__ = [
    "MAX_ABSTRACT_CHARS", "MAX_FIELD_CHARS", "MAX_FIELD_VALUES", "MAX_LINE_BYTES", "MAX_TITLE_CHARS",
    "InputPlan", "ReadFn", "ReadOptions", "Reader", "ReaderError", "ReaderWarning", "SniffFn",
    "available_readers", "bom_encoding", "canonical_path", "clean_paper", "clean_text", "decode_text",
    "detect_format", "display_path", "get_reader", "input_files", "iso_date", "iter_lines", "iter_raw_lines",
    "oversized", "parse_date", "plan_inputs", "read_head", "read_papers", "read_text", "read_text_guessing",
    "register_reader", "unnoted_decoding",
]

# Modules that register the built-in readers when imported (lazily, see _ensure_builtins).
_BUILTIN_MODULES = (
    "kg.readers.hf_listing",
    "kg.readers.tabular",
    "kg.readers.arxiv",
    "kg.readers.openalex",
    "kg.readers.semanticscholar",
    "kg.readers.bibtex",
    "kg.readers.ris",
    "kg.readers.csljson",
)

_REGISTRY: dict[str, Reader] = {}
_builtins_loaded = False


def register_reader(
    name: str,
    *,
    extensions: tuple[str, ...] = (),
    sniff: SniffFn | None = None,
    description: str = "",
    priority: int = 0,
    category_filter: bool = False,
    options: tuple[str, ...] = (),
    exclusive: bool = False,
) -> Callable[[ReadFn], ReadFn]:
    """Decorator that adds a reader to the registry under ``name``. With ``category_filter``,
    the reader is called as ``read(path, categories=CategoryFilter)`` when ``--category`` is
    given, to drop entries cheaply before parsing them (they are checked again afterwards).
    ``options``: the :class:`ReadOptions` fields ``read`` takes as keywords when they are set;
    ``exclusive``: ``extensions`` decide the format before any sniffer (a ``.csv`` is a table,
    never listing text)."""

    def decorate(fn: ReadFn) -> ReadFn:
        doc_lines = (fn.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = Reader(
            name=name,
            read=fn,
            extensions=tuple(e.lower() for e in extensions),
            sniff=sniff,
            description=description or (doc_lines[0] if doc_lines else ""),
            priority=priority,
            category_filter=category_filter,
            options=tuple(options),
            exclusive=exclusive,
        )
        return fn

    return decorate


def _ensure_builtins() -> None:
    global _builtins_loaded
    if not _builtins_loaded:
        _builtins_loaded = True
        for module in _BUILTIN_MODULES:
            importlib.import_module(module)


def available_readers() -> dict[str, Reader]:
    """Every registered reader by name."""
    _ensure_builtins()
    return dict(sorted(_REGISTRY.items()))


def get_reader(name: str) -> Reader:
    readers = available_readers()
    if name not in readers:
        raise ReaderError(name, f"unknown format {name!r}; known: {', '.join(readers)}")
    return readers[name]



def detect_format(path: str | Path) -> str:
    """The name of the reader for ``path``: an exclusive extension (``.csv``, ``.tsv``: always a
    table), else content sniffing, then the file extension."""
    return detect(Path(path), available_readers())


def plan_inputs(paths: Iterable[str | Path], format: str | None = None) -> InputPlan:
    """``paths`` with each folder replaced by the listing files under it: recursively, in name
    order, hidden files and folders left out. With ``format``, every file is read with it;
    otherwise a file whose extension a reader claims (``.txt``, ``.csv``, ``.bib``…) is read, and
    any other file is read when a reader recognises its content (an arXiv feed saved as ``.xml``)
    and left out when none does (a README.md, a notebook, a PDF). Plain-text listings are
    recognised by extension only: their sniffer is too loose to pick them out of prose files.

    Symbolic links to folders are followed (a link back to a folder already walked is not walked
    again, and is named among the left out). Paths are spelt without detours
    (:func:`canonical_path`), and a file given twice (by a relative and an absolute path, or
    through a link) is read once, under the first spelling: the same listing is never counted as two.
    """
    return plan_files(paths, available_readers(), format)


def input_files(paths: Iterable[str | Path], format: str | None = None) -> list[Path]:
    """The files :func:`plan_inputs` reads, in order.

    >>> input_files(["papers.jsonl"])
    [PosixPath('papers.jsonl')]
    """
    return plan_inputs(paths, format).files


def read_papers(path: str | Path, format: str | None = None,
                categories: CategoryFilter | None = None, *, options: ReadOptions | None = None,
                on_warning: Callable[[ReaderWarning], None] | None = None) -> Iterator[Paper | SkippedEntry]:
    """Read one file with the named reader, or the detected one.

    A file that yields no entry at all (empty, or only page chrome) is a :class:`ReaderError`
    naming it, whether or not ``format`` is given: never a silent zero. With ``categories``, only
    papers in those categories are yielded; the filter counts the others (``categories.rejected``).
    ``options`` (``--encoding``, ``--columns``) go to the readers that take them; a reader's
    warnings (:class:`ReaderWarning`), and an ``--encoding`` the reader cannot use, go to ``on_warning``
    (dropped without one), never among the entries.

    Every reader goes through here (:func:`kg.readers.reading.read_entries`): a paper over the
    field bounds (:func:`oversized`) becomes a skipped entry naming its file and line; invalid
    bytes do not stop the reading: the entries holding them are left out and, once every other
    entry was read, one :class:`ReaderError` names the first such line; and a reader that fails on
    some input ends as a ReaderError naming the file, never as an exception that would stop a
    build of many files.
    """
    path = Path(path)
    check_regular_file(path)
    if format:
        readers = available_readers()
        if format not in readers:  # name the file, not only the format
            raise ReaderError(path, f"unknown format {format!r}; known: {', '.join(readers)}")
        if not read_head(path).strip():
            raise ReaderError(path, "empty file")
    reader = get_reader(format or detect_format(path))
    yield from read_entries(path, reader, categories, options=options, on_warning=on_warning)
