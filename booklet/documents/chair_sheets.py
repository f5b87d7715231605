"""Chair sheets: one page per chaired session, typeset in one run (chair-sheets.pdf) and cut apart
into one file per session (sessions/NN-slug.pdf) at each sheet's named destination."""

from __future__ import annotations

import hashlib
import re

from .. import rules
from ..diagnostics import Diagnostic, ProgramError, Severity, shortened
from ..papers import SHEET_PAPERS
from ..pdf.finish import DocumentInfo, file_id
from ..pdf.preflight import FileExpectation
from ..pdf.split import Part, split_file
from ..sheet_views import Sheet, SheetsView, build_sheet_views
from . import SESSIONS_DIR, Inputs, TexDocument, document_info


class ChairSheets(TexDocument):
    name = "chair sheets"
    job = "chair-sheets"
    template = "chair-sheets.tex.j2"
    styles = ("booklet.sty", "chairsheets.sty")
    kind = "sheets"

    def view(self, inputs: Inputs) -> SheetsView | None:
        sheets = build_sheet_views(inputs.program, time_cards=inputs.options.time_cards)
        return sheets if sheets.sheets else None

    def template_context(self, inputs: Inputs, view: SheetsView) -> dict:
        return {"v": view, "layout": SHEET_PAPERS[inputs.options.sheet_paper], "version": inputs.version}

    def info(self, inputs: Inputs, view: SheetsView) -> DocumentInfo:
        program = inputs.program
        return document_info(
            inputs, title=f"{program.short_name}: chair sheets",
            subject=f"Run sheets for the session chairs of the {program.title}",
            keywords=", ".join([program.short_name, "chair sheets"] + [s.heading for s in view.sheets][:12]))

    def sheet_info(self, inputs: Inputs, sheet: Sheet) -> DocumentInfo:
        return document_info(
            inputs, title=f"{inputs.program.short_name}: chair sheet, {sheet.heading}",
            author=", ".join(sheet.chair_names),
            subject=f"Run sheet for the chair of {sheet.heading}, {sheet.date}, {sheet.window}, {sheet.room}",
            keywords=f"{inputs.program.short_name}, chair sheet, {sheet.label}")

    def expectations(self, inputs: Inputs, view: SheetsView, pages: int | None) -> list[FileExpectation]:
        per_sheet = 4 if inputs.options.time_cards else 1
        paper = inputs.options.sheet_paper
        own_titles = [[row.title for row in sheet.rows if sheet.kind != "keynote"] for sheet in view.sheets]
        # In the order they are printed: the text check reads the text once when it finds them in order.
        printed = list(dict.fromkeys(title for titles in own_titles for title in titles))
        every_title = set(printed)
        result = [FileExpectation(self.file, self.kind, paper, pages=per_sheet * len(view.sheets),
                                  texts=printed, margins=SHEET_PAPERS[paper].margins_pt)]
        for sheet, titles in zip(view.sheets, own_titles):
            result.append(FileExpectation(
                f"{SESSIONS_DIR}/{sheet.file_name}", "sheet", paper, pages=per_sheet,
                texts=titles + sheet.chair_names + [sheet.title, sheet.date, sheet.room, inputs.version],
                forbidden=sorted(every_title - set(titles)), cut=True))
        return result

    def after_tex(self, run, view: SheetsView, inputs: Inputs, source) -> None:
        """A chair sheet is one page. One that does not fit even in the smallest type fails the build."""
        from ..outputs import item_diagnostic

        errors = []
        for match in _OVERFLOW.finditer(run.log):
            sheet = view.sheets[int(match.group(1)) - 1]
            errors.append(item_diagnostic(source, sheet.item, rules.SHEET_OVERFLOW,
                                          f"the chair sheet for {shortened(sheet.heading)} does not fit on one page "
                                          f"even in the smallest type ({len(sheet.rows)} talks); split the session "
                                          "or shorten its titles"))
        if errors:
            raise ProgramError(errors)

    def derive(self, lane, run, view: SheetsView, cache):
        """Each session's sheet, cut from the combined file at its named destination."""
        with lane.phases.phase("split"):
            seed = hashlib.sha256(run.pdf.read_bytes()).digest()
            parts = []
            for sheet in view.sheets:
                info = self.sheet_info(lane.inputs, sheet)
                parts.append(Part(sheet.destination, lane.work / f"sheet-{sheet.number}.pdf", info,
                                  file_id(info, seed + sheet.destination.encode())))
            lane.phases.note("sheets", "splitting")
            try:
                split_file(run.pdf, run.pages, parts, lambda: cache.document(run.pdf), lambda: lane.stopping)
            except KeyError as missing:  # a template that leaves out a sheet's \pdfdest
                raise ProgramError(Diagnostic(
                    str(lane.out / self.file), 0, 0, Severity.ERROR, "",
                    f"the sheet's destination {missing} is missing, so the file cannot be cut into sessions; "
                    "a chair-sheets template must keep \\bksheet on each sheet's first page",
                    rules.TEMPLATE_ERROR)) from None
        return [(part.target, lane.out / SESSIONS_DIR / sheet.file_name) for part, sheet in zip(parts, view.sheets)]


CHAIR_SHEETS = ChairSheets()
_OVERFLOW = re.compile(r"^BOOKLET-SHEET-OVERFLOW: (\d+)$", re.M)
