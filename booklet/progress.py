"""Build phases: how long each took (for the summary and the benchmark), and live progress.

On a terminal, a build that runs longer than about two seconds shows the phase it is in, updated
in place; piped output and CI logs stay quiet (the one-line summary is printed by the CLI).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable


class Phases:
    """Wall time per phase. Phases may overlap (the chair sheets are split while the booklet is still
    in TeX) and a phase may be entered by two lanes at once: its time is how long at least one lane
    was in it, so no second counts twice within a phase."""

    def __init__(self, listener: Callable[[str], None] = lambda _: None):
        self.listener = listener
        self.seconds: dict[str, float] = {}
        self.started = time.monotonic()
        self._active: dict[str, tuple[int, float]] = {}  # name -> (lanes inside, since when)
        self._spans: list[tuple[str, float, float]] = []  # (name, start, end) of each time in a phase
        self._lock = threading.Lock()

    @property
    def current(self) -> str | None:
        with self._lock:
            return ", ".join(self._active) or None

    @contextmanager
    def phase(self, name: str):
        with self._lock:
            inside, since = self._active.get(name, (0, time.monotonic()))
            self._active[name] = (inside + 1, since)
            first = inside == 0
        if first:
            self.listener(name)
        try:
            yield
        finally:
            with self._lock:
                inside, since = self._active.pop(name)
                if inside > 1:
                    self._active[name] = (inside - 1, since)
                else:
                    now = time.monotonic()
                    self.seconds[name] = self.seconds.get(name, 0.0) + now - since
                    self._spans.append((name, since, now))

    def union(self, *names: str) -> float:
        """Seconds during which at least one of NAMES was running (overlaps counted once)."""
        with self._lock:
            return covered_seconds([(start, end) for name, start, end in self._spans if name in names])


def covered_seconds(spans: list[tuple[float, float]]) -> float:
    """The length of the union of the (start, end) intervals."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


class LiveStatus:
    """A status line on stderr, rewritten twice a second once the build has run for DELAY seconds."""

    DELAY = 2.0

    def __init__(self, phases: Phases, stream=None):
        self.phases = phases
        self.stream = stream or sys.stderr
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._shown = False

    @staticmethod
    def wanted(stream=None) -> bool:
        stream = stream or sys.stderr
        return stream.isatty() and not os.environ.get("CI")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _run(self):
        while not self._stop.wait(0.5):
            elapsed = time.monotonic() - self.phases.started
            if elapsed >= self.DELAY and self.phases.current:
                self.stream.write(f"\r\033[Kbooklet: {self.phases.current}... {elapsed:.0f} s")
                self.stream.flush()
                self._shown = True
