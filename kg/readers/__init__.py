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
import contextlib
import dataclasses
import importlib
import os
import re
import stat
import threading
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
        shown = display_path(self.path)
        where = f"{shown}:{line}" if line else shown
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
    """The first bytes of a file as text, for sniffing (UTF-16/32 by their byte order mark, else
    UTF-8; decoding errors replaced)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(size)
    except FileNotFoundError:
        raise ReaderError(path, "no such file") from None
    except IsADirectoryError:
        raise ReaderError(path, "is a directory with no listing file in it") from None
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    encoding, skip = bom_encoding(data)
    return data[skip:].decode(encoding, errors="replace").lstrip("\ufeff")


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
    sniffed = [r for r in readers.values() if r.sniff is not None and _sniffs(r, head)
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


def _sniffs(reader: Reader, head: str) -> bool:
    """Whether ``reader`` claims a file starting with ``head``; a sniffer failing on it does not."""
    try:
        return bool(reader.sniff(head))
    except Exception:   # a hostile head (e.g. JSON nested too deeply) is no reason to stop
        return False


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

    Symbolic links to folders are followed (a link back to a folder already walked is not walked
    again, and is named among the left out). Paths are spelt without detours
    (:func:`canonical_path`), and a file given twice (by a relative and an absolute path, or
    through a link) is read once, under the first spelling: the same listing is never counted as two.
    """
    plan = InputPlan()
    readers = available_readers()
    extensions = tuple(ext for r in readers.values() for ext in r.extensions)
    seen: set[tuple[int, int] | str] = set()

    def add(path: Path) -> None:
        try:
            st = path.stat()
            identity: tuple[int, int] | str = (st.st_dev, st.st_ino)
        except OSError:   # missing or a broken link: kept, so that reading it names it
            identity = str(path)
        if identity not in seen:
            seen.add(identity)
            plan.files.append(path)

    for path in map(canonical_path, paths):
        if not path.is_dir():
            add(path)
            continue
        found: list[Path] = []
        for f, skipped in _walk(path, plan.left_out):
            if skipped:
                plan.left_out.append({"file": str(f), "reason": skipped})
            elif format is not None or f.name.lower().endswith(extensions):
                found.append(f)   # a dangling link among them fails when read, naming it
            else:
                why = _content_reader(f, readers)
                if why in readers:
                    found.append(f)
                    plan.readers[str(f)] = why
                else:
                    plan.left_out.append({"file": str(f), "reason": why})
        found.sort()   # the order of a plain listing of the folder (what rglob gave before)
        if not found:
            add(path)
        for f in found:
            add(f)
    return plan


def _walk(folder: Path, left_out: list[dict]) -> Iterator[tuple[Path, str]]:
    """Every file under ``folder`` with "" or why it is not read (hidden, not a regular file);
    hidden folders and links back to a folder already walked go into ``left_out``. Links to
    folders are followed, each real folder walked once (a link cycle ends there); a dangling link
    is a file (reading it names it)."""
    visited: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        try:
            st = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in visited:
            left_out.append({"file": root, "reason": "a link to a folder already read"})
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        for hidden in sorted(d for d in dirs if d.startswith(".")):
            left_out.append({"file": str(Path(root) / hidden), "reason": "hidden folder"})
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            f = Path(root) / name
            if name.startswith("."):
                yield f, "hidden file"
            elif f.is_file() or (f.is_symlink() and not f.exists()):
                yield f, ""
            else:
                yield f, "not a regular file"


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


def canonical_path(path: str | Path) -> Path:
    """A path spelt without detours: ``./a.txt`` and ``sub/../a.txt`` become ``a.txt``; relative
    stays relative and absolute stays absolute, so that messages and the report name a file as it
    was given. Links are not resolved: a listing keeps the name it was given. (The same file given
    in two spellings is read once, :func:`plan_inputs`; a store remembers the spelling it first
    read a file under, :func:`kg.stream.build_store`.)

    >>> str(canonical_path("./x/../papers.jsonl")), str(canonical_path("/data//x/../papers.jsonl"))
    ('papers.jsonl', '/data/papers.jsonl')
    """
    return Path(os.path.normpath(os.fspath(path)))


