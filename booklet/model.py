"""The program's types: what a workshop or conference program is, independent of how it is printed.

The model knows nothing of LaTeX or PDF. A paper's data (title, authors, marks) is written once in
`papers`; the schedule refers to papers by id, so one paper may be a talk and a poster too.
Slots are a tagged union on `kind`, so each kind of slot only accepts the fields it can use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .tex.scripts import script_of

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _one_line(value: str) -> str:
    return " ".join(value.split())


# Names that stand in headings, running heads, file names and calendar lines: a line break typed
# in one (a YAML block scalar, a pasted name) is a space, as it would be in print.
Line = Annotated[Text, AfterValidator(_one_line)]
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"  # rooms, papers, slots, tracks
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN)]
# A web address to print as a link (and a QR code): http or https, no spaces, of a sane length.
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000,
                                       pattern=r"^https?://[^\s/$.?#][^\s]*$")]

_NICKNAME = re.compile(r"\([^()]*\)|(?<!\w)['\u2018\u201c\"][^'\u2019\u201d\"]*['\u2019\u201d\"](?!\w)")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
LAST_HOUR = 30  # a program day runs to 30:00, 06:00 the next morning: socials and congress nights


@dataclass(frozen=True, order=True)
class ClockTime:
    """A time of a program day, in minutes after its midnight. Past midnight the day goes on:
    `end: "24:30"` is half past midnight after the day's date, and the event still belongs to that
    day (its page, its column, its chair sheet), as programs print a late social."""

    minutes: int

    @property
    def hour(self) -> int:
        return self.minutes // 60

    @property
    def minute(self) -> int:
        return self.minutes % 60

    @property
    def next_day(self) -> bool:
        return self.minutes >= 24 * 60

    def on(self, day: date, tzinfo=None) -> datetime:
        """The moment on DAY's calendar, the next day's for a time past midnight."""
        return datetime.combine(day, datetime.min.time(), tzinfo=tzinfo) + timedelta(minutes=self.minutes)

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


def parse_clock(value: object) -> ClockTime:
    """Times are written HH:MM on a 24-hour clock, 24:00 to 30:00 for the hours after midnight;
    how they are printed is `time_format`'s job."""
    if isinstance(value, ClockTime):
        return value
    text = str(value).strip() if isinstance(value, str) else None
    match = _CLOCK.fullmatch(text) if text is not None else None
    if not match or int(match[2]) > 59 or int(match[1]) * 60 + int(match[2]) > LAST_HOUR * 60:
        shown = text if text is not None else type(value).__name__
        raise ValueError(f"malformed time '{shown}'; write HH:MM on a 24-hour clock, e.g. 14:05 (after "
                         f"midnight: 24:30 for 00:30, up to {LAST_HOUR}:00)")
    return ClockTime(int(match[1]) * 60 + int(match[2]))


Clock = Annotated[ClockTime, BeforeValidator(parse_clock),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$",
                                  "description": "HH:MM, 24-hour; 24:00-30:00 for the hours after midnight"})]
Colour = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^#[0-9A-Fa-f]{6}$")]


class Node(BaseModel):
    # Unknown keys are errors: a typo such as `titel` must not silently drop a title.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Person(Node):
    name: Text
    affiliation: Text | None = None
    family: Text | None = Field(
        default=None,
        description="Family name for sorting the index when it is not the last word (e.g. 'Van Poucke').",
    )
    sort_as: Line | None = Field(
        default=None,
        description="An explicit sort key for the index of people, e.g. 'Gogh, Vincent van' or a name's "
                    "reading in Latin letters; the entry is still printed as family, given names.",
    )

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: object) -> object:
        # A bare string is a name: `chairs: [Chen Tian]` reads naturally for people without affiliation.
        return {"name": value} if isinstance(value, str) else value

    @property
    def family_name(self) -> str:
        # A nickname in parentheses or quotes ("Chiao-Lin Yu (Steven)", "Adam 'vortex' Burns") is
        # not the family name: the index sorts by the last word of the name without it.
        # A name written in Chinese, Japanese or Korean puts the family name first ("山田 太郎").
        # Other family-first names (Vietnamese, Hungarian) say so with `family:`.
        if self.family:
            return self.family
        words = _NICKNAME.sub(" ", self.name).split()
        if words and all(script_of(ch) == "cjk" for word in words for ch in word if ch.isalpha()):
            return words[0]
        return words[-1] if words else self.name.split()[-1]

    @property
    def given_names(self) -> str:
        family = self.family_name
        at = self.name.rfind(family)
        if at < 0:
            return " ".join(self.name.split()[:-1])
        return " ".join((self.name[:at] + self.name[at + len(family):]).split())


