"""What a reader is and what it reports: the :class:`Reader` a format registers as, the
:class:`ReaderError` that ends the reading of a file, the :class:`ReaderWarning` it yields among its
entries, and the :class:`ReadOptions` (``--encoding``, ``--columns``) it may take."""
from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.records import Paper, SkippedEntry, SourceRef
from kg.readers.paths import display_path

ReadFn = Callable[[Path], Iterator[Paper | SkippedEntry]]
SniffFn = Callable[[str], bool]


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
    reader among its entries; :func:`kg.readers.read_papers` passes it to ``on_warning``, not as an entry)."""

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
