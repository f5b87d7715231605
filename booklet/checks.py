"""What every output file must be, the preflight over a whole output folder, and the manifest.

The expectations come from the program and the build options alone (never from the templates),
so `booklet check` can rerun them on a folder long after the build, from the manifest's record
of how it was built.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import __version__
from .fresh import MANIFEST, recorded_files
from .model import Program
from .options import OutputOptions
from .papers import PAPERS
from .pdf.preflight import FileExpectation, FileReport, ReadCache, preflight
from .pdf.results import Check
from .views import build_view

def expectations(inputs, pages: dict[str, int] | None = None) -> list[FileExpectation]:
    """What every document of the registry must be, for INPUTS (documents.Inputs); PAGES gives a
    typeset file's page count where an expectation depends on it (the imposed booklet)."""
    from .documents import documents

    result = []
    for document in documents():
        view = document.view(inputs)
        if view is not None:
            result += document.checked_files(inputs, view, (pages or {}).get(document.file))
    return result


def check_folder(out: Path, expected: list[FileExpectation]) -> list[FileReport]:
    """Preflight each expected file in OUT (`booklet check`; a build checks its files in its lanes)."""
    cache = ReadCache()

    def run(expect: FileExpectation) -> FileReport:
        return preflight(out / expect.name, expect, cache)

    # Whole files first (two at a time: qpdf and the text extractor run beside Python), then the
    # sessions' sheets, whose pages the combined sheets file has already put in the text cache.
    whole = [e for e in expected if not e.cut]
    parts = [e for e in expected if e.cut]
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = dict(zip([e.name for e in whole], pool.map(run, whole)))
        reports.update(zip([e.name for e in parts], pool.map(run, parts)))
    return [reports[e.name] for e in expected]


