"""`booklet build`: the pipeline, step by step, readable top to bottom.

    load + validate -> views -> render .tex -> compile (pdflatex) -> finish (metadata) -> publish

Each step owns one thing; this module only wires them together, reports progress and turns a
failure at any step into a message that names the file, the line and the program item.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .diagnostics import Diagnostic, ProgramError, Severity
from .load import SourceMap, format_path
from .model import Program
from .pdf.finish import DocumentInfo, finish_pdf
from .publish import publish, remove_stale_work, work_directory
from .tex.engine import DEFAULT_TIMEOUT, TexFailure, compile_tex
from .tex.escape import TeX
from .tex.templates import TemplateProblem, TemplateSet
from .validate import check_program
from .views import BookletView, build_view

STYLE_FILES = ("booklet.sty",)


@dataclass(frozen=True)
class Paper:
    """A page size for the booklet: geometry options and the type size that reads well on it."""

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


@dataclass
class BuildOptions:
    program: Path
    out: Path
    paper: str = "a5"
    templates: Path | None = None
    keep_tex: bool = False
    timeout: float = DEFAULT_TIMEOUT


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    tex_warnings: list[str] = field(default_factory=list)
    pages: int = 0
    passes: int = 0


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    result = BuildResult()
    display = str(options.program)

    progress("load and validate")
    checked = check_program(options.program, display)
    program = checked.program
    result.warnings = checked.report.warnings

    progress("prepare views")
    view = build_view(program)

    progress("render LaTeX")
    templates = TemplateSet(options.templates)
    _check_template_dir(options.templates)
    layout = PAPERS[options.paper]
    tex = _render(templates, "booklet.tex.j2", b=view, layout=layout, source=display)

    remove_stale_work(options.out)
    with work_directory(options.out) as work:
        (work / "program.tex").write_text(tex, encoding="utf-8")
        for name in STYLE_FILES:
            shutil.copyfile(_template_file(templates, name), work / name)

        progress("typeset with pdflatex")
        epoch = source_date_epoch(options.program)
        try:
            run = compile_tex(work, "program", timeout=options.timeout, source_date_epoch=epoch)
        except TexFailure as failure:
            if options.keep_tex:
                _keep(work, options.out, "program")
            raise ProgramError(_explain_tex_failure(failure, tex, checked.source)) from None
        result.passes = run.passes
        result.tex_warnings = run.warnings

        progress("finish PDF")
        finished = work / "program.final.pdf"
        finish_pdf(run.pdf, finished, document_info(program, view, epoch))
        if options.keep_tex:
            _keep(work, options.out, "program")
        target = options.out / "program.pdf"
        publish(finished, target)
        result.outputs.append(target)
        from pypdf import PdfReader

        result.pages = len(PdfReader(target).pages)
    return result


def source_date_epoch(program_file: Path) -> int:
    """Dates inside the PDFs: SOURCE_DATE_EPOCH when set, else the program file's own date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return int(program_file.stat().st_mtime)


def document_info(program: Program, view: BookletView, epoch: int) -> DocumentInfo:
    venue = f", {program.venue}" if program.venue else ""
    keywords = [program.short_name] + [slot.title for day in view.days for slot in day.slots if slot.label]
    return DocumentInfo(
        title=f"{program.title}: Program",
        author=", ".join(view.general_chairs) or program.title,
        subject=f"Program booklet of the {program.title}, {view.date_line}{venue}",
        keywords=", ".join(keywords),
        creator=f"booklet {__version__}",
        moment=epoch,
    )


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


def _keep(work: Path, out: Path, job: str) -> None:
    keep = out / "build"
    keep.mkdir(parents=True, exist_ok=True)
    for suffix in (".tex", ".log"):
        if (work / f"{job}{suffix}").exists():
            staged = work / f"{job}{suffix}.keep"
            shutil.copyfile(work / f"{job}{suffix}", staged)
            publish(staged, keep / f"{job}{suffix}")


def _explain_tex_failure(failure: TexFailure, tex: str, source: SourceMap) -> Diagnostic:
    """Name the LaTeX error, the generated line and, when we can tell, the program item.

    Templates write a `% item: days[0].slots[3]` comment before each program item; the nearest one
    above the failing line says which item was being typeset, and the source map says where it is.
    """
    item = ""
    if failure.line:
        lines = tex.splitlines()
        for number in range(min(failure.line, len(lines)) - 1, -1, -1):
            text = lines[number].lstrip()
            if text.startswith("% item: "):
                item = text[len("% item: "):]
                break
    message = f"LaTeX failed: {failure.message}"
    if failure.line:
        message += f" (program.tex line {failure.line}"
        message += f": {failure.context})" if failure.context else ")"
    if failure.line:
        message += "; rebuild with --keep-tex to see the generated file"
    positions = {format_path(path): where for path, where in source.values.items()}
    if item and item in positions:
        line, col = positions[item]
        return Diagnostic(source.file, line, col, Severity.ERROR, item, f"while typesetting this item: {message}")
    return Diagnostic(source.file, 0, 0, Severity.ERROR, "", message)
