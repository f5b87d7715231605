"""What the templates see: plain objects computed from the Program, in printing order.

Templates stay simple because every decision that needs the schedule or the people is made here:
the rows of each day's at-a-glance grid, each session's talks with grouped author lines, what
follows each slot, the keynotes and panels, and the people index with one anchor per appearance.
Strings here are raw program text; the template environment escapes them on output.
Anchors (labels, link targets) are generated ASCII, never user text, so they need no escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .collation import heading, index_order, sort_key
from .load import format_path
from .tex.escape import TeX
from .tex.markdown import image_sources, markdown_tex
from .tex.qr import qr_tex, uri_hex
from .model import (ClockTime, InvitedTalk, Keynote, Panel, PaperSession, Person, PlainSlot, PosterSession, Program,
                    SpokenSlot)
from .schedule import duration, format_clock, minutes, overlaps, yields

_KIND_LABELS = {"session": "Session", "keynote": "Keynote", "panel": "Panel", "posters": "Posters",
                "talk": "Invited Talk"}

PLAIN_TITLES = {"registration": "Registration", "opening": "Opening", "break": "Break", "meal": "Lunch",
                "closing": "Closing", "social": "Social Event", "other": "Other"}

# Okabe and Ito's palette, which colour-blind readers tell apart, as CMYK that prints close to it;
# yellow is left out (it vanishes on white paper). Tracks without a colour take these in order.
TRACK_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999", "#882255"]


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
    time: str  # "" when the program gives only the session's span
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
    subtitle: str | None = None
    url: str | None = None  # the paper: its title links there
    video_url: str | None = None  # its recording: the Video mark links there
    qr_url: str | None = None  # with `qr_codes: true`: its url (else its video_url), printed as a QR code

    @property
    def url_hex(self) -> TeX:
        return uri_hex(self.url) if self.url else TeX("")

    @property
    def qr(self) -> TeX | None:
        """Its QR code (qr_tex remembers it), or None."""
        return qr_tex(self.qr_url) if self.qr_url else None

    @property
    def qr_url_hex(self) -> TeX:
        """The address its QR code holds, which the code also links to (a click on screen)."""
        return uri_hex(self.qr_url or "")

    @property
    def video_hex(self) -> TeX:
        return uri_hex(self.video_url) if self.video_url else TeX("")


@dataclass(eq=False)  # one object per track, compared and hashed by identity
class TrackView:
    id: str
    name: str
    short_title: str
    kind: str  # track | workshop | tutorial | other
    colour: TeX  # the name of its colour in the TeX document (bktrackN)
    cmyk: TeX  # "c,m,y,k", for \definecolor
    chairs: list[PersonRef] = field(default_factory=list)
    organizers: list[PersonRef] = field(default_factory=list)
    anchor: TeX | None = None  # co-located workshops: their section
    days: list[str] = field(default_factory=list)
    rooms: list[str] = field(default_factory=list)
    slots: list[SlotView] = field(default_factory=list)

    @property
    def colocated(self) -> bool:
        """A workshop or tutorial of its own: printed in its own section, not among the tracks."""
        return self.kind in ("workshop", "tutorial")


@dataclass
class SlotView:
    kind: str
    anchor: str
    time: str
    start: str
    end: str
    label: str  # "Session 1", "Keynote 2", "Panel", "" for plain slots
    title: str
    room: str | None  # its rooms' names, joined; None for a room-less slot of a multi-room program
    short_title: str = ""  # for the glance: the short title when given, else the title
    chairs: list[PersonRef] = field(default_factory=list)
    talks: list[TalkView] = field(default_factory=list)
    speakers: list[PersonRef] = field(default_factory=list)
    grid_people: list[PersonRef] = field(default_factory=list)  # a one-talk session's people, for the glance
    panelists: list[PersonRef] = field(default_factory=list)
    abstract: str | None = None
    biographies: list[tuple[str, str]] = field(default_factory=list)
    photos: list[tuple[str, TeX]] = field(default_factory=list)  # (speaker, image in the build folder)
    topic: str | None = None
    note: str | None = None
    place: str | None = None
    award: str | None = None
    video: bool = False
    untimed: bool = False  # a session whose talks have no times of their own
    track: TrackView | None = None
    day: str = ""  # the day's date, for sections that list slots of several days
    detail_anchor: str | None = None  # keynotes, invited talks and panels: their full page
    item: str = ""

    @property
    def plain(self) -> bool:
        return self.kind in PLAIN_TITLES

    bookmark: str = ""  # its heading in bookmarks and the contents (slot_heading)

    @property
    def where(self) -> str:
        """Room and place, as printed after the time: "Room 1 · Foyer"."""
        return " \u00b7 ".join(part for part in (self.room, self.place) if part)


@dataclass
class GlanceRow:
    """A row of a one-column day's glance: a time and its slot."""

    time: str
    slot: SlotView


