"""Preloaded preambles: each document's packages loaded once per machine, not once per pass.

Before its first page, every pdfTeX pass loads the document's class and packages (fonts, microtype,
hyperref, xcolor, fontawesome...): 2.4 billion instructions, 28 % of a 200-paper booklet's pass and
9 % of a 1,500-paper one's, paid in each of the booklet's passes and in every other document's. TeX
can keep that state in a format (`\\dump`), as TeX Live keeps plain LaTeX's in pdflatex.fmt, and
start from it.

A template marks the part of its preamble that depends on nothing of the program, only on the
template and the output options (paper, type size):

    \\ifdefined\\bkpreloaded \\bkpreloaded \\else
    \\documentclass...  \\usepackage...
    \\fi

Without a format TeX reads those lines as any others. With one, the document's first line defines
`\\bkpreloaded` and the lines are skipped. The format is dumped from exactly those lines, in the
build folder, by pdfTeX with the build's own environment and restrictions, then kept in
format_cache_folder(), keyed by a hash of the lines and of pdfTeX. Beside it a manifest lists every
file the dump read with its size and date (TeX's trees) or its hash (the build folder's style
files): a format whose inputs changed is made again, and one whose file does not match the hash the
manifest gives is never loaded.

The output is byte for byte the same with and without a format (tests/test_formats.py). One thing
needs putting back: what the preamble leaves on the main vertical list for the first page (xcolor's
`\\color{black}` ends its file with a colour push), which a format cannot hold. The dump run shows
that list (`\\showlists`); the run replays it from `\\bkpreloaded`. A list with anything else on it
(a box, glue) is not replayed: that preamble gets no format.

BOOKLET_PRELOAD=0 in the environment turns formats off (the tests compare the two).

LuaLaTeX keeps its own state (Lua, luaotfload's fonts) that a format does not carry safely: only
pdfTeX documents are preloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .engine import TexFailure, _run, font_cache_folder, tex_environment

GUARD = r"\ifdefined\bkpreloaded \bkpreloaded \else"
_END = r"\fi"
_VERSION = "1"  # of this file's making and keeping: another version's formats are not read
KEEP = 12  # formats kept in the cache (about 7 MB each); the least recently used go first
DUMP_TIMEOUT = 120.0


@dataclass(frozen=True)
class Preload:
    """A format copied into the build folder, ready for a pass: `-fmt=NAME`, and REPLAY defined as
    `\\bkpreloaded` on the pass's first line."""

    name: str
    replay: str
    entry: Path  # its manifest in the cache: forget() removes it when a pass fails on the format

    def first_line(self) -> str:
        return f"\\def\\bkpreloaded{{{self.replay}}}"

    def forget(self) -> None:
        self.entry.unlink(missing_ok=True)


def format_cache_folder() -> Path:
    """Where formats are kept: beside LuaLaTeX's font caches (BOOKLET_FORMAT_CACHE moves it)."""
    if os.environ.get("BOOKLET_FORMAT_CACHE"):
        return Path(os.environ["BOOKLET_FORMAT_CACHE"])
    return font_cache_folder().parent / "formats"


def preloaded_part(tex: str) -> str | None:
    """The lines between the guard and its `\\fi`, or None when the template has no guard."""
    lines = tex.split("\n")
    try:
        start = lines.index(GUARD)
        end = lines.index(_END, start + 1)
    except ValueError:
        return None
    part = "\n".join(lines[start + 1:end])
    return part if part.strip() else None


def prepare(workdir: Path, jobname: str, engine: str = "pdflatex", timeout: float = DUMP_TIMEOUT) -> Preload | None:
    """The format for WORKDIR/JOBNAME.tex's preloaded part, copied into WORKDIR: taken from the cache
    when its inputs are unchanged, else dumped now and kept. None when the document has no such part,
    the engine is not pdfTeX, or no format could be made (the pass then loads its preamble itself)."""
    if engine != "pdflatex" or shutil.which("pdftex") is None or os.environ.get("BOOKLET_PRELOAD") == "0":
        return None
    part = preloaded_part((workdir / f"{jobname}.tex").read_text(encoding="utf-8"))
    if part is None:
        return None
    key = hashlib.sha256("\n".join([_VERSION, _pdftex_identity(), part]).encode()).hexdigest()[:32]
    cache = format_cache_folder()
    name = f"{jobname}-preloaded"
    entry = cache / f"{key}.json"
    manifest = _read_manifest(entry)
    if manifest is not None and _inputs_unchanged(manifest, workdir) and \
            _copy_checked(cache / f"{key}.fmt", workdir / f"{name}.fmt", manifest["fmt"]):
        try:
            os.utime(entry)  # recently used: kept when the cache is pruned
        except OSError:
            pass
        return Preload(name, manifest["replay"], entry)
    made = _dump(workdir, name, part, timeout)
    if made is None:
        return None
    replay, inputs = made
    fmt = (workdir / f"{name}.fmt").read_bytes()
    _keep(cache, key, fmt, {"fmt": _digest(fmt), "replay": replay, "inputs": inputs})
    return Preload(name, replay, entry)


