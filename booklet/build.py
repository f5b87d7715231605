"""`booklet build`: the pipeline, step by step, readable top to bottom.

    load + validate -> views -> render .tex (document information included) -> compile (pdflatex,
    booklet and chair sheets side by side) -> split the sheets per session -> impose -> preflight
    -> publish (atomic renames into OUT)

Each step owns one thing; this module only wires them together, reports progress and turns a
failure at any step into a message that names the file, the line and the program item.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from pypdf import PdfReader

from . import __version__
from .calendar import calendar_bytes
from .checks import (IMPOSED_PAPER, calendar_report, MANIFEST, OutputOptions, check_folder, expectations, manifest, manifest_text,
                     read_manifest)
from .diagnostics import Diagnostic, ProgramError, Severity
from .load import SourceMap, format_path
from .model import Program
from .docinfo import booklet_info, sheet_info, sheets_info
from .pdf.finish import DocumentInfo, stamp, trailer_id_seed, write
from .pdf.impose import impose
from .pdf.preflight import PAGE_SIZES, FileReport
from .pdf.split import page_ranges, pages_writer
from .progress import Phases
from .publish import publish, remove_stale_work, work_directory
from .sheet_views import SheetsView, build_sheet_views
from .tex.engine import DEFAULT_TIMEOUT, TexFailure, TexRun, compile_tex, stop_all
from .tex.escape import TeX
from .tex.templates import TemplateProblem, TemplateSet
from .validate import check_program
from .views import build_view

BOOKLET_JOB = "program"
SHEETS_JOB = "chair-sheets"
STYLE_FILES = ("booklet.sty", "chairsheets.sty")
SESSIONS_DIR = "sessions"


@dataclass(frozen=True)
class Paper:
    """A page size: geometry options and the type size that reads well on it."""

    name: str
    geometry: str
    font_size: str


PAPERS = {
    "a5": Paper("a5", "a5paper, inner=15mm, outer=13mm, top=17mm, bottom=18mm, headsep=4mm, footskip=9mm",
                "10pt"),
    "a4": Paper("a4", "a4paper, inner=28mm, outer=24mm, top=28mm, bottom=30mm, headsep=6mm, footskip=12mm",
                "11pt"),
    "letter": Paper("letter", "letterpaper, inner=26mm, outer=22mm, top=26mm, bottom=28mm, headsep=6mm, "
                    "footskip=12mm", "11pt"),
}

SHEET_PAPERS = {
    "a4": Paper("a4", "a4paper, margin=15mm, top=14mm, bottom=14mm", "10pt"),
    "letter": Paper("letter", "letterpaper, margin=15mm, top=14mm, bottom=14mm", "10pt"),
}


@dataclass
class BuildOptions:
    program: Path
    out: Path
    paper: str = "a5"
    sheet_paper: str = "a4"
    time_cards: bool = False
    impose: bool = True
    templates: Path | None = None
    keep_tex: bool = False
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    tex_warnings: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    passes: int = 0
    reports: list[FileReport] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False


@dataclass
class _Job:
    name: str
    tex: str
    max_passes: int = 4  # the booklet reruns until its references settle; sheets refer to nothing


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None,
          phases: Phases | None = None) -> BuildResult:
    phases = phases or Phases(progress)
    result = BuildResult(timings=phases.seconds)
    display = str(options.program)

    with phases.phase("load and validate"):
        checked = check_program(options.program, display)
        program = checked.program
        result.warnings = checked.report.warnings

    with phases.phase("render"):
        view = build_view(program)
        sheets = build_sheet_views(program, time_cards=options.time_cards)
        _check_template_dir(options.templates)
        templates = TemplateSet(options.templates)
        epoch = source_date_epoch(options.program)
        info = booklet_info(program, view, epoch)
        jobs = [_Job(BOOKLET_JOB, _render(templates, "booklet.tex.j2", b=view, layout=PAPERS[options.paper],
                                          source=display, info=TeX(info.as_pdftex())))]
        if sheets.sheets:
            jobs.append(_Job(SHEETS_JOB, _render(templates, "chair-sheets.tex.j2", v=sheets,
                                                 layout=SHEET_PAPERS[options.sheet_paper], source=display,
                                                 info=TeX(sheets_info(program, sheets, epoch).as_pdftex())),
                             max_passes=1))
        styles = {name: _template_file(templates, name).read_bytes() for name in STYLE_FILES}
        key = build_key(jobs, styles, options, epoch)
        if not options.force and up_to_date(options.out, key):
            result.up_to_date = True
            result.outputs = [options.out / name for name in _manifest_files(options.out)]
            return result

    remove_stale_work(options.out)
    with work_directory(options.out) as work:
        for job in jobs:
            (work / f"{job.name}.tex").write_text(job.tex, encoding="utf-8")
        for name, data in styles.items():
            (work / name).write_bytes(data)

        with phases.phase("TeX"):
            runs = _compile_all(jobs, work, options, epoch, key, checked.source, templates)
        result.passes = max(run.passes for run in runs.values())
        result.tex_warnings = [w for run in runs.values() for w in run.warnings]

        staged: list[tuple[Path, Path]] = []
        # TeX's own files are finished (document information and /ID come from the .tex).
        booklet_pdf = runs[BOOKLET_JOB].pdf
        booklet_pages = runs[BOOKLET_JOB].pages
        staged.append((booklet_pdf, options.out / "program.pdf"))
        if sheets.sheets:
            with phases.phase("split"):  # the chair sheets cut apart, one file per session
                _check_sheets_fit(runs[SHEETS_JOB], sheets, checked.source)
                staged += _split_sheets(runs[SHEETS_JOB].pdf, work, options.out, program, sheets, epoch)
            staged.append((runs[SHEETS_JOB].pdf, options.out / "chair-sheets.pdf"))
        if options.impose:
            with phases.phase("impose"):
                sheet = PAGE_SIZES[IMPOSED_PAPER[options.paper]]
                staged.append((_impose(booklet_pdf, work, info, (sheet[1], sheet[0])),
                               options.out / "program-imposed.pdf"))

        calendar_file = work / "program.ics"
        calendar_file.write_bytes(calendar_bytes(program, stamp=epoch))

        with phases.phase("preflight"):
            output_options = OutputOptions(options.paper, options.sheet_paper, options.time_cards, options.impose)
            expected = expectations(program, output_options, sheets, booklet_pages)
            located = {target.relative_to(options.out).as_posix(): finished for finished, target in staged}
            reports = check_folder(options.out, expected, located)
            reports.append(calendar_report(calendar_file, program))
            staged.append((calendar_file, options.out / "program.ics"))
            result.reports = reports
            if not all(report.ok for report in reports):
                if options.keep_tex:  # let the user see what failed, away from the good files
                    for finished, target in staged:
                        rejected = options.out / "build" / "rejected" / target.relative_to(options.out)
                        rejected.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(finished, rejected)
                raise ProgramError(_preflight_failures(reports, options.out))

        with phases.phase("publish"):
            manifest_file = work / MANIFEST
            manifest_file.write_text(manifest_text(manifest(
                reports, _relative_to(options.program, options.out), options.program.read_bytes(),
                output_options, key)), encoding="utf-8")
            staged.append((manifest_file, options.out / MANIFEST))
            for finished, target in staged:
                publish(finished, target)
                result.outputs.append(target)
            _remove_stale_outputs(options.out, {target for _, target in staged})
            result.pages = {report.name: report.pages for report in reports
                            if "/" not in report.name and report.kind != "calendar"}
    return result


def build_key(jobs: list[_Job], styles: dict[str, bytes], options: BuildOptions, epoch: int) -> str:
    """What decides the outputs: the generated LaTeX, the style files, the options, the dates and
    booklet's version. Equal keys give equal files, so a rebuild may skip everything."""
    digest = hashlib.sha256(f"booklet {__version__}\n".encode())
    for job in jobs:
        digest.update(f"{job.name}\n{len(job.tex)}\n".encode() + job.tex.encode())
    for name in sorted(styles):
        digest.update(f"{name}\n{len(styles[name])}\n".encode() + styles[name])
    digest.update(repr((options.paper, options.sheet_paper, options.time_cards, options.impose, epoch)).encode())
    return digest.hexdigest()


