"""The readers registry: one entry per input format, like rdflib's plugin registry.

A reader is a function ``read(path) -> Iterator[Paper | SkippedEntry]``. It yields a
:class:`~kg.model.SkippedEntry` (with file, line and reason) for an entry it cannot use rather
than dropping it, and raises :class:`ReaderError` when the file as a whole cannot be read.

Adding a format is one call::

    @register_reader("myformat", extensions=(".my",), sniff=lambda head: head.startswith("MY"))
    def read_my(path): ...

Built-in readers are imported on first use, not when :mod:`kg` is imported.
"""
from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.model import Paper, SkippedEntry

if TYPE_CHECKING:
    from kg.readers.filters import CategoryFilter

ReadFn = Callable[[Path], Iterator["Paper | SkippedEntry"]]
SniffFn = Callable[[str], bool]

# Modules that register the built-in readers when imported (lazily, see _ensure_builtins).
_BUILTIN_MODULES = (
    "kg.readers.hf_listing",
    "kg.readers.tabular",
    "kg.readers.arxiv",
    "kg.readers.openalex",
    "kg.readers.semanticscholar",
    "kg.readers.bibtex",
)


class ReaderError(Exception):
    """A whole file could not be read. The message names the file (and line where known)."""

    def __init__(self, path: str | Path, message: str, line: int = 0) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Reader:
    name: str
    read: ReadFn
    extensions: tuple[str, ...] = ()
    sniff: SniffFn | None = None
    description: str = ""
    priority: int = 0   # higher wins when several sniffers accept a file
    category_filter: bool = False   # read() takes ``categories=`` and filters before parsing


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
) -> Callable[[ReadFn], ReadFn]:
    """Decorator that adds a reader to the registry under ``name``. With ``category_filter``,
    the reader is called as ``read(path, categories=CategoryFilter)`` when ``--category`` is
    given, to drop entries cheaply before parsing them (they are checked again afterwards)."""

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


def read_head(path: Path, size: int = 65536) -> str:
    """The first bytes of a file as text, for sniffing (decoding errors replaced)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size).decode("utf-8", errors="replace").lstrip("\ufeff")
    except FileNotFoundError:
        raise ReaderError(path, "no such file") from None
    except IsADirectoryError:
        raise ReaderError(path, "is a directory with no listing file in it") from None
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None


def detect_format(path: str | Path) -> str:
    """The name of the reader for ``path``: content sniffing first, then the file extension."""
    path = Path(path)
    head = read_head(path)
    if not head.strip():
        raise ReaderError(path, "empty file")
    readers = available_readers()
    sniffed = [r for r in readers.values() if r.sniff is not None and r.sniff(head)]
    if sniffed:
        return max(sniffed, key=lambda r: r.priority).name
    suffixes = "".join(path.suffixes).lower()
    for reader in readers.values():
        if any(suffixes.endswith(ext) for ext in reader.extensions):
            return reader.name
    raise ReaderError(path, f"unknown format (known: {', '.join(readers)}); pass --format")


def input_files(paths: Iterable[str | Path], format: str | None = None) -> list[Path]:
    """``paths`` with each folder replaced by the listing files under it: recursively, in name
    order, hidden files and folders left out; every file with ``format``, else the files whose
    extension a reader claims (``.txt``, ``.jsonl``, ``.csv``, ``.json``, ``.bib``, ``.atom``…, so a
    README.md or a notebook beside the listings is not read). A folder with none stays as it
    is: reading it fails, naming it.

    >>> input_files(["papers.jsonl"])
    [PosixPath('papers.jsonl')]
    """
    extensions = tuple(ext for r in available_readers().values() for ext in r.extensions)
    out: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            out.append(path)
            continue
        found = [f for f in sorted(path.rglob("*"))
                 if not any(part.startswith(".") for part in f.relative_to(path).parts) and f.is_file()
                 and (format is not None or f.name.lower().endswith(extensions))]
        out.extend(found or [path])
    return out


def read_papers(path: str | Path, format: str | None = None,
                categories: CategoryFilter | None = None) -> Iterator[Paper | SkippedEntry]:
    """Read one file with the named reader, or the detected one.

    A file that yields no entry at all (empty, or only page chrome) is a :class:`ReaderError`
    naming it, whether or not ``format`` is given: never a silent zero. With ``categories``, only
    papers in those categories are yielded; the filter counts the others (``categories.rejected``).
    """
    path = Path(path)
    if not path.exists():
        raise ReaderError(path, "no such file")
    if format:
        readers = available_readers()
        if format not in readers:  # name the file, not only the format
            raise ReaderError(path, f"unknown format {format!r}; known: {', '.join(readers)}")
        if not read_head(path).strip():
            raise ReaderError(path, "empty file")
    name = format or detect_format(path)
    reader = get_reader(name)
    entries = 0
    rejected_before = categories.rejected if categories is not None else 0
    items = reader.read(path, categories=categories) if categories is not None and reader.category_filter \
        else reader.read(path)
    for item in items:
        entries += 1
        if isinstance(item, Paper):
            if categories is not None and not categories.accepts(item.categories):
                continue
            yield clean_paper(item)
        else:
            yield item
    if categories is not None:
        entries += categories.rejected - rejected_before
    if not entries:
        raise ReaderError(path, f"no entries found (read as {name})")


# Characters no RDF or XML document can carry (lone surrogates: not Unicode scalar values, cannot be
# encoded; C0 controls, DEL, U+FFFE/U+FFFF: not allowed in XML 1.0, so RDF/XML and HTML pages
# break). JSON escapes ("\\ud800", "\\u0000") and undecodable file names bring them in.
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ODD_SPACE = re.compile("[\x0b\x0c]")


def clean_text(text: str) -> str:
    """Text as every output can carry it: vertical tab and form feed become spaces; lone
    surrogates, other C0 controls (tab, LF and CR stay), DEL, U+FFFE and U+FFFF become U+FFFD,
    so the loss shows. Everything else is kept as read.

    >>> clean_text("a\\x00b\\x0cc\\ud800d") == "a\\ufffdb c\\ufffdd"
    True
    """
    if _UNSAFE.search(text):
        text = _UNSAFE.sub("\ufffd", text)
    return _ODD_SPACE.sub(" ", text) if _ODD_SPACE.search(text) else text


# Either kind of character clean_text() changes: one search tells a clean field (nearly all) apart.
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_paper(paper: Paper) -> Paper:
    """A paper with :func:`clean_text` applied to every text field (readers' output boundary)."""
    texts = [paper.source.path]
    for value in vars(paper).values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, tuple):
            texts.extend(v for v in value if isinstance(v, str))
    if not _NEEDS_CLEANING.search(" ".join(texts)):   # one scan (a space is never cleaned)
        return paper
    changes: dict = {}
    for f in dataclasses.fields(paper):
        value = getattr(paper, f.name)
        if isinstance(value, str):
            cleaned = clean_text(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            cleaned = tuple(clean_text(v) for v in value)
        elif f.name == "source":
            cleaned = dataclasses.replace(value, path=clean_text(value.path))
        else:
            continue
        if cleaned != value:
            changes[f.name] = cleaned
    return dataclasses.replace(paper, **changes) if changes else paper


def read_text(path: Path) -> str:
    """A whole file as UTF-8 text; invalid UTF-8 is a ReaderError naming the line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReaderError(path, f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Lines of a file with 1-based numbers, streamed; invalid UTF-8 raises naming the line."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        for number, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ReaderError(path, f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", number) from None
            if number == 1:
                text = text.lstrip("\ufeff")
            yield number, text.rstrip("\r\n")
