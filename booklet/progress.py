"""Build phases: how long each took (for the summary and the benchmark), and live progress.

On a terminal, a build that runs longer than about two seconds shows the phase it is in, the TeX
passes and how many chair sheets are done, updated in place (LiveStatus). Piped output and CI logs
get one line as each phase starts instead (the CLI's listener); the summary is printed by the CLI.
"""

from __future__ import annotations

import os
import shutil
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
        self._notes: dict[str, str] = {}  # what each lane is doing now, e.g. "program" -> "pass 2"
        self._lock = threading.Lock()
        self.on_note: Callable[[str, str, bool], None] = lambda what, note, milestone: None

    @property
    def current(self) -> str | None:
        with self._lock:
            return ", ".join(self._active) or None

    def note(self, what: str, note: str, *, milestone: bool = False) -> None:
        """Progress inside a phase (a TeX pass, a count of sheets), shown live, never timed. A
        MILESTONE (a TeX pass) is worth a line of its own in a verbose log; a count is not."""
        with self._lock:
            self._notes[what] = note
        self.on_note(what, note, milestone)

    def clear_note(self, what: str) -> None:
        with self._lock:
            self._notes.pop(what, None)

    @property
    def notes(self) -> str:
        with self._lock:
            return ", ".join(f"{what} {note}" for what, note in self._notes.items())

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
                notes = f" ({self.phases.notes})" if self.phases.notes else ""
                line = f"booklet: {self.phases.current}{notes}... {elapsed:.0f} s"
                width = shutil.get_terminal_size((100, 20)).columns - 1
                self.stream.write("\r\033[K" + (line if len(line) <= width else line[:width - 1] + "…"))
                self.stream.flush()
                self._shown = True
