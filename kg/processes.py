"""Worker-process plumbing shared by the build's process pool and ``kg serve``'s query workers:
which start method to use, and a worker that ends with the process that started it."""
from __future__ import annotations

import multiprocessing
import os
import select
import sys
import threading
import time


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
