"""MuPDF writes the files booklet derives from TeX's PDFs (`derive.js`): the imposed booklet and
each session's chair sheet.

pypdf would first parse every object of the source (10,000 in a 1,500-paper booklet, most of them
links) in the build's busiest moment; mutool copies the pages it is told to in a twentieth of the
time. Python decides everything (which page goes where, the document information, the /IDs) and
hands it over as a plan in the build's work folder; the program's strings travel as hex bytes.

MuPDF keeps the first half of a file's /ID and makes the second afresh each time it saves, so two
builds would differ there: `derive` writes both halves as ours again, as pdfTeX and pypdf do.
Without mutool, or when the script refuses a file (something it does not expect throws), `derive`
says so and the caller writes the files with pypdf.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ..publish import write_file

SCRIPT = Path(__file__).with_name("derive.js")


def derive(command: str, plan: dict, plan_file: Path, written: list[tuple[Path, bytes]]) -> bool:
    """Run derive.js's COMMAND with PLAN (written to PLAN_FILE for the script, removed after; it
    names the files read and written); WRITTEN: each file it makes and its /ID. True when every
    file was made as planned."""
    if shutil.which("mutool") is None:
        return False
    write_file(plan_file, json.dumps(plan))
    try:
        done = subprocess.run(["mutool", "run", str(SCRIPT), command, str(plan_file)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=300)
        return done.returncode == 0 and all(_settle_id(path, identifier) for path, identifier in written)
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        plan_file.unlink(missing_ok=True)


def _settle_id(path: Path, identifier: bytes) -> bool:
    """Write PATH's /ID as IDENTIFIER twice. MuPDF writes each half as a hex or a literal string,
    as it finds the bytes, so the array is read element by element. It stands in the trailer, after
    the cross-reference table, so its new length moves no offset. False if the end of the file is
    not as MuPDF writes it."""
    try:
        with open(path, "r+b") as handle:
            size = handle.seek(0, 2)
            start = max(0, size - 4096)
            handle.seek(start)
            tail = handle.read()
            trailer = tail.rfind(b"trailer")
            opening = tail.find(b"/ID[", trailer) if trailer >= 0 else -1
            end = _array_end(tail, opening + 4) if opening >= 0 else None
            if end is None:
                return False
            half = b"<" + identifier.hex().upper().encode() + b">"
            handle.seek(start + opening)
            handle.write(b"/ID[" + half + half + b"]" + tail[end:])
            handle.truncate()
        return True
    except OSError:
        return False


def _array_end(data: bytes, at: int) -> int | None:
    """Where the array of two strings starting at AT ends (just after its ']'); None if it is not one."""
    for _ in range(2):
        while data[at:at + 1].isspace():
            at += 1
        if data[at:at + 1] == b"<":
            at = data.find(b">", at)
            if at < 0:
                return None
            at += 1
        elif data[at:at + 1] == b"(":  # a literal: nested parentheses, backslash escapes
            depth, at = 1, at + 1
            while depth and at < len(data):
                byte = data[at:at + 1]
                at += 2 if byte == b"\\" else 1
                depth += {b"(": 1, b")": -1}.get(byte, 0)
            if depth:
                return None
        else:
            return None
    while data[at:at + 1].isspace():
        at += 1
    return at + 1 if data[at:at + 1] == b"]" else None
