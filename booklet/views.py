"""What the templates see: plain objects computed from the Program, in printing order.

Templates stay simple because every decision that needs the schedule or the people is made here:
the rows of each day's at-a-glance grid, each session's talks with grouped author lines, what
follows each slot, the keynotes and panels, and the people index with one anchor per appearance.
Strings here are raw program text; the template environment escapes them on output.
Anchors (labels, link targets) are generated ASCII, never user text, so they need no escaping.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .load import format_path
from .tex.escape import TeX
from .model import Keynote, Panel, PaperSession, Person, PlainSlot, PosterSession, Program
from .schedule import duration, format_clock, minutes

_KIND_LABELS = {"session": "Session", "keynote": "Keynote", "panel": "Panel", "posters": "Posters"}

PLAIN_TITLES = {"registration": "Registration", "opening": "Opening", "break": "Break", "meal": "Lunch",
                "closing": "Closing", "other": "Other"}


@dataclass
class PersonRef:
    """One appearance of a person in the booklet; `anchor` is where the index links to."""

    name: str
    affiliation: str | None
    anchor: str


@dataclass
class AuthorGroup:
    """Consecutive authors sharing an affiliation: printed 'A, B (X)'."""

    people: list[PersonRef]
    affiliation: str | None


@dataclass
class TalkView:
    time: str
    start: str
    end: str
    minutes: int
    title: str
    authors: list[AuthorGroup]
    short: bool
    award: str | None
    video: bool
    presenter: str | None
    item: str  # where it comes from, for error messages: "days[0].slots[3].talks[1]"


@dataclass
class SlotView:
    kind: str
    anchor: str
    time: str
    start: str
    end: str
    label: str  # "Session 1", "Keynote 2", "Panel", "" for plain slots
    title: str
    room: str | None
    chairs: list[PersonRef] = field(default_factory=list)
    talks: list[TalkView] = field(default_factory=list)
    speakers: list[PersonRef] = field(default_factory=list)
    panelists: list[PersonRef] = field(default_factory=list)
    abstract: str | None = None
    biographies: list[tuple[str, str]] = field(default_factory=list)
    topic: str | None = None
    note: str | None = None
    video: bool = False
    detail_anchor: str | None = None  # keynotes and panels: their full page
    item: str = ""

    @property
    def bookmark(self) -> str:
        return f"{self.label}: {self.title}" if self.label else self.title


@dataclass
class GlanceRow:
    time: str
    cells: list[SlotView | None]  # one per room; a plenary slot fills the first and spans
    span: bool


@dataclass
class DayView:
    date: date
    heading: str
    anchor: str
    slots: list[SlotView]
    rooms: list[str]  # room names used as at-a-glance columns; [] for a one-room program
    glance: list[GlanceRow]


@dataclass
class IndexEntry:
    sort_key: tuple
    display: str  # "Family, Given"
    anchors: list[str]

    @property
    def anchor_list(self) -> TeX:
        """The labels of every appearance, comma-separated for \\bkindexpages."""
        return TeX(",".join(self.anchors))


@dataclass
class IndexLetter:
    letter: str
    entries: list[IndexEntry]


@dataclass
class CommitteeView:
    title: str
    members: list[Person]


@dataclass
class BookletView:
    title: str
    name: str
    acronym: str | None
    edition: str | None
    short_name: str
    year: int
    format: str | None
    venue: str | None
    rooms: list[str]
    date_line: str  # also the running head's date
    about: list[str]
    days: list[DayView]
    keynotes: list[SlotView]
    panels: list[SlotView]
    committees: list[CommitteeView]
    important_dates: list[tuple[str, str, bool]]
    award_note: str | None
    index: list[IndexLetter]
    general_chairs: list[str]
    sessions_in_toc: bool

    @property
    def has_program(self) -> bool:
        return any(day.slots for day in self.days)


def slot_label(slot) -> str:
    """"Session 1", "Keynote 2", "Panel"; "" for a plain slot (a break is named by its title)."""
    if isinstance(slot, PlainSlot):
        return ""
    number = getattr(slot, "number", None)
    base = _KIND_LABELS[slot.kind]
    return f"{base} {number}" if number is not None else base


def slot_heading(slot) -> str:
    """How a slot is named in bookmarks, calendars and "what follows": "Session 1: Title"."""
    if isinstance(slot, PlainSlot):
        return slot.title or PLAIN_TITLES[slot.kind]
    return f"{slot_label(slot)}: {slot.title}"


def long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B} {day.year}"


def date_range(days: list[date]) -> str:
    first, last = min(days), max(days)
    if first == last:
        return long_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{last.day} {last:%B} {last.year}"
    if first.year == last.year:
        return f"{first.day} {first:%B} \u2013 {last.day} {last:%B} {last.year}"
    return f"{first.day} {first:%B} {first.year} \u2013 {last.day} {last:%B} {last.year}"


def ordinal_date(day: date) -> str:
    """'May 22nd, 2025', the way the NAIC page and most CFPs write dates."""
    suffix = "th" if 11 <= day.day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day:%B} {day.day}{suffix}, {day.year}"


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                       "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ı": "i"})


def fold(text: str) -> str:
    """Sort key text: accents removed (Bröring sorts with Broring), case folded."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


