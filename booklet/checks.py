"""What every output file must be, the preflight over a whole output folder, and the manifest.

The expectations come from the program and the build options alone (never from the templates),
so `booklet check` can rerun them on a folder long after the build, from the manifest's record
of how it was built.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .model import PaperSession, PlainSlot, Program
from .papers import PAPERS
from .pdf.layout import HeadingExpectation
from .pdf.preflight import FileExpectation, FileReport, ReadCache, preflight
from .pdf.results import Check
from .sheet_views import SheetsView
from .views import BookletView, build_view

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class OutputOptions:
    """The build options that decide what the outputs look like (recorded in the manifest)."""

    paper: str = "a5"
    sheet_paper: str = "a4"
    time_cards: bool = False
    impose: bool = True

    def as_json(self) -> dict:
        return {"paper": self.paper, "sheet_paper": self.sheet_paper, "time_cards": self.time_cards,
                "impose": self.impose}


IMPOSED_PAPER = {"a5": "a4", "a4": "a3", "letter": "tabloid"}


def expectations(program: Program, options: OutputOptions, sheets: SheetsView,
                 booklet_pages: int | None = None, view: BookletView | None = None) -> list[FileExpectation]:
    paper = PAPERS[options.paper]
    view = view or build_view(program, paper.glance_columns)
    booklet = FileExpectation("program.pdf", "booklet", options.paper, multiple_of=4,
                              bookmarks=_bookmarks(view), texts=_booklet_texts(program),
                              margins=paper.margins_pt, headings=_headings(view), sequences=_sequences(view))
    result = [booklet]
    if options.impose and booklet_pages:
        result.append(imposed_expectation(options, booklet_pages))
    if sheets.sheets:
        per_sheet = 4 if options.time_cards else 1
        own_titles = [[row.title for row in sheet.rows if sheet.kind != "keynote"] for sheet in sheets.sheets]
        every_title = {title for titles in own_titles for title in titles}
        result.append(FileExpectation("chair-sheets.pdf", "sheets", options.sheet_paper,
                                      pages=per_sheet * len(sheets.sheets), texts=sorted(every_title)))
        for sheet, titles in zip(sheets.sheets, own_titles):
            result.append(FileExpectation(
                f"sessions/{sheet.file_name}", "sheet", options.sheet_paper, pages=per_sheet,
                texts=titles + sheet.chair_names + [sheet.title, sheet.date, sheet.room],
                forbidden=sorted(every_title - set(titles))))
    return result


def imposed_expectation(options: OutputOptions, booklet_pages: int) -> FileExpectation:
    return FileExpectation("program-imposed.pdf", "imposed", IMPOSED_PAPER[options.paper], landscape=True,
                           sources_pages=booklet_pages)


def _bookmarks(view: BookletView) -> list[tuple[str, str]]:
    """Every session, poster session, keynote and panel is bookmarked under its heading, at the page
    that prints its title: (bookmark, title) pairs."""
    return [(slot.bookmark, slot.title) for day in view.days for slot in day.slots if not slot.plain]


def _sequences(view: BookletView) -> list[list[str]]:
    """Bookmarks in the order the booklet prints them, one list per part: the main program's slots
    day by day (a keynote's or panel's bookmark stands on its own page later), each co-located
    workshop's slots, then the keynotes, the invited talks and the panels."""
    main = [slot.bookmark for day in view.days for block in day.blocks for slot in block.slots
            if not slot.plain and not slot.detail_anchor]
    workshops = [[slot.bookmark for slot in track.slots if not slot.plain and not slot.detail_anchor]
                 for track in view.colocated]
    return [main, *workshops, *([s.bookmark for s in group] for group in (view.keynotes, view.talks, view.panels))]


def _headings(view: BookletView) -> list[HeadingExpectation]:
    """Each slot's heading in the detailed program (and each keynote's, talk's and panel's on its own
    page) with the first thing printed under it, which must share its page."""
    headings = []
    for slot in [s for day in view.days for s in day.slots if not s.plain]:
        first = next((text for text in (
            slot.speakers[0].name if slot.speakers else "",
            slot.chairs[0].name if slot.chairs else "",
            slot.panelists[0].name if slot.panelists else "",
            slot.talks[0].title if slot.talks else "") if text), "")
        headings.append(HeadingExpectation(slot.anchor, slot.title, first))
        if slot.detail_anchor:
            headings.append(HeadingExpectation(slot.detail_anchor, slot.title, slot.speakers[0].name
                                               if slot.speakers else ""))
    return headings