@dataclass
class GridCell:
    """A slot in a day's timetable grid: its column(s) and the rows (time steps) it spans."""

    slot: SlotView
    column: int
    span: int
    first_row: int  # within its band
    last_row: int  # exclusive
    key: TeX  # a TeX-safe name for its measured box


@dataclass
class GridBand:
    """Consecutive rows that no cell crosses out of: the unit a page may break between."""

    times: list[str]  # the time at the top of each row
    cells: list[GridCell]

    @property
    def starting_rows(self) -> list[int]:
        """The rows where a cell starts: their times are printed."""
        return sorted({cell.first_row for cell in self.cells})

    def ending_at(self, row: int) -> list[GridCell]:
        return [cell for cell in self.cells if cell.last_row == row + 1]


@dataclass
class GridPage:
    columns: list[str]  # room names, in program order
    bands: list[GridBand]
    continued: str = ""  # "" or which rooms the other page of this day holds


@dataclass
class DetailBlock:
    """A run of the detailed program: one slot, or slots that run in parallel (heading given)."""

    heading: str
    slots: list[SlotView]


@dataclass
class DayView:
    date: date
    heading: str
    date_text: str  # the date, printed under a day's own title too
    anchor: str
    slots: list[SlotView]
    glance: list[GlanceRow]  # a one-column day; [] when the day is a grid
    sources: list = field(default_factory=list)  # the program's slots, in the order of `slots`
    grid: list[GridPage] = field(default_factory=list)  # multi-room days
    ongoing: list[SlotView] = field(default_factory=list)  # long-running items, in the day's header
    blocks: list[DetailBlock] = field(default_factory=list)
    colocated: list[TrackView] = field(default_factory=list)  # workshops held this day
    tracks: list[TrackView] = field(default_factory=list)  # tracks with slots this day, for the legend


@dataclass
class IndexEntry:
    sort_key: tuple
    display: str  # "Family, Given"
    anchors: list[str]
    heading: str = "#"  # the index heading it goes under (collation.heading)

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
class PageView:
    title: str
    place: str
    anchor: str
    body: TeX  # the Markdown as LaTeX (tex/markdown.py)
    item: str = ""  # "pages[0]", for messages
    images: list[str] = field(default_factory=list)  # the build-folder names of the images it shows


@dataclass
class SponsorView:
    name: str
    logo: TeX | None  # its image's name in the build folder
    url_hex: TeX | None


@dataclass
class SponsorTierView:
    tier: str
    height_mm: float  # the tier's common logo height: the first tier's logos are the largest
    members: list[SponsorView]


LOGO_HEIGHTS_MM = (16, 12, 9, 7)  # by tier, the highest first; later tiers keep the smallest


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
    tracks: list[TrackView] = field(default_factory=list)
    talks: list[SlotView] = field(default_factory=list)  # invited talks and tutorials as slots
    time_sample: str = "00:00"  # the widest time this program prints, to size time columns
    multi_day: bool = False
    pages: list[PageView] = field(default_factory=list)  # free pages, front and back
    submission_site: str | None = None  # the call for papers' site, printed and linked on the About page
    sponsors: list[SponsorTierView] = field(default_factory=list)

    @property
    def submission_hex(self) -> TeX | None:
        """The submission site as a link, when it is a web address (else it is printed alone)."""
        site = self.submission_site or ""
        return uri_hex(site) if site.startswith(("https://", "http://")) else None

    @property
    def front_pages(self) -> list[PageView]:
        return [page for page in self.pages if page.place == "front"]

    @property
    def back_pages(self) -> list[PageView]:
        return [page for page in self.pages if page.place == "back"]

    @property
    def colocated(self) -> list[TrackView]:
        return [track for track in self.tracks if track.colocated and track.slots]

    @property
    def colocated_heading(self) -> str:
        kinds = {track.kind for track in self.colocated}
        return {frozenset({"workshop"}): "Co-located Workshops", frozenset({"tutorial"}): "Tutorials"}.get(
            frozenset(kinds), "Co-located Workshops and Tutorials")

    @property
    def has_program(self) -> bool:
        return any(day.slots for day in self.days)


