"""What each output file says about itself: title, author, subject and keywords, from the program."""

from __future__ import annotations

from . import __version__
from .model import Program
from .pdf.finish import DocumentInfo
from .sheet_views import Sheet, SheetsView
from .views import BookletView


def _general_chairs(program: Program) -> str:
    return ", ".join(m.name for m in program.general_chairs) or program.title


def booklet_info(program: Program, view: BookletView, epoch: int) -> DocumentInfo:
    venue = f", {program.venue}" if program.venue else ""
    # The short name and the first sessions' titles: enough for a search index, short for a big event.
    keywords = [program.short_name] + [slot.title for day in view.days for slot in day.slots if slot.label][:12]
    return DocumentInfo(
        title=f"{program.title}: Program",
        author=_general_chairs(program),
        subject=f"Program booklet of the {program.title}, {view.date_line}{venue}",
        keywords=", ".join(keywords),
        creator=f"booklet {__version__}",
        moment=epoch,
    )


def sheets_info(program: Program, sheets: SheetsView, epoch: int) -> DocumentInfo:
    """The combined chair-sheets file, every session's sheet in one."""
    return DocumentInfo(
        title=f"{program.short_name}: chair sheets",
        author=_general_chairs(program),
        subject=f"Run sheets for the session chairs of the {program.title}",
        keywords=", ".join([program.short_name, "chair sheets"] + [sheet.heading for sheet in sheets.sheets][:12]),
        creator=f"booklet {__version__}",
        moment=epoch,
    )


def sheet_info(program: Program, sheet: Sheet, epoch: int) -> DocumentInfo:
    return DocumentInfo(
        title=f"{program.short_name}: chair sheet, {sheet.heading}",
        author=", ".join(sheet.chair_names),
        subject=f"Run sheet for the chair of {sheet.heading}, {sheet.date}, {sheet.window}, {sheet.room}",
        keywords=f"{program.short_name}, chair sheet, {sheet.label}",
        creator=f"booklet {__version__}",
        moment=epoch,
    )