# A file beside the program (booklet/images.py checks it: inside the program's folder, PNG/JPEG/PDF).
ImagePath = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Speaker(Person):
    biography: Text | None = None
    photo: ImagePath | None = Field(default=None, description="A keynote speaker's photo, printed beside the "
                                                              "biography: PNG, JPEG or PDF beside the program.")


class Room(Node):
    id: Id
    name: Line


class Paper(Node):
    id: Id
    title: Text
    subtitle: Text | None = Field(default=None, description="Printed after the title in the detailed program.")
    authors: list[Speaker] = Field(min_length=1)
    short: bool = Field(default=False, description="A short paper; printed with a (Short) mark.")
    award: Text | None = Field(default=None, description="e.g. 'Best Paper Award'.")
    video: bool = Field(default=False, description="A recording of the talk is available.")
    url: Url | None = Field(default=None, description="The paper (e.g. its DOI link): its title links there.")
    video_url: Url | None = Field(default=None, description="Its recording: the Video mark links there.")
    abstract: Text | None = Field(default=None, description="Kept for the calendar; not printed in the booklet.")
    language: Line | None = Field(default=None, description="The language of the talk, e.g. 'en' or 'de'.")
    topics: list[Line] = Field(default=[], description="Topics from the submission system; not printed.")
    track: Id | None = Field(default=None, description="The id of the track it was accepted to, for scheduling it.")


class Talk(Node):
    """One talk of a session: a paper of the program (`paper:`), or an invited talk or tutorial
    given inline (`title:` and `speakers:`). Times are optional when the source gives only the
    session's span: then no talk of the session has them, and the talks share it in order."""

    paper: Id | None = None
    title: Text | None = None
    speakers: list[Speaker] = []
    abstract: Text | None = None
    award: Text | None = None
    start: Clock | None = None
    end: Clock | None = None
    presenter: Text | None = None
    url: Url | None = None
    video_url: Url | None = None

    @model_validator(mode="after")
    def _paper_or_inline(self) -> Talk:
        if (self.paper is None) == (self.title is None):
            raise ValueError("a talk is either `paper: ID` or an inline talk with `title:` (and `speakers:`), "
                             "not both and not neither")
        if self.paper is not None and (self.speakers or self.abstract or self.award or self.url or self.video_url):
            raise ValueError("a `paper:` talk takes its authors, abstract, award and links from the paper; "
                             "remove `speakers`, `abstract`, `award`, `url` and `video_url` here")
        if (self.start is None) != (self.end is None):
            raise ValueError("give a talk both `start` and `end`, or neither (the session's span is shared)")
        return self

    @property
    def timed(self) -> bool:
        return self.start is not None


@dataclass(frozen=True)
class TalkItem:
    """A talk as printed: a paper's or an inline talk's title and people, with its times (an even
    share of its session when the source gives none: `timed` is then False)."""

    index: int  # in its session's `talks`
    title: str
    people: list  # the paper's authors, or the inline talk's speakers
    start: ClockTime
    end: ClockTime
    timed: bool
    paper: str | None = None
    short: bool = False
    award: str | None = None
    video: bool = False
    abstract: str | None = None
    presenter: str | None = None
    subtitle: str | None = None
    url: str | None = None
    video_url: str | None = None


class Poster(Node):
    paper: Id
    board: Text | None = None


class SlotBase(Node):
    id: Id | None = None
    start: Clock
    end: Clock
    room: Id | None = Field(
        default=None,
        description="Room id. Leave out in a one-room program, or for a slot that spans every room in use "
                    "that day (breaks, plenaries).",
    )
    rooms: list[Id] | None = Field(default=None, min_length=1,
                                   description="A slot held in several rooms at once (instead of `room`).")
    track: Id | None = Field(default=None, description="The id of the track or co-located workshop it belongs to.")
    place: Text | None = Field(default=None, description="Where it happens when that is no room: 'Foyer'.")
    short_title: Text | None = Field(default=None, description="A shorter title for where space is tight.")
    note: Text | None = Field(default=None, description="One line printed with it: 'Includes coffee break'.")
    ongoing: bool = Field(
        default=False,
        description="A long-running item (registration desk, exhibition, poster boards) that may overlap other "
                    "slots; shown in the day's header, not in the timetable grid.",
    )

    @model_validator(mode="after")
    def _one_way_of_naming_rooms(self):
        if self.room is not None and self.rooms is not None:
            raise ValueError("give `room` or `rooms`, not both")
        return self

    @property
    def room_ids(self) -> list[str]:
        """The rooms it is held in; [] for a room-less slot (every room in use that day)."""
        return list(self.rooms) if self.rooms is not None else [self.room] if self.room is not None else []

    # What a slot kind answers for itself, so that no module needs to ask which kind it is:
    def paper_refs(self) -> list[tuple[tuple, str]]:
        """(path below the slot, paper id) of every paper it shows."""
        return []

    def people(self) -> list[Person]:
        """Everyone it names: chairs, speakers, panelists (not the authors of its papers)."""
        return list(getattr(self, "chairs", []))


