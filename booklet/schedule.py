"""Time arithmetic on a program: minutes, overlaps, each room's timeline, what follows a slot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from .model import Day, Program


def minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def duration(start: time, end: time) -> int:
    return minutes(end) - minutes(start)


def overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return minutes(a_start) < minutes(b_end) and minutes(b_start) < minutes(a_end)


def format_clock(clock: time, style: str = "24h") -> str:
    if style == "12h":
        hour = clock.hour % 12 or 12
        return f"{hour}:{clock.minute:02d}\u00a0{'am' if clock.hour < 12 else 'pm'}"
    return f"{clock.hour:02d}:{clock.minute:02d}"


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
    """The slots that happen in `room` on this day (including room-less plenary slots), by start."""
    placed = [Placed(day_index, i, slot) for i, slot in enumerate(day.slots)
              if room is None or slot.room in (None, room)]
    return sorted(placed, key=lambda p: (minutes(p.slot.start), minutes(p.slot.end), p.index))


def next_slot(program: Program, day_index: int, slot_index: int) -> Placed | None:
    """What follows a slot in its room on the same day: the chair announces it at the end."""
    day = program.days[day_index]
    slot = day.slots[slot_index]
    later = [p for p in room_timeline(day_index, day, slot.room)
             if p.index != slot_index and minutes(p.slot.start) >= minutes(slot.end)]
    return later[0] if later else None


def qa_split(length: int, table: dict[int, int]) -> tuple[int, int]:
    """(talk minutes, question minutes) for a talk of LENGTH minutes.

    The program's table (e.g. 15 -> 3, 10 -> 2) decides; a length it does not list keeps a fifth
    for questions, rounded, as most chairs do.
    """
    questions = table.get(length, round(length / 5))
    return length - questions, questions
