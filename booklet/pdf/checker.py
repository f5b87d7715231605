"""A preflight in a process of its own, one per build lane.

The preflight is Python through and through (pypdf's parse, the text and layout checks), and the
lanes of a build are threads of one process: while the booklet's second TeX pass runs, the chair
sheets are checked, and once it ends, the booklet is checked and imposed, all behind one interpreter
lock. A Checker takes a lane's checks to a Python process of its own, so that they use a core of
their own: the booklet is checked while its imposition is made, and the sheets' checks never slow
the booklet's.

The processes are plain child interpreters (no fork of a threaded build, no re-import of the
program that called booklet), started as the booklet's first TeX pass begins so that they have
imported the preflight by the time any document is typeset. They talk pickles over their standard
input and output: a batch of (file, expectation, work folder) in, one report per file out, in
order. A checker keeps its ReadCache for its lane's files: a session's sheet reuses the texts of
the combined file checked before it. Paths are sent absolute. A checker that is stopped (a failed
or interrupted build) is killed at once; one whose build went away reads the end of its input and
ends.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

from ..cpu import yield_cpu
from .preflight import FileExpectation, FileReport

_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)  # the folder holding booklet/
_idle: dict[bool, list[subprocess.Popen]] = {False: [], True: []}  # by warm_up, by yielding; not yet a lane's
_idle_lock = threading.Lock()


def _start(yielding: bool = False) -> subprocess.Popen:
    env = dict(os.environ)
    # The child imports the very booklet this build runs, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH", "")]))
    # A group of its own: stopping it stops the readers it started (pdftotext, mutool, qpdf) too.
    process = subprocess.Popen([sys.executable, "-c", "from booklet.pdf.checker import serve; serve()"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=True)
    if yielding:  # a lane that does not pace the build (cpu.py): from its first import on
        yield_cpu(process.pid)
    return process


def warm_up(pacing: int, yielding: int) -> None:
    """Have checkers starting now (they import the preflight meanwhile): PACING of them for the lane
    the build waits for, YIELDING for the others, at a lower CPU priority (cpu.py), so that their
    imports do not slow the booklet's first pass. A build calls this once that pass runs, while it
    renders the other documents."""
    with _idle_lock:
        for kind, count in ((False, pacing), (True, yielding)):
            while len(_idle[kind]) < count:
                _idle[kind].append(_start(kind))


class CheckerFailed(Exception):
    """The checker's process failed (a bug in a check), or was stopped."""


class Checker:
    """One lane's preflight process: `submit` files in the order they are ready, then `reports`."""

    def __init__(self, scratch: Path | None = None, kept: Path | None = None, yielding: bool = False):
        self._scratch = scratch.resolve() if scratch is not None else None  # the readers may write there
        self._kept = kept.resolve() if kept is not None else None  # OUT/.booklet: the last build's page memos
        with _idle_lock:
            self._process = _idle[yielding].pop() if _idle[yielding] else _start(yielding)
        self._submitted = 0
        self.peak_kb = 0  # the process's peak resident memory, known once `reports` has returned

    @property
    def pid(self) -> int:
        return self._process.pid

    def submit(self, files: list[tuple[Path, FileExpectation]]) -> None:
        """Check FILES (finished file, what it must be) after those submitted before."""
        self._send([(path.resolve(), expect, self._scratch, self._kept) for path, expect in files])
        self._submitted += len(files)

    def reports(self, on_report: Callable[[int, int], bool] = lambda done, total: True) -> list[FileReport]:
        """Every submitted file's report, in order. ON_REPORT(done, total) hears each one; when it
        returns False the checks stop (the build is stopping) and the reports so far are returned."""
        reports: list[FileReport] = []
        self._send(None)  # nothing more: the process answers its peak memory and ends
        while len(reports) < self._submitted:
            answer = self._receive()
            if isinstance(answer, str):
                raise CheckerFailed(answer)
            reports.append(answer)
            if not on_report(len(reports), self._submitted):
                self.stop()
                return reports
        self.peak_kb = self._receive()
        return reports  # the process now keeps its page readings (page_memo.py): see `finish`

    def finish(self, timeout: float = 120) -> None:
        """Wait until the process has written its page readings and ended (killed past TIMEOUT)."""
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        self.stop()  # its streams closed (and, past TIMEOUT, the process killed)

    def stop(self) -> None:
        """Kill the process (safe to call twice, from any thread): its checks are of no use now."""
        try:
            os.killpg(self._process.pid, signal.SIGKILL)  # its group: the process and its readers
        except (ProcessLookupError, PermissionError):
            pass
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def _send(self, message) -> None:
        try:
            pickle.dump(message, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
        except (OSError, ValueError) as exc:
            raise CheckerFailed(f"the preflight process ended unexpectedly ({exc})") from None

    def _receive(self):
        try:
            return pickle.load(self._process.stdout)
        except (EOFError, OSError, ValueError, pickle.UnpicklingError) as exc:
            raise CheckerFailed(f"the preflight process ended unexpectedly ({exc or type(exc).__name__})") from None


def serve() -> None:
    """The checker process: check each batch of files as it comes, answer one report per file."""
    import resource
    import traceback

    from .page_memo import memo_for
    from .preflight import ReadCache, preflight

    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print cannot garble the answers
    cache = ReadCache()
    memos = []

    def answer(message) -> None:
        pickle.dump(message, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()

    try:
        while True:
            files = pickle.load(requests)
            if files is None:
                break
            for path, expect, scratch, kept in files:
                memo = memo_for(expect, scratch, kept)
                answer(preflight(path, expect, cache, scratch, memo))
                if memo is not None:
                    memos.append(memo)
        answer(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        # The lane has every report: the readings are written for the next build while this one
        # publishes (the build waits for them before it keeps them, Outputs.settle).
        for memo in memos:
            memo.save()
        # Done: end without taking down, object by object, the million words and the parse of a
        # 5,000-paper booklet (a tenth of a second the build would wait for).
        answers.close()
        os._exit(0)
    except (EOFError, BrokenPipeError):  # the build is gone
        return
    except Exception:  # a bug in a check: the build reports it, with the traceback
        answer(traceback.format_exc())
