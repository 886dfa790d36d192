"""The readers registry: one entry per input format, like rdflib's plugin registry.

A reader is a function ``read(path) -> Iterator[Paper | SkippedEntry]``. It yields a
:class:`~kg.model.SkippedEntry` (with file, line and reason) for an entry it cannot use rather
than dropping it, and raises :class:`ReaderError` when the file as a whole cannot be read.

Adding a format is one call::

    @register_reader("myformat", extensions=(".my",), sniff=lambda head: head.startswith("MY"))
    def read_my(path): ...

A reader may also yield a :class:`ReaderWarning` (the entries were read, but the user should know
how: a guessed text encoding), and may take keyword options (``options=("encoding", "columns")``:
``kg build --encoding`` / ``--columns``), passed by :func:`read_papers` from a :class:`ReadOptions`.

Built-in readers are imported on first use, not when :mod:`kg` is imported.
"""
from __future__ import annotations

import codecs
import dataclasses
import importlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.model import Paper, SkippedEntry, SourceRef

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
    "kg.readers.ris",
    "kg.readers.csljson",
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
    options: tuple[str, ...] = ()   # keyword options read() takes: "encoding", "columns"
    exclusive: bool = False   # a file with one of the extensions is this format, whatever its content


@dataclass(frozen=True)
class ReaderWarning:
    """Something about a file the user should know although its entries were read (yielded by a
    reader among its entries; :func:`read_papers` passes it to ``on_warning``, not as an entry)."""

    source: SourceRef
    message: str


@dataclass(frozen=True)
class ReadOptions:
    """How to read files whose layout or encoding detection cannot know (``kg build --columns`` /
    ``--encoding``). ``columns``: paper field → the header naming it (tables)."""

    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None

    def __post_init__(self) -> None:
        if self.encoding:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ValueError(f"unknown encoding {self.encoding!r}") from None


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


# Formats no reader takes, with what to do instead (named in the error rather than "unknown format")
_CONVERT_FIRST = {".xlsx": "a spreadsheet: save it as CSV", ".xls": "a spreadsheet: save it as CSV",
                  ".ods": "a spreadsheet: save it as CSV", ".pdf": "a PDF: pass a listing of titles and abstracts"}


def _suffixes(path: Path) -> str:
    return "".join(path.suffixes).lower()


def _exclusive_reader(path: Path, readers: Mapping[str, Reader]) -> str | None:
    suffixes = _suffixes(path)
    for reader in readers.values():
        if reader.exclusive and suffixes.endswith(reader.extensions):
            return reader.name
    return None


def _sniffed(head: str, readers: Mapping[str, Reader], min_priority: int | None = None) -> str | None:
    sniffed = [r for r in readers.values() if r.sniff is not None and r.sniff(head)
               and (min_priority is None or r.priority >= min_priority)]
    return max(sniffed, key=lambda r: r.priority).name if sniffed else None


def detect_format(path: str | Path) -> str:
    """The name of the reader for ``path``: an exclusive extension (``.csv``, ``.tsv``: always a
    table), else content sniffing, then the file extension."""
    path = Path(path)
    head = read_head(path)
    if not head.strip():
        raise ReaderError(path, "empty file")
    readers = available_readers()
    name = _exclusive_reader(path, readers) or _sniffed(head, readers)
    if name:
        return name
    suffixes = _suffixes(path)
    for reader in readers.values():
        if suffixes.endswith(reader.extensions):
            return reader.name
    hint = _CONVERT_FIRST.get(path.suffix.lower())
    if hint:
        raise ReaderError(path, f"{hint} (known formats: {', '.join(readers)})")
    raise ReaderError(path, f"unknown format (known: {', '.join(readers)}); pass --format")


@dataclass
class InputPlan:
    """What a build reads: ``files`` in order (a folder with no listing file in it stays itself, so
    reading it fails naming it), the reader each folder file was recognised as, and every file of
    a folder left out with why (``{"file": ..., "reason": ...}``)."""

    files: list[Path] = field(default_factory=list)
    readers: dict[str, str] = field(default_factory=dict)
    left_out: list[dict] = field(default_factory=list)


def plan_inputs(paths: Iterable[str | Path], format: str | None = None) -> InputPlan:
    """``paths`` with each folder replaced by the listing files under it: recursively, in name
    order, hidden files and folders left out. With ``format``, every file is read with it;
    otherwise a file whose extension a reader claims (``.txt``, ``.csv``, ``.bib``…) is read, and
    any other file is read when a reader recognises its content (an arXiv feed saved as ``.xml``)
    and left out when none does (a README.md, a notebook, a PDF). Plain-text listings are
    recognised by extension only: their sniffer is too loose to pick them out of prose files.
    """
    plan = InputPlan()
    readers = available_readers()
    extensions = tuple(ext for r in readers.values() for ext in r.extensions)
    for path in map(Path, paths):
        if not path.is_dir():
            plan.files.append(path)
            continue
        found: list[Path] = []
        for root, dirs, names in os.walk(path):
            for hidden in sorted(d for d in dirs if d.startswith(".")):
                plan.left_out.append({"file": str(Path(root) / hidden), "reason": "hidden folder"})
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                f = Path(root) / name
                if name.startswith("."):
                    plan.left_out.append({"file": str(f), "reason": "hidden file"})
                elif not f.is_file():
                    plan.left_out.append({"file": str(f), "reason": "not a regular file"})
                elif format is not None or name.lower().endswith(extensions):
                    found.append(f)
                else:
                    why = _content_reader(f, readers)
                    if why in readers:
                        found.append(f)
                        plan.readers[str(f)] = why
                    else:
                        plan.left_out.append({"file": str(f), "reason": why})
        found.sort()   # the order of a plain listing of the folder (what rglob gave before)
        plan.files.extend(found or [path])
    return plan


