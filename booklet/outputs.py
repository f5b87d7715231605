"""From the generated LaTeX to finished, checked files: one lane per document, side by side.

    each lane:  TeX (the booklet until its references settle) -> what the document derives from
                its PDF (the imposed booklet; each session's sheet) -> preflight of every file

The documents and what each makes are declared in the registry (booklet/documents/); this module
only runs them. pdflatex uses one core and the lanes share nothing but the program, so they run at
the same time: the chair sheets are ready after one pass and are cut apart and checked while the
booklet's second pass runs. Each lane's preflight runs in a process of its own (pdf/checker.py),
beside the lane's thread: the booklet is checked while it is imposed, and no lane's checks wait
for another's Python.

Nothing here publishes: the lanes leave finished files in the work folder with the place each
belongs in OUT, and the build publishes them only when every preflight passed.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import FIRST_COMPLETED, FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from . import carry, rules
from .cpu import yield_cpu
from .diagnostics import Diagnostic, ProgramError, Severity
from .documents import Inputs, Staged, TexDocument, documents
from .load import SourceMap, format_path
from .pdf.finish import trailer_id_seed
from .pdf.checker import Checker, CheckerFailed
from .pdf.preflight import FileReport, ReadCache
from .progress import Phases
from .publish import publish, write_file
from .tex import formats
from .tex.engine import TexFailure, TexRun, TexStopped, compile_tex, stop_all
from .tex.templates import TemplateSet

T = TypeVar("T")


@dataclass
class Job:
    """A document of this build, with what it prints and its generated LaTeX."""

    document: TexDocument
    view: object
    tex: str
    key: str  # a hash of what its file is made of (build._document_key): seeds its /ID

    @property
    def name(self) -> str:
        return self.document.job


@dataclass
class Lane:
    """What one lane made: its TeX run, its finished files, and their preflight reports."""

    run: TexRun
    staged: list[Staged] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)


@dataclass
class Outputs:
    """Everything the lanes need to know. A lane's derived files read the document through a
    ReadCache of the lane's own, dropped as soon as they are made."""

    work: Path
    out: Path
    inputs: Inputs
    timeout: float
    source: SourceMap
    templates: TemplateSet
    phases: Phases
    keep_tex: bool = False
    seeds: dict[str, dict[str, bytes]] = field(default_factory=dict)  # job -> its TeX state to start from
    drafts: set[str] = field(default_factory=set)  # jobs whose seed is a guess: their first pass writes no PDF
    _stopping: threading.Event = field(default_factory=threading.Event)
    _checkers: list[Checker] = field(default_factory=list)
    _checkers_lock: threading.Lock = field(default_factory=threading.Lock)
    _lanes: dict[Future, Job] = field(default_factory=dict)
    _pool: ThreadPoolExecutor | None = None

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    @property
    def preflight_peak_kb(self) -> int:
        """The largest peak resident memory of the lanes' preflight processes, once they are done."""
        with self._checkers_lock:
            return max((checker.peak_kb for checker in self._checkers), default=0)

    def __enter__(self) -> "Outputs":
        self._pool = ThreadPoolExecutor(max_workers=len(documents()), thread_name_prefix="lane")  # a lane each
        return self

    def start(self, job: Job) -> None:
        """Start JOB's lane now that its LaTeX is written: the next document is rendered meanwhile."""
        self._lanes[self._pool.submit(self._lane, job)] = job

    def finish(self, meanwhile: Callable[[], T]) -> tuple[dict[str, Lane], T]:
        """Wait for every lane; the first failure stops the others and is raised.

        MEANWHILE (work that needs no TeX) runs on this thread once the first lane is done, usually
        the door signs or the chair sheets long before the booklet: both cores stay busy."""
        futures = self._lanes
        try:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            if all(future.exception() is None for future in done):
                extra = meanwhile()
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        except BaseException:  # failed or interrupted: stop TeX before the pool waits for it
            self.stop()
            raise
        # A lane whose TeX or checker was stopped because another failed is not the one to report.
        failed = sorted((future for future in done if future.exception() is not None),
                        key=lambda future: isinstance(future.exception(), (CheckerFailed, TexStopped)))
        if failed:
            self.stop()  # the other lanes' work is of no use now
            wait(futures)
            raise self._explain(failed[0].exception(), futures[failed[0]])
        return {futures[future].name: future.result() for future in futures}, extra

    def settle(self) -> None:
        """Wait for the preflight processes to write the page readings the next build starts from
        (page_memo.py): they do it while the build publishes."""
        with self._checkers_lock:
            checkers = list(self._checkers)
        for checker in checkers:
            checker.finish()

    def __exit__(self, error_type, error, trace) -> None:
        if error_type is not None:  # a failure here (a template error while TeX runs) or Ctrl-C
            self.stop()
        self._pool.shutdown(wait=True)
        self.settle()  # none is left writing into the work folder as it is removed
        if self.keep_tex:
            _keep(self.work, self.out, [job.name for job in self._lanes.values()])

    def stop(self) -> None:
        """Stop every lane: TeX and the preflight processes are killed; __exit__ waits for the lanes."""
        self._stopping.set()
        stop_all()
        with self._checkers_lock:
            for checker in self._checkers:
                checker.stop()

    def _explain(self, error: BaseException, job: Job) -> BaseException:
        if isinstance(error, TexFailure):
            return ProgramError(_explain_tex_failure(error, job, self.source, self.templates))
        return error

    def compile(self, job: Job, tex: str | None = None) -> TexRun:
        """JOB's LaTeX through TeX, or TEX in its place (the chair sheets that changed)."""
        label = f"{job.name}.tex"
        if tex is not None:
            write_file(self.work / label, tex)
        with self.phases.phase("TeX"):
            engine = self.inputs.options.engine
            run = compile_tex(self.work, job.name, timeout=self.timeout, source_date_epoch=self.inputs.epoch,
                              max_passes=job.document.max_passes, trailer_id=trailer_id_seed(job.key, job.name),
                              engine=engine, seed=self.seeds.get(job.name), draft_first=job.name in self.drafts,
                              preload=formats.prepare(self.work, job.name, engine, self.timeout),
                              on_pass=lambda n: self.phases.note(label, f"pass {n}", milestone=True),
                              stopping=lambda: self.stopping)
        self.phases.clear_note(label)
        return run

    def _lane(self, job: Job) -> Lane:
        """TeX, the document's own checks on TeX's report, then its preflight in a process of its own
        (checker.py): the document's own file at once, while its derived files are made here, then
        those (their page texts are looked up in the document's, checked just before)."""
        document = job.document
        if not document.paces_the_build:
            # This thread, and so every process it starts (TeX, MuPDF, the readers). The pool is
            # the build's own and the booklet's lane starts first: no lane gets a lowered thread.
            yield_cpu()
        run = document.typeset(self, job)  # its own file is finished: information and /ID are set
        document.after_tex(run, job.view, self.inputs, self.source)
        expected = {e.name: e for e in document.checked_files(self.inputs, job.view, run.pages)}
        lane = Lane(run, [(run.pdf, self.out / document.file)])
        checker = None
        checked = False
        try:
            checker = self._checker(yielding=not document.paces_the_build)  # its readers inherit it
            checker.submit([(run.pdf, expected[document.file])])
            lane.staged += document.derive(self, run, job.view, ReadCache())
            with self.phases.phase("preflight"):
                checker.submit([(finished, expected[target.relative_to(self.out).as_posix()])
                                for finished, target in lane.staged[1:]])
                lane.reports = checker.reports(on_report=lambda done, total: self._checked(document, done, total))
                checked = len(lane.reports) == len(lane.staged)
        except CheckerFailed:
            if not self.stopping:
                raise
            # killed because another lane failed: that lane's error is the one to report
        finally:
            if checker is not None and not checked:
                checker.stop()  # a checked lane's process ends by itself, its page readings written
            self.phases.clear_note(document.name)
        return lane

    def _checker(self, yielding: bool) -> Checker:
        with self._checkers_lock:
            if self.stopping:
                raise CheckerFailed("the build is stopping")
            checker = Checker(scratch=self.work, kept=carry.state_folder(self.out), yielding=yielding)
            self._checkers.append(checker)
            return checker

    def _checked(self, document: TexDocument, done: int, total: int) -> bool:
        if total > 2:
            self.phases.note(document.name, f"{done - 1}/{total - 1} checked")
        return not self.stopping


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
