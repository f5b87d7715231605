"""Time arithmetic on a program: minutes, overlaps, each room's timeline, what follows a slot."""

from __future__ import annotations

from dataclasses import dataclass
from .model import ClockTime, Day, Program


def minutes(clock: ClockTime) -> int:
    return clock.minutes


def duration(start: ClockTime, end: ClockTime) -> int:
    return minutes(end) - minutes(start)


def overlaps(a_start: ClockTime, a_end: ClockTime, b_start: ClockTime, b_end: ClockTime) -> bool:
    return minutes(a_start) < minutes(b_end) and minutes(b_start) < minutes(a_end)


def format_clock(clock: ClockTime, style: str = "24h") -> str:
    """As a clock on the wall shows it: past midnight, 24:30 is 00:30 (12:30 am)."""
    hour = clock.hour % 24
    if style == "12h":
        return f"{hour % 12 or 12}:{clock.minute:02d}\u00a0{'am' if hour < 12 else 'pm'}"
    return f"{hour:02d}:{clock.minute:02d}"


def yields(slot, other) -> bool:
    """Whether SLOT gives way to OTHER where they overlap: a room-less break, meal or social event
    is for everyone not otherwise engaged, so a session held in a room at the same time (a lunch-time
    topic preview, a workshop keeping its own coffee time) is no clash; that room skips it."""
    return not slot.room_ids and bool(other.room_ids) and slot.kind in _YIELDING


_YIELDING = {"registration", "break", "meal", "social", "other"}


@dataclass(frozen=True)
class Placed:
    """A slot with where it stands in the program: day index and slot index, for paths and order."""

    day: int
    index: int
    slot: object

    @property
    def path(self) -> tuple:
        return ("days", self.day, "slots", self.index)


def room_timeline(day_index: int, day: Day, room: str | None) -> list[Placed]:
    """The slots that happen in `room` on this day (room-less slots count for every room), by
    start. Ongoing items (an exhibition, the registration desk) run beside the schedule: not here."""
    placed = [Placed(day_index, i, slot) for i, slot in enumerate(day.slots)
              if not slot.ongoing and (room is None or not slot.room_ids or room in slot.room_ids)]
    return sorted(placed, key=lambda p: (minutes(p.slot.start), minutes(p.slot.end), p.index))


def next_slot(program: Program, day_index: int, slot_index: int) -> Placed | None:
    """What follows a slot in its room on the same day: the chair announces it at the end."""
    day = program.days[day_index]
    slot = day.slots[slot_index]
    room = slot.room_ids[0] if slot.room_ids else None
    later = [p for p in room_timeline(day_index, day, room)
             if p.index != slot_index and minutes(p.slot.start) >= minutes(slot.end)]
    return later[0] if later else None


def qa_split(length: int, table: dict[int, int]) -> tuple[int, int]:
    """(talk minutes, question minutes) for a talk of LENGTH minutes.

    The program's table (e.g. 15 -> 3, 10 -> 2) decides; a length it does not list keeps a fifth
    for questions, rounded, as most chairs do.
    """
    questions = table.get(length, round(length / 5))
    return length - questions, questions
