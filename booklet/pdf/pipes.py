"""Command-line readers (mutool, pdftotext) run beside the preflight's own work, their output read as
it comes.

A pipe holds 64 KB. A reader started "in the background" whose output nobody reads yet writes its
first pages, fills the pipe and stops until someone reads: pdftotext's 9 MB of word boxes for a
350-page booklet would be made only once the checks ask for them, after everything else. A thread
of its own reads each command's output from the start, so the command runs to its end meanwhile.
"""

from __future__ import annotations

import subprocess
import threading


class DrainedProcess:
    """COMMAND running, its standard output (and its error output, with MERGE_ERRORS) collected by a
    thread as it is written."""

    def __init__(self, command: list[str], merge_errors: bool = False):
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT if merge_errors else subprocess.DEVNULL)
        self._output = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        self._output = self._process.stdout.read()

    def output(self, timeout: float | None = None) -> tuple[bytes, int | None]:
        """All it wrote and its exit status; a command that runs past TIMEOUT seconds is killed and
        its status is None."""
        self._reader.join(timeout)
        if self._reader.is_alive():
            self.kill()
            return b"", None
        return self._output, self._process.wait()

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join()
