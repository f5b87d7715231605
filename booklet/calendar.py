"""The program as an RFC 5545 calendar (icalendar), for attendees' phones and laptops.

One VEVENT per slot (and, with `talks=True`, one per talk), in the program's time zone with its
VTIMEZONE. UIDs are derived from the program (acronym, year, date, room and the slot's id or
position), so re-importing an updated calendar updates events instead of duplicating them. DTSTAMP
is the build's date (SOURCE_DATE_EPOCH or the program file's), so the file is reproducible.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from . import __version__
from .model import Panel, PaperSession, PosterSession, Program, SpokenSlot
from .views import slot_heading


def _uid(program: Program, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]
    domain = (program.acronym or "program").lower().replace(" ", "-")
    return f"{domain}-{program.year}-{digest}@booklet"


def _people(people) -> str:
    return ", ".join(f"{p.name} ({p.affiliation})" if p.affiliation else p.name for p in people)


def _description(slot, papers) -> str:
    lines = []
    if getattr(slot, "chairs", None):
        lines.append(f"Chair: {_people(slot.chairs)}")
    if isinstance(slot, SpokenSlot):
        lines.append(f"Speaker: {_people(slot.speakers)}")
        if slot.abstract:
            lines += ["", slot.abstract]
    elif isinstance(slot, Panel):
        lines.append(f"Panelists: {_people(slot.panelists)}")
        if slot.topic:
            lines += ["", slot.topic]
    elif isinstance(slot, PaperSession):
        for talk in slot.talk_items(papers):
            when = f"{talk.start} " if talk.timed else ""
            lines.append(f"{when}{talk.title} — {_people(talk.people)}")
    elif isinstance(slot, PosterSession):
        for poster in slot.posters:
            paper = papers[poster.paper]
            lines.append(f"{paper.title} — {_people(paper.authors)}")
    elif slot.note:
        lines.append(slot.note)
    return "\n".join(lines)


_CONTENT = ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION")


def _content(event: Event) -> str:
    """What an attendee sees of an event: a change here is an update their calendar must take."""
    parts = []
    for name in _CONTENT:
        value = event.get(name)
        if value is not None:
            parts.append(f"{name};{sorted(getattr(value, 'params', {}).items())}:{value.to_ical()!r}")
    return "\n".join(parts)


def _previous_versions(data: bytes | None) -> dict[str, tuple[int, object, str]]:
    """UID -> (SEQUENCE, LAST-MODIFIED, content) of the calendar the previous build wrote."""
    if not data or len(data) > 64 * 1024 * 1024:
        return {}
    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return {}  # not ours any more: every event starts again at SEQUENCE 0
    found = {}
    for event in calendar.walk("VEVENT"):
        try:
            sequence = int(event.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            sequence = 0
        modified = event.get("LAST-MODIFIED")
        found[str(event.get("UID"))] = (sequence, modified.dt if modified is not None else None, _content(event))
    return found


def _versioned(event: Event, previous: dict, moment: datetime) -> Event:
    """SEQUENCE and LAST-MODIFIED from the previous build: unchanged events keep theirs, changed ones
    count one up and are stamped with this build's date, so calendar apps replace them (RFC 5546)."""
    before = previous.get(str(event.get("UID")))
    if before is None:
        event.add("sequence", 0)
    elif before[2] == _content(event):
        event.add("sequence", before[0])
        if before[1] is not None:
            event.add("last-modified", before[1])
    else:
        event.add("sequence", before[0] + 1)
        event.add("last-modified", moment)
    return event


def program_calendar(program: Program, *, talks: bool = False, stamp: int = 0,
                     previous: bytes | None = None) -> Calendar:
    """PREVIOUS: the calendar an earlier build wrote, whose events' versions this one continues."""
    zone = ZoneInfo(program.timezone)
    papers = program.paper_by_id()
    rooms = program.room_by_id()
    calendar = Calendar()
    calendar.add("prodid", f"-//booklet {__version__}//{program.short_name}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{program.short_name} program")
    calendar.add("x-wr-timezone", program.timezone)
    dtstamp = datetime.fromtimestamp(stamp, tz=timezone.utc)
    versions = _previous_versions(previous)
    for day in program.days:
        for index, slot in enumerate(day.slots):
            where = ", ".join(rooms[r].name for r in slot.room_ids) or slot.place or \
                ", ".join(r.name for r in program.rooms)
            location = f"{where}, {program.venue}" if program.venue else where
            key = slot.id or f"{day.date}-{index}"
            event = Event()
            event.add("uid", _uid(program, day.date, key))
            event.add("dtstamp", dtstamp)
            event.add("dtstart", slot.start.on(day.date, zone))
            event.add("dtend", slot.end.on(day.date, zone))
            event.add("summary", slot_heading(slot))
            event.add("location", location)
            description = _description(slot, papers)
            if description:
                event.add("description", description)
            calendar.add_component(_versioned(event, versions, dtstamp))
            if talks and isinstance(slot, PaperSession):
                for talk in slot.talk_items(papers):
                    item = Event()
                    item.add("uid", _uid(program, day.date, key, talk.paper or f"talk-{talk.index}"))
                    item.add("dtstamp", dtstamp)
                    item.add("dtstart", talk.start.on(day.date, zone))
                    item.add("dtend", talk.end.on(day.date, zone))
                    item.add("summary", talk.title)
                    item.add("location", location)
                    text = f"{slot_heading(slot)}\n{'Authors' if talk.paper else 'Speakers'}: {_people(talk.people)}"
                    if talk.abstract:
                        text += f"\n\n{talk.abstract}"
                    item.add("description", text)
                    calendar.add_component(_versioned(item, versions, dtstamp))
    calendar.add_missing_timezones()
    return calendar


def calendar_bytes(program: Program, *, talks: bool = False, stamp: int = 0, previous: bytes | None = None) -> bytes:
    return program_calendar(program, talks=talks, stamp=stamp, previous=previous).to_ical()


def check_calendar(data: bytes, program: Program) -> list[tuple[str, bool, str]]:
    """(check, ok, detail): the file parses back and holds one event per slot of the program."""
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as exc:
        return [("parse", False, f"icalendar cannot read it: {exc}")]
    events = calendar.walk("VEVENT")
    slots = sum(len(day.slots) for day in program.days)
    zones = {str(tz.get("tzid")) for tz in calendar.walk("VTIMEZONE")}
    checks = [("parse", True, f"{len(events)} events")]
    checks.append(("events", len(events) == slots, f"{len(events)} events for {slots} slots"))
    if program.timezone in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):  # UTC times need no VTIMEZONE
        checks.append(("timezone", True, "times in UTC"))
    else:
        found = program.timezone in zones
        checks.append(("timezone", found, f"VTIMEZONE {program.timezone}" if found
                       else f"no VTIMEZONE for {program.timezone}"))
    return checks
