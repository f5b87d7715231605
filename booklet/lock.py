"""One build at a time per output folder.

Two builds publishing into one OUT at once would mix their files (and their manifests). Each build
holds an exclusive lock on OUT/.booklet.lock from its up-to-date check to its last rename; a second
build waits for it, or, with --no-wait, stops at once and says why. The lock is the operating
system's (flock): a killed build releases it as it dies, and the file itself stays, empty.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Callable

from . import rules
from .diagnostics import Diagnostic, ProgramError, Severity

LOCK_NAME = ".booklet.lock"


@contextmanager
def output_lock(out: Path, *, wait: bool = True,
                waiting: Callable[[], AbstractContextManager] = nullcontext):
    """Hold OUT's lock for the duration; WAITING() surrounds the wait for another build, if any."""
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise ProgramError(Diagnostic(str(out), 0, 0, Severity.ERROR, "",
                                              "another booklet build is writing to this folder; wait for it "
                                              "or leave out --no-wait", rules.OUTPUT_BUSY)) from None
            with waiting():
                fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