# Characters shown escaped in file names: C0/C1 controls (a newline would forge a report line),
# bidirectional overrides and marks (U+202E shows "txt.exe" as "exe.txt") and lone surrogates
# (bytes of a name that is not UTF-8; they cannot be written as UTF-8 or strict JSON).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                         "\u2066-\u2069\ud800-\udfff\\\\]")


def _escape_char(match: re.Match) -> str:
    c = match.group(0)
    if c == "\\":
        return "\\\\"
    if "\udc80" <= c <= "\udcff":     # an undecodable byte of the name (os.fsdecode): shown as that byte
        return f"\\x{ord(c) - 0xdc00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
        f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def display_path(path: str | Path) -> str:
    r"""A file name as it can be shown in a terminal, a report line or strict JSON: control
    characters, bidirectional controls and undecodable bytes escaped Python-style (backslashes
    are doubled only in a name that needs escaping, so ordinary paths read as given).

    >>> display_path("a\nb\u202etxt.exe"), display_path("plain/name.txt")
    ('a\\nb\\u202etxt.exe', 'plain/name.txt')
    """
    text = os.fspath(path)
    if not _UNSHOWABLE.search(text.replace("\\", "")):
        return text
    return _UNSHOWABLE.sub(_escape_char, text)


# --------------------------------------------------------------------------- bounds on entries

# Bounds on one paper's fields, checked once for every reader in read_papers(). Oxigraph's loader
# fails on any literal over 16 MiB, at the very end of a build; these keep every literal far below
# that (4 UTF-8 bytes a character at most: 4 MiB for an abstract) and a hostile file from turning
# one record into minutes of extraction.
MAX_TITLE_CHARS = 4_096          # real titles: under 300 characters (the longest arXiv ones ~ 500)
MAX_ABSTRACT_CHARS = 1_048_576   # arXiv caps abstracts at 1,920 characters; a full paper is ~ 100 K
MAX_FIELD_CHARS = 65_536         # any other text value: id, URL, date, venue, one author, one link
MAX_FIELD_VALUES = 10_000        # authors, categories or links of one paper (the longest author lists ~ 5,000)
# A line of a line-based format longer than this is skipped by its length, neither decoded nor
# parsed: no record within the bounds above takes more (1 Mi characters, each a 12-byte JSON
# surrogate pair escape at worst, is 12 MiB), and a 200 MB line is not first held as JSON objects.
MAX_LINE_BYTES = 16 * 1024 * 1024


def oversized(paper: Paper) -> str:
    """Why ``paper`` is over the field bounds ("" when it is not)."""
    if len(paper.title) > MAX_TITLE_CHARS:
        return f"title of {len(paper.title):,} characters, over the limit of {MAX_TITLE_CHARS:,}"
    if len(paper.abstract) > MAX_ABSTRACT_CHARS:
        return f"abstract of {len(paper.abstract):,} characters, over the limit of {MAX_ABSTRACT_CHARS:,}"
    for f in dataclasses.fields(paper):
        value = getattr(paper, f.name)
        if f.name in ("title", "abstract") or not isinstance(value, (str, tuple)):
            continue
        if isinstance(value, tuple):
            if len(value) > MAX_FIELD_VALUES:
                return f"{f.name}: {len(value):,} values, over the limit of {MAX_FIELD_VALUES:,}"
            longest = max((len(v) for v in value if isinstance(v, str)), default=0)
        else:
            longest = len(value)
        if longest > MAX_FIELD_CHARS:
            return f"{f.name}: a value of {longest:,} characters, over the limit of {MAX_FIELD_CHARS:,}"
    return ""


