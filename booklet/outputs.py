"""From the generated LaTeX to finished, checked files, in two lanes that run side by side.

    booklet lane:       TeX (until references settle) -> impose -> preflight booklet and imposed file
    chair-sheets lane:  TeX (one pass) -> split per session -> preflight combined file and each sheet

pdflatex uses one core and the lanes share nothing but the program, so they run at the same time:
the chair sheets are ready after one pass and are cut apart and checked while the booklet's later
passes run. Each lane parses each of its files once (ReadCache): imposition and preflight read the
same parse of the booklet, the split and the preflight the same parse of the combined sheets.

Nothing here publishes: the lanes leave finished files in the work folder with the place each
belongs in OUT, and the build publishes them only when every preflight passed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
from concurrent.futures import FIRST_COMPLETED, FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TypeVar

from .checks import IMPOSED_PAPER, OutputOptions, imposed_expectation
from . import rules
from .diagnostics import Diagnostic, ProgramError, Severity, shortened
from .docinfo import sheet_info
from .load import SourceMap, format_path
from .model import Program
from .pdf.finish import DocumentInfo, file_id, stamp, trailer_id_seed, write
from .pdf.impose import impose
from .pdf.preflight import PAGE_SIZES, FileExpectation, FileReport, ReadCache, preflight
from .pdf.split import PageSplitter, page_ranges
from .progress import Phases
from .publish import publish
from .sheet_views import SheetsView
from .tex.engine import TexFailure, TexRun, compile_tex, stop_all
from .tex.templates import TemplateSet

BOOKLET_JOB = "program"
SHEETS_JOB = "chair-sheets"
SESSIONS_DIR = "sessions"

Staged = tuple[Path, Path]  # a finished file in the work folder, and where it goes in OUT
T = TypeVar("T")


@dataclass
class Job:
    name: str
    tex: str
    max_passes: int = 4  # the booklet reruns until its references settle; sheets refer to nothing


@dataclass
class Lane:
    """What one lane made: its TeX run, its finished files, and their preflight reports."""

    run: TexRun
    staged: list[Staged] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)


@dataclass
class Outputs:
    """Everything the lanes need to know. Each lane reads its files through a ReadCache of its own,
    dropped when the lane ends: the chair sheets' parses are gone before the booklet's are made."""

    work: Path
    out: Path
    program: Program
    sheets: SheetsView
    options: OutputOptions
    expected: dict[str, FileExpectation]  # by file name; the imposed file's is added once pages are known
    booklet_info: DocumentInfo
    epoch: int
    key: str
    timeout: float
    source: SourceMap
    templates: TemplateSet
    phases: Phases
    keep_tex: bool = False
    _stopping: threading.Event = field(default_factory=threading.Event)

    def make(self, jobs: list[Job], meanwhile: Callable[[], T]) -> tuple[dict[str, Lane], T]:
        """Run every job's lane side by side; the first failure stops the others and is raised.

        MEANWHILE (work that needs no TeX) runs on this thread once the first lane is done, usually
        the chair sheets long before the booklet: while both TeX runs go, both cores are busy."""
        lanes = {BOOKLET_JOB: self._booklet_lane, SHEETS_JOB: self._sheets_lane}
        try:
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                futures: dict[Future, Job] = {pool.submit(lanes[job.name], job): job for job in jobs}
                try:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    if all(future.exception() is None for future in done):
                        extra = meanwhile()
                    done, _ = wait(futures, return_when=FIRST_EXCEPTION)
                except BaseException:  # failed or interrupted: stop TeX before the pool waits for it
                    self._stop()
                    raise
                failed = [future for future in done if future.exception() is not None]
                if failed:
                    self._stop()  # the other lane's work is of no use now
                    wait(futures)
                    raise self._explain(failed[0].exception(), futures[failed[0]])
                return {futures[future].name: future.result() for future in futures}, extra
        finally:
            if self.keep_tex:
                _keep(self.work, self.out, [job.name for job in jobs])

    def _stop(self) -> None:
        self._stopping.set()
        stop_all()

    def _explain(self, error: BaseException, job: Job) -> BaseException:
        if isinstance(error, TexFailure):
            return ProgramError(_explain_tex_failure(error, job, self.source, self.templates))
        return error

    def _compile(self, job: Job) -> TexRun:
        label = f"{job.name}.tex"
        with self.phases.phase("TeX"):
            run = compile_tex(self.work, job.name, timeout=self.timeout, source_date_epoch=self.epoch,
                              max_passes=job.max_passes, trailer_id=trailer_id_seed(self.key, job.name),
                              on_pass=lambda n: self.phases.note(label, f"pass {n}", milestone=True))
        self.phases.clear_note(label)
        return run

    # --- the booklet ---------------------------------------------------------------------------

    def _booklet_lane(self, job: Job) -> Lane:
        run = self._compile(job)  # TeX's own file is finished: information and /ID come from the .tex
        _check_glance_fits(run, self.source)
        lane = Lane(run, [(run.pdf, self.out / "program.pdf")])
        checks = [(run.pdf, self.expected["program.pdf"])]
        cache = ReadCache()
        if self.options.impose:
            with self.phases.phase("impose"):
                imposed = self._impose(run.pdf, cache)
            lane.staged.append((imposed, self.out / "program-imposed.pdf"))
            checks.append((imposed, imposed_expectation(self.options, run.pages)))
        with self.phases.phase("preflight"):
            lane.reports = [preflight(path, expect, cache) for path, expect in checks]
        return lane

    def _impose(self, booklet: Path, cache: ReadCache) -> Path:
        width, height = PAGE_SIZES[IMPOSED_PAPER[self.options.paper]]
        writer = impose(cache.document(booklet), (height, width))  # landscape
        info = self.booklet_info
        stamp(writer, replace(info, title=f"{info.title} (imposed for saddle stitching)"),
              hashlib.sha256(booklet.read_bytes()).digest() + b"imposed")
        target = self.work / "program-imposed.pdf"
        write(writer, target)
        return target

    # --- the chair sheets ----------------------------------------------------------------------

    def _sheets_lane(self, job: Job) -> Lane:
        run = self._compile(job)
        cache = ReadCache()
        with self.phases.phase("split"):
            _check_sheets_fit(run, self.sheets, self.source)
            lane = Lane(run, self._split(run.pdf, cache) + [(run.pdf, self.out / "chair-sheets.pdf")])
        with self.phases.phase("preflight"):
            # The combined file first: its page texts are then looked up for each session's sheet.
            for done, (finished, target) in enumerate(lane.staged[-1:] + lane.staged[:-1]):
                if self._stopping.is_set():
                    break
                name = target.relative_to(self.out).as_posix()
                lane.reports.append(preflight(finished, self.expected[name], cache))
                self.phases.note("sheets", f"{done}/{len(lane.staged) - 1} checked")
        self.phases.clear_note("sheets")
        return lane

    def _split(self, combined: Path, cache: ReadCache) -> list[Staged]:
        reader = cache.document(combined)
        ranges = page_ranges(reader, [sheet.destination for sheet in self.sheets.sheets])
        seed = hashlib.sha256(combined.read_bytes()).digest()
        splitter = PageSplitter(reader)
        staged = []
        for done, (sheet, pages) in enumerate(zip(self.sheets.sheets, ranges)):
            if self._stopping.is_set():
                break
            self.phases.note("sheets", f"{done}/{len(ranges)} split")
            info = sheet_info(self.program, sheet, self.epoch)
            path = self.work / f"sheet-{sheet.number}.pdf"
            splitter.write(pages, path, info.as_pdf_dict(), file_id(info, seed + sheet.destination.encode()))
            staged.append((path, self.out / SESSIONS_DIR / sheet.file_name))
        return staged


_OVERFLOW = re.compile(r"^BOOKLET-SHEET-OVERFLOW: (\d+)$", re.M)


def _check_sheets_fit(run: TexRun, sheets: SheetsView, source: SourceMap) -> None:
    """A chair sheet is one page. One that does not fit even in the smallest type fails the build."""
    errors = []
    for match in _OVERFLOW.finditer(run.log):
        sheet = sheets.sheets[int(match.group(1)) - 1]
        errors.append(item_diagnostic(source, sheet.item, rules.SHEET_OVERFLOW,
                                      f"the chair sheet for {shortened(sheet.heading)} does not fit on one page even "
                                      f"in the smallest type ({len(sheet.rows)} talks); split the session "
                                      "or shorten its titles"))
    if errors:
        raise ProgramError(errors)


_GLANCE_OVERFLOW = re.compile(r"^BOOKLET-GRID-OVERFLOW: (\S*)$", re.M)


def _check_glance_fits(run: TexRun, source: SourceMap) -> None:
    """A time band of the timetable grid taller than a page cannot be printed: name its tallest slot."""
    items = list(dict.fromkeys(_GLANCE_OVERFLOW.findall(run.log)))
    if items:
        raise ProgramError([item_diagnostic(source, item, rules.GLANCE_OVERFLOW,
                                            "this slot does not fit on a page of the program at a glance, even in "
                                            "the smallest type; give it a `short_title` (or shorten its title)")
                            for item in items])


def _keep(work: Path, out: Path, jobs: list[str]) -> None:
    keep = out / "build"
    keep.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        for suffix in (".tex", ".log"):
            if (work / f"{job}{suffix}").exists():
                staged = work / f"{job}{suffix}.keep"
                shutil.copyfile(work / f"{job}{suffix}", staged)
                publish(staged, keep / f"{job}{suffix}")


def item_diagnostic(source: SourceMap, item: str, code: str, message: str) -> Diagnostic:
    positions = {format_path(path): where for path, where in source.values.items()}
    if item and item in positions:
        line, col = positions[item]
        return Diagnostic(source.file, line, col, Severity.ERROR, item, message, code)
    return Diagnostic(source.file, 0, 0, Severity.ERROR, "", message, code)


def _explain_tex_failure(failure: TexFailure, job: Job, source: SourceMap,
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
                          f"template {name}: {message}", rules.LATEX_ERROR)
    if item:
        message = f"while typesetting this item: {message}"
    return item_diagnostic(source, item, rules.LATEX_ERROR, message)
