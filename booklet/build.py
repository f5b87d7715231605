"""`booklet build`: the pipeline, step by step, readable top to bottom.

    load + validate (skip everything if OUT already holds what these inputs build) -> views ->
    for each document: render its .tex (document information included) and start its lane
    (outputs.py: TeX, derived files, preflight), side by side with the others -> stop them all if
    the LaTeX is what OUT was built from -> calendar -> publish (atomic renames into OUT, only when
    every preflight passed)

Each step owns one thing; this module only wires them together, reports progress and turns a
failure at any step into a message that names the file, the line and the program item.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable

from . import __version__
from .checks import calendar_report, manifest, manifest_inputs, manifest_text
from . import carry, fresh, rules
from .diagnostics import Diagnostic, ProgramError, Severity
from .fresh import MANIFEST, read_manifest, recorded_files, source_date_epoch
from .documents import CALENDAR_FILE, FONTS_FILE, Inputs, documents, own_names, style_files
from .documents.chair_sheets import CHAIR_SHEETS
from .papers import PAPERS
from .outputs import Job, Outputs
from .pdf import checker, page_memo
from .pdf.preflight import FileReport
from .options import BuildOptions, BuildResult, OutputOptions
from .progress import Phases
from .images import copy_images, resolution_warnings
from .publish import publish, remove_stale_work, work_directory, write_file
from .tex import fonts
from .tex.engine import DEFAULT_TIMEOUT, engine_available
from .tex.contents import predicted_state
from .tex.escape import TeX
from .tex.lint import lint_folder
from .tex.templates import TemplateProblem, TemplateSet
from .load import STDIN, display_name, read_program_bytes
from .lock import output_lock
from .validate import check_program
from .views import build_view

def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None,
          phases: Phases | None = None,
          on_warnings: Callable[[list[Diagnostic]], None] = lambda _: None) -> BuildResult:
    """Build OPTIONS.program into OPTIONS.out. ON_WARNINGS hears the program's warnings as soon as
    they are known, before TeX starts; PROGRESS hears each phase as it starts. One build at a time
    writes to a folder: a second one waits (or, without options.wait, stops at once)."""
    phases = phases or Phases(progress)
    with output_lock(options.out, wait=options.wait, waiting=lambda: phases.phase("waiting for another build")):
        return _build(options, phases, on_warnings)


def _build(options: BuildOptions, phases: Phases,
           on_warnings: Callable[[list[Diagnostic]], None]) -> BuildResult:
    result = BuildResult(timings=phases.seconds)
    display = display_name(options.program)

    with phases.phase("load and validate"):
        _check_template_dir(options.templates)
        if not options.force:
            _check_output_folder(options.out)
        if fresh.already_built(options, on_warnings, result) is not None:
            return result
        templates = TemplateSet(options.templates)
        checked = check_program(options.program, display, options.engine)
        program = checked.program
        result.engine = checked.engine
        output_options = replace(options.output_options, engine=checked.engine.engine)
        if not engine_available(checked.engine.engine):
            raise ProgramError(Diagnostic(display, 0, 0, Severity.ERROR, "",
                                          f"this program needs {checked.engine.engine} ({checked.engine.reason}), "
                                          "which is not installed; run `make setup` (Debian: texlive-luatex, "
                                          "fonts-noto-core, fonts-noto-cjk)", rules.LATEX_ERROR))
        result.warnings = checked.report.warnings + resolution_warnings(
            program, checked.images, checked.image_places, PAPERS[options.paper].text_width_mm, checked.source)
        fresh.report_warnings(result.warnings, options, on_warnings)

    with phases.phase("render"):
        epoch = source_date_epoch(options.program)
        inputs = Inputs(program, output_options, epoch, program_version(program, epoch),
                        build_view(program, PAPERS[options.paper].glance_columns,
                                   {written: image.name for written, image in checked.images.items()}))
        if options.since is not None:
            inputs.since, inputs.since_version = _since(options.since)
        styles = _styles(templates, style_files())
        state = carry.state_key(styles, output_options.engine, _user_templates(templates))

    # Each document's lane starts as soon as its LaTeX is written, while the next one is rendered:
    # the booklet's first TeX pass runs beside the rendering of the chair sheets and door signs.
    # Should all of it turn out to be what OUT already holds, the lanes are stopped unused.
    remove_stale_work(options.out)
    with work_directory(options.out) as work, \
            Outputs(work=work, out=options.out, inputs=inputs, timeout=options.timeout, source=checked.source,
                    templates=templates, phases=phases, keep_tex=options.keep_tex) as outputs:
        for name, data in styles.items():
            write_file(work / name, data)
        copy_images(list(checked.images.values()), work)
        source = Path(display).name  # named in a comment atop the .tex; the folder is no input
        jobs = []
        for document in documents():
            with phases.phase("render"):
                job = _job(document, inputs, templates, source, styles, output_options)
            if job is None:
                continue  # nothing to print: no chaired session, no --since
            write_file(work / f"{job.name}.tex", job.tex)
            if document.max_passes > 1:
                # The booklet's first pass starts from the last good build's references (carry.py), or,
                # in a first build, from the contents its LaTeX asks for (contents.py): either way it
                # lays the pages out where they stay, and the next pass only fills in the page numbers.
                kept = carry.seeds(options.out, job.name, state)
                outputs.seeds[job.name] = kept or predicted_state(job.tex)
                if not kept:  # a guess: the first pass is never the last, and writes no PDF
                    outputs.drafts.add(job.name)
            outputs.start(job)
            jobs.append(job)
            if len(jobs) == 1:
                # The preflight's processes (the booklet's, the sheets' and the signs') import pypdf
                # while the booklet's first pass runs, ready long before any document is typeset;
                # started earlier, they slowed the reading and rendering that TeX waits for. (A
                # changes sheet, made with --since only, starts its own.)
                checker.warm_up(pacing=1, yielding=2)
        key = build_key(jobs)
        if not options.force and fresh.up_to_date(options.out, key):
            outputs.stop()
            _record_inputs(options, checked, result.warnings, work)
            return fresh.recorded_result(result, options.out)  # with this program's own warnings
        calendar_file = work / CALENDAR_FILE

        def make_calendar() -> FileReport:  # while TeX runs: this thread would only be waiting
            # Imported here, not before TeX starts: icalendar takes 0.05 s to import.
            from .calendar import calendar_bytes

            previous = options.out / CALENDAR_FILE
            write_file(calendar_file, calendar_bytes(program, stamp=epoch, previous=previous.read_bytes()
                                                     if previous.is_file() and not previous.is_symlink() else None))
            with phases.phase("preflight"):
                return calendar_report(calendar_file, program)

        lanes, calendar = outputs.finish(meanwhile=make_calendar)
        result.preflight_peak_kb = outputs.preflight_peak_kb
        runs = [lane.run for lane in lanes.values()]
        result.passes = max(run.passes for run in runs)
        result.tex_warnings = [w for run in runs for w in run.warnings]
        if CHAIR_SHEETS.job in lanes:
            result.sheets_typeset = lanes[CHAIR_SHEETS.job].run.typeset
        staged = [item for job in jobs for item in lanes[job.name].staged] + [(calendar_file, options.out / CALENDAR_FILE)]
        reports = [report for job in jobs for report in lanes[job.name].reports] + [calendar]

        with phases.phase("preflight"):
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
            write_file(manifest_file, manifest_text(manifest(
                reports, _relative_to(options.program, options.out), read_program_bytes(options.program),
                output_options, key, fresh.input_key(options, sorted(checked.images)), result.warnings,
                inputs.version,
                _relative_to(options.since, options.out) if options.since is not None else None,
                inputs.since_version, sorted(checked.images))))
            staged.append((manifest_file, options.out / MANIFEST))
            previous = [entry["name"] for entry in recorded_files(read_manifest(options.out))]
            with _signals_held():  # Ctrl-C or SIGTERM now would leave a mix of old and new files
                for finished, target in staged:  # the manifest last: until then the old one disowns
                    publish(finished, target)    # the new files (their sha256 differ), so `check`
                    result.outputs.append(target)  # fails and the next build replaces them all
                _remove_stale_outputs(options.out, {target for _, target in staged}, previous)
            carry.keep(options.out, work, list(outputs.seeds), state)
            outputs.settle()
            page_memo.keep(carry.state_folder(options.out), work)
            for job in jobs:
                job.document.after_publish(lanes[job.name].run, options.out)
            fresh.keep_stamps(options.out, {report.name: report.sha256 for report in reports})
            result.pages = {report.name: report.pages for report in reports
                            if "/" not in report.name and report.kind != "calendar"}
    return result


def _record_inputs(options: BuildOptions, checked, warnings: list[Diagnostic], work: Path) -> None:
    """OUT holds what these inputs build, though they are not the ones it was built from (a comment
    edited under a fixed SOURCE_DATE_EPOCH, a booklet upgrade that prints the same): its manifest
    now names them and their warnings, so that the next unchanged build stops at step 0."""
    recorded = read_manifest(options.out)
    inputs = manifest_inputs(_relative_to(options.program, options.out), read_program_bytes(options.program),
                             fresh.input_key(options, sorted(checked.images)), warnings)
    if all(recorded.get(name) == value for name, value in inputs.items()):
        return
    staged = work / MANIFEST
    write_file(staged, manifest_text({**recorded, **inputs}))
    publish(staged, options.out / MANIFEST)


@contextmanager
def _signals_held():
    """SIGINT and SIGTERM wait until the renames are done (a fraction of a second), then act."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _user_templates(templates: TemplateSet) -> list[tuple[str, bytes]]:
    """The user's template files (name, bytes): what the kept TeX state depends on besides the styles."""
    folder = templates.user_dir
    if folder is None or not folder.is_dir():
        return []
    return [(path.relative_to(folder).as_posix(), path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()]


def _styles(templates: TemplateSet, names: list[str]) -> dict[str, bytes]:
    """The style files a build copies into its folder, and the LuaLaTeX fonts' declarations."""
    styles = {name: _template_file(templates, name).read_bytes() for name in names}
    styles[FONTS_FILE] = fonts.declarations().encode()
    return styles


def _job(document, inputs: Inputs, templates: TemplateSet, source: str, styles: dict[str, bytes],
         output_options: OutputOptions) -> Job | None:
    """DOCUMENT's view and LaTeX for this build; None when it has nothing to print."""
    view = document.view(inputs)
    if view is None:
        return None
    info = TeX(document.info(inputs, view).as_pdftex())
    tex = _render(templates, document.template, source=source, info=info, **document.template_context(inputs, view))
    return Job(document, view, tex, _document_key(document.job, tex, styles, output_options, inputs.epoch))


def build_key(jobs: list[Job]) -> str:
    """What decides the outputs: every document's key (its LaTeX, the style files, the options, the
    dates and booklet's version). Equal keys give equal files, so a rebuild may skip everything."""
    return hashlib.sha256("".join(f"{job.name}\n{job.key}\n" for job in jobs).encode()).hexdigest()


def _document_key(job: str, tex: str, styles: dict[str, bytes], output_options: OutputOptions, epoch: int) -> str:
    """A hash of what one document is made of: its LaTeX and everything it reads. It seeds the
    document's /ID, so an unchanged document keeps its bytes."""
    digest = hashlib.sha256(f"booklet {__version__}\n{job}\n{len(tex)}\n".encode() + tex.encode())
    for name in sorted(styles):
        digest.update(f"{name}\n{len(styles[name])}\n".encode() + styles[name])
    digest.update(repr((sorted(output_options.as_json().items()), epoch)).encode())
    return digest.hexdigest()


def program_version(program, epoch: int) -> str:
    """The program's `version:`, else its date and a short hash of what it says (not of its bytes: a
    comment or a re-indented line is the same program): '2025-09-01-3fa2c1d'. Printed on every
    output, so that a printed page can be matched to the program it came from."""
    if program.version:
        return program.version
    digest = hashlib.sha256(program.model_dump_json().encode()).hexdigest()[:7]
    return f"{time.strftime('%Y-%m-%d', time.gmtime(epoch))}-{digest}"


def _since(path: Path):
    """The earlier program of `build --since`, validated like any program, and its version."""
    checked = check_program(path, display_name(path))
    return checked.program, program_version(checked.program, source_date_epoch(path))


def _relative_to(path: Path, folder: Path) -> str:
    """PATH as seen from FOLDER: the manifest names its program without an absolute path."""
    if path == STDIN:
        return "-"  # `booklet check` then needs --program
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _preflight_failures(reports: list[FileReport], out: Path) -> list[Diagnostic]:
    failures = []
    for report in reports:
        for check in report.checks:
            if check.status == "fail":
                where = f"page {check.page}: " if check.page else ""
                failures.append(Diagnostic(str(out / report.name), 0, 0, Severity.ERROR, "",
                                           f"preflight: {where}{check.detail} ({check.check})",
                                           rules.PREFLIGHT_FAILURE))
    return failures


def _remove_stale_outputs(out: Path, keep: set[Path], previous: list[str]) -> None:
    """Files of an earlier build that this one did not make (a removed session's sheet, an imposed
    booklet after --no-impose) must not linger beside the new ones and be printed by mistake. Only
    files the earlier build's manifest lists are removed: a file booklet did not write (a chair's
    slides in OUT/sessions) is never touched, and nothing is removed through a symbolic link."""
    root = out.resolve()
    for name in previous:
        if not isinstance(name, str) or not name or Path(name).is_absolute() or ".." in Path(name).parts:
            continue  # a manifest edited by hand names nothing outside OUT
        stale = out / name
        if stale in keep or stale.is_symlink() or stale.parent.is_symlink():
            continue
        if stale.resolve().parent == (root / name).parent:  # no link on the way either
            stale.unlink(missing_ok=True)


def _check_output_folder(out: Path) -> None:
    """A folder booklet has not built into before may hold only what booklet writes (and hidden
    files such as .gitkeep, and other booklet output folders): building into a folder of other
    files (a home folder, `/`) is refused unless --force says it is meant."""
    if not out.is_dir() or read_manifest(out):
        return
    foreign = sorted(entry.name for entry in out.iterdir()
                     if not entry.name.startswith(".") and entry.name not in own_names()
                     and not (entry.is_dir() and (entry / MANIFEST).is_file()))
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise ProgramError(Diagnostic(str(out), 0, 0, Severity.ERROR, "",
                                      f"this folder holds files booklet did not write ({shown}); give a new or "
                                      "empty folder with --out, or --force to build beside them",
                                      rules.OUTPUT_NOT_EMPTY))


def _check_template_dir(folder: Path | None) -> None:
    if folder is None:
        return
    if not folder.is_dir():
        raise ProgramError(Diagnostic(str(folder), 0, 0, Severity.ERROR, "",
                                      "--templates must be a folder of templates", rules.TEMPLATE_ERROR))
    findings = lint_folder(folder)
    if findings:
        raise ProgramError([Diagnostic(str(f.file), f.line, 1, Severity.ERROR, "",
                                       f"{f.construct}: {f.why}; a template may not do this (booklet's "
                                       "own files are all it may read)", rules.UNSAFE_TEMPLATE) for f in findings])


def _template_file(templates: TemplateSet, name: str) -> Path:
    try:
        return templates.find(name)
    except TemplateProblem as problem:
        raise ProgramError(Diagnostic(problem.file, 0, 0, Severity.ERROR, "", problem.message,
                                      rules.TEMPLATE_ERROR)) from None


def _render(templates: TemplateSet, name: str, **context) -> str:
    try:
        return templates.render(name, **context)
    except TemplateProblem as problem:
        raise ProgramError(Diagnostic(problem.file, problem.line or 0, 1 if problem.line else 0,
                                      Severity.ERROR, "", f"template error: {problem.message}",
                                      rules.TEMPLATE_ERROR)) from None




def build_changes_sheet(old: Path, new: Path, target: Path, *, sheet_paper: str = "a4",
                        timeout: float = DEFAULT_TIMEOUT) -> list:
    """`booklet diff OLD NEW -o FILE.pdf`: the changes sheet alone, typeset in a work folder beside
    TARGET, checked by the preflight like every output and moved into place only when it passed.
    Returns the changes listed."""
    from .diff import compare
    from .documents.changes import CHANGES
    from .pdf.finish import trailer_id_seed
    from .pdf.preflight import preflight
    from .tex import formats
    from .tex.engine import TexFailure, compile_tex

    checked = check_program(new, display_name(new))
    epoch = source_date_epoch(new)
    inputs = Inputs(checked.program, OutputOptions(sheet_paper=sheet_paper), epoch,
                    program_version(checked.program, epoch), build_view(checked.program))
    inputs.since, inputs.since_version = _since(old)
    templates = TemplateSet()
    view = CHANGES.view(inputs)
    tex = _render(templates, CHANGES.template, source=Path(display_name(new)).name,
                  info=TeX(CHANGES.info(inputs, view).as_pdftex()), **CHANGES.template_context(inputs, view))
    with work_directory(target.parent) as work:
        write_file(work / f"{CHANGES.job}.tex", tex)
        for name, data in _styles(templates, list(CHANGES.styles)).items():
            write_file(work / name, data)
        try:
            engine = checked.engine.engine
            run = compile_tex(work, CHANGES.job, timeout=timeout, source_date_epoch=epoch, max_passes=1,
                              engine=engine, preload=formats.prepare(work, CHANGES.job, engine),
                              trailer_id=trailer_id_seed(hashlib.sha256(tex.encode()).hexdigest(), CHANGES.job))
        except TexFailure as failure:
            raise ProgramError(Diagnostic(str(target), 0, 0, Severity.ERROR, "", f"LaTeX failed: {failure.message}",
                                          rules.LATEX_ERROR)) from None
        expectation = CHANGES.checked_files(inputs, view, run.pages)[0]
        report = preflight(run.pdf, expectation, scratch=work)
        if not report.ok:
            raise ProgramError(_preflight_failures([report], target.parent))
        publish(run.pdf, target)
    return compare(inputs.since, inputs.program)
