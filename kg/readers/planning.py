"""What a build reads: the files given, each folder replaced by the listing files under it (by
extension, or recognised by content), and every file of a folder left out, with why."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.readers.contract import Reader
from kg.readers.paths import canonical_path
from kg.readers.sniffing import recognise_content


@dataclass
class InputPlan:
    """What a build reads: ``files`` in order (a folder with no listing file in it stays itself, so
    reading it fails naming it), the reader each folder file was recognised as, and every file of
    a folder left out with why (``{"file": ..., "reason": ...}``)."""

    files: list[Path] = field(default_factory=list)
    readers: dict[str, str] = field(default_factory=dict)
    left_out: list[dict] = field(default_factory=list)


def plan_files(paths: Iterable[str | Path], readers: Mapping[str, Reader], format: str | None = None) -> InputPlan:
    """:func:`kg.readers.plan_inputs` among ``readers`` (the registered ones)."""
    plan = InputPlan()
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
                why = recognise_content(f, readers)
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

