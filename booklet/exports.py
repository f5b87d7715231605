"""Reading other tools' exports (HotCRP, frab, pretalx, c3voc) safely, for every importer alike.

An export is untrusted input of any size and shape: it is read only when it is a regular file of
at most MAX_EXPORT_BYTES (the limit is checked before anything is read), and JSON nested beyond
reason, broken UTF-8 or broken JSON each become one clear error naming the file and, where
known, the line.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from . import rules
from .diagnostics import Diagnostic, ProgramError, Severity

MAX_EXPORT_BYTES = 64 * 1024 * 1024  # the largest conferences' exports, abstracts included, are under 30 MB


def export_error(path: Path, message: str, line: int = 0, field: str = "") -> ProgramError:
    return ProgramError(Diagnostic(str(path), line, 1 if line else 0, Severity.ERROR, field, message,
                                   rules.EXPORT_INVALID))


def read_export_bytes(path: Path, what: str) -> bytes:
    """PATH's bytes; WHAT says which export is expected, for the messages."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise export_error(path, f"no such file; give {what}") from None
    except OSError as exc:  # a name too long, a loop of links, no permission
        raise export_error(path, f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise export_error(path, f"is not a regular file; give {what}")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_EXPORT_BYTES + 1)
    except OSError as exc:
        raise export_error(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_EXPORT_BYTES:
        limit = f"{MAX_EXPORT_BYTES // 1048576} MB" if MAX_EXPORT_BYTES >= 1048576 else f"{MAX_EXPORT_BYTES} bytes"
        raise export_error(path, f"is larger than {limit}, the most an export may be")
    return raw


def parse_json(path: Path, raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise export_error(path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise export_error(path, f"not JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise export_error(path, "JSON nested too deeply to be an export") from None