def _content_reader(path: Path, readers: Mapping[str, Reader]) -> str:
    """The reader that recognises a file of a folder by content, or why none does."""
    try:
        head = read_head(path)
    except ReaderError as exc:
        return exc.reason
    if not head.strip():
        return "empty file"
    # not the loose sniffers (plain-text listings): any prose file would pass them
    return _sniffed(head, readers, min_priority=0) or (
        "no reader recognises its content (pass the file with --format to read it)")


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
    kwargs: dict = {}
    if categories is not None and reader.category_filter:
        kwargs["categories"] = categories
    if options is not None:
        if options.encoding and "encoding" in reader.options:
            kwargs["encoding"] = options.encoding
        elif options.encoding and on_warning is not None and codecs.lookup(options.encoding).name != "utf-8":
            on_warning(ReaderWarning(SourceRef(str(path), 0, name),
                                     f"--encoding {options.encoding} not used: the {name} reader reads UTF-8"))
        if options.columns and "columns" in reader.options:
            kwargs["columns"] = options.columns
    entries = 0
    rejected_before = categories.rejected if categories is not None else 0
    for item in reader.read(path, **kwargs):
        if isinstance(item, ReaderWarning):
            if on_warning is not None:
                on_warning(item)
            continue
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


def _check_encoding(path: Path, encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ReaderError(path, f"unknown encoding {encoding!r}") from None


# Byte-order marks: a file that starts with one is in that encoding, whatever else is said.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_text_guessing(path: Path, encoding: str | None = None,
                       fallback: str | None = "cp1252") -> tuple[str, ReaderWarning | None]:
    """A whole file as text, and a warning when its encoding was guessed.

    ``encoding`` given: decoded with it (a byte-order mark still wins). Otherwise a BOM decides
    (UTF-8, or UTF-16/32 as Excel's and Web of Science's "Unicode text" exports are), else UTF-8,
    else ``fallback`` (cp1252, what spreadsheets on Windows write) with a warning naming the file
    and the first byte that is not UTF-8. Text no candidate decodes is a ReaderError naming the
    line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return _decode(path, data, bom_encoding).lstrip("\ufeff"), None
    if encoding is not None and _check_encoding(path, encoding) != "utf-8":
        return _decode(path, data, encoding), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if fallback is None or encoding is not None:
            raise _decode_error(path, data, exc, "UTF-8") from None
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            raise _decode_error(path, data, exc, "UTF-8") from None
        line = data.count(b"\n", 0, exc.start) + 1
        return text, ReaderWarning(SourceRef(str(path), line, ""),
                                   f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}): read as {fallback}; "
                                   f"pass --encoding to say which encoding it is")


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _decode_error(path, data, exc, encoding) from None


def _decode_error(path: Path, data: bytes, exc: UnicodeDecodeError, encoding: str) -> ReaderError:
    line = data.count(b"\n", 0, exc.start) + 1
    return ReaderError(path, f"invalid {encoding} (byte 0x{data[exc.start]:02x})", line)


def iter_lines(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, str]]:
    """Lines of a file with 1-based numbers, streamed; undecodable bytes raise naming the line.
    (``encoding``: single-byte or UTF-8 encodings, the ones whose lines split at b"\\n".)"""
    encoding = _check_encoding(path, encoding)
    label = "UTF-8" if encoding == "utf-8" else encoding
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        for number, raw in enumerate(fh, 1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReaderError(path, f"invalid {label} (byte 0x{raw[exc.start]:02x})", number) from None
            if number == 1:
                text = text.lstrip("\ufeff")
            yield number, text.rstrip("\r\n")


_YMD = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


def iso_date(year: object, month: object = None, day: object = None) -> str:
    """An ISO 8601 date from parts, as precise as they are valid ("2021", "2021-06",
    "2021-06-03"; "" without a plausible year).

    >>> iso_date(2021, 6, 3), iso_date("2021", "13"), iso_date(None)
    ('2021-06-03', '2021', '')
    """
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        return ""
    if not 1000 <= y <= 2999:
        return ""
    try:
        m = int(str(month).strip()) if month not in (None, "") else 0
        d = int(str(day).strip()) if day not in (None, "") else 0
    except ValueError:
        return str(y)
    if not 1 <= m <= 12:
        return str(y)
    if not 1 <= d <= 31:
        return f"{y}-{m:02d}"
    return f"{y}-{m:02d}-{d:02d}"


def parse_date(text: str) -> str:
    """The ISO date at the start of ``text`` ("2021/06/03/", "2021-06-03 10:00", "2021"), or the
    year found anywhere in it ("June 3, 2021" → "2021"), or "".

    >>> parse_date("2021/06/03/"), parse_date("2021-06"), parse_date("June 3, 2021"), parse_date("n.d.")
    ('2021-06-03', '2021-06', '2021', '')
    """
    text = text.strip()
    match = _YMD.match(text)
    if match:
        return iso_date(*match.groups())
    year = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", text)
    return year.group(1) if year else ""
