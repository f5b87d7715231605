"""A copy of a PDF that poppler reads quickly.

Poppler (pdftotext) builds a page's fonts afresh for every page, and for an embedded Type 1 font
that means reading the font's program again, inflating it when it is compressed, a byte at a time:
for a 350-page booklet with seven fonts, most of pdftotext's two seconds went to the same seven
programs, page after page. The copy (`plain.js`, run by mutool: 0.1 s) stores its streams
uncompressed and leaves out the programs of the fonts whose text poppler takes from elsewhere
(named codes, a /ToUnicode map, /Widths), which is every font pdfTeX embeds for booklet: it gives
the very same words and boxes in a third of the time (1.5 s to 0.6 s for a 1,500-paper booklet).
Images stay compressed: a photograph's JPEG expanded would be seven times its size, for nothing
poppler's text needs. The copy lives in the build's work folder and is removed once read; without a
work folder (`booklet check` only reads OUT) or without mutool, poppler reads the file itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).with_name("plain.js")


def plain_copy(path: Path, scratch: Path | None) -> Path | None:
    """PATH with its streams uncompressed and the font programs poppler does not need left out, in
    the folder SCRATCH; None when no copy could be made (no folder to write in, no mutool, or a
    file mutool cannot read: poppler will say so itself)."""
    if scratch is None or shutil.which("mutool") is None:
        return None
    handle, name = tempfile.mkstemp(prefix=".plain-", suffix=".pdf", dir=scratch)
    os.close(handle)
    copy = Path(name)
    try:
        made = subprocess.run(["mutool", "run", str(SCRIPT), str(path), str(copy)], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.SubprocessError):
        made = None
    if made is None or made.returncode != 0 or copy.stat().st_size == 0:
        copy.unlink(missing_ok=True)
        return None
    return copy