# --------------------------------------------------------------------------- reading a file

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

    Every reader goes through here: a paper over the field bounds (:func:`oversized`) becomes a
    skipped entry naming its file and line; invalid bytes do not stop the reading: the entries
    holding them are left out and, once every other entry was read, one :class:`ReaderError`
    names the first such line; and a reader that fails on some input ends as a ReaderError
    naming the file, never as an exception that would stop a build of many files.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ReaderError(path, "no such file") from None
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        # /dev/zero, a terminal, a pipe: endless or read once only; a listing is a file.
        raise ReaderError(path, f"not a regular file ({_file_kind(mode)})")
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
    log = _DecodeLog()
    items = iter(reader.read(path, **kwargs))
    last_line = 0
    while True:
        outer, _local.log = getattr(_local, "log", None), log
        try:
            item = next(items)
        except StopIteration:
            break
        except ReaderError as exc:
            if log.lines:   # invalid bytes are the likelier cause: name them first
                raise ReaderError(path, f"{log.message(entries)}; then: {exc.reason}", log.first_line) from None
            raise
        except Exception as exc:   # a reader's bug on some input: this file fails, not the build
            raise ReaderError(path, f"the {name} reader failed after {entries} entries ({type(exc).__name__}: "
                              f"{str(exc)[:200]}); the rest of the file is not read", last_line) from exc
        finally:
            _local.log = outer
        if isinstance(item, ReaderWarning):
            if on_warning is not None:
                on_warning(item)
            continue
        if log.lines and isinstance(item, Paper) and _has_undecodable(item):
            log.dropped += 1    # an entry holding invalid bytes: named by the error at the end
            continue
        entries += 1
        last_line = item.source.line or last_line
        if isinstance(item, Paper):
            too_big = oversized(item)
            if too_big:
                yield SkippedEntry(dataclasses.replace(item.source, path=display_path(item.source.path)),
                                   f"{too_big}: {item.title[:80]!r}")
                continue
            if categories is not None and not categories.accepts(item.categories):
                continue
            yield clean_paper(item)
        else:
            shown = display_path(item.source.path)
            yield item if shown == item.source.path else SkippedEntry(
                dataclasses.replace(item.source, path=shown), item.reason)
    if categories is not None:
        entries += categories.rejected - rejected_before
    if log.lines:
        raise ReaderError(path, log.message(entries), log.first_line)
    if not entries:
        raise ReaderError(path, f"no entries found (read as {name})")


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a file"


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


# --------------------------------------------------------------------------- decoding

_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")   # an invalid byte, decoded with surrogateescape


def bom_encoding(data: bytes) -> tuple[str, int]:
    """The encoding a byte order mark at the start of ``data`` names, and the mark's length
    (``("utf-8", 0)`` without one). UTF-32 LE is tested before UTF-16 LE, whose mark it starts with.

    >>> bom_encoding(b"\\xff\\xfe{"), bom_encoding(b"{")
    (('utf-16-le', 2), ('utf-8', 0))
    """
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding, len(mark)
    return "utf-8", 0


class _DecodeLog:
    """Invalid bytes met while one file is read through read_papers (see _note_invalid)."""

    def __init__(self) -> None:
        self.lines = 0          # lines holding invalid bytes
        self.first_line = 0
        self.first_byte = 0
        self.encoding = "UTF-8"
        self.dropped = 0        # papers left out for holding them

    def message(self, entries: int) -> str:
        left_out = f"{self.dropped} entr{'y' if self.dropped == 1 else 'ies'} holding them left out, " \
            if self.dropped else ""
        return (f"invalid {self.encoding} (byte 0x{self.first_byte:02x}) on {self.lines:,} "
                f"line{'s' if self.lines > 1 else ''}, the first here; {left_out}{entries:,} other "
                f"entr{'y' if entries == 1 else 'ies'} read")

    def note(self, line: int, byte: int, encoding: str, lines: int = 1) -> None:
        if not self.lines:
            self.first_line, self.first_byte, self.encoding = line, byte, encoding.upper()
        self.lines += lines


