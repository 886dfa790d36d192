"""Telling a file's format from its name and its first bytes, among the registered readers (the
registry is :mod:`kg.readers`; these functions take its readers as an argument)."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kg.readers.contract import Reader, ReaderError
from kg.readers.decoding import bom_encoding

# Formats no reader takes, with what to do instead (named in the error rather than "unknown format")
CONVERT_FIRST = {".xlsx": "a spreadsheet: save it as CSV", ".xls": "a spreadsheet: save it as CSV",
                 ".ods": "a spreadsheet: save it as CSV", ".pdf": "a PDF: pass a listing of titles and abstracts"}


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


def detect(path: Path, readers: Mapping[str, Reader]) -> str:
    """The name of the reader among ``readers`` for ``path``: an exclusive extension (``.csv``,
    ``.tsv``: always a table), else content sniffing, then the file extension."""
    head = read_head(path)
    if not head.strip():
        raise ReaderError(path, "empty file")
    name = _exclusive_reader(path, readers) or _sniffed(head, readers)
    if name:
        return name
    suffixes = _suffixes(path)
    for reader in readers.values():
        if suffixes.endswith(reader.extensions):
            return reader.name
    hint = CONVERT_FIRST.get(path.suffix.lower())
    if hint:
        raise ReaderError(path, f"{hint} (known formats: {', '.join(readers)})")
    raise ReaderError(path, f"unknown format (known: {', '.join(readers)}); pass --format")


def recognise_content(path: Path, readers: Mapping[str, Reader]) -> str:
    """The reader among ``readers`` that recognises a file of a folder by content, or why none does."""
    try:
        head = read_head(path)
    except ReaderError as exc:
        return exc.reason
    if not head.strip():
        return "empty file"
    # not the loose sniffers (plain-text listings): any prose file would pass them
    return _sniffed(head, readers, min_priority=0) or (
        "no reader recognises its content (pass the file with --format to read it)")


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


def _sniffs(reader: Reader, head: str) -> bool:
    """Whether ``reader`` claims a file starting with ``head``; a sniffer failing on it does not."""
    try:
        return bool(reader.sniff(head))
    except Exception:   # a hostile head (e.g. JSON nested too deeply) is no reason to stop
        return False