def _manifest_files(out: Path) -> list[str]:
    return [entry["name"] for entry in read_manifest(out).get("files", [])] + [MANIFEST]


def up_to_date(out: Path, key: str) -> bool:
    """Whether OUT already holds exactly what KEY builds: same key, every file there, unchanged."""
    recorded = read_manifest(out)
    if recorded.get("build_key") != key or recorded.get("status") != "pass":
        return False
    for entry in recorded.get("files", []):
        path = out / entry["name"]
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
            return False
    return True


def _relative_to(path: Path, folder: Path) -> str:
    """PATH as seen from FOLDER: the manifest names its program without an absolute path."""
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _impose(booklet: Path, work: Path, info: DocumentInfo, sheet: tuple[float, float]) -> Path:
    writer = impose(PdfReader(booklet), sheet)
    stamp(writer, replace(info, title=f"{info.title} (imposed for saddle stitching)"),
          booklet.read_bytes() + b"imposed")
    target = work / "program-imposed.pdf"
    write(writer, target)
    return target


def _preflight_failures(reports: list[FileReport], out: Path) -> list[Diagnostic]:
    failures = []
    for report in reports:
        for check in report.checks:
            if check.status == "fail":
                where = f"page {check.page}: " if check.page else ""
                failures.append(Diagnostic(str(out / report.name), 0, 0, Severity.ERROR, "",
                                           f"preflight: {where}{check.detail} [{check.check}]"))
    return failures


