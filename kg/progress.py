"""A one-line progress bar for ``kg build`` on a terminal (the CLI shows it on stderr, only on a TTY)."""
from __future__ import annotations

import time
from typing import TextIO

from kg.build.report import BuildProgress


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class TerminalProgress:
    """Callable receiving :class:`~kg.build.BuildProgress`: bar, papers, papers/s and ETA."""

    def __init__(self, stream: TextIO, width: int = 24, interval: float = 0.25) -> None:
        self.stream, self.width, self.interval = stream, width, interval
        self.last = 0.0
        self.stage = ""
        self.shown = 0

    def __call__(self, ev: BuildProgress) -> None:
        now = time.monotonic()
        if ev.stage == self.stage and now - self.last < self.interval and ev.stage != "done":
            return
        self.last, self.stage = now, ev.stage
        rate = ev.extracted / ev.seconds if ev.seconds > 0 else 0.0
        f = ev.fraction
        if f is not None and ev.stage in ("extract", "reextract", "done"):
            filled = int(self.width * f)
            bar = "[" + "#" * filled + "-" * (self.width - filled) + f"] {100 * f:3.0f}%"
            eta = f"  ETA {_clock(ev.seconds * (1 - f) / f)}" if 0 < f < 1 else ""
        else:
            bar, eta = "", ""
        text = (f"{ev.stage:<9} {bar}  {ev.papers:,} papers read, {ev.extracted:,} extracted "
                f"({rate:,.0f}/s){eta}  {_clock(ev.seconds)}")
        self.stream.write("\r" + text.ljust(self.shown))
        self.stream.flush()
        self.shown = len(text)

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = 0
