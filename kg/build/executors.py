"""Where batches run: in this process, in a pool of worker processes, or on a Dask cluster; and
the process plumbing they share with ``kg serve`` (:func:`worker_context`, :func:`exit_with`).

Knows nothing of what runs: a task is a picklable function and its arguments, a process pool
warms its workers up with the ``warm_up`` function it is given.
"""
from __future__ import annotations

import multiprocessing
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

INLINE_MAX_BYTES = 3_000_000   # inputs smaller than this are extracted in this process (auto workers)
DASK_CONNECT_TIMEOUT = 30.0    # seconds to reach a Dask scheduler before giving up


def worker_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context for worker processes: forkserver (no fork of a process that
    runs threads, e.g. RocksDB's or an HTTP server's), spawn where there is none; fork only when
    the main module was read from stdin and so cannot be imported again by a fresh process."""
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if main_file and not os.path.isfile(main_file) and "fork" in methods:
        method = "fork"
    return multiprocessing.get_context(method)


def exit_with(parent_pid: int) -> None:
    """End this (worker) process when the process ``parent_pid`` dies. A pool worker whose build
    was killed (SIGKILL: no clean-up) would otherwise wait for work forever, and keep the
    forkserver alive with it."""

    def watch() -> None:
        try:
            fd = os.pidfd_open(parent_pid)
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            select.select([fd], [], [])   # readable once the process has exited
        else:
            while True:
                time.sleep(1.0)
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def start_worker(parent_pid: int, warm_up: Callable[[], None] | None = None) -> None:
    """A pool worker's initializer: exit with the process that started the pool, then warm up."""
    exit_with(parent_pid)
    if warm_up is not None:
        warm_up()


class Ready:
    """The result of a task that ran at once (the :class:`InlineExecutor`'s future)."""

    def __init__(self, value) -> None:
        self.value = value

    def result(self):
        return self.value


class InlineExecutor:
    """Tasks run in this process (small inputs, ``--workers 1``)."""

    name = "inline"
    workers = 1

    def submit(self, fn, *args) -> Ready:
        return Ready(fn(*args))

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A local pool of worker processes (forkserver/spawn: safe beside threads)."""

    name = "processes"

    def __init__(self, workers: int, warm_up: Callable[[], None] | None = None) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(), initializer=start_worker,
                                        initargs=(os.getpid(), warm_up))

    def submit(self, fn, *args):
        return self.pool.submit(fn, *args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Tasks on a Dask distributed cluster (``kg build --dask tcp://HOST:8786``).

    The workers need this package installed (same version); arguments travel to them pickled and
    results come back in submission order, so the graph is the same as a local build's.
    """

    name = "dask"

    def __init__(self, address: str, timeout: float | None = None) -> None:
        try:
            from distributed import Client   # optional (kg-papers[dask]): imported only when asked for
        except ImportError:
            raise RuntimeError("--dask needs dask.distributed: pip install 'kg-papers[dask]'") from None
        timeout = DASK_CONNECT_TIMEOUT if timeout is None else timeout
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:   # unreachable, refused, malformed address
            raise RuntimeError(f"cannot reach the Dask scheduler at {address} within {timeout:g}s: {exc}") from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def close(self) -> None:
        self.client.close()


Executor = InlineExecutor | ProcessExecutor | DaskExecutor


def make_executor(workers: int | None, dask: str | None, input_bytes: int,
                  warm_up: Callable[[], None] | None = None) -> Executor:
    """The executor a build asks for: ``dask``'s cluster, else ``workers`` processes (None: all
    cores for inputs over :data:`INLINE_MAX_BYTES`, else this process)."""
    if dask:
        return DaskExecutor(dask)
    if workers is None:
        workers = (os.cpu_count() or 1) if input_bytes > INLINE_MAX_BYTES else 1
    return InlineExecutor() if workers <= 1 else ProcessExecutor(workers, warm_up)