def _compile_all(jobs: list[_Job], work: Path, options: BuildOptions, epoch: int, key: str,
                 source: SourceMap, templates: TemplateSet) -> dict[str, TexRun]:
    """Independent TeX runs go side by side: the machine has cores and pdflatex uses one."""

    def compile_one(job: _Job) -> TexRun:
        return compile_tex(work, job.name, timeout=options.timeout, source_date_epoch=epoch,
                           max_passes=job.max_passes, trailer_id=trailer_id_seed(key, job.name))

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {job.name: pool.submit(compile_one, job) for job in jobs}
        runs: dict[str, TexRun] = {}
        for job in jobs:
            try:
                runs[job.name] = futures[job.name].result()
            except TexFailure as failure:
                stop_all()  # the other document is of no use now
                if options.keep_tex:
                    _keep(work, options.out, [j.name for j in jobs])
                raise ProgramError(_explain_tex_failure(failure, job, source, templates)) from None
            except BaseException:  # interrupted while waiting: stop TeX before the pool waits for it
                stop_all()
                raise
    if options.keep_tex:
        _keep(work, options.out, [j.name for j in jobs])
    return runs


def _split_sheets(combined: Path, work: Path, out: Path, program: Program, sheets: SheetsView,
                  epoch: int) -> list[tuple[Path, Path]]:
    reader = PdfReader(combined)
    ranges = page_ranges(reader, [sheet.destination for sheet in sheets.sheets])
    staged = []
    seed = combined.read_bytes()
    for sheet, pages in zip(sheets.sheets, ranges):
        writer = pages_writer(reader, pages)
        stamp(writer, sheet_info(program, sheet, epoch), seed + sheet.destination.encode())
        path = work / f"sheet-{sheet.number}.pdf"
        write(writer, path)
        staged.append((path, out / SESSIONS_DIR / sheet.file_name))
    return staged


_OVERFLOW = re.compile(r"^BOOKLET-SHEET-OVERFLOW: (\d+)$", re.M)


