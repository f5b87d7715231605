"""Where a build works and how its results reach OUT without ever leaving a half-written file.

All work happens in a private folder inside OUT (so the final rename is on the same file system and
therefore atomic), and that folder is removed however the build ends: success, error, Ctrl-C or
SIGTERM. A file in OUT is only ever replaced by `os.replace` of a complete file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

WORK_PREFIX = ".booklet-work-"


@contextmanager
def work_directory(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def naming(path: Path):
    """A write to PATH that fails (a full disk) says which file: the system's own error does not."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def write_file(path: Path, data: bytes | str) -> None:
    with naming(path):
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)


def publish(finished: Path, target: Path) -> None:
    """Move a complete file into place in one step; readers see the old file or the new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if finished.parent.stat().st_dev != target.parent.stat().st_dev:  # pragma: no cover - same tree
        staged = target.with_name(f".{target.name}.partial")
        shutil.copyfile(finished, staged)
        finished = staged
    os.replace(finished, target)


def remove_stale_work(out: Path) -> None:
    """Work folders left by a build that was killed outright (SIGKILL gives no chance to clean).
    The caller holds OUT's lock (lock.py), so no other build can be using one of them."""
    if not out.is_dir():
        return
    for stale in out.glob(WORK_PREFIX + "*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
