"""The changes sheet (changes.pdf): "Changes since version X", a page per day that has changes, for
printing as an insert when the booklet went to the printer before the program settled. Made by
`booklet build --since OLD` beside the other outputs, or alone by `booklet diff OLD NEW -o FILE.pdf`."""

from __future__ import annotations

from dataclasses import dataclass

from ..diff import Change, by_day, compare
from ..papers import Paper
from ..pdf.finish import DocumentInfo
from ..pdf.preflight import FileExpectation
from . import Inputs, TexDocument, document_info

CHANGES_PAPERS = {
    "a4": Paper("a4", 18, 18, "top=16mm, bottom=18mm", "11pt"),
    "letter": Paper("letter", 18, 18, "top=16mm, bottom=18mm", "11pt"),
}


@dataclass
class ChangesDay:
    heading: str
    changes: list[Change]


@dataclass
class ChangesView:
    title: str
    short_name: str
    old_version: str
    new_version: str
    days: list[ChangesDay]
    count: int


def changes_view(inputs: Inputs) -> ChangesView:
    changes = compare(inputs.since, inputs.program)
    days = [ChangesDay(f"{day:%A}, {day.day} {day:%B} {day.year}", items) for day, items in by_day(changes)]
    return ChangesView(inputs.program.title, inputs.program.short_name, inputs.since_version, inputs.version,
                       days, len(changes))


class ChangesSheet(TexDocument):
    name = "changes"
    job = "changes"
    template = "changes.tex.j2"
    kind = "changes"

    def view(self, inputs: Inputs) -> ChangesView | None:
        """Only with an earlier program to compare with; a sheet saying 'no changes' is still printed."""
        return changes_view(inputs) if inputs.since is not None else None

    def template_context(self, inputs: Inputs, view: ChangesView) -> dict:
        return {"v": view, "layout": CHANGES_PAPERS[inputs.options.sheet_paper]}

    def info(self, inputs: Inputs, view: ChangesView) -> DocumentInfo:
        program = inputs.program
        return document_info(inputs, title=f"{program.short_name}: changes since version {view.old_version}",
                             subject=f"Changes to the program of the {program.title} from version "
                                     f"{view.old_version} to {view.new_version}",
                             keywords=f"{program.short_name}, program changes, errata")

    def expectations(self, inputs: Inputs, view: ChangesView, pages: int | None) -> list[FileExpectation]:
        texts = [view.old_version, view.new_version] + [c.subject for day in view.days for c in day.changes]
        texts += [part for day in view.days for c in day.changes for part in (c.old, c.new) if part]
        return [FileExpectation(self.file, self.kind, inputs.options.sheet_paper, texts=list(dict.fromkeys(texts)),
                                margins=CHANGES_PAPERS[inputs.options.sheet_paper].margins_pt)]


CHANGES = ChangesSheet()
