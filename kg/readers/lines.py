"""Line-based files streamed one line at a time, each line bounded by :data:`MAX_LINE_BYTES` and
decoded as :mod:`kg.readers.decoding` does (invalid bytes noted, never fatal)."""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from kg.records import SkippedEntry, SourceRef
from kg.readers.contract import ReaderError
from kg.readers.decoding import bom_encoding, check_encoding, is_wide, note_invalid

# A line of a line-based format longer than this is skipped by its length, neither decoded nor
# parsed: no record within the field bounds (kg.readers.bounds) takes more (1 Mi characters, each
# a 12-byte JSON surrogate pair escape at worst, is 12 MiB), and a 200 MB line is not first held
# as JSON objects.
MAX_LINE_BYTES = 16 * 1024 * 1024


def _too_long(path: Path, number: int, length: int, reader: str) -> SkippedEntry:
    return SkippedEntry(SourceRef(str(path), number, reader),
                        f"line of {length:,} bytes, over the limit of {MAX_LINE_BYTES:,} for one record; not read")


def iter_lines(path: Path, reader: str = "", encoding: str = "utf-8") -> Iterator[tuple[int, str] | SkippedEntry]:
    """Lines of a file with 1-based numbers, streamed and decoded one by one, line ends removed:
    UTF-8 or UTF-16/32 when a byte order mark says so, else ``encoding`` (``kg build --encoding``).
    A line over :data:`MAX_LINE_BYTES` is a :class:`SkippedEntry` (read past in chunks, never held
    whole); invalid bytes are decoded as in :func:`~kg.readers.decoding.decode_text` and noted for
    read_papers, and the reading goes on."""
    codec = check_encoding(path, encoding)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        bom, skip = bom_encoding(fh.peek(4)[:4])
        if skip:
            codec = bom
        if is_wide(codec):
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
                note_invalid(number, raw[exc.start], codec)
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
    limit = MAX_LINE_BYTES // 2   # characters: two bytes or more each
    text_fh = io.TextIOWrapper(fh, encoding=wrapper or encoding.rsplit("-", 1)[0], errors="replace", newline="")
    number = 0
    while True:
        try:
            line = text_fh.readline(limit + 1)
        except UnicodeError as exc:
            note_invalid(number + 1, 0, encoding)
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
            note_invalid(number, 0, encoding)
        yield number, line.lstrip("\ufeff").rstrip("\r\n")
