"""Bytes to text: byte order marks, a given or guessed encoding, and invalid bytes that do not stop
the reading (noted in the :class:`DecodeLog` of the current :func:`kg.readers.read_papers`)."""
from __future__ import annotations

import codecs
import contextlib
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from kg.records import Paper, SourceRef
from kg.readers.contract import ReaderError, ReaderWarning

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


class DecodeLog:
    """Invalid bytes met while one file is read through :func:`kg.readers.read_papers` (noted by
    :func:`note_invalid` while it is the thread's log: :func:`use_decode_log`)."""

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


class _ThreadLog(threading.local):
    log: DecodeLog | None = None


# The DecodeLog of the file read_papers is reading in this thread: not a cache, the route by which
# the decoding helpers below reach the log of the current reading (a reader does not pass it on).
_current = _ThreadLog()


def use_decode_log(log: DecodeLog | None) -> DecodeLog | None:
    """Make ``log`` the one invalid bytes are noted in, in this thread, until the next call; return
    the one it replaces (read_papers swaps its own in around each step of a reader, and back)."""
    outer = _current.log
    _current.log = log
    return outer


def note_invalid(line: int, byte: int, encoding: str = "utf-8", lines: int = 1) -> None:
    """Note ``lines`` lines holding invalid bytes, the first at ``line``, in the thread's log (if any)."""
    log = _current.log
    if log is not None:
        log.note(line, byte, encoding, lines)


@contextlib.contextmanager
def unnoted_decoding() -> Iterator[None]:
    """A block whose invalid bytes are not noted for read_papers: a reader's first look at a file
    it then reads again (each bad line is counted once, on the reading that yields entries)."""
    outer = use_decode_log(None)
    try:
        yield
    finally:
        use_decode_log(outer)


def has_undecodable(paper: Paper) -> bool:
    """Whether a text field of ``paper`` holds an invalid byte (decoded with ``surrogateescape``)."""
    texts = [paper.title, paper.abstract, paper.id, paper.url, paper.venue, *paper.authors]
    return any(_ESCAPED_BYTE.search(t) for t in texts)


def is_wide(codec: str) -> bool:
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
    if is_wide(codec):
        line = body[:bad_at].decode(codec, "replace").count("\n") + 1
        note_invalid(line, body[bad_at], codec)
        return body.decode(codec, "replace")
    try:
        text = body.decode(codec, "surrogateescape")
    except UnicodeDecodeError:   # an ASCII byte out of place in a multi-byte encoding: U+FFFD
        note_invalid(body.count(b"\n", 0, bad_at) + 1, body[bad_at], codec)
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
        note_invalid(first[0], first[1], codec, lines)
    return text


def read_text(path: Path) -> str:
    """A whole file as text (:func:`decode_text`: UTF-8, or UTF-16/32 with a byte order mark)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    return decode_text(data, path).lstrip("\ufeff")


def check_encoding(path: Path, encoding: str) -> str:
    """The codec's canonical name for ``encoding``; an unknown one is a :class:`ReaderError` naming ``path``."""
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
        return decode_text(data, path, check_encoding(path, encoding)), None
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
