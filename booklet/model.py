"""The program's types: what a workshop or conference program is, independent of how it is printed.

The model knows nothing of LaTeX or PDF. A paper's data (title, authors, marks) is written once in
`papers`; the schedule refers to papers by id, so one paper may be a talk and a poster too.
Slots are a tagged union on `kind`, so each kind of slot only accepts the fields it can use.
"""

from __future__ import annotations

import re
from datetime import date, time
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

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def parse_clock(value: object) -> time:
    """Times are written HH:MM on a 24-hour clock; how they are printed is `time_format`'s job."""
    if isinstance(value, time):
        return value
    text = str(value).strip() if isinstance(value, str) else None
    match = _CLOCK.fullmatch(text) if text is not None else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        shown = text if text is not None else type(value).__name__
        raise ValueError(f"malformed time '{shown}'; write HH:MM on a 24-hour clock, e.g. 14:05")
    return time(int(match[1]), int(match[2]))


Clock = Annotated[time, BeforeValidator(parse_clock),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "description": "HH:MM, 24-hour"})]


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

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: object) -> object:
        # A bare string is a name: `chairs: [Chen Tian]` reads naturally for people without affiliation.
        return {"name": value} if isinstance(value, str) else value

    @property
    def family_name(self) -> str:
        return self.family or self.name.split()[-1]

    @property
    def given_names(self) -> str:
        family = self.family_name
        if self.name.endswith(family):
            return self.name[: -len(family)].strip()
        return " ".join(self.name.split()[:-1])


class Speaker(Person):
    biography: Text | None = None


class Room(Node):
    id: Id
    name: Text


class Paper(Node):
    id: Id
    title: Text
    authors: list[Person] = Field(min_length=1)
    short: bool = Field(default=False, description="A short paper; printed with a (Short) mark.")
    award: Text | None = Field(default=None, description="e.g. 'Best Paper Award'.")
    video: bool = Field(default=False, description="A recording of the talk is available.")
    abstract: Text | None = None


class Talk(Node):
    paper: Id
    start: Clock
    end: Clock
    presenter: Text | None = None


class Poster(Node):
    paper: Id
    board: Text | None = None


class SlotBase(Node):
    id: Id | None = None
    start: Clock
    end: Clock
    room: Id | None = Field(
        default=None,
        description="Room id. Leave out in a one-room program, or for a slot that spans every room (breaks).",
    )


class PlainSlot(SlotBase):
    """A slot with no papers: registration, opening remarks, breaks, meals, closing, anything else."""

    kind: Literal["registration", "opening", "break", "meal", "closing", "other"]
    title: Text | None = None
    note: Text | None = None


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


class Keynote(SlotBase):
    kind: Literal["keynote"]
    number: int | None = None
    title: Text
    speakers: list[Speaker] = Field(min_length=1)
    abstract: Text | None = None
    chairs: list[Person] = []
    video: bool = False


class Panel(SlotBase):
    kind: Literal["panel"]
    title: Text
    chairs: list[Person] = []
    panelists: list[Person] = Field(min_length=1)
    topic: Text | None = None
    video: bool = False


class PosterSession(SlotBase):
    kind: Literal["posters"]
    title: Text
    chairs: list[Person] = []
    posters: list[Poster] = []


Slot = Annotated[Union[PlainSlot, PaperSession, Keynote, Panel, PosterSession], Field(discriminator="kind")]


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


class Program(Node):
    name: Text = Field(description="Full name without edition, e.g. 'Workshop on Networks for AI Computing'.")
    acronym: Text | None = None
    edition: Text | None = Field(default=None, description="e.g. '2nd'.")
    year: int
    format: Text | None = Field(default=None, description="e.g. 'Full-day Workshop'.")
    venue: Text | None = None
    timezone: Text = "UTC"
    time_format: Literal["24h", "12h"] = "24h"
    qa_split: QaSplit = Field(
        default_factory=lambda: {15: 3, 10: 2},
        description="Minutes of questions per talk length, for the chair sheets.",
    )
    rooms: list[Room] = Field(min_length=1)
    days: list[Day] = Field(min_length=1)
    papers: list[Paper] = []
    committees: list[Committee] = []
    important_dates: list[ImportantDate] = []
    call_for_papers: CallForPapers | None = None
    award_note: Text | None = None

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
