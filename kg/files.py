"""Writing a file atomically: the one way every output of ``kg`` reaches the disk.

A temporary file beside the target is written, flushed to disk, given the usual permissions and
renamed over the target, so a crash leaves either the old file or the new one, never half of one.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def stage_file(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path``'s new content into a temporary file beside it and return that file; the
    caller renames it into place (``os.replace``), possibly together with others.

    The file is fsynced (a power cut after the rename cannot leave an empty file under the old
    name) and gets the permissions a plain ``open`` would give (mkstemp's are owner-only; outputs
    are meant to be shared). On failure the temporary file is removed and the error re-raised.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        umask = os.umask(0)   # (read it back: os.umask has no getter)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # after writing: a writer may replace the file
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` through ``write(temporary_path)``, then rename it into place: a crash mid-way
    leaves the previous file intact (:func:`stage_file`)."""
    tmp = stage_file(path, write)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