def _check_sheets_fit(run: TexRun, sheets: SheetsView, source: SourceMap) -> None:
    """A chair sheet is one page. One that does not fit even in the smallest type fails the build."""
    errors = []
    for match in _OVERFLOW.finditer(run.log):
        sheet = sheets.sheets[int(match.group(1)) - 1]
        errors.append(_item_diagnostic(source, sheet.item,
                                       f"the chair sheet for {sheet.heading} does not fit on one page even "
                                       f"in the smallest type ({len(sheet.rows)} talks); split the session "
                                       "or shorten its titles"))
    if errors:
        raise ProgramError(errors)


def _remove_stale_outputs(out: Path, keep: set[Path]) -> None:
    """Files of an earlier build that this one did not make (a removed session's sheet, an imposed
    booklet after --no-impose) must not linger beside the new ones and be printed by mistake."""
    candidates = [out / "chair-sheets.pdf", out / "program-imposed.pdf"]
    if (out / SESSIONS_DIR).is_dir():
        candidates += list((out / SESSIONS_DIR).glob("*.pdf"))
    for stale in candidates:
        if stale not in keep:
            stale.unlink(missing_ok=True)


def source_date_epoch(program_file: Path) -> int:
    """Dates inside the PDFs: SOURCE_DATE_EPOCH when set, else the program file's own date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return int(program_file.stat().st_mtime)


def _check_template_dir(folder: Path | None) -> None:
    if folder is not None and not folder.is_dir():
        raise ProgramError(Diagnostic(str(folder), 0, 0, Severity.ERROR, "",
                                      "--templates must be a folder of templates"))


def _template_file(templates: TemplateSet, name: str) -> Path:
    try:
        return templates.find(name)
    except TemplateProblem as problem:
        raise ProgramError(Diagnostic(problem.file, 0, 0, Severity.ERROR, "", problem.message)) from None


def _render(templates: TemplateSet, name: str, **context) -> str:
    try:
        return templates.render(name, **context)
    except TemplateProblem as problem:
        raise ProgramError(Diagnostic(problem.file, problem.line or 0, 1 if problem.line else 0,
                                      Severity.ERROR, "", f"template error: {problem.message}")) from None


def _keep(work: Path, out: Path, jobs: list[str]) -> None:
    keep = out / "build"
    keep.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        for suffix in (".tex", ".log"):
            if (work / f"{job}{suffix}").exists():
                staged = work / f"{job}{suffix}.keep"
                shutil.copyfile(work / f"{job}{suffix}", staged)
                publish(staged, keep / f"{job}{suffix}")


def _item_diagnostic(source: SourceMap, item: str, message: str) -> Diagnostic:
    positions = {format_path(path): where for path, where in source.values.items()}
    if item and item in positions:
        line, col = positions[item]
        return Diagnostic(source.file, line, col, Severity.ERROR, item, message)
    return Diagnostic(source.file, 0, 0, Severity.ERROR, "", message)


def _explain_tex_failure(failure: TexFailure, job: _Job, source: SourceMap,
                         templates: TemplateSet) -> Diagnostic:
    """Name the LaTeX error, the generated line, and where it came from: the user's template line
    when one of their templates wrote it, else the program item being typeset.

    Templates write a `% item: days[0].slots[3]` comment before each program item; the nearest one
    above the failing line says which item was being typeset, and the source map says where it is.
    """
    item = ""
    if failure.line:
        lines = job.tex.splitlines()
        for number in range(min(failure.line, len(lines)) - 1, -1, -1):
            text = lines[number].lstrip()
            if text.startswith("% item: "):
                item = text[len("% item: "):]
                break
    message = f"LaTeX failed: {failure.message}"
    if failure.line:
        message += f" ({job.name}.tex line {failure.line}"
        message += f": {failure.context})" if failure.context else ")"
        message += "; rebuild with --keep-tex to see the generated file"
    written_by = templates.locate(job.tex, failure.line) if failure.line else None
    if written_by and templates.is_user_template(written_by[0]):
        name, path, line = written_by
        return Diagnostic(str(path), line or 0, 1 if line else 0, Severity.ERROR, "",
                          f"template {name}: {message}")
    if item:
        message = f"while typesetting this item: {message}"
    return _item_diagnostic(source, item, message)