def slot_label(slot) -> str:
    """"Session 1", "Keynote 2", "Panel"; "" for a plain slot (a break is named by its title) and
    for an unnumbered slot whose title already says what it is ("Session 2: Containers")."""
    if isinstance(slot, PlainSlot):
        return ""
    number = getattr(slot, "number", None)
    base = _KIND_LABELS[slot.kind]
    if number is None and slot.title.casefold().startswith(base.split()[-1].casefold()):
        return ""
    return f"{base} {number}" if number is not None else base


def slot_heading(slot, tracks: dict | None = None) -> str:
    """How a slot is named in bookmarks, calendars and "what follows": "Session 1: Title"; with
    TRACKS (id -> Track), a slot of a track is prefixed with its short name, so that two workshops'
    "Session 1" stay apart: "NetPL: Session 1"."""
    if isinstance(slot, PlainSlot):
        heading = slot.title or PLAIN_TITLES[slot.kind]
    else:
        label = slot_label(slot)
        heading = f"{label}: {slot.title}" if label else slot.title
    track = (tracks or {}).get(slot.track)
    if track is None or getattr(slot, "title", None) in (track.name, track.short_title):
        return heading  # "Security: Session: Security" says nothing twice
    return f"{track.short_title or track.name}: {heading}"


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


class _People:
    """Hands out one anchor per appearance and collects them per person for the index."""

    def __init__(self):
        self.count = 0
        self.by_name: dict[str, tuple[Person, list[str]]] = {}

    def ref(self, person: Person, affiliation: str | None = None) -> PersonRef:
        self.count += 1
        anchor = tex_label(f"bk-p{self.count}")
        known = self.by_name.setdefault(person.name, (person, []))
        if (known[0].family is None and person.family is not None) or (known[0].sort_as is None and person.sort_as):
            self.by_name[person.name] = (person, known[1])  # the appearance that says how to sort wins
        known[1].append(anchor)
        return PersonRef(person.name, affiliation if affiliation is not None else person.affiliation, anchor)

    def index(self) -> list[IndexLetter]:
        entries = []
        for person, anchors in self.by_name.values():
            family, given = person.family_name, person.given_names
            display = f"{family}, {given}" if given else family
            key = person.sort_as or family
            entries.append(IndexEntry((index_order(key), sort_key(given), family, given), display, anchors,
                                      heading(key)))
        entries.sort(key=lambda e: e.sort_key)
        letters: list[IndexLetter] = []
        for entry in entries:
            letter = entry.heading
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