class PlainSlot(SlotBase):
    """A slot with no papers: registration, opening remarks, breaks, meals, closing, anything else."""

    kind: Literal["registration", "opening", "break", "meal", "closing", "social", "other"]
    title: Text | None = None


def _check_split(value: dict[int, int] | None) -> dict[int, int] | None:
    for length, questions in (value or {}).items():
        if length <= 0 or questions < 0 or questions >= length:
            raise ValueError(f"{length}: {questions} is not a split; each talk length maps to fewer "
                             "minutes of questions, e.g. {15: 3, 10: 2}")
    return value


QaSplit = Annotated[dict[int, int], AfterValidator(_check_split)]


class PaperSession(SlotBase):
    kind: Literal["session"]
    number: int | None = None
    title: Text
    chairs: list[Person] = []
    talks: list[Talk] = []
    qa_split: QaSplit | None = Field(
        default=None,
        description="Minutes of questions per talk length, e.g. {15: 3, 10: 2}; overrides the program's.",
    )

    @property
    def untimed(self) -> bool:
        """Talks listed in order without times: the session's span is all the source gives."""
        return bool(self.talks) and not any(talk.timed for talk in self.talks)

    def paper_refs(self) -> list[tuple[tuple, str]]:
        return [(("talks", t), talk.paper) for t, talk in enumerate(self.talks) if talk.paper is not None]

    def talk_items(self, papers: dict[str, Paper]) -> list[TalkItem]:
        """The talks in order of time, each with its title, people and times. Untimed talks share
        the session's span evenly in the order listed (whole minutes; the last takes the rest)."""
        if self.untimed:
            share = (self.end.minutes - self.start.minutes) // len(self.talks)
            times = [(ClockTime(self.start.minutes + share * t),
                      ClockTime(self.start.minutes + share * (t + 1)) if t < len(self.talks) - 1 else self.end)
                     for t in range(len(self.talks))]
            order = list(range(len(self.talks)))
        else:
            times = [(talk.start, talk.end) for talk in self.talks]
            order = sorted(range(len(self.talks)), key=lambda t: (self.talks[t].start or self.start).minutes)
        items = []
        for t in order:
            talk, (start, end) = self.talks[t], times[t]
            if talk.paper is not None:
                paper = papers[talk.paper]
                items.append(TalkItem(t, paper.title, list(paper.authors), start, end, talk.timed, paper.id,
                                      paper.short, paper.award, paper.video or paper.video_url is not None,
                                      paper.abstract, talk.presenter, paper.subtitle, paper.url, paper.video_url))
            else:
                items.append(TalkItem(t, talk.title, list(talk.speakers), start, end, talk.timed, None,
                                      award=talk.award, abstract=talk.abstract, presenter=talk.presenter,
                                      video=talk.video_url is not None, url=talk.url, video_url=talk.video_url))
        return items

    def people(self) -> list[Person]:
        return [*self.chairs, *(speaker for talk in self.talks for speaker in talk.speakers)]


class SpokenSlot(SlotBase):
    """A slot that is one talk by its speakers: a keynote, an invited talk or a tutorial."""

    number: int | None = None
    title: Text
    speakers: list[Speaker] = Field(min_length=1)
    abstract: Text | None = None
    chairs: list[Person] = []
    video: bool = False
    award: Text | None = Field(default=None, description="e.g. 'ACM SIGCOMM Lifetime Achievement Award'.")

    def people(self) -> list[Person]:
        return [*self.chairs, *self.speakers]


class Keynote(SpokenSlot):
    kind: Literal["keynote"]


class InvitedTalk(SpokenSlot):
    """A single talk as its own slot: an invited talk, a tutorial, an award lecture."""

    kind: Literal["talk"]


class Panel(SlotBase):
    kind: Literal["panel"]
    title: Text
    chairs: list[Person] = []
    panelists: list[Person] = Field(min_length=1)
    topic: Text | None = None
    video: bool = False

    def people(self) -> list[Person]:
        return [*self.chairs, *self.panelists]