_local = threading.local()   # the _DecodeLog of the file read_papers is reading in this thread


def _note_invalid(line: int, byte: int, encoding: str = "utf-8", lines: int = 1) -> None:
    log = getattr(_local, "log", None)
    if log is not None:
        log.note(line, byte, encoding, lines)


@contextlib.contextmanager
def unnoted_decoding() -> Iterator[None]:
    """A block whose invalid bytes are not noted for read_papers: a reader's first look at a file
    it then reads again (each bad line is counted once, on the reading that yields entries)."""
    outer, _local.log = getattr(_local, "log", None), None
    try:
        yield
    finally:
        _local.log = outer


def _has_undecodable(paper: Paper) -> bool:
    texts = [paper.title, paper.abstract, paper.id, paper.url, paper.venue, *paper.authors]
    return any(_ESCAPED_BYTE.search(t) for t in texts)


def _is_wide(codec: str) -> bool:
    """UTF-16/32: lines do not split at b"\\n", and invalid bytes may be ASCII ones."""
    return codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))


def decode_text(data: bytes, path: str | Path = "", encoding: str | None = None) -> str:
    """``data`` as text: UTF-8 or UTF-16/32 when a byte order mark says so (whatever ``encoding``
    says), else ``encoding`` (default UTF-8). Invalid bytes do not stop anything: UTF-8 ones (and
    those of single-byte encodings) become lone surrogates (``surrogateescape``, so the entry
    holding one is recognised and left out by read_papers), UTF-16/32 ones U+FFFD; read_papers
    reports them."""
    bom, skip = bom_encoding(data)
    codec = bom if skip else (encoding or "utf-8")
    body = data[skip:]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    if _is_wide(codec):
        line = body[:bad_at].decode(codec, "replace").count("\n") + 1
        _note_invalid(line, body[bad_at], codec)
        return body.decode(codec, "replace")
    try:
        text = body.decode(codec, "surrogateescape")
    except UnicodeDecodeError:   # an ASCII byte out of place in a multi-byte encoding: U+FFFD
        _note_invalid(body.count(b"\n", 0, bad_at) + 1, body[bad_at], codec)
        return body.decode(codec, "replace")
    first, lines, line, pos, last = None, 0, 1, 0, -1
    for match in _ESCAPED_BYTE.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        if line != last:
            lines, last = lines + 1, line
            if first is None:
                first = (line, ord(match.group(0)) - 0xdc00)
    if first is not None:
        _note_invalid(first[0], first[1], codec, lines)
    return text


def read_text(path: Path) -> str:
    """A whole file as text (:func:`decode_text`: UTF-8, or UTF-16/32 with a byte order mark)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    return decode_text(data, path).lstrip("\ufeff")


def _check_encoding(path: Path, encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ReaderError(path, f"unknown encoding {encoding!r}") from None


def read_text_guessing(path: Path, encoding: str | None = None,
                       fallback: str | None = "cp1252") -> tuple[str, ReaderWarning | None]:
    """A whole file as text, and a warning when its encoding was guessed.

    A byte order mark decides first, whatever ``encoding`` says (UTF-8, or UTF-16/32 as Excel's
    and Web of Science's "Unicode text" exports are: :func:`bom_encoding`). Otherwise ``encoding``
    when given, else UTF-8, else ``fallback`` (cp1252, what spreadsheets on Windows write) with a
    warning naming the file and the first byte that is not UTF-8. Bytes the chosen encoding cannot
    decode (or no candidate can) do not stop the reading: as in :func:`decode_text`, the entries
    holding them are left out and read_papers names the first such line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    if bom_encoding(data)[1]:
        return decode_text(data, path).lstrip("\ufeff"), None
    if encoding is not None:
        return decode_text(data, path, _check_encoding(path, encoding)), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if fallback is not None:
            try:
                text = data.decode(fallback)
            except UnicodeDecodeError:
                pass   # not that either: UTF-8 with invalid bytes
            else:
                line = data.count(b"\n", 0, exc.start) + 1
                return text, ReaderWarning(SourceRef(str(path), line, ""),
                                           f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}): read as "
                                           f"{fallback}; pass --encoding to say which encoding it is")
    return decode_text(data, path), None


