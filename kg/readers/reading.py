"""Reading one file with its reader: what :func:`kg.readers.read_papers` does around every reader
(field bounds, cleaning, invalid bytes, warnings, a reader's failure) once the reader is known."""
from __future__ import annotations

import codecs
import dataclasses
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.records import Paper, SkippedEntry, SourceRef
from kg.readers.bounds import oversized
from kg.readers.cleaning import clean_paper
from kg.readers.contract import Reader, ReaderError, ReaderWarning, ReadOptions
from kg.readers.decoding import DecodeLog, has_undecodable, use_decode_log
from kg.readers.paths import display_path

if TYPE_CHECKING:
    from kg.readers.filters import CategoryFilter


def check_regular_file(path: Path) -> None:
    """Raise a :class:`ReaderError` unless ``path`` is a regular file or a folder: /dev/zero, a
    terminal, a pipe are endless or read once only; a listing is a file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ReaderError(path, "no such file") from None
    except OSError as exc:
        raise ReaderError(path, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise ReaderError(path, f"not a regular file ({_file_kind(mode)})")


def read_entries(path: Path, reader: Reader, categories: CategoryFilter | None = None, *,
                 options: ReadOptions | None = None,
                 on_warning: Callable[[ReaderWarning], None] | None = None) -> Iterator[Paper | SkippedEntry]:
    """The entries of ``path`` as ``reader`` reads them, checked as :func:`kg.readers.read_papers`
    says (it finds the reader; this reads with it)."""
    name = reader.name
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
    log = DecodeLog()
    items = iter(reader.read(path, **kwargs))
    last_line = 0
    while True:
        outer = use_decode_log(log)
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
            use_decode_log(outer)
        if isinstance(item, ReaderWarning):
            if on_warning is not None:
                on_warning(item)
            continue
        if log.lines and isinstance(item, Paper) and has_undecodable(item):
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

