"""The store build's writer: N-Triples spooled to files beside the store by one thread and
bulk-loaded into Oxigraph by another (:class:`StoreWriter`), in files sized by
:func:`spool_file_limit`; :func:`load_file` loads one file.

Imports pyoxigraph only; knows nothing of papers or extraction.
"""
from __future__ import annotations

import queue
import threading
from pathlib import Path

import pyoxigraph as ox

LOAD_CHUNK = 2048 * 2 ** 20    # N-Triples bytes per bulk load (spooled to a file); see StoreWriter
LOAD_TAIL = 512 * 2 ** 20      # what the last spool file aims at (its load is the only one after the last paper)
BULK_MIN = 4 * 2 ** 20         # below this a (transactional, low-overhead) load is used


class StoreWriter:
    """Spools N-Triples to files beside the store (a writer thread) and bulk-loads each file of
    ``chunk`` bytes with Oxigraph's loader (a loader thread; Oxigraph releases the GIL), so
    extraction results keep flowing while a file is loaded.

    Big files, because each bulk load adds index files that overlap all earlier ones, and RocksDB
    merges them again and again as the store grows: with 32 MiB loads, compaction took a third of
    both cores by the middle of a 1M-paper build (200k papers: 133 s of compaction CPU, with
    1 GiB files 29 s). At 1M papers, 2 GiB files instead of 1 GiB: compaction 214 s of CPU
    instead of 289 s, and the build 1,191 s instead of 1,291 s (the workers, less disturbed,
    used 1,271 s instead of 1,383 s). The loader reads the file itself, so a chunk costs disk,
    not memory: Oxigraph's loader peaked at 1.95 GiB RSS on a 1 GiB file, 2.12 GiB on 2 GiB.

    The load of the last file is the only one nothing overlaps, so the files are cut to leave
    a last one of about ``tail`` bytes (:func:`spool_file_limit`, from the N-Triples expected in
    all: ``put``'s ``fraction``) without adding files: a 100k-paper build's one 0.9 GiB file
    (a 24 s load after the last paper) becomes two halves. Tapering off instead (each file half
    of what was left, down to 64 MiB) added ingestions, and took a 1M build's compaction from
    298-330 s of CPU to 371 s."""

    def __init__(self, store, spool_dir: Path, chunk: int = LOAD_CHUNK, tail: int = LOAD_TAIL) -> None:
        self.store = store
        self.spool_dir = spool_dir
        self.chunk = chunk
        self.tail = min(tail, chunk)
        self.queue: queue.Queue = queue.Queue(maxsize=8)
        self.files: queue.Queue = queue.Queue(maxsize=1)   # at most one full file waits for the loader
        self.error: BaseException | None = None
        self.bytes = 0
        self.thread = threading.Thread(target=self._write, name="kg-store-writer", daemon=True)
        self.loader = threading.Thread(target=self._load, name="kg-store-loader", daemon=True)
        self.thread.start()
        self.loader.start()

    def put(self, data: bytes, fraction: float | None = None) -> None:
        """Spool ``data``; ``fraction``: the share of the input read when it was (for the file size)."""
        if self.error:
            raise self.error
        if data:
            self.bytes += len(data)
            expected = self.bytes / fraction if fraction and fraction >= 0.02 else None   # (too early below)
            self.queue.put((data, expected))

    def finish(self) -> None:
        """No more data: the last file goes to the loader; returns without waiting for its load
        (the caller can work meanwhile; :meth:`close` waits)."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def close(self) -> None:
        self.finish()
        self.loader.join()
        if self.error:
            raise self.error

    def _write(self) -> None:
        fh, size, n, start = None, 0, 0, 0   # start: bytes in the files before this one
        try:
            while True:
                item = self.queue.get()
                data, expected = item if item is not None else (None, None)
                if data is not None and self.error is None:
                    if fh is None:
                        n += 1
                        path = self.spool_dir / f"spool-{n:05d}.nt"
                        fh = open(path, "wb")
                    fh.write(data)
                    size += len(data)
                if fh is not None and (data is None or size >= spool_file_limit(start, expected, self.chunk, self.tail)):
                    fh.close()
                    self.files.put((path, size))
                    fh, start, size = None, start + size, 0
                if data is None:
                    return
        except BaseException as exc:  # handed to the main thread on its next put/close
            self.error = exc
            while self.queue.get() is not None:   # let the main thread's puts through until close
                pass
        finally:
            if fh is not None:
                fh.close()
            self.files.put(None)

    def _load(self) -> None:
        while True:
            item = self.files.get()
            if item is None:
                return
            path, size = item
            try:
                if self.error is None:
                    load_file(self.store, path, size)
            except BaseException as exc:
                self.error = exc
            finally:
                path.unlink(missing_ok=True)


def spool_file_limit(start: int, expected: float | None, chunk: int, tail: int) -> float:
    """Size at which the spool file that begins at byte ``start`` of a build's N-Triples is
    handed to the loader, when ``expected`` bytes are expected in all (None: not known yet):
    ``chunk``, except near the end, where the file before the last stops short so that the
    last one holds about ``tail`` bytes (its load is the one that follows the last paper;
    the one before it runs while that last file is produced), or half of what is left when
    that is under two tails. The last file (up to 1.5 tails) runs to the end.

    >>> GiB = 2 ** 30
    >>> [round(spool_file_limit(s * GiB, 8.4 * GiB, 2 * GiB, GiB // 2) / GiB, 2) for s in (0, 6, 7.9)]
    [2.0, 1.9, inf]
    >>> spool_file_limit(0, 0.9 * GiB, 2 * GiB, GiB // 2) / GiB   # a 100k build: two halves
    0.45
    """
    if expected is None:
        return chunk
    left = expected - start
    if left >= chunk + tail:
        return chunk
    if left > 1.5 * tail:     # (a last file of up to 1.5 tails is fine; smaller splits cost ingestions)
        return max(left - tail, left / 2)
    return float("inf")


def load_file(store, path: Path, size: int) -> None:
    """Load an N-Triples file of ``size`` bytes into the default graph: Oxigraph's bulk loader for
    big files, a transaction (low overhead) for small ones."""
    if size >= BULK_MIN:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    elif size:
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, lenient=True)