def cmyk(colour: str) -> str:
    """#RRGGBB as "c,m,y,k" for xcolor: the booklet's colours are CMYK, as a print shop wants."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    k = 1 - max(r, g, b)
    if k >= 1:
        return "0,0,0,1"
    return ",".join(f"{value:.3f}" for value in ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k))


def build_view(program: Program, glance_columns: int = 5, images: dict[str, str] | None = None) -> BookletView:
    """IMAGES: each image path as the program writes it -> its name in the build folder."""
    images = images or {}
    """Everything the booklet's templates print. GLANCE_COLUMNS: how many rooms fit side by side
    on one page of the timetable grid at the booklet's paper size."""
    people = _People()
    papers = program.paper_by_id()
    rooms = program.room_by_id()
    multi_room = len(program.rooms) > 1
    clock = program.time_format
    tracks = {}
    program_tracks = program.track_by_id()
    for n, track in enumerate(program.tracks):
        colour = track.colour or TRACK_PALETTE[n % len(TRACK_PALETTE)]
        tracks[track.id] = TrackView(
            id=track.id, name=track.name, short_title=track.short_title or track.name, kind=track.kind,
            colour=tex_label(f"bktrack{n + 1}"), cmyk=TeX(cmyk(colour)),
            chairs=[people.ref(c) for c in track.chairs], organizers=[people.ref(o) for o in track.organizers],
            anchor=tex_label(f"bk-track{n + 1}") if track.kind in ("workshop", "tutorial") else None)

    item = item_marker

    def span(start, end) -> str:
        return f"{format_clock(start, clock)}\u2013{format_clock(end, clock)}"

    def slot_view(slot, path, anchor, day_text) -> SlotView:
        chairs = [people.ref(c) for c in getattr(slot, "chairs", [])]
        common = dict(kind=slot.kind, anchor=anchor, time=span(slot.start, slot.end),
                      start=format_clock(slot.start, clock), end=format_clock(slot.end, clock),
                      room=", ".join(rooms[r].name for r in slot.room_ids) if multi_room and slot.room_ids else None,
                      place=slot.place, track=tracks.get(slot.track), day=day_text, item=item(path), chairs=chairs,
                      bookmark=slot_heading(slot, program_tracks))
        if isinstance(slot, PlainSlot):
            title = slot.title or PLAIN_TITLES[slot.kind]
            return SlotView(label="", title=title, short_title=slot.short_title or title, note=slot.note, **common)
        view = SlotView(label=slot_label(slot), title=slot.title, short_title=slot.short_title or slot.title,
                        note=slot.note, **common)
        if isinstance(slot, PaperSession):
            view.untimed = slot.untimed
            for talk in slot.talk_items(papers):
                view.talks.append(TalkView(
                    time="" if view.untimed else format_clock(talk.start, clock),
                    start=format_clock(talk.start, clock), end=format_clock(talk.end, clock),
                    minutes=duration(talk.start, talk.end), title=talk.title,
                    authors=group_authors([people.ref(a) for a in talk.people]), short=talk.short,
                    award=talk.award, video=talk.video, presenter=talk.presenter,
                    item=item(path + ("talks", talk.index)), subtitle=talk.subtitle, url=talk.url,
                    video_url=talk.video_url,
                    qr_url=(talk.url or talk.video_url) if program.qr_codes else None))
            track = program_tracks.get(slot.track)
            if track and slot.title == track.name and not slot.short_title and len(slot.talks) == 1:
                # A session named after its track holds one talk (as congress schedules import): the
                # colour already says the track, so the glance names the talk and its people.
                only = slot.talk_items(papers)[0]
                view.label, view.short_title = "", only.title
                view.grid_people = [people.ref(p) for p in only.people]
        elif isinstance(slot, SpokenSlot):
            view.speakers = [people.ref(s) for s in slot.speakers]
            view.abstract, view.video, view.award = slot.abstract, slot.video, slot.award
            view.biographies = [(s.name, s.biography) for s in slot.speakers if s.biography]
            view.photos = [(s.name, TeX(images[s.photo])) for s in slot.speakers
                           if s.photo and s.photo in images and s.biography]  # printed beside the biography
        elif isinstance(slot, Panel):
            view.panelists = [people.ref(p) for p in slot.panelists]
            view.topic, view.video = slot.topic, slot.video
        elif isinstance(slot, PosterSession):
            for t, poster in enumerate(slot.posters):
                paper = papers[poster.paper]
                view.talks.append(TalkView(
                    time=poster.board or "", start="", end="", minutes=0, title=paper.title,
                    authors=group_authors([people.ref(a) for a in paper.authors]), short=paper.short,
                    award=paper.award, video=paper.video, presenter=None, item=item(path + ("posters", t))))
        return view

    days: list[DayView] = []
    keynotes: list[SlotView] = []
    talks: list[SlotView] = []
    panels: list[SlotView] = []
    slot_count = 0
    for d, day in enumerate(program.days):
        views: list[SlotView] = []
        placed: list[tuple[SlotView, object]] = []
        day_text = long_date(day.date)
        order = sorted(range(len(day.slots)), key=lambda i: (minutes(day.slots[i].start), i))
        for i in order:
            slot = day.slots[i]
            slot_count += 1
            view = slot_view(slot, ("days", d, "slots", i), tex_label(f"bk-slot{slot_count}"), day_text)
            if isinstance(slot, Keynote):
                view.detail_anchor = tex_label(f"bk-keynote{len(keynotes) + 1}")
                keynotes.append(view)
            elif isinstance(slot, InvitedTalk):
                view.detail_anchor = tex_label(f"bk-talk{len(talks) + 1}")
                talks.append(view)
            elif isinstance(slot, Panel):
                view.detail_anchor = tex_label(f"bk-panel{len(panels) + 1}")
                panels.append(view)
            if view.track is not None and view.track.colocated:
                view.track.slots.append(view)
                if day_text not in view.track.days:
                    view.track.days.append(day_text)
                for room in (view.room or "").split(", "):
                    if room and room not in view.track.rooms:
                        view.track.rooms.append(room)
            views.append(view)
            placed.append((view, slot))
        in_grid = [(v, s) for v, s in placed if not s.ongoing]
        columns = [room.id for room in program.rooms if any(room.id in s.room_ids for _, s in in_grid)]
        room_names = [rooms[r].name for r in columns] if multi_room and len(columns) > 1 else []
        day_view = DayView(
            date=day.date, heading=day.title or day_text, date_text=day_text, anchor=tex_label(f"bk-day{d + 1}"),
            slots=views, sources=[slot for _, slot in placed],
            glance=[] if room_names else [GlanceRow(v.time, v) for v, _ in in_grid],
            grid=_grid(in_grid, columns, [rooms[r].name for r in columns], glance_columns, d, clock)
            if room_names else [],
            ongoing=[v for v, s in placed if s.ongoing],
            tracks=list(dict.fromkeys(v.track for v, _ in in_grid if v.track is not None)))
        main = [(v, s) for v, s in in_grid if not (v.track is not None and v.track.colocated)]
        day_view.blocks = _blocks(main)
        day_view.colocated = list(dict.fromkeys(v.track for v, _ in in_grid
                                                if v.track is not None and v.track.colocated))
        days.append(day_view)

    committees = [CommitteeView(c.title, c.members) for c in program.committees]
    cfp = program.call_for_papers
    session_count = sum(1 for day in days for s in day.slots if s.label)
    return BookletView(
        title=program.title, name=program.name, acronym=program.acronym, edition=program.edition,
        short_name=program.short_name, year=program.year, format=program.format, venue=program.venue,
        rooms=[room.name for room in program.rooms],
        date_line=date_range([day.date for day in program.days]),
        about=list(cfp.description) if cfp else [],
        submission_site=cfp.submission_site if cfp and cfp.submission_site else None,
        days=days, keynotes=keynotes, panels=panels, committees=committees,
        important_dates=[(d.label, ordinal_date(d.date), d.updated) for d in program.important_dates],
        award_note=program.award_note, index=people.index(),
        general_chairs=[m.name for m in program.general_chairs],
        sessions_in_toc=session_count <= 30, tracks=list(tracks.values()), talks=talks,
        time_sample=format_clock(ClockTime(22 * 60 + 22), clock), multi_day=len(days) > 1,
        pages=[PageView(page.title, page.place, tex_label(f"bk-page{p + 1}"), markdown_tex(page.body, images),
                        item(("pages", p)), [images[source] for source in image_sources(page.body)])
               for p, page in enumerate(program.pages)],
        sponsors=[SponsorTierView(tier.tier, LOGO_HEIGHTS_MM[min(t, len(LOGO_HEIGHTS_MM) - 1)],
                                  [SponsorView(m.name, TeX(images[m.logo]) if m.logo in images else None,
                                               uri_hex(m.url) if m.url else None) for m in tier.members])
                  for t, tier in enumerate(program.sponsors)],
    )