class PosterSession(SlotBase):
    kind: Literal["posters"]
    title: Text
    chairs: list[Person] = []
    posters: list[Poster] = []

    def paper_refs(self) -> list[tuple[tuple, str]]:
        return [(("posters", t), poster.paper) for t, poster in enumerate(self.posters)]


Slot = Annotated[Union[PlainSlot, PaperSession, Keynote, InvitedTalk, Panel, PosterSession],
                 Field(discriminator="kind")]


class Track(Node):
    """A track of the main conference, or a co-located workshop or tutorial with its own name."""

    id: Id
    name: Text
    short_title: Text | None = None
    kind: Literal["track", "workshop", "tutorial", "other"] = "track"
    colour: Colour | None = Field(default=None, description="#RRGGBB; by default one from a colour-blind-safe "
                                                            "palette that prints well in CMYK.")
    chairs: list[Person] = []
    organizers: list[Person] = []


class Day(Node):
    date: date
    title: Text | None = None
    slots: list[Slot] = Field(min_length=1)


class Committee(Node):
    title: Text
    role: Literal["general", "steering", "program", "organizing", "other"] = Field(
        default="other",
        description="'general' marks the general chairs: they sign the booklet (its PDF Author).",
    )
    members: list[Person] = Field(min_length=1)


class ImportantDate(Node):
    label: Text
    date: date
    updated: bool = Field(default=False, description="The date was moved; printed with an (Updated) mark.")


class CallForPapers(Node):
    description: list[Text] = []
    instructions: list[Text] = []
    submission_site: Text | None = None


class Page(Node):
    """A free page: a welcome letter, practical information, a venue map."""

    title: Line
    place: Literal["front", "back"] = Field(default="front", description="front: after the contents; back: "
                                                                          "before the index of people.")
    body: Text = Field(description="Markdown (CommonMark): paragraphs, **bold**, *italic*, lists, links, images.")


class Sponsor(Node):
    name: Line
    logo: ImagePath | None = Field(default=None, description="PNG, JPEG or PDF beside the program.")
    url: Url | None = None


class SponsorTier(Node):
    tier: Line = Field(description="e.g. 'Gold'; the first tier listed gets the largest logos.")
    members: list[Sponsor] = Field(min_length=1)


class Program(Node):
    name: Line = Field(description="Full name without edition, e.g. 'Workshop on Networks for AI Computing'.")
    acronym: Line | None = None
    edition: Line | None = Field(default=None, description="e.g. '2nd'.")
    version: Line | None = Field(
        default=None, description="This printing's version, e.g. '2025-09-01b': printed on every output. By default "
                                  "the build date and a short hash of the program file.")
    year: int = Field(ge=1900, le=2999, description="The year of the event, e.g. 2026.")
    format: Line | None = Field(default=None, description="e.g. 'Full-day Workshop'.")
    venue: Line | None = None
    timezone: Text = "UTC"
    time_format: Literal["24h", "12h"] = "24h"
    qa_split: QaSplit = Field(
        default_factory=lambda: {15: 3, 10: 2},
        description="Minutes of questions per talk length, for the chair sheets.",
    )
    rooms: list[Room] = Field(min_length=1)
    tracks: list[Track] = []
    days: list[Day] = Field(min_length=1)
    papers: list[Paper] = []
    committees: list[Committee] = []
    important_dates: list[ImportantDate] = []
    call_for_papers: CallForPapers | None = None
    award_note: Text | None = None
    qr_codes: bool = Field(default=False, description="Print a QR code beside each talk with a url or video_url.")
    pages: list[Page] = Field(default=[], description="Free pages, in the order given.")
    sponsors: list[SponsorTier] = Field(default=[], description="Sponsors by tier, the highest first.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}'; use an IANA name such as Europe/Lisbon") from None
        return value

    # -- conveniences the rest of booklet reads; no printing decisions here --

    @property
    def title(self) -> str:
        """'2nd Workshop on Networks for AI Computing (NAIC)'."""
        text = f"{self.edition} {self.name}" if self.edition else self.name
        return f"{text} ({self.acronym})" if self.acronym else text

    @property
    def short_name(self) -> str:
        return f"{self.acronym} {self.year}" if self.acronym else f"{self.name} {self.year}"

    @property
    def general_chairs(self) -> list[Person]:
        """The members of the committee marked `role: general` (they sign the booklet)."""
        general = next((c for c in self.committees if c.role == "general"), None)
        return list(general.members) if general else []

    def paper_by_id(self) -> dict[str, Paper]:
        return {paper.id: paper for paper in self.papers}

    def room_by_id(self) -> dict[str, Room]:
        return {room.id: room for room in self.rooms}

    def track_by_id(self) -> dict[str, Track]:
        return {track.id: track for track in self.tracks}
