"""A copy of a PDF that poppler reads quickly.

Poppler (pdftotext) builds a page's fonts afresh for every page, and for an embedded Type 1 font
that means inflating the font's program again: for a 350-page booklet with seven fonts, three
quarters of pdftotext's two seconds go to decompressing the same seven streams page after page.
The same file with its streams stored uncompressed (`mutool clean -d`, 0.07 s) gives the very same
words and boxes in a quarter of the time. Images stay compressed (`-i`): a photograph's JPEG
expanded would be seven times its size, for nothing poppler's text needs. The copy lives in the
build's work folder and is removed once read; without a work folder (`booklet check` only reads
OUT) or without mutool, poppler reads the file itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def plain_copy(path: Path, scratch: Path | None) -> Path | None:
    """PATH with its streams uncompressed, in the folder SCRATCH; None when no copy could be made
    (no folder to write in, no mutool, or a file mutool cannot read: poppler will say so itself)."""
    if scratch is None or shutil.which("mutool") is None:
        return None
    handle, name = tempfile.mkstemp(prefix=".plain-", suffix=".pdf", dir=scratch)
    os.close(handle)
    copy = Path(name)
    try:
        made = subprocess.run(["mutool", "clean", "-d", "-i", str(path), str(copy)], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.SubprocessError):
        made = None
    if made is None or made.returncode != 0 or copy.stat().st_size == 0:
        copy.unlink(missing_ok=True)
        return None
    return copy
