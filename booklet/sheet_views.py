"""What the chair-sheet template sees: one run sheet per chaired session, in program order.

A chair needs the session's window, each talk's planned times with a talk/questions split, who
should be in the room, and what comes next so they can announce it. Keynotes and panels get a sheet
too when the program names a chair for them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass, replace

from .model import Panel, PaperSession, PlainSlot, PosterSession, Program, SpokenSlot
from .schedule import duration, format_clock, minutes, next_slot, qa_split
from .views import (AuthorGroup, PersonRef, group_authors, item_marker, long_date, slot_heading, slot_label,
                    tex_label)


@dataclass
class SheetRow:
    start: str
    end: str
    minutes: int
    split: str  # "12 + 3"
    title: str
    authors: list[AuthorGroup]
    short: bool = False
    award: str | None = None
    video: bool = False
    board: str | None = None


@dataclass
class Sheet:
    number: int  # order among the sheets, 1-based: NN in sessions/NN-slug.pdf
    slug: str
    destination: str  # named destination on the sheet's page, used to split the combined PDF
    kind: str
    label: str
    title: str
    chairs: list[PersonRef]
    date: str
    room: str
    window: str
    window_minutes: int
    rows: list[SheetRow] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)  # panelists or keynote speakers
    topic: str | None = None
    follows: str | None = None
    shared_window: bool = False  # the program gives no talk times: the rows share the window evenly
    item: str = ""
    revision: str = ""  # printed on the sheet: a hash of all it says (see _revision)

    @property
    def chair_names(self) -> list[str]:
        return [chair.name for chair in self.chairs]

    @property
    def file_name(self) -> str:
        return f"{self.number:02d}-{self.slug}.pdf"

    @property
    def heading(self) -> str:
        return f"{self.label}: {self.title}" if self.label else self.title


@dataclass
class SheetsView:
    title: str
    short_name: str
    sheets: list[Sheet]
    time_cards: bool

    def characters(self) -> set[str]:
        """Every character the sheets print from the program."""
        return {ch for text in [self.title, *_strings(self.sheets)] for ch in text}


def _strings(value) -> list[str]:
    """The strings inside VALUE, a dataclass or a list of them, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    if is_dataclass(value):
        return [text for f in fields(value) for text in _strings(getattr(value, f.name))]
    return []


def slugify(text: str, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug or "session"


def _person(person) -> PersonRef:
    return PersonRef(person.name, person.affiliation, "")


def build_sheet_views(program: Program, *, time_cards: bool = False) -> SheetsView:
    papers = program.paper_by_id()
    rooms = program.room_by_id()
    clock = program.time_format
    sheets: list[Sheet] = []
    for d, day in enumerate(program.days):
        order = sorted(range(len(day.slots)), key=lambda i: (minutes(day.slots[i].start), i))
        for i in order:
            slot = day.slots[i]
            if isinstance(slot, PlainSlot) or not slot.chairs:
                continue
            number = len(sheets) + 1
            label = slot_label(slot)
            room = " / ".join(rooms[r].name for r in slot.room_ids) or slot.place or \
                " / ".join(r.name for r in program.rooms)
            sheet = Sheet(
                number=number, slug=slugify(f"{label} {slot.title}"), destination=tex_label(f"bk-sheet-{number}"),
                kind=slot.kind, label=label, title=slot.title, chairs=[_person(c) for c in slot.chairs],
                date=long_date(day.date), room=room,
                window=f"{format_clock(slot.start, clock)}\u2013{format_clock(slot.end, clock)}",
                window_minutes=duration(slot.start, slot.end), follows=_follows(program, d, i),
                item=item_marker(("days", d, "slots", i)))
            split_table = {**program.qa_split, **(getattr(slot, "qa_split", None) or {})}
            if isinstance(slot, PaperSession):
                sheet.shared_window = slot.untimed
                for talk in slot.talk_items(papers):
                    length = duration(talk.start, talk.end)
                    speak, ask = qa_split(length, split_table)
                    sheet.rows.append(SheetRow(
                        start=format_clock(talk.start, clock), end=format_clock(talk.end, clock),
                        minutes=length, split=f"{speak} + {ask}", title=talk.title,
                        authors=group_authors([_person(a) for a in talk.people]), short=talk.short,
                        award=talk.award, video=talk.video))
            elif isinstance(slot, SpokenSlot):
                speak, ask = qa_split(sheet.window_minutes, split_table)
                sheet.rows.append(SheetRow(
                    start=format_clock(slot.start, clock), end=format_clock(slot.end, clock),
                    minutes=sheet.window_minutes, split=f"{speak} + {ask}", title=slot.title,
                    authors=group_authors([_person(s) for s in slot.speakers]), award=slot.award,
                    video=slot.video))
            elif isinstance(slot, Panel):
                sheet.people = [_person(p) for p in slot.panelists]
                sheet.topic = slot.topic
            elif isinstance(slot, PosterSession):
                for poster in slot.posters:
                    paper = papers[poster.paper]
                    sheet.rows.append(SheetRow(
                        start="", end="", minutes=0, split="", title=paper.title,
                        authors=group_authors([_person(a) for a in paper.authors]), short=paper.short,
                        award=paper.award, board=poster.board))
            sheets.append(sheet)
    view = SheetsView(title=program.title, short_name=program.short_name, sheets=sheets, time_cards=time_cards)
    for sheet in sheets:
        sheet.revision = _revision(view, sheet)
    return view


def _revision(view: SheetsView, sheet: Sheet) -> str:
    """Seven hex digits that change whenever anything the sheet prints changes, and only then: a
    chair holding two printouts can tell whether they differ. The program's version is not on the
    sheets: it changes with every edit, so each sheet would change with every edit, and booklet
    could not keep the unchanged sheets of the last build (sheet_store.py)."""
    printed = repr((view.title, len(view.sheets), view.time_cards, replace(sheet, revision="")))
    return hashlib.sha256(printed.encode()).hexdigest()[:7]


def _follows(program: Program, day_index: int, slot_index: int) -> str | None:
    after = next_slot(program, day_index, slot_index)
    if after is None:
        return None
    return f"{format_clock(after.slot.start, program.time_format)} {slot_heading(after.slot)}"
