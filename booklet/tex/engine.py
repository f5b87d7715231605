"""Run pdflatex safely and turn its log into something a program chair can read.

Hardening: a fresh working directory holds everything TeX may read or write; `-no-shell-escape`
plus `shell_escape=f` (no \\write18 at all, not even Debian's restricted list); kpathsea's
`openin_any=p` / `openout_any=p` forbid absolute paths, parent directories and dot files, so
``\\input{/etc/passwd}`` cannot read outside the build; a wall-clock timeout kills the whole process
group; stdin is closed so TeX can never wait for an answer. The engine knows nothing of programs:
it compiles a .tex file and reports errors against that file's lines.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

MAX_PASSES = 4
DEFAULT_TIMEOUT = 120.0  # seconds per pass; a 1,500-paper booklet takes well under a minute

# Files whose content decides whether another pass is needed (references, contents, bookmarks).
_STATE_SUFFIXES = (".aux", ".toc", ".out")


class TexFailure(Exception):
    """pdflatex stopped with an error, timed out or is missing. `line` is in the generated .tex."""

    def __init__(self, message: str, *, line: int | None = None, context: str = "", log_tail: str = ""):
        self.message, self.line, self.context, self.log_tail = message, line, context, log_tail
        super().__init__(message)


@dataclass
class TexRun:
    pdf: Path
    log: str
    passes: int
    seconds: float
    pages: int = 0  # as TeX reports it ("Output written on ... (N pages, ...)")
    warnings: list[str] = field(default_factory=list)


def tex_environment(workdir: Path, source_date_epoch: int | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEXMF")}
    env.update({
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
        "TEXMFOUTPUT": str(workdir),
        "TEXMFVAR": str(workdir / ".texmf-var"),  # any cache TeX writes stays in the build folder
        "MKTEXPK": "0", "MKTEXTFM": "0", "MKTEXMF": "0",  # never generate fonts on the fly
        "TEXINPUTS": ".:",  # the build directory first, then TeX's own tree
        "max_print_line": "10000",  # one log line per message: easier to parse
        "error_line": "254",
        "half_error_line": "238",
    })
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
        env["FORCE_SOURCE_DATE"] = "1"
    return env


def pdflatex_available() -> bool:
    return shutil.which("pdflatex") is not None


def compile_tex(workdir: Path, jobname: str, *, timeout: float = DEFAULT_TIMEOUT,
                source_date_epoch: int | None = None, max_passes: int = MAX_PASSES,
                trailer_id: str = "", on_pass: Callable[[int], None] = lambda n: None) -> TexRun:
    """Compile WORKDIR/JOBNAME.tex until its references settle (at most `max_passes` runs).

    TRAILER_ID (hex digits) seeds the PDF's /ID; without it pdfTeX hashes the output file's full
    path, and a build in another folder would not be byte-identical."""
    if not pdflatex_available():
        raise TexFailure("pdflatex is not installed; run `make setup` (Debian: texlive-latex-extra, "
                         "texlive-publishers, texlive-fonts-extra, texlive-plain-generic)")
    if trailer_id and not re.fullmatch(r"[0-9a-f]+", trailer_id):
        raise ValueError("trailer_id must be hex digits")
    first_line = f"\\pdftrailerid{{{trailer_id}}}\\input{{{jobname}.tex}}" if trailer_id else f"{jobname}.tex"
    command = ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", f"-jobname={jobname}", first_line]
    env = tex_environment(workdir, source_date_epoch)
    started = time.monotonic()
    previous = _state(workdir, jobname)
    passes = 0
    log = ""
    while passes < max_passes:
        passes += 1
        on_pass(passes)
        _run(command, workdir, env, timeout)
        log = (workdir / f"{jobname}.log").read_text(encoding="utf-8", errors="replace")
        failure = _first_error(log, workdir / f"{jobname}.tex")
        if failure:
            raise failure
        state = _state(workdir, jobname)
        if state == previous:
            break
        previous = state
    missing = _MISSING_DESTINATION.search(log)
    if missing:  # pdfTeX points such a link at a page of its own choosing: a link to the wrong page
        raise TexFailure(f"a link points at '{missing['name']}', which the document never defines; the "
                         "link would open the wrong page")
    pdf = workdir / f"{jobname}.pdf"
    if not pdf.exists():
        raise TexFailure("pdflatex produced no PDF (an empty document?)", log_tail=log[-2000:])
    written = _OUTPUT_WRITTEN.search(log)
    return TexRun(pdf, log, passes, time.monotonic() - started, pages=int(written["pages"]) if written else 0,
                  warnings=log_warnings(log))


_MISSING_DESTINATION = re.compile(r"name\{(?P<name>[^}]*)\} has been referenced but does not exist")
_OUTPUT_WRITTEN = re.compile(r"^Output written on .*\((?P<pages>\d+) pages?, \d+ bytes\)", re.M)


_running: set[subprocess.Popen] = set()
_running_lock = threading.Lock()


def stop_all() -> None:
    """Kill every TeX run still going (called when the build is interrupted in another thread)."""
    with _running_lock:
        processes = list(_running)
    for process in processes:
        _kill_group(process)


def _run(command: list[str], workdir: Path, env: dict, timeout: float) -> None:
    # Our own output goes to a pipe, never to JOBNAME.out: hyperref writes its bookmarks there.
    process = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    with _running_lock:
        _running.add(process)
    try:
        process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise TexFailure(f"pdflatex did not finish within {timeout:.0f} s and was stopped "
                         "(a template that loops forever?)") from None
    except BaseException:  # Ctrl-C or SIGTERM: leave no TeX running behind us
        _kill_group(process)
        raise
    finally:
        with _running_lock:
            _running.discard(process)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
        pass


def _state(workdir: Path, jobname: str) -> str:
    digest = hashlib.sha256()
    for suffix in _STATE_SUFFIXES:
        path = workdir / f"{jobname}{suffix}"
        digest.update(suffix.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


_FILE_LINE_ERROR = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+): (?P<message>.*)$", re.M)
_BANG_ERROR = re.compile(r"^!\s?(?P<message>\S.*)$", re.M)  # "! Undefined control sequence." and "!pdfTeX error: ..."
_INPUT_LINE = re.compile(r"^l\.(?P<line>\d+) (?P<context>.*)$", re.M)


def _first_error(log: str, tex: Path) -> TexFailure | None:
    match = _FILE_LINE_ERROR.search(log) or _BANG_ERROR.search(log)
    if not match:
        return None
    message = _explain(match["message"].strip())
    line = int(match["line"]) if "line" in match.groupdict() and match["line"] else None
    where = _INPUT_LINE.search(log, match.end())
    context = where["context"].strip() if where else ""
    if line is None and where:
        line = int(where["line"])
    if match.groupdict().get("file") and not match["file"].endswith(tex.name):
        # An error raised inside a package or style file: the input line still points into our .tex.
        message = f"{message} (in {Path(match['file']).name})"
        line = int(where["line"]) if where else line
    return TexFailure(message, line=line, context=context, log_tail=log[match.start():match.start() + 1500])


_MISSING_GLYPH = re.compile(r'^Missing character: There is no .* \("(?P<code>[0-9A-F]+)\) in font (?P<font>[^\s!]+?)[.!]*$')


def _explain(message: str) -> str:
    """TeX's wording, made readable where it is cryptic (a missing glyph is named by its code in the
    font's own encoding, and the log shows it as a byte that is not valid text)."""
    missing = _MISSING_GLYPH.match(message)
    if missing:
        return (f"the font {missing['font']} has no glyph for a character of this text (code "
                f"\"{missing['code']} in the font); replace that character")
    return message


_WARNING_PATTERNS = [
    re.compile(r"^(Overfull \\[hv]box .*)$", re.M),
    re.compile(r"^(LaTeX Warning: Reference .* undefined.*)$", re.M),
    re.compile(r"^(LaTeX Warning: There were undefined references.*)$", re.M),
    re.compile(r"^(LaTeX Warning: Label .* multiply defined.*)$", re.M),
    re.compile(r"^(LaTeX Font Warning: Font shape .* undefined.*)$", re.M),
    re.compile(r"^(Missing character: .*)$", re.M),
]


def log_warnings(log: str) -> list[str]:
    """The warnings that mean the print is wrong: overfull boxes, broken references, missing glyphs."""
    found = []
    for pattern in _WARNING_PATTERNS:
        found += [m.group(1).strip() for m in pattern.finditer(log)]
    return found
