"""Run pdflatex or lualatex safely and turn the log into something a program chair can read.

Hardening, the same for both engines: a fresh working directory holds everything TeX may read or
write; `-no-shell-escape` plus `shell_escape=f` (no \\write18 at all, not even Debian's restricted
list); kpathsea's `openin_any=p` / `openout_any=p` forbid absolute paths, parent directories and dot
files, so ``\\input{/etc/passwd}`` cannot read outside the build; the environment holds only what
TeX needs (no token or password of the user's reaches a template); a wall-clock timeout kills the
whole process group; stdin is closed so TeX can never wait for an answer. LuaLaTeX adds Lua, which
kpathsea does not confine: `--nosocket`, and sandbox.lua, run before the document, which confines
Lua's file access to the build folder (reading also TeX's trees, the fonts and the font cache) and
removes processes, native code, MetaPost and the debug library.

The engine knows nothing of programs: it compiles a .tex file and reports errors against its lines.
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
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..cpu import share_priority

MAX_PASSES = 4
DEFAULT_TIMEOUT = 120.0  # seconds per pass; a 1,500-paper booklet takes well under a minute

# Files whose content decides whether another pass is needed (references, contents, bookmarks).
_STATE_SUFFIXES = (".aux", ".toc", ".out")


class TexFailure(Exception):
    """pdflatex stopped with an error, timed out or is missing. `line` is in the generated .tex."""

    def __init__(self, message: str, *, line: int | None = None, context: str = "", log_tail: str = ""):
        self.message, self.line, self.context, self.log_tail = message, line, context, log_tail
        super().__init__(message)


class TexStopped(TexFailure):
    """The run was stopped from outside (stop_all: the build failed elsewhere or was interrupted)."""


@dataclass
class TexRun:
    pdf: Path
    log: str
    passes: int
    seconds: float
    pages: int = 0  # as TeX reports it ("Output written on ... (N pages, ...)")
    warnings: list[str] = field(default_factory=list)


# What TeX may inherit from our environment: the rest (tokens, passwords, paths of the user's) stays out.
_INHERITED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


def font_cache_folder() -> Path:
    """Where `booklet fonts` keeps LuaLaTeX's font caches: read by every build, written by none."""
    if os.environ.get("BOOKLET_FONT_CACHE"):
        return Path(os.environ["BOOKLET_FONT_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "booklet" / "luatex-cache"


def tex_environment(workdir: Path, source_date_epoch: int | None, engine: str = "pdflatex",
                    font_cache: Path | None = None) -> dict[str, str]:
    """What TeX runs with. FONT_CACHE: the shared font cache made writable (only to warm it)."""
    env = {key: os.environ[key] for key in _INHERITED if key in os.environ}
    env.update({
        "HOME": str(workdir),  # nothing of the user's home: TEXMFHOME and friends point into the build
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
    if engine == "lualatex":
        cache = font_cache_folder() if font_cache is None else font_cache
        roots = _read_roots(cache)
        # luaotfload reads font caches from every folder of TEXMFCACHE and writes only into the
        # first: the build's own, so a build never changes the shared cache (`warm_font_cache` fills
        # it); TeX Live's own system cache, where Debian keeps the font names database, comes last.
        writable = workdir / ".texmf-var" if font_cache is None else cache
        env["TEXMFCACHE"] = ":".join(dict.fromkeys([str(writable), str(cache), *map(str, roots.system_caches)]))
        env["BOOKLET_READ_ROOTS"] = "\n".join(str(root) for root in roots.all)
        env["BOOKLET_WRITE_ROOTS"] = "\n".join(dict.fromkeys([str(workdir), str(writable)]))
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
        env["FORCE_SOURCE_DATE"] = "1"
    return env


@dataclass(frozen=True)
class _Roots:
    all: tuple[Path, ...]  # where Lua may read
    system_caches: tuple[Path, ...]  # TeX Live's own caches (luaotfload's font names database)


@lru_cache(maxsize=4)
def _read_roots(cache: Path) -> _Roots:
    """Where Lua may read: TeX's trees (as kpathsea names them), the system's fonts, the font cache."""
    from .fonts import SYSTEM_FONT_FOLDERS

    trees: list[Path] = []
    system: tuple[Path, ...] = ()
    if shutil.which("kpsewhich"):
        def expand(variable: str) -> list[Path]:
            value = subprocess.run(["kpsewhich", f"--expand-braces=${variable}"], capture_output=True,
                                   text=True).stdout.strip()
            return [Path(part.lstrip("!")) for part in value.split(os.pathsep) if part.lstrip("!").startswith("/")]

        home = Path.home()  # the user's own trees are not read: the build's HOME is its folder
        trees = [tree for tree in expand("TEXMF") + expand("OSFONTDIR") if not tree.is_relative_to(home)]
        system = tuple(expand("TEXMFSYSVAR"))
    return _Roots((cache, *SYSTEM_FONT_FOLDERS, *trees), system)


_NAMES = Path("luatex-cache") / "generic" / "names"  # luaotfload's font names database, in a cache folder


_prepare_lock = threading.Lock()


def _prepare_lualatex(workdir: Path, font_cache: Path | None = None) -> None:
    """The sandbox, and the warmed font names database: luaotfload looks for it only in the cache
    folder it writes to, which is the build's own. It is a few megabytes; copying it saves the
    seconds (minutes on a slow disk) of scanning every installed font."""
    (workdir / SANDBOX).write_bytes((Path(__file__).parent / "sandbox.lua").read_bytes())
    names = (font_cache or font_cache_folder()) / _NAMES
    target = workdir / ".texmf-var" / _NAMES
    with _prepare_lock:  # the lanes start their documents in one folder at the same moment
        if font_cache is None and names.is_dir() and not target.exists():
            shutil.copytree(names, target)


def font_cache_ready(folder: Path | None = None) -> bool:
    return ((folder or font_cache_folder()) / _NAMES).is_dir()


def warm_font_cache(folder: Path | None = None, timeout: float = 1800) -> Path:
    """Fill FOLDER (default: font_cache_folder()) with luaotfload's names database and font caches,
    by setting a page in every face and script LuaLaTeX builds use. Returns the folder."""
    import tempfile

    from .fonts import declarations

    folder = folder or font_cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    samples = {"cjk": "王小明 김민준 さくら", "arabic": "محمد", "hebrew": "דוד", "devanagari": "अनिल",
               "thai": "สมชาย", "greek": "Γιώργος", "cyrillic": "Ирина"}
    scripts = " ".join(f"\\bkscript{{{script}}}{{{text}}}" for script, text in samples.items())
    faces = [f"\\{family}\\{series}\\{shape}" for family in ("rmfamily", "sffamily", "ttfamily")
             for series in ("mdseries", "bfseries") for shape in ("upshape", "itshape")]
    body = "\n".join(f"{{{face} Latin ā ễ {scripts}}}\\par" for face in faces)
    with tempfile.TemporaryDirectory(prefix="booklet-fonts-") as temporary:
        work = Path(temporary)
        shutil.copyfile(Path(__file__).resolve().parent.parent / "templates" / "booklet.sty", work / "booklet.sty")
        (work / "booklet-fonts.tex").write_text(declarations(), encoding="utf-8")
        (work / "warm.tex").write_text(
            "\\documentclass{article}\\usepackage{booklet}\\newcommand\\bkshortname{}\\newcommand\\bkheaddate{}"
            f"\\begin{{document}}\n{body}\n\\end{{document}}\n", encoding="utf-8")
        _prepare_lualatex(work, folder)
        env = tex_environment(work, None, "lualatex", font_cache=folder)
        _run(_command("lualatex", "warm", ""), work, env, timeout)
        log = (work / "warm.log").read_text(encoding="utf-8", errors="replace")
        failure = _first_error(log, work / "warm.tex")
        if failure:
            raise failure
    return folder


def engine_available(engine: str = "pdflatex") -> bool:
    return shutil.which(engine) is not None


SANDBOX = "booklet-sandbox.lua"


def _command(engine: str, jobname: str, trailer_id: str, preload=None, draft: bool = False) -> list[str]:
    """PRELOAD (formats.Preload): start from that format. DRAFT: lay the pages out and write the
    .aux, but no PDF (pdfTeX's -draftmode: a pass whose PDF is thrown away costs 7 % less)."""
    if engine == "lualatex":
        # LuaTeX's /ID is [<first> <second>]; pdfTeX's \pdftrailerid takes the seed and hashes it.
        trailer = f"\\pdfvariable trailerid{{[<{trailer_id}> <{trailer_id}>]}}" if trailer_id else ""
        first_line = f"\\directlua{{dofile('{SANDBOX}')}}{trailer}\\input{{{jobname}.tex}}"
        options = ["--nosocket"]
    else:
        trailer = f"\\pdftrailerid{{{trailer_id}}}" if trailer_id else ""
        first_line = (preload.first_line() if preload else "") + trailer + f"\\input{{{jobname}.tex}}" \
            if preload or trailer else f"{jobname}.tex"
        options = ([f"-fmt={preload.name}"] if preload else []) + (["-draftmode"] if draft else [])
    return [engine, "-no-shell-escape", *options, "-interaction=nonstopmode", "-halt-on-error",
            "-file-line-error", f"-jobname={jobname}", first_line]


def compile_tex(workdir: Path, jobname: str, *, timeout: float = DEFAULT_TIMEOUT,
                source_date_epoch: int | None = None, max_passes: int = MAX_PASSES,
                trailer_id: str = "", on_pass: Callable[[int], None] = lambda n: None,
                engine: str = "pdflatex", seed: dict[str, bytes] | None = None, draft_first: bool = False,
                preload=None, stopping: Callable[[], bool] = lambda: False) -> TexRun:
    """Compile WORKDIR/JOBNAME.tex with ENGINE until its references settle (at most `max_passes` runs).

    SEED (suffix -> bytes: the .aux, .toc and .out of an earlier build) is written before the first
    pass, which then starts from those references: when it leaves them unchanged it is the only
    pass. A first pass that fails on a seed runs again from nothing.

    STOPPING says that the build is being stopped: no further pass starts (stop_all kills the one
    running, and a killed pass raises TexStopped).

    DRAFT_FIRST: the first pass is known not to be the last (its SEED's page numbers are guesses), so
    it writes no PDF (-draftmode); a pass that writes one always follows it.

    PRELOAD (formats.prepare): the format holding the document's preamble. When pdfTeX refuses it
    (it cannot start: no log), the pass runs again without it and the format is dropped from the
    cache. Any other error is the document's, the same with the format as without.

    TRAILER_ID (hex digits) seeds the PDF's /ID; without it the engine hashes the output file's full
    path (pdfTeX) or the date (LuaTeX), and a build elsewhere would not be byte-identical."""
    if engine not in ("pdflatex", "lualatex"):
        raise ValueError(f"unknown engine {engine!r}")
    if not engine_available(engine):
        raise TexFailure(f"{engine} is not installed; run `make setup` (Debian: texlive-latex-extra, "
                         "texlive-publishers, texlive-fonts-extra, texlive-plain-generic"
                         + (", texlive-luatex" if engine == "lualatex" else "") + ")")
    if trailer_id and not re.fullmatch(r"[0-9a-f]+", trailer_id):
        raise ValueError("trailer_id must be hex digits")
    if engine == "lualatex":
        _prepare_lualatex(workdir)
        if len(trailer_id) < 32:  # LuaTeX takes the /ID as it is: 16 bytes, as a PDF writer's would be
            trailer_id = hashlib.md5(trailer_id.encode()).hexdigest()
    env = tex_environment(workdir, source_date_epoch, engine)
    started = time.monotonic()
    _start_state(workdir, jobname, seed)
    previous = _state(workdir, jobname)
    passes = 0
    log = ""
    while passes < max_passes:
        if stopping():
            raise TexStopped("stopped before its next pass")
        passes += 1
        on_pass(passes)
        draft = draft_first and passes == 1 and max_passes > 1
        log_file = workdir / f"{jobname}.log"
        log_file.unlink(missing_ok=True)
        _run(_command(engine, jobname, trailer_id, preload, draft), workdir, env, timeout)
        # No log: TeX stopped before the job began (a format it refuses), with its reason on stdout.
        log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
        failure = _first_error(log, workdir / f"{jobname}.tex") if log else \
            TexFailure(f"{engine} could not start (no log written)")
        if not log and preload:  # the format's fault: it is made again next time
            preload.forget()
            _start_state(workdir, jobname, seed)  # the failed pass may have written over it
            preload, passes, previous = None, 0, _state(workdir, jobname)
            continue
        if failure and seed and passes == 1:  # perhaps the seed's fault (an old template's macros)
            _start_state(workdir, jobname, None)
            seed, passes, previous = None, 0, _state(workdir, jobname)
            continue
        if failure:
            raise failure
        state = _state(workdir, jobname)
        if state == previous and not draft:
            break
        previous = state
    missing = _MISSING_DESTINATION.search(log)
    if missing:  # pdfTeX points such a link at a page of its own choosing: a link to the wrong page
        raise TexFailure(f"a link points at '{missing['name']}', which the document never defines; the "
                         "link would open the wrong page")
    pdf = workdir / f"{jobname}.pdf"
    if not pdf.exists():
        raise TexFailure(f"{engine} produced no PDF (an empty document?)", log_tail=log[-2000:])
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
    share_priority(process.pid)  # a lane that yields the CPU (cpu.py) yields it for TeX too
    with _running_lock:
        _running.add(process)
    try:
        process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise TexFailure(f"{command[0]} did not finish within {timeout:.0f} s and was stopped "
                         "(a template that loops forever?)") from None
    except BaseException:  # Ctrl-C or SIGTERM: leave no TeX running behind us
        _kill_group(process)
        raise
    finally:
        with _running_lock:
            _running.discard(process)
    if process.returncode < 0:  # killed (stop_all): its log and files are half-written, no pass to go on from
        raise TexStopped(f"{command[0]} was stopped (signal {-process.returncode})")


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
        pass


def _start_state(workdir: Path, jobname: str, seed: dict[str, bytes] | None) -> None:
    """The state files a first pass reads: SEED's, or none."""
    for suffix in _STATE_SUFFIXES:
        path = workdir / f"{jobname}{suffix}"
        if seed and suffix in seed:
            path.write_bytes(seed[suffix])
        else:
            path.unlink(missing_ok=True)


def _state(workdir: Path, jobname: str) -> str:
    digest = hashlib.sha256()
    for suffix in _STATE_SUFFIXES:
        path = workdir / f"{jobname}{suffix}"
        digest.update(suffix.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# The file name stays on its line: across lines, a long log with few colons took minutes to search.
_FILE_LINE_ERROR = re.compile(r"^(?P<file>[^\s:][^:\n]*):(?P<line>\d+): (?P<message>.*)$", re.M)
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