class _People:
    """Hands out one anchor per appearance and collects them per person for the index."""

    def __init__(self):
        self.count = 0
        self.by_name: dict[str, tuple[Person, list[str]]] = {}

    def ref(self, person: Person, affiliation: str | None = None) -> PersonRef:
        self.count += 1
        anchor = tex_label(f"bk-p{self.count}")
        known = self.by_name.setdefault(person.name, (person, []))
        if known[0].family is None and person.family is not None:
            self.by_name[person.name] = (person, known[1])
        known[1].append(anchor)
        return PersonRef(person.name, affiliation if affiliation is not None else person.affiliation, anchor)

    def index(self) -> list[IndexLetter]:
        entries = []
        for person, anchors in self.by_name.values():
            family, given = person.family_name, person.given_names
            display = f"{family}, {given}" if given else family
            entries.append(IndexEntry((fold(family), fold(given), family, given), display, anchors))
        entries.sort(key=lambda e: e.sort_key)
        letters: list[IndexLetter] = []
        for entry in entries:
            letter = (entry.sort_key[0][:1] or "#").upper()
            if not letter.isalpha():
                letter = "#"
            if not letters or letters[-1].letter != letter:
                letters.append(IndexLetter(letter, []))
            letters[-1].entries.append(entry)
        return letters


_LABEL = re.compile(r"[a-z0-9-]+")


def tex_label(name: str) -> TeX:
    """A LaTeX label / PDF destination name made by booklet: plain ASCII, so printed as it is."""
    if not _LABEL.fullmatch(name):  # pragma: no cover - labels are made from counters
        raise ValueError(f"unexpected label {name!r}")
    return TeX(name)


_ITEM = re.compile(r"[A-Za-z_][A-Za-z0-9_\[\].]*")


def item_marker(path: tuple) -> TeX:
    """A program path for the `% item:` comments in generated LaTeX, which map TeX errors back to the
    program. Built from field names and indexes only, so it is safe as it is (and must not be
    escaped: escaping would change it)."""
    text = format_path(path)
    if not _ITEM.fullmatch(text):  # pragma: no cover - paths are made of model field names
        raise ValueError(f"unexpected program path {text!r}")
    return TeX(text)


def group_authors(refs: list[PersonRef]) -> list[AuthorGroup]:
    groups: list[AuthorGroup] = []
    for ref in refs:
        if groups and groups[-1].affiliation == ref.affiliation and ref.affiliation is not None:
            groups[-1].people.append(ref)
        else:
            groups.append(AuthorGroup([ref], ref.affiliation))
    return groups


