"""`booklet import schedule`: a frab / pretalx / c3voc schedule export (XML or JSON) as a program.

Both formats list days, rooms and events; an event has an absolute `date` (ISO 8601 with offset),
a `duration` (HH:MM), a title, persons, an abstract, a track and a type. booklet's model groups
talks into sessions, so consecutive events of one track in one room, each starting when the last
ends, become one session named after the track; breaks, keynotes and panels (by event type) become
slots of that kind. Times are converted to the conference's time zone from each event's own date.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .diagnostics import ProgramError
from .exports import export_error, parse_json, read_export_bytes
from .yaml_out import dump_program

BREAK_TYPES = {"break", "pause", "coffee", "lunch", "meal"}
KEYNOTE_TYPES = {"keynote"}
PANEL_TYPES = {"panel", "podium", "panel discussion"}


@dataclass
class Event:
    ident: str
    start: datetime
    minutes: int
    room: str
    title: str
    persons: list[str]
    abstract: str
    track: str
    kind: str


@dataclass
class Schedule:
    title: str
    acronym: str
    timezone: str
    rooms: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _minutes(duration: str, path: Path, title: str) -> int:
    match = re.fullmatch(r"(\d{1,3}):(\d{2})(?::\d{2})?", duration.strip())
    if not match:
        raise export_error(path, f"event '{title}': duration '{duration[:20]}' is not HH:MM (at most 999 hours)")
    return int(match[1]) * 60 + int(match[2])


def _start(value: str, path: Path, title: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise export_error(path, f"event '{title}': date '{value}' is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise export_error(path, f"event '{title}': date '{value}' has no UTC offset; an absolute time is needed")
    return moment


def read_schedule(path: Path) -> Schedule:
    raw = read_export_bytes(path, "a schedule.xml or schedule.json export")
    head = raw.lstrip()[:1]
    return _read_json(path, raw) if head in (b"{", b"[") else _read_xml(path, raw)


def _read_xml(path: Path, raw: bytes) -> Schedule:
    try:
        root = ElementTree.fromstring(raw)  # the standard parser does not fetch external entities
    except ElementTree.ParseError as exc:
        raise export_error(path, f"not XML: {exc}", exc.position[0]) from None
    conference = root.find("conference")
    if root.tag != "schedule" or conference is None:
        raise export_error(path, "not a frab schedule: <schedule> with <conference> expected")
    schedule = Schedule(_text(conference.findtext("title")), _text(conference.findtext("acronym")),
                        _text(conference.findtext("time_zone_name")) or "UTC")
    for day in root.iter("day"):
        for room in day.iter("room"):
            name = _text(room.get("name"))
            if name and name not in schedule.rooms:
                schedule.rooms.append(name)
            for event in room.iter("event"):
                title = _text(event.findtext("title"))
                schedule.events.append(Event(
                    ident=_text(event.get("guid") or event.get("id")), title=title,
                    start=_start(_text(event.findtext("date")), path, title),
                    minutes=_minutes(_text(event.findtext("duration")), path, title),
                    room=_text(event.findtext("room")) or name,
                    persons=[_text(p.text) for p in event.iter("person") if _text(p.text)],
                    abstract=_text(event.findtext("abstract")), track=_text(event.findtext("track")),
                    kind=_text(event.findtext("type")).casefold()))
    return schedule


def _read_json(path: Path, raw: bytes) -> Schedule:
    data = parse_json(path, raw)
    conference = (data.get("schedule") or {}).get("conference") if isinstance(data, dict) else None
    if not isinstance(conference, dict):
        raise export_error(path, "not a frab/pretalx schedule: {\"schedule\": {\"conference\": ...}} expected")
    schedule = Schedule(_text(conference.get("title")), _text(conference.get("acronym")),
                        _text(conference.get("time_zone_name")) or "UTC")
    for room in _items(conference, "rooms", list, path, "schedule.conference"):
        name = _text(room.get("name") if isinstance(room, dict) else room)
        if name and name not in schedule.rooms:
            schedule.rooms.append(name)
    for d, day in enumerate(_items(conference, "days", list, path, "schedule.conference")):
        if not isinstance(day, dict):
            raise _shape(path, f"schedule.conference.days[{d}]", "a day", day)
        for name, events in _items(day, "rooms", dict, path, f"schedule.conference.days[{d}]").items():
            if _text(name) not in schedule.rooms:
                schedule.rooms.append(_text(name))
            where = f"schedule.conference.days[{d}].rooms[{_text(name)!r}]"
            if not isinstance(events, list):
                raise _shape(path, where, "a list of events", events)
            for e, event in enumerate(events):
                if not isinstance(event, dict):
                    raise _shape(path, f"{where}[{e}]", "an event", event)
                title = _text(event.get("title"))
                persons = [_text(p.get("public_name") or p.get("name")) if isinstance(p, dict) else _text(p)
                           for p in event.get("persons") or []]
                schedule.events.append(Event(
                    ident=_text(event.get("guid") or event.get("id")), title=title,
                    start=_start(_text(event.get("date")), path, title),
                    minutes=_minutes(_text(event.get("duration")), path, title),
                    room=_text(event.get("room")) or _text(name), persons=[p for p in persons if p],
                    abstract=_text(event.get("abstract")), track=_text(event.get("track")),
                    kind=_text(event.get("type")).casefold()))
    return schedule


def _items(parent: dict, key: str, kind: type, path: Path, where: str):
    """PARENT[KEY], which must be a KIND (list or mapping) when it is there at all."""
    value = parent.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise _shape(path, f"{where}.{key}", "a list" if kind is list else "a mapping", value)
    return value


def _shape(path: Path, where: str, expected: str, found) -> ProgramError:
    return export_error(path, f"{where}: expected {expected}, found {type(found).__name__} {str(found)[:30]!r}; is this a "
                       "frab or pretalx schedule.json?")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def to_program(schedule: Schedule, path: Path) -> dict:
    """The program: rooms, days, sessions of consecutive same-track events, papers for the talks."""
    try:
        zone = ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise export_error(path, f"unknown time zone '{schedule.timezone}' in the export") from None
    room_ids = {name: f"room-{i + 1}" for i, name in enumerate(schedule.rooms)}
    events = sorted(schedule.events, key=lambda e: (e.start, e.room, e.title))
    days: dict[str, list[dict]] = {}
    papers: list[dict] = []
    open_sessions: dict[tuple, dict] = {}
    number = 0

    def clock(moment: datetime) -> str:
        return f"{moment:%H:%M}"

    for position, event in enumerate(events):
        start = event.start.astimezone(zone)
        end = start + timedelta(minutes=event.minutes)
        slots = days.setdefault(start.date().isoformat(), [])
        room = room_ids.get(event.room)
        base = {"start": clock(start), "end": clock(end), **({"room": room} if room else {})}
        if event.kind in BREAK_TYPES:
            slots.append({"kind": "break", "title": event.title, **base})
            continue
        if event.kind in KEYNOTE_TYPES and event.persons:
            slot = {"kind": "keynote", "title": event.title, **base, "speakers": event.persons}
            if event.abstract:
                slot["abstract"] = event.abstract
            slots.append(slot)
            continue
        if event.kind in PANEL_TYPES and event.persons:
            slots.append({"kind": "panel", "title": event.title, **base, "panelists": event.persons})
            continue
        paper_id = f"event-{_slug(event.ident)}" if event.ident else f"event-{position + 1}"
        paper = {"id": paper_id, "title": event.title, "authors": event.persons or ["To be announced"]}
        if event.abstract:
            paper["abstract"] = event.abstract
        papers.append(paper)
        key = (start.date(), room, event.track)
        session = open_sessions.get(key)
        if session is None or session["end"] != clock(start):
            number += 1
            session = {"kind": "session", "number": number, "title": event.track or event.title, **base,
                       "talks": []}
            open_sessions[key] = session
            slots.append(session)
        session["end"] = clock(end)
        session["talks"].append({"paper": paper_id, "start": clock(start), "end": clock(end)})
    acronym = schedule.acronym or None
    year = min(days)[:4] if days else "2025"
    return {
        "name": schedule.title or acronym or "Imported Schedule",
        **({"acronym": acronym} if acronym else {}),
        "year": year, "timezone": schedule.timezone,
        "rooms": [{"id": room_ids[name], "name": name} for name in schedule.rooms] or [{"id": "main", "name": "Main room"}],
        "days": [{"date": day, "slots": slots} for day, slots in sorted(days.items())],
        "papers": papers,
    }


def program_text(program: dict) -> str:
    header = ("# Imported from a frab/pretalx schedule by `booklet import schedule`.\n"
              "# Sessions are runs of consecutive events of one track in one room; add their chairs\n"
              "# (chairs: [...]) to get chair sheets, and check the names with `booklet validate`.\n")
    return dump_program(program, header)