def calendar_report(path: Path, program: Program) -> FileReport:
    from .calendar import check_calendar

    data = path.read_bytes() if path.exists() else b""
    report = FileReport(path.name, "calendar", bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    if not data:
        report.checks.append(Check("parse", "fail", "the file is missing or empty"))
        return report
    report.checks += [Check(name, "pass" if ok else "fail", detail) for name, ok, detail in check_calendar(data, program)]
    return report


def check_existing(out: Path, program_path: Path | None = None) -> list[FileReport]:
    """`booklet check`: preflight a folder built earlier, as its manifest says it was built."""
    from pypdf import PdfReader

    from .diagnostics import Diagnostic, ProgramError, Severity
    from .documents import CALENDAR_FILE, Inputs
    from .documents.booklet import BOOKLET
    from .validate import check_program

    manifest_path = out / MANIFEST
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8"))
        options = _recorded_options(recorded["options"])
        if not isinstance(recorded["program"], str) or not isinstance(recorded.get("files", []), list):
            raise ValueError("'program' is not a file name or 'files' not a list")
        if program_path is None and recorded["program"] == "-":
            raise ProgramError(Diagnostic(str(manifest_path), 0, 0, Severity.ERROR, "",
                                          "this folder was built from standard input; give the program "
                                          "with --program FILE (or --program - to read it again)"))
        program_path = program_path or out / recorded["program"]  # recorded relative to OUT
    except FileNotFoundError:
        raise ProgramError(Diagnostic(str(manifest_path), 0, 0, Severity.ERROR, "",
                                      "no manifest here; run `booklet build` first, or give --out")) from None
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ProgramError(Diagnostic(str(manifest_path), 0, 0, Severity.ERROR, "",
                                      f"not a booklet manifest ({exc}); rebuild to write a new one")) from None
    checked = check_program(program_path, str(program_path), options.engine)
    program = checked.program
    version = recorded.get("version")
    inputs = Inputs(program, options, 0, version if isinstance(version, str) else "",
                    build_view(program, PAPERS[options.paper].glance_columns,
                               {written: image.name for written, image in checked.images.items()}))
    if isinstance(recorded.get("since"), str) and recorded["since"]:
        since = out / recorded["since"]
        inputs.since = check_program(since, str(since)).program
        since_version = recorded.get("since_version")
        inputs.since_version = since_version if isinstance(since_version, str) else ""
    try:  # the imposed booklet's expectation needs the booklet's page count
        booklet_pages = len(PdfReader(out / BOOKLET.file).pages) if (out / BOOKLET.file).exists() else None
    except Exception:  # noqa: BLE001 - an unreadable booklet is reported by its own parse check
        booklet_pages = None
    expected = expectations(inputs, {BOOKLET.file: booklet_pages})
    reports = check_folder(out, expected) + [calendar_report(out / CALENDAR_FILE, program)]
    recorded_sha = {entry["name"]: entry.get("sha256") for entry in recorded_files(recorded)}
    for report in reports:  # a file changed after the build is not the file that was checked
        if report.sha256 and recorded_sha.get(report.name) not in (None, report.sha256):
            report.checks.append(Check("sha256", "fail", "differs from the manifest: the file changed after "
                                                         "booklet built it; rebuild with --force"))
    return reports


def _recorded_options(recorded) -> OutputOptions:
    """The build options a manifest records, each of the type and among the values a build writes."""
    from .documents.door_signs import SIGN_PAPERS
    from .papers import PAPERS, SHEET_PAPERS

    if not isinstance(recorded, dict):
        raise ValueError("'options' is not a mapping")
    options = OutputOptions(**{k: v for k, v in recorded.items() if k in OutputOptions.__dataclass_fields__})
    if (options.paper not in PAPERS or options.sheet_paper not in SHEET_PAPERS or options.sign_paper not in SIGN_PAPERS
            or not isinstance(options.time_cards, bool) or not isinstance(options.impose, bool)
            or options.engine not in ("pdflatex", "lualatex")):
        raise ValueError(f"options {recorded} are not those of a booklet build")
    return options


def manifest(reports: list[FileReport], program_name: str, program_bytes: bytes, options: OutputOptions,
             build_key: str = "", input_key: str = "", warnings: list | None = None, version: str = "",
             since: str | None = None, since_version: str = "", images: list[str] | None = None) -> dict:
    """The record of a build: what was built from what (the program's version, the earlier program
    a changes sheet compares with), how each file fared, and the program's warnings (shown again
    when an unchanged rebuild stops early). Deterministic."""
    return {
        "version": version,
        **({"since": since, "since_version": since_version} if since else {}),
        **({"images": images} if images else {}),
        "build_key": build_key,
        **manifest_inputs(program_name, program_bytes, input_key, warnings or []),
        "generator": f"booklet {__version__}",
        "options": options.as_json(),
        "status": "pass" if all(r.ok for r in reports) else "fail",
        "files": [report.as_json() for report in reports],
    }


def manifest_inputs(program_name: str, program_bytes: bytes, input_key: str, warnings: list) -> dict:
    """The part of the manifest that names the inputs: the program, their key and its warnings."""
    return {
        "input_key": input_key,
        "warnings": [{"line": w.line, "col": w.col, "field": w.field, "message": w.message, "code": w.code}
                     for w in warnings],
        "program": program_name,
        "program_sha256": hashlib.sha256(program_bytes).hexdigest(),
    }


def manifest_text(data: dict) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def report_table(reports: list[FileReport], *, verbose: bool = False) -> str:
    """One line per problem, in words a program chair understands; a summary line per file."""
    lines = []
    width = max((len(report.name) for report in reports), default=0)
    for report in reports:
        failures = [c for c in report.checks if c.status == "fail"]
        warnings = [c for c in report.checks if c.status == "warn"]
        status = "ok" if not failures else "FAILED"
        size = f"{report.pages:>4} pages" if report.kind != "calendar" else "  calendar"
        lines.append(f"{report.name:<{width}}  {size}  {status}")
        for check in failures + (warnings if verbose else []):
            where = f" page {check.page}" if check.page else ""
            lines.append(f"  {report.name}{where}: {check.detail} [{check.check}]")
    return "\n".join(lines)
