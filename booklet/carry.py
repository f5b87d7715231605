"""What a good build leaves for the next one: TeX's state files, in OUT/.booklet/.

A booklet needs two or three TeX passes when it starts from nothing: the contents, the page
references and the bookmarks are written by one pass and read by the next. The next build of the
same program, after a small change (a title fixed, a room renamed), mostly has the very same
references: its first pass starts from the last good build's .aux, .toc and .out, and when that pass
leaves them unchanged (compile_tex compares them, as for any pass) it is the last. A change that
moves pages costs another pass, as it would have anyway.

The files are kept under a key of everything that decides how they are read (the style files, the
template folder, the engine, booklet's version): another key seeds nothing. The folder is a cache:
one that is missing, unreadable or not booklet's means a cold build, never a failure, and
compile_tex runs cold again when a seeded first pass fails.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__
from .publish import publish, write_file

STATE_DIR = ".booklet"
STATE_SUFFIXES = (".aux", ".toc", ".out")
_KEY_FILE = "key.json"


def state_key(styles: dict[str, bytes], engine: str, templates: list[tuple[str, bytes]]) -> str:
    """What the kept state files depend on besides the program: a different key seeds nothing."""
    digest = hashlib.sha256(f"booklet {__version__}\n{engine}\n".encode())
    for name, data in sorted(styles.items()) + sorted(templates):
        digest.update(f"{name}\n{len(data)}\n".encode() + data)
    return digest.hexdigest()


def own_folder(folder: Path) -> bool:
    """FOLDER is there and can be booklet's own: a folder, not a link to one elsewhere."""
    return folder.is_dir() and not folder.is_symlink()


def state_folder(out: Path) -> Path | None:
    """OUT's kept-state folder, when it is there and booklet's own (a folder, not a link)."""
    folder = out / STATE_DIR
    return folder if own_folder(folder) else None


def seeds(out: Path, job: str, key: str) -> dict[str, bytes]:
    """The state files the last good build of OUT left for JOB, when they were made under KEY."""
    folder = state_folder(out)
    if folder is None:
        return {}
    try:
        recorded = json.loads((folder / _KEY_FILE).read_text(encoding="utf-8"))
        if not isinstance(recorded, dict) or recorded.get("key") != key:
            return {}
        return kept_files(folder, job)
    except (OSError, ValueError):
        return {}


def kept_files(folder: Path, job: str) -> dict[str, bytes]:
    """JOB's state files in FOLDER (a kept-state folder), by suffix, whatever key they were made
    under. OSError when one cannot be read."""
    found = {}
    for suffix in STATE_SUFFIXES:
        path = folder / f"{job}{suffix}"
        if path.is_file() and not path.is_symlink():
            found[suffix] = path.read_bytes()
    return found


def keep(out: Path, work: Path, jobs: list[str], key: str) -> None:
    """After a good build: its state files, for the next build's first passes. Best effort: a
    folder that cannot be written only costs the next build its head start."""
    folder = out / STATE_DIR
    try:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return  # not ours
        folder.mkdir(exist_ok=True)
        (folder / _KEY_FILE).unlink(missing_ok=True)  # until the new key is written, nothing is seeded
        for job in jobs:
            for suffix in STATE_SUFFIXES:
                source = work / f"{job}{suffix}"
                if source.is_file():
                    staged = work / f"{job}{suffix}.carry"
                    write_file(staged, source.read_bytes())
                    publish(staged, folder / f"{job}{suffix}")
        staged = work / f"{_KEY_FILE}.carry"
        write_file(staged, json.dumps({"key": key}) + "\n")
        publish(staged, folder / _KEY_FILE)
    except OSError:
        pass