def _booklet_texts(program: Program) -> list[str]:
    """Every talk title, author, affiliation and chair, every speaker, panelist and committee member."""
    texts: list[str] = []
    used = set()
    for day in program.days:
        for slot in day.slots:
            people = slot.people()  # chairs, speakers, panelists and inline talks' speakers
            texts += [p.name for p in people] + [p.affiliation for p in people if p.affiliation]
            if not isinstance(slot, PlainSlot):
                texts.append(slot.title)
            if isinstance(slot, PaperSession):
                texts += [talk.title for talk in slot.talks if talk.title]
            used.update(paper for _, paper in slot.paper_refs())
    for paper in program.papers:
        if paper.id in used:
            texts.append(paper.title)
            texts += [a.name for a in paper.authors] + [a.affiliation for a in paper.authors if a.affiliation]
    for committee in program.committees:
        texts += [m.name for m in committee.members] + [m.affiliation for m in committee.members if m.affiliation]
    return list(dict.fromkeys(texts))


def check_folder(out: Path, expected: list[FileExpectation]) -> list[FileReport]:
    """Preflight each expected file in OUT (`booklet check`; a build checks its files in its lanes)."""
    cache = ReadCache()

    def run(expect: FileExpectation) -> FileReport:
        return preflight(out / expect.name, expect, cache)

    # Whole files first (two at a time: qpdf and the text extractor run beside Python), then the
    # sessions' sheets, whose pages the combined sheets file has already put in the text cache.
    whole = [e for e in expected if e.kind != "sheet"]
    parts = [e for e in expected if e.kind == "sheet"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = dict(zip([e.name for e in whole], pool.map(run, whole)))
        reports.update(zip([e.name for e in parts], pool.map(run, parts)))
    return [reports[e.name] for e in expected]


def calendar_report(path: Path, program: Program) -> FileReport:
    from .calendar import check_calendar

    data = path.read_bytes() if path.exists() else b""
    report = FileReport("program.ics", "calendar", bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    if not data:
        report.checks.append(Check("parse", "fail", "the file is missing or empty"))
        return report
    report.checks += [Check(name, "pass" if ok else "fail", detail) for name, ok, detail in check_calendar(data, program)]
    return report


def check_existing(out: Path, program_path: Path | None = None) -> list[FileReport]:
    """`booklet check`: preflight a folder built earlier, as its manifest says it was built."""
    from pypdf import PdfReader

    from .diagnostics import Diagnostic, ProgramError, Severity
    from .sheet_views import build_sheet_views
    from .validate import check_program

    manifest_path = out / MANIFEST
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8"))
        options = OutputOptions(**recorded["options"])
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
    program = check_program(program_path, str(program_path)).program
    sheets = build_sheet_views(program, time_cards=options.time_cards)
    booklet = out / "program.pdf"
    try:
        pages = len(PdfReader(booklet).pages) if booklet.exists() else None
    except Exception:  # noqa: BLE001 - an unreadable booklet is reported by its own parse check
        pages = None
    reports = check_folder(out, expectations(program, options, sheets, pages)) + [
        calendar_report(out / "program.ics", program)]
    recorded_sha = {entry.get("name"): entry.get("sha256") for entry in recorded.get("files", [])
                    if isinstance(entry, dict)}
    for report in reports:  # a file changed after the build is not the file that was checked
        if report.sha256 and recorded_sha.get(report.name) not in (None, report.sha256):
            report.checks.append(Check("sha256", "fail", "differs from the manifest: the file changed after "
                                                         "booklet built it; rebuild with --force"))
    return reports


def read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # a manifest nested beyond reason is no manifest
        return {}
    return data if isinstance(data, dict) else {}


def manifest(reports: list[FileReport], program_name: str, program_bytes: bytes, options: OutputOptions,
             build_key: str = "", input_key: str = "", warnings: list | None = None) -> dict:
    """The record of a build: what was built from what, how each file fared, and the program's
    warnings (shown again when an unchanged rebuild stops early). Deterministic."""
    return {
        "build_key": build_key,
        "input_key": input_key,
        "warnings": [{"line": w.line, "col": w.col, "field": w.field, "message": w.message, "code": w.code}
                     for w in warnings or []],
        "generator": f"booklet {__version__}",
        "program": program_name,
        "program_sha256": hashlib.sha256(program_bytes).hexdigest(),
        "options": options.as_json(),
        "status": "pass" if all(r.ok for r in reports) else "fail",
        "files": [report.as_json() for report in reports],
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