def _too_long(path: Path, number: int, length: int, reader: str) -> SkippedEntry:
    return SkippedEntry(SourceRef(str(path), number, reader),
                        f"line of {length:,} bytes, over the limit of {MAX_LINE_BYTES:,} for one record; not read")


def iter_lines(path: Path, reader: str = "", encoding: str = "utf-8") -> Iterator[tuple[int, str] | SkippedEntry]:
    """Lines of a file with 1-based numbers, streamed and decoded one by one, line ends removed:
    UTF-8 or UTF-16/32 when a byte order mark says so, else ``encoding`` (``kg build --encoding``).
    A line over :data:`MAX_LINE_BYTES` is a :class:`SkippedEntry` (read past in chunks, never held
    whole); invalid bytes are decoded as in :func:`decode_text` and noted for read_papers, and the
    reading goes on."""
    codec = _check_encoding(path, encoding)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        bom, skip = bom_encoding(fh.peek(4)[:4])
        if skip:
            codec = bom
        if _is_wide(codec):
            # with a mark, the generic codec reads it and takes the byte order from it
            yield from _wide_lines(path, fh, codec, reader, codec.rsplit("-", 1)[0] if skip else codec)
            return
        for item in iter_raw_lines(fh, path, reader):
            if isinstance(item, SkippedEntry):
                yield item
                continue
            number, raw = item
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                _note_invalid(number, raw[exc.start], codec)
                try:
                    text = raw.decode(codec, "surrogateescape")
                except UnicodeDecodeError:   # an ASCII byte out of place in a multi-byte encoding
                    text = raw.decode(codec, "replace")
            if number == 1:
                text = text.lstrip("\ufeff")
            yield number, text.rstrip("\r\n")


def iter_raw_lines(fh, path: Path, reader: str = "") -> Iterator[tuple[int, bytes] | SkippedEntry]:
    """The lines of a binary file object with 1-based numbers, each at most
    :data:`MAX_LINE_BYTES`: a longer one is a :class:`SkippedEntry`, read past in chunks."""
    number = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            length = len(raw)
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
                length += len(raw)
            yield _too_long(path, number, length - raw.endswith(b"\n"), reader)
            continue
        yield number, raw


def _wide_lines(path: Path, fh, encoding: str, reader: str,
                wrapper: str | None = None) -> Iterator[tuple[int, str] | SkippedEntry]:
    """iter_lines for a UTF-16/32 file (``wrapper``: the codec that reads ``fh`` from its start,
    by default ``encoding`` without its byte order: the mark at the start of ``fh`` gives it)."""
    import io

    limit = MAX_LINE_BYTES // 2   # characters: two bytes or more each
    text_fh = io.TextIOWrapper(fh, encoding=wrapper or encoding.rsplit("-", 1)[0], errors="replace", newline="")
    number = 0
    while True:
        try:
            line = text_fh.readline(limit + 1)
        except UnicodeError as exc:
            _note_invalid(number + 1, 0, encoding)
            raise ReaderError(path, f"invalid {encoding.upper()}: {exc}", number + 1) from None
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            length = len(line)
            while line and not line.endswith("\n"):
                line = text_fh.readline(1 << 20)
                length += len(line)
            yield _too_long(path, number, length * 2, reader)
            continue
        if "\ufffd" in line:
            _note_invalid(number, 0, encoding)
        yield number, line.lstrip("\ufeff").rstrip("\r\n")


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
