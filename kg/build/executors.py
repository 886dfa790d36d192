"""Where batches run: in this process, in a pool of worker processes, or on a Dask cluster (the
process plumbing they share with ``kg serve`` is :mod:`kg.processes`).

Knows nothing of what runs: a task is a picklable function and its arguments, a process pool
warms its workers up with the ``warm_up`` function it is given.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from kg.processes import exit_with, worker_context

INLINE_MAX_BYTES = 3_000_000   # inputs smaller than this are extracted in this process (auto workers)
DASK_CONNECT_TIMEOUT = 30.0    # seconds to reach a Dask scheduler before giving up


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
