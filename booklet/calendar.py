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


def program_calendar(program: Program, *, talks: bool = False, stamp: int = 0) -> Calendar:
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
            calendar.add_component(event)
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
                    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar


def calendar_bytes(program: Program, *, talks: bool = False, stamp: int = 0) -> bytes:
    return program_calendar(program, talks=talks, stamp=stamp).to_ical()


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