def _blocks(placed: list[tuple[SlotView, object]]) -> list[DetailBlock]:
    """The detailed program of a day: slots that overlap in time form one parallel block, so a
    reader finds everything that runs at 10:45 together, each with its room; a slot alone
    (a plenary, a break shared by all rooms) is a block of its own, printed once."""
    blocks: list[tuple[int, int, list[tuple[SlotView, object]]]] = []
    for view, slot in placed:  # in order of start
        start, end = minutes(slot.start), minutes(slot.end)
        if blocks and start < blocks[-1][1] and slot.room_ids and all(s.room_ids for _, s in blocks[-1][2]):
            first, last, members = blocks[-1]
            blocks[-1] = (first, max(last, end), members + [(view, slot)])
        else:
            blocks.append((start, end, [(view, slot)]))
    result = []
    for _, _, members in blocks:
        if len(members) == 1:
            result.append(DetailBlock("", [members[0][0]]))
            continue
        views = [v for v, _ in members]
        first, last = views[0].start, max(members, key=lambda m: minutes(m[1].end))[0].end
        result.append(DetailBlock(f"{first}\u2013{last} \u00b7 parallel sessions", views))
    return result


def _grid(placed: list[tuple[SlotView, object]], columns: list[str], names: list[str], per_page: int,
          day_index: int, clock: str) -> list[GridPage]:
    """A multi-room day as a timetable: a column per room in use, a row per time step. A cell spans
    the rows of its duration and the columns of its rooms (every column when it names none), so
    talks that start together line up and different lengths show. Rooms beyond PER_PAGE continue
    on a second page, with the times and the room-less slots repeated there."""
    result = []
    for number, indexes in enumerate(_column_pages(len(columns), per_page)):
        page_rooms = [columns[i] for i in indexes]
        members = [(v, s) for v, s in placed if not s.room_ids or set(s.room_ids) & set(page_rooms)]
        times = sorted({minutes(s.start) for _, s in members} | {minutes(s.end) for _, s in members})
        cells = _cells(members, page_rooms, {t: r for r, t in enumerate(times)})
        bands = []
        for first, last, inside in _bands(cells, len(times)):
            for cell in inside:  # rows counted from the band's top; a TeX-safe name for each cell
                cell.first_row -= first
                cell.last_row -= first
                cell.key = tex_label(f"d{day_index + 1}p{number + 1}c{len(bands)}x{inside.index(cell)}")
            bands.append(GridBand([format_clock(ClockTime(t), clock) for t in times[first:last]], inside))
        other = [names[i] for i in range(len(columns)) if i not in indexes]
        result.append(GridPage([names[i] for i in indexes], bands, ", ".join(other)))
    return result


