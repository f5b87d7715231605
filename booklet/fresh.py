"""Step 0 of a build: does OUT already hold what these inputs build?

Answered from the manifest of the last good build, importing nothing heavy (no YAML model, TeX
templates or PDF reader), so that an unchanged rebuild (`make`, an editor's build-on-save, the
watcher) returns at once. The answer is yes only when the inputs hash to the key the manifest
recorded and every file the manifest lists is still as booklet wrote it: a file whose size, dates
and inode are those it had when it was published (kept in OUT/.booklet/published.json) is taken
as unchanged, as git's index does; any other file is hashed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Callable

from . import __version__, carry
from .diagnostics import Diagnostic, ProgramError, Severity
from .load import STDIN, display_name, read_program_bytes
from .options import BuildOptions, BuildResult
from .publish import publish, write_file

MANIFEST = "manifest.json"
PACKAGE = Path(__file__).resolve().parent  # booklet's code and built-in templates: part of every key
_STAMPS = "published.json"
LAST_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC: PDF dates and calendars have four-digit years


def already_built(options: BuildOptions, on_warnings: Callable[[list[Diagnostic]], None] = lambda _: None,
                  result: BuildResult | None = None) -> BuildResult | None:
    """OUT's files as the last good build left them, when OPTIONS would build exactly those (RESULT
    filled in, or a new one); None when anything may differ. The program's warnings are those the
    manifest recorded for these very bytes: ON_WARNINGS hears them, and --strict fails on them."""
    if options.force:
        return None
    recorded = read_manifest(options.out).get("images")
    images = recorded if isinstance(recorded, list) and all(isinstance(i, str) for i in recorded) else []
    if not up_to_date(options.out, input_key(options, images), "input_key"):
        return None
    result = recorded_result(result or BuildResult(), options.out, display_name(options.program))
    report_warnings(result.warnings, options, on_warnings)
    return result


def report_warnings(warnings: list[Diagnostic], options: BuildOptions,
                    on_warnings: Callable[[list[Diagnostic]], None]) -> None:
    """Tell the user about the program's warnings now; under --strict they stop the build here."""
    if options.strict and warnings:
        raise ProgramError([warning.as_error() for warning in warnings])
    on_warnings(warnings)


def input_key(options: BuildOptions, images: list[str] | None = None) -> str:
    """Everything the generated LaTeX is made from: the program file's bytes and date, its images
    (IMAGES: their paths as written, as the manifest of the build that read the program recorded
    them), the user's template folder, booklet's own code (its built-in templates included) and
    the options. Equal keys render equal LaTeX (rendering is deterministic), so an unchanged
    rebuild stops here, before reading the program; any change falls through to parsing,
    rendering and the LaTeX's own key."""
    if options.program == STDIN and "SOURCE_DATE_EPOCH" not in os.environ:
        return ""  # its date is the build's own: every build is new
    digest = hashlib.sha256(f"booklet {__version__}\n".encode())
    try:
        digest.update(read_program_bytes(options.program))
        digest.update(str(source_date_epoch(options.program)).encode())
    except (OSError, ProgramError):
        return ""  # check_program says what is wrong with the file
    from .images import ImageProblem, find_image, program_folder

    for written in images or []:  # a changed image is a changed booklet
        try:
            digest.update(f"image {written}\n".encode() + find_image(written, program_folder(options.program)).digest.encode())
        except ImageProblem:
            return ""
    folders = ([("templates", options.templates)] if options.templates else []) + [("code", PACKAGE)]
    for role, folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            data = path.read_bytes()
            digest.update(f"{role}/{path.relative_to(folder).as_posix()}\n{len(data)}\n".encode() + data)
    digest.update(repr(sorted(options.output_options.as_json().items())).encode())
    if options.since is not None:  # the changes sheet is made from it
        try:
            digest.update(b"since\n" + read_program_bytes(options.since))
        except (OSError, ProgramError):
            return ""
    return digest.hexdigest()


