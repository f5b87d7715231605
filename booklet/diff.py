"""What changed between two versions of a program, as an attendee or a chair must hear it.

Identity follows ids: a paper is the same paper under a new title (a retitle, not a removal and
an addition); a slot is the same slot when its `id` says so, else when its kind and title agree,
else when its kind, day, start and rooms agree (a session renamed in place). Talks are followed
across the whole program, so a paper moved to another session is one move. Changes come in
program order: by the day and time they now happen (a removed item where it used to be).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from .model import PaperSession, Program
from .schedule import format_clock
from .views import slot_heading


@dataclass(frozen=True)
class Change:
    what: str  # e.g. "talk moved"; the kinds are listed in KINDS
    day: date
    time: str  # HH:MM where it now happens (removed: where it was), for the order
    subject: str  # the talk's or slot's title
    old: str = ""
    new: str = ""

    def text(self) -> str:
        detail = f": {self.old} \u2192 {self.new}" if self.old and self.new else \
            f": {self.new or self.old}" if (self.new or self.old) else ""
        return f"{self.what}: {self.subject}{detail}"

    def as_json(self) -> dict:
        return {**asdict(self), "day": self.day.isoformat()}


KINDS = ("room renamed", "slot added", "slot removed", "slot moved", "slot renamed", "chairs changed",
         "speakers changed", "panelists changed", "talk added", "talk removed", "talk moved", "talk retitled",
         "authors changed", "presenter changed")


@dataclass
class _Placed:
    """A slot where it stands: its day, its heading and where and when it is held."""

    day: date
    index: int
    slot: object
    program: Program

    @property
    def heading(self) -> str:
        return slot_heading(self.slot, self.program.track_by_id())

    @property
    def rooms(self) -> str:
        rooms = self.program.room_by_id()
        if not self.slot.room_ids and len(self.program.rooms) == 1:
            return self.program.rooms[0].name
        return ", ".join(rooms[r].name for r in self.slot.room_ids) or self.slot.place or "all rooms"

    def when(self, start=None, end=None) -> str:
        clock = self.program.time_format
        start, end = start or self.slot.start, end or self.slot.end
        return f"{_day(self.day)} {format_clock(start, clock)}\u2013{format_clock(end, clock)}, {self.rooms}"

    def place(self, start=None, end=None) -> tuple:
        """Where and when, by room ids: a renamed room moves nothing."""
        return (self.day, start or self.slot.start, end or self.slot.end, tuple(self.slot.room_ids), self.slot.place)


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _slots(program: Program) -> list[_Placed]:
    return [_Placed(day.date, i, slot, program) for day in program.days for i, slot in enumerate(day.slots)]


def _match(old: list[_Placed], new: list[_Placed]) -> list[tuple[_Placed | None, _Placed | None]]:
    """Pairs of the same slot in both versions; (old, None) removed, (None, new) added."""
    pairs: list[tuple[_Placed | None, _Placed | None]] = []
    left, right = list(old), list(new)
    keys = (lambda p: ("id", p.slot.id) if p.slot.id else None,
            lambda p: (p.slot.kind, getattr(p.slot, "title", None) or p.slot.kind),
            lambda p: (p.slot.kind, p.day, p.slot.start, tuple(p.slot.room_ids)))
    for key in keys:
        index: dict = {}
        for placed in left:
            if key(placed) is not None:
                index.setdefault(key(placed), []).append(placed)
        unmatched = []
        for placed in right:
            candidates = index.get(key(placed)) if key(placed) is not None else None
            if candidates:
                partner = candidates.pop(0)
                left.remove(partner)
                pairs.append((partner, placed))
            else:
                unmatched.append(placed)
        right = unmatched
    return pairs + [(p, None) for p in left] + [(None, p) for p in right]


def _names(people) -> str:
    return ", ".join(person.name for person in people) or "none"


def _talks(program: Program, slots: list[_Placed]) -> dict[str, tuple[_Placed, object]]:
    """Every talk of every session by identity (its paper's id, else its inline title), with its slot."""
    papers = program.paper_by_id()
    found = {}
    for placed in slots:
        if isinstance(placed.slot, PaperSession):
            for talk in placed.slot.talk_items(papers):
                found[talk.paper or f"talk:{talk.title}"] = (placed, talk)
        else:
            for _, paper in placed.slot.paper_refs():  # posters
                found[paper] = (placed, None)
    return found


def compare(old: Program, new: Program) -> list[Change]:
    """Every change from OLD to NEW that the people at the event must know, in program order."""
    changes: list[Change] = []
    order: dict[Change, tuple] = {}

    def add(change: Change, placed: _Placed, minutes: int, rank: int) -> None:
        changes.append(change)
        order[change] = (change.day, minutes, placed.index, rank)

    old_rooms, new_rooms = old.room_by_id(), new.room_by_id()
    for ident, room in new_rooms.items():
        if ident in old_rooms and old_rooms[ident].name != room.name:
            change = Change("room renamed", new.days[0].date, "", room.name, old_rooms[ident].name, room.name)
            changes.append(change)
            order[change] = (date.min, 0, 0, 0)
    old_slots, new_slots = _slots(old), _slots(new)
    pairs = _match(old_slots, new_slots)
    partner = {id(before): after for before, after in pairs if before is not None and after is not None}
    for before, after in pairs:
        if after is None:
            add(Change("slot removed", before.day, str(before.slot.start), before.heading, before.when()),
                before, before.slot.start.minutes, 0)
            continue
        if before is None:
            add(Change("slot added", after.day, str(after.slot.start), after.heading, "", after.when()),
                after, after.slot.start.minutes, 0)
            continue
        at = (after, after.slot.start.minutes)
        if before.place() != after.place():
            add(Change("slot moved", after.day, str(after.slot.start), after.heading, before.when(), after.when()), *at, 1)
        if getattr(before.slot, "title", None) != getattr(after.slot, "title", None):
            add(Change("slot renamed", after.day, str(after.slot.start), after.heading, before.heading, after.heading),
                *at, 2)
        for field, what in (("chairs", "chairs changed"), ("speakers", "speakers changed"),
                            ("panelists", "panelists changed")):
            was, now = getattr(before.slot, field, None), getattr(after.slot, field, None)
            if was is not None and now is not None and [p.name for p in was] != [p.name for p in now]:
                add(Change(what, after.day, str(after.slot.start), after.heading, _names(was), _names(now)), *at, 3)
    old_talks, new_talks = _talks(old, old_slots), _talks(new, new_slots)
    old_papers, new_papers = old.paper_by_id(), new.paper_by_id()
    for ident, (placed, talk) in new_talks.items():
        minutes = (talk.start if talk else placed.slot.start).minutes
        title = talk.title if talk else new_papers[ident].title
        times = (talk.start, talk.end) if talk and talk.timed else (None, None)
        where = f"{placed.when(*times)} ({placed.heading})"
        if ident not in old_talks:
            add(Change("talk added", placed.day, format_clock(talk.start if talk else placed.slot.start, "24h"),
                       title, "", where), placed, minutes, 4)
            continue
        before, talk_before = old_talks[ident]
        times_before = (talk_before.start, talk_before.end) if talk_before and talk_before.timed else (None, None)
        was = f"{before.when(*times_before)} ({before.heading})"
        stamp = format_clock(talk.start if talk else placed.slot.start, "24h")
        # A talk that keeps its place in a session that moved or was renamed moved with it: the
        # session's own change says so once, not once per talk.
        offset = (lambda t, p: (t.start.minutes - p.slot.start.minutes, t.end.minutes - p.slot.start.minutes)
                  if t else None)
        carried = partner.get(id(before)) is placed and offset(talk_before, before) == offset(talk, placed)
        if before.place(*times_before) != placed.place(*times) and not carried:
            add(Change("talk moved", placed.day, stamp, title, was, where), placed, minutes, 5)
        if ident in old_papers and ident in new_papers:
            if old_papers[ident].title != new_papers[ident].title:
                add(Change("talk retitled", placed.day, stamp, title, old_papers[ident].title, title), placed, minutes, 6)
            if [a.name for a in old_papers[ident].authors] != [a.name for a in new_papers[ident].authors]:
                add(Change("authors changed", placed.day, stamp, title, _names(old_papers[ident].authors),
                           _names(new_papers[ident].authors)), placed, minutes, 7)
        if talk and talk_before and (talk_before.presenter or "") != (talk.presenter or ""):
            add(Change("presenter changed", placed.day, stamp, title, talk_before.presenter or "none",
                       talk.presenter or "none"), placed, minutes, 8)
    for ident, (placed, talk) in old_talks.items():
        if ident not in new_talks:
            title = talk.title if talk else old_papers[ident].title
            start = talk.start if talk else placed.slot.start
            times = (talk.start, talk.end) if talk and talk.timed else (None, None)
            add(Change("talk removed", placed.day, format_clock(start, "24h"), title,
                       f"{placed.when(*times)} ({placed.heading})"), placed, start.minutes, 4)
    return sorted(changes, key=lambda change: order[change])


def by_day(changes: list[Change]) -> list[tuple[date, list[Change]]]:
    days: dict[date, list[Change]] = {}
    for change in changes:
        days.setdefault(change.day, []).append(change)
    return list(days.items())


def report_text(changes: list[Change], old_version: str, new_version: str) -> str:
    if not changes:
        return f"No changes from version {old_version} to {new_version}.\n"
    lines = [f"{len(changes)} change(s) from version {old_version} to {new_version}:"]
    for day, items in by_day(changes):
        lines.append(f"\n{day:%A}, {day.day} {day:%B} {day.year}")
        lines += [f"  {c.time:>5}  {c.text()}" for c in items]
    return "\n".join(lines) + "\n"