def _column_pages(count: int, per_page: int) -> list[list[int]]:
    """The columns of each page: all on one, or shared evenly (not one full page and one nearly empty)."""
    pages = -(-count // per_page)
    size = -(-count // pages)
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]


def _cells(members: list[tuple[SlotView, object]], rooms: list[str], row_of: dict[int, int]) -> list[GridCell]:
    cells = []
    for view, slot in members:
        # A room-less break spans every column but those a session keeps busy meanwhile.
        busy = {room for _, other in members if yields(slot, other) and overlaps(
            slot.start, slot.end, other.start, other.end) for room in other.room_ids}
        wanted = [c for c, room in enumerate(rooms)
                  if (not slot.room_ids and room not in busy) or room in slot.room_ids]
        runs: list[list[int]] = []
        for c in wanted:  # a slot in non-adjacent rooms gets a cell per run of adjacent columns
            if runs and runs[-1][-1] == c - 1:
                runs[-1].append(c)
            else:
                runs.append([c])
        cells += [GridCell(view, run[0], len(run), row_of[minutes(slot.start)], row_of[minutes(slot.end)],
                           TeX("")) for run in runs]
    return cells


def _bands(cells: list[GridCell], boundaries: int) -> list[tuple[int, int, list[GridCell]]]:
    """(first row, end row, cells) of each band: bands end where no cell crosses from one row into
    the next, so a page may break there."""
    bands, band_start = [], 0
    for boundary in range(1, boundaries):
        if boundary < boundaries - 1 and any(c.first_row < boundary < c.last_row for c in cells):
            continue
        inside = [c for c in cells if band_start <= c.first_row and c.last_row <= boundary]
        if inside:
            bands.append((band_start, boundary, inside))
        band_start = boundary
    return bands