def source_date_epoch(program_file: Path) -> int:
    """Dates inside the PDFs: SOURCE_DATE_EPOCH when set, else the program file's own date (for
    standard input, which has none, the time of the build)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isascii() or not value.isdigit() or int(value) > LAST_EPOCH:
            raise ProgramError(Diagnostic("SOURCE_DATE_EPOCH", 0, 0, Severity.ERROR, "",
                                          f"'{value[:40]}' is no date: give seconds since 1970 up to "
                                          f"{LAST_EPOCH} (the end of year 9999), or unset it"))
        return int(value)
    if program_file == STDIN:
        return int(time.time())
    return int(program_file.stat().st_mtime)


def up_to_date(out: Path, key: str, kind: str = "build_key") -> bool:
    """Whether OUT already holds exactly what KEY builds: same key, every file there, unchanged."""
    recorded = read_manifest(out)
    if not key or recorded.get(kind) != key or recorded.get("status") != "pass":
        return False
    files = recorded_files(recorded)
    if files != recorded.get("files"):
        return False  # not a manifest booklet wrote: build again
    stamps = _read_stamps(out)
    return all(_unchanged(out / entry["name"], entry.get("sha256"), stamps.get(entry["name"])) for entry in files)


def recorded_result(result: BuildResult, out: Path, display: str | None = None) -> BuildResult:
    """RESULT for OUT as its manifest records it. Without a program read (DISPLAY given), its
    warnings are the ones the manifest recorded when it was built from these very bytes."""
    recorded = read_manifest(out)
    result.up_to_date = True
    result.outputs = [out / entry["name"] for entry in recorded_files(recorded)] + [out / MANIFEST]
    if display is not None:
        warnings = recorded.get("warnings")
        result.warnings = [Diagnostic(display, w["line"], w["col"], Severity.WARNING, w["field"], w["message"],
                                      str(w.get("code", ""))) for w in (warnings if isinstance(warnings, list) else [])
                           if isinstance(w, dict) and isinstance(w.get("line"), int) and isinstance(w.get("col"), int)
                           and isinstance(w.get("field"), str) and isinstance(w.get("message"), str)]
    return result


def read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # a manifest nested beyond reason is no manifest
        return {}
    return data if isinstance(data, dict) else {}


def recorded_files(recorded: dict) -> list[dict]:
    """The file entries of a manifest that name a file: a hand-edited manifest may hold anything."""
    files = recorded.get("files")
    return [e for e in files if isinstance(e, dict) and isinstance(e.get("name"), str)] if isinstance(files, list) else []


# --- what each published file looked like when it was checked -----------------------------------


def keep_stamps(out: Path, checked: dict[str, str]) -> None:
    """After a good build has published and linked its files: each file's size, dates and inode,
    with the sha256 its check read (CHECKED, by name in OUT), for the next build's step 0. The
    change time is in, which no tool can set back (a file rewritten in place and dated back is
    still seen). Best effort: without the record the next unchanged rebuild hashes every file."""
    folder = carry.state_folder(out)
    if folder is None:
        return
    try:
        found = {name: _stamp((out / name).stat(), sha256) for name, sha256 in checked.items()}
        staged = folder / f".{_STAMPS}.new"
        write_file(staged, json.dumps(found, sort_keys=True) + "\n")
        publish(staged, folder / _STAMPS)
    except OSError:
        pass


def _stamp(status: os.stat_result, sha256: object) -> list:
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, sha256]


def _read_stamps(out: Path) -> dict:
    folder = carry.state_folder(out)
    try:
        found = json.loads((folder / _STAMPS).read_text(encoding="utf-8")) if folder else {}
    except (OSError, ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def _unchanged(path: Path, sha256: object, stamp: object) -> bool:
    """PATH is a file holding SHA256: by its stamp when size, dates and inode are as recorded, else
    by hashing it."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return False
        if stamp == _stamp(status, sha256):
            return True
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False