def build_view(program: Program) -> BookletView:
    people = _People()
    papers = program.paper_by_id()
    rooms = program.room_by_id()
    multi_room = len(program.rooms) > 1
    clock = program.time_format

    item = item_marker
    def span(start, end) -> str:
        return f"{format_clock(start, clock)}\u2013{format_clock(end, clock)}"

    days: list[DayView] = []
    keynotes: list[SlotView] = []
    panels: list[SlotView] = []
    slot_count = 0
    for d, day in enumerate(program.days):
        views: list[SlotView] = []
        order = sorted(range(len(day.slots)), key=lambda i: (minutes(day.slots[i].start), i))
        for i in order:
            slot = day.slots[i]
            slot_count += 1
            path = ("days", d, "slots", i)
            common = dict(kind=slot.kind, anchor=tex_label(f"bk-slot{slot_count}"), time=span(slot.start, slot.end),
                          start=format_clock(slot.start, clock), end=format_clock(slot.end, clock),
                          room=rooms[slot.room].name if slot.room and multi_room else None, item=item(path))
            if isinstance(slot, PlainSlot):
                view = SlotView(label="", title=slot.title or PLAIN_TITLES[slot.kind], note=slot.note, **common)
            elif isinstance(slot, PaperSession):
                view = SlotView(label=slot_label(slot), title=slot.title, chairs=[people.ref(c) for c in slot.chairs],
                                **common)
                for t, talk in enumerate(sorted(slot.talks, key=lambda t: minutes(t.start))):
                    paper = papers[talk.paper]
                    view.talks.append(TalkView(
                        time=format_clock(talk.start, clock), start=format_clock(talk.start, clock),
                        end=format_clock(talk.end, clock), minutes=duration(talk.start, talk.end),
                        title=paper.title, authors=group_authors([people.ref(a) for a in paper.authors]),
                        short=paper.short, award=paper.award, video=paper.video, presenter=talk.presenter,
                        item=item(path + ("talks", t))))
            elif isinstance(slot, Keynote):
                view = SlotView(label=slot_label(slot), title=slot.title, chairs=[people.ref(c) for c in slot.chairs],
                                speakers=[people.ref(s) for s in slot.speakers], abstract=slot.abstract,
                                biographies=[(s.name, s.biography) for s in slot.speakers if s.biography],
                                video=slot.video, detail_anchor=tex_label(f"bk-keynote{len(keynotes) + 1}"), **common)
                keynotes.append(view)
            elif isinstance(slot, Panel):
                view = SlotView(label=slot_label(slot), title=slot.title, chairs=[people.ref(c) for c in slot.chairs],
                                panelists=[people.ref(p) for p in slot.panelists], topic=slot.topic,
                                video=slot.video, detail_anchor=tex_label(f"bk-panel{len(panels) + 1}"), **common)
                panels.append(view)
            elif isinstance(slot, PosterSession):
                view = SlotView(label=slot_label(slot), title=slot.title, chairs=[people.ref(c) for c in slot.chairs],
                                **common)
                for t, poster in enumerate(slot.posters):
                    paper = papers[poster.paper]
                    view.talks.append(TalkView(
                        time=poster.board or "", start="", end="", minutes=0, title=paper.title,
                        authors=group_authors([people.ref(a) for a in paper.authors]), short=paper.short,
                        award=paper.award, video=paper.video, presenter=None, item=item(path + ("posters", t))))
            else:  # pragma: no cover - the model's union is closed
                raise TypeError(f"unknown slot kind {slot.kind}")
            views.append(view)
        room_names = [room.name for room in program.rooms] if multi_room else []
        days.append(DayView(date=day.date, heading=day.title or long_date(day.date), anchor=tex_label(f"bk-day{d + 1}"),
                            slots=views, rooms=room_names, glance=_glance(views, room_names)))

    committees = [CommitteeView(c.title, c.members) for c in program.committees]
    cfp = program.call_for_papers
    session_count = sum(1 for day in days for s in day.slots if s.label)
    return BookletView(
        title=program.title, name=program.name, acronym=program.acronym, edition=program.edition,
        short_name=program.short_name, year=program.year, format=program.format, venue=program.venue,
        rooms=[room.name for room in program.rooms],
        date_line=date_range([day.date for day in program.days]),
        about=list(cfp.description) if cfp else [],
        days=days, keynotes=keynotes, panels=panels, committees=committees,
        important_dates=[(d.label, ordinal_date(d.date), d.updated) for d in program.important_dates],
        award_note=program.award_note, index=people.index(),
        general_chairs=[m.name for m in program.general_chairs],
        sessions_in_toc=session_count <= 30,
    )


def _glance(slots: list[SlotView], rooms: list[str]) -> list[GlanceRow]:
    """Rows of the at-a-glance grid: one per distinct time span; room-less slots span every column."""
    if not rooms:
        return [GlanceRow(slot.time, [slot], True) for slot in slots]
    rows: dict[str, GlanceRow] = {}
    for slot in slots:
        if slot.room is None:
            rows.setdefault(slot.time + "#plenary" + slot.anchor, GlanceRow(slot.time, [slot], True))
            continue
        row = rows.setdefault(slot.time, GlanceRow(slot.time, [None] * len(rooms), False))
        column = rooms.index(slot.room)
        if row.cells[column] is None:
            row.cells[column] = slot
        else:  # two slots in one room with the same times is a validation error; keep both visible
            rows[slot.time + slot.anchor] = GlanceRow(slot.time, [None] * len(rooms), False)
            rows[slot.time + slot.anchor].cells[column] = slot
    return list(rows.values())