@lru_cache(maxsize=1)
def _pdftex_identity() -> str:
    """The pdfTeX binary: a format only loads into the pdfTeX that made it. (The LaTeX format the dump
    started from, pdflatex.fmt, is among the inputs the manifest checks.)"""
    binary = Path(shutil.which("pdftex") or "pdftex").resolve()
    stat = binary.stat()
    return f"{binary}:{stat.st_size}:{stat.st_mtime_ns}"


def _read_manifest(entry: Path) -> dict | None:
    try:
        manifest = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not {"fmt", "replay", "inputs"} <= manifest.keys():
        return None
    # The replay goes on TeX's first line: only what _replay writes, never anything else read here.
    if not isinstance(manifest["replay"], str) or not _REPLAYED.fullmatch(manifest["replay"]):
        return None
    return manifest


def _inputs_unchanged(manifest: dict, workdir: Path) -> bool:
    """Every file the dump read is as it was: TeX's own files by size and date, the build folder's
    (booklet.sty, a user's style file) by content."""
    for record in manifest["inputs"]:
        try:
            if record[0] == "local":
                if _digest((workdir / record[1]).read_bytes()) != record[2]:
                    return False
            else:
                stat = Path(record[1]).stat()
                if [stat.st_size, stat.st_mtime_ns] != record[2:4]:
                    return False
        except (OSError, IndexError, TypeError):
            return False
    return True


def _copy_checked(source: Path, target: Path, digest: str) -> bool:
    try:
        data = source.read_bytes()
    except OSError:
        return False
    if _digest(data) != digest:  # cut short, or another build's format beside this manifest
        return False
    target.write_bytes(data)
    return True


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# What \showlists prints of the main vertical list that a replay can put back: the colour push that
# xcolor leaves, and LaTeX's own empty write to the log.
_COLOUR_PUSH = re.compile(r"\\pdfcolorstack (\d+) push \{([-0-9. a-zA-Z]*)\}")
_LOG_WRITE = r"\write-{}"
_REPLAYED = re.compile(r"(?:\\write-1\{\}|\\pdfcolorstack\d+ push\{[-0-9. a-zA-Z]*\})*")


def _dump(workdir: Path, name: str, part: str, timeout: float) -> tuple[str, list] | None:
    """Dump PART into WORKDIR/NAME.fmt; (the replay, the inputs read), or None if pdfTeX could not."""
    source = workdir / f"{name}.tex"
    source.write_text(f"{part}\n\\showboxdepth=100 \\showboxbreadth=1000 \\showlists\n\\dump\n", encoding="utf-8")
    command = ["pdftex", "-ini", "-no-shell-escape", "-interaction=nonstopmode", "-recorder",
               f"-jobname={name}", f"&pdflatex {name}.tex"]
    try:
        _run(command, workdir, tex_environment(workdir, None), timeout)
        log = (workdir / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        if not (workdir / f"{name}.fmt").exists() or re.search(r"^! (?!OK\.)", log, re.M):
            return None
        replay = _replay(log)
        return None if replay is None else (replay, _inputs(workdir, workdir / f"{name}.fls", {source.name}))
    except (TexFailure, OSError):  # no format then: the pass loads its preamble itself
        return None


def _replay(log: str) -> str | None:
    section = log.split("### vertical mode entered at line 0", 1)
    if len(section) != 2:
        return None
    replay = []
    for line in section[1].split("prevdepth", 1)[0].splitlines():
        line = line.strip()
        if not line or line.startswith("###"):
            continue
        push = _COLOUR_PUSH.fullmatch(line)
        if push:
            replay.append(f"\\pdfcolorstack{push[1]} push{{{push[2]}}}")
        elif line == _LOG_WRITE:
            replay.append(r"\write-1{}")
        else:
            return None  # a box or glue on the first page: nothing a replay can safely put back
    return "".join(replay)


def _inputs(workdir: Path, recorder: Path, skip: set[str]) -> list:
    inputs, seen = [], set()
    for line in recorder.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("INPUT "):
            continue
        path = line[len("INPUT "):]
        if path in seen or Path(path).name in skip:
            continue
        seen.add(path)
        full = Path(path) if os.path.isabs(path) else workdir / path
        if full.is_relative_to(workdir):
            inputs.append(["local", full.relative_to(workdir).as_posix(), _digest(full.read_bytes())])
        else:
            stat = full.stat()
            inputs.append(["tree", str(full), stat.st_size, stat.st_mtime_ns])
    return inputs


def _keep(cache: Path, key: str, fmt: bytes, manifest: dict) -> None:
    """The format and its manifest into the cache, each replaced whole (another build may be reading
    or making the same one); the least recently used beyond KEEP are removed, and the half-written
    files of a build that was stopped."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for target, data in ((cache / f"{key}.fmt", fmt),
                             (cache / f"{key}.json", json.dumps(manifest).encode())):
            handle, temporary = tempfile.mkstemp(dir=cache, prefix=".making-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        entries = sorted(cache.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".fmt").unlink(missing_ok=True)
        for left in cache.glob(".making-*"):  # a build stopped while it wrote; none writes for an hour
            if time.time() - left.stat().st_mtime > 3600:
                left.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written: this build has its format, the next makes it again
