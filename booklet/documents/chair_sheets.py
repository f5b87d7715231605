"""Chair sheets: one page per chaired session (and its timing cards), cut into one file per
session (sessions/NN-slug.pdf) at each sheet's named destination, and all of them in one file
(chair-sheets.pdf) made from those.

Only the sheets whose LaTeX changed since the last good build are typeset, in one run; the others
are that build's own files (sheet_store.py). Without mutool, or with a template of the user's that
does not mark its sheets, every sheet is typeset in one run, as in a first build.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import rules
from ..diagnostics import Diagnostic, ProgramError, Severity, shortened
from ..papers import SHEET_PAPERS
from ..pdf.finish import DocumentInfo, file_id
from ..pdf.preflight import FileExpectation, ReadCache
from ..pdf.split import Part, cut_files, cut_with_pypdf
from ..sheet_store import SheetStore, split_sheets
from ..sheet_views import Sheet, SheetsView, build_sheet_views
from ..tex.engine import TexRun
from ..tex.engines import PDFLATEX
from ..tex.escape import TeX, escape
from . import SESSIONS_DIR, Inputs, Staged, TexDocument, document_info

# Characters the template itself prints besides the program's, given every sheet font (chairsheets.sty).
_TEMPLATE_CHARACTERS = {chr(code) for code in range(0x21, 0x7F)} | set("\u00b7\u2013\u2014")


@dataclass
class SheetsRun(TexRun):
    """The chair sheets' TeX run (of the sheets typeset, if any) and the files cut from it: PDF is
    the combined file, PAGES its pages."""

    sessions: list[Staged] = field(default_factory=list)
    typeset: int = 0  # sheets typeset in this build; the others are the last build's
    kept: dict[str, str] = field(default_factory=dict)  # key -> the session's file name, for the store


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
        # Every character any sheet prints, each on its own (no ligature forms between them).
        printed = sorted(ch for ch in view.characters() | _TEMPLATE_CHARACTERS if ch.isprintable() and not ch.isspace())
        return {"v": view, "layout": SHEET_PAPERS[inputs.options.sheet_paper], "glyphs": TeX(escape(" ".join(printed))),
                "version": inputs.version}  # not printed: a sheet prints its revision (sheet_views.py)

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
                # Not the revision: a template of the user's may print the version instead (and
                # keep no sheet from one build to the next), as templates before the revision did.
                texts=titles + sheet.chair_names + [sheet.title, sheet.date, sheet.room],
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

    def typeset(self, lane, job) -> SheetsRun:
        """The sheets the last build did not leave, typeset in one run; then every session's file,
        cut from that run or taken from the last build, and the combined file made from them."""
        view, engine = job.view, lane.inputs.options.engine
        latex = split_sheets(job.tex, [sheet.destination for sheet in view.sheets])
        keys = latex.keys(engine, [(lane.work / name).read_bytes() for name in self.styles]) if latex else []
        reusable = engine == PDFLATEX  # LuaLaTeX's font subsets follow its shaping (sheet_store.py)
        store = SheetStore(lane.out)
        kept = {index: found for index, key in enumerate(keys) if reusable and (found := store.find(key))}
        fresh = [index for index in range(len(view.sheets)) if index not in kept]
        run = lane.compile(job, latex.document(fresh) if kept else None) if fresh else None
        parts, combined = self._parts(lane, run, view, keys, kept)
        with lane.phases.phase("split"):
            lane.phases.note("sheets", "cutting")
            done = cut_files(run.pdf if run else None, parts, combined)
            if not done and kept:  # no MuPDF, or a kept sheet it cannot read: every sheet is typeset
                run, kept = lane.compile(job, job.tex), {}
                parts, combined = self._parts(lane, run, view, keys, kept)
                done = cut_files(run.pdf, parts, combined)
            if not done:
                self._split(lane, run, parts, combined)
        log, passes, seconds, warnings = (run.log, run.passes, run.seconds, run.warnings) if run else ("", 0, 0.0, [])
        per_sheet = 4 if lane.inputs.options.time_cards else 1
        return SheetsRun(
            combined.target, log, passes, seconds, per_sheet * len(view.sheets), warnings,
            sessions=[(part.target, lane.out / SESSIONS_DIR / sheet.file_name)
                      for part, sheet in zip(parts, view.sheets)],
            typeset=len(view.sheets) - len(kept),
            kept={key: sheet.file_name for key, sheet in zip(keys, view.sheets)} if reusable else {})

    def _parts(self, lane, run: TexRun | None, view: SheetsView, keys: list[str],
               kept: dict[int, Path]) -> tuple[list[Part], Part]:
        """Each session's file and the combined one, with their information and /IDs: each /ID
        from the sheet's key (the same whichever run typeset it), else from the run's PDF."""
        seed = b"".join(bytes.fromhex(key) for key in keys) or hashlib.sha256(run.pdf.read_bytes()).digest()
        parts = []
        for index, sheet in enumerate(view.sheets):
            info = self.sheet_info(lane.inputs, sheet)
            own = bytes.fromhex(keys[index]) if keys else seed + sheet.destination.encode()
            parts.append(Part(sheet.destination, lane.work / f"sheet-{sheet.number}.pdf", info, file_id(info, own),
                              source=kept.get(index)))
        info = self.info(lane.inputs, view)
        combined = Part("", lane.work / f"{self.job}-combined.pdf", info, file_id(info, seed))
        return parts, combined

    def _split(self, lane, run: TexRun, parts: list[Part], combined: Part) -> None:
        """Every file cut from RUN by pypdf, MuPDF having declined."""
        cache = ReadCache()
        try:
            cut_with_pypdf(run.pdf, parts, lambda: cache.document(run.pdf), combined, lambda: lane.stopping)
        except KeyError as missing:  # a template that leaves out a sheet's \pdfdest
            raise ProgramError(Diagnostic(
                str(lane.out / self.file), 0, 0, Severity.ERROR, "",
                f"the sheet's destination {missing} is missing, so the file cannot be cut into sessions; "
                "a chair-sheets template must keep \\bksheet on each sheet's first page",
                rules.TEMPLATE_ERROR)) from None

    def derive(self, lane, run: SheetsRun, view: SheetsView, cache) -> list[Staged]:
        return run.sessions

    def after_publish(self, run: SheetsRun, out: Path) -> None:
        """The sheets just published are the next build's to keep (sheet_store.py)."""
        SheetStore(out).keep({key: out / SESSIONS_DIR / name for key, name in run.kept.items()})


CHAIR_SHEETS = ChairSheets()
_OVERFLOW = re.compile(r"^BOOKLET-SHEET-OVERFLOW: (\d+)$", re.M)
