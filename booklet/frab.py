"""Reading frab / pretalx / c3voc / pentabarf schedule exports (XML or JSON) into a `Schedule`.

These exports list days, rooms under each day, and events under each room. An event has a start
(`date`, ISO 8601 with its UTC offset; older pentabarf exports give only `start` on the day's
date), a `duration` (HH:MM, or D:HH:MM from a day on), a title and subtitle, persons, an abstract,
a track, a free-text type and a language. This module only reads, as the exports' own apps do
(direct children of an event: a <link> has a <title> of its own); schedule_import.py decides
what the events are in a program.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .diagnostics import ProgramError
from .exports import export_error, parse_json, read_export_bytes
from .importing import as_list, one_line

@dataclass
class PersonInfo:
    name: str
    biography: str | None = None
    affiliation: str | None = None


@dataclass
class Event:
    ident: str
    listed_day: date | None  # the export's day it is listed under
    start: datetime  # with its UTC offset; naive when the export gives only a local time
    minutes: int
    room: str
    title: str
    subtitle: str = ""
    persons: list[PersonInfo] = field(default_factory=list)
    abstract: str | None = None
    track: str = ""
    type: str = ""
    language: str = ""
    start_text: str = ""  # the export's own HH:MM, to notice a zone that contradicts it


@dataclass
class Schedule:
    title: str
    acronym: str
    timezone: str  # "" when the export names none
    rooms: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    track_colours: dict[str, str] = field(default_factory=dict)
    day_change: int | None = None  # minutes; pentabarf's <day_change>, or the days' earliest start


# --- reading -------------------------------------------------------------------------------------


_DURATION = re.compile(r"(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?::(\d{2}))?")


def _minutes(text: str, path: Path, title: str) -> int:
    """HH:MM, D:HH:MM (pretalx, from a day on) or zero-padded HH:MM:SS (pentabarf) as minutes."""
    text = text.strip()
    match = _DURATION.fullmatch(text)
    if not match or (match[1] and match[4]):
        raise export_error(path, f"event '{title}': duration '{text[:20]}' is not HH:MM or D:HH:MM")
    parts = text.split(":")
    if len(parts) == 3 and parts[0].startswith("0") and len(parts[0]) == 2:  # 00:50:00 is HH:MM:SS
        return int(parts[0]) * 60 + int(parts[1])
    if len(parts) == 3:
        return int(parts[0]) * 1440 + int(parts[1]) * 60 + int(parts[2])
    return int(parts[0]) * 60 + int(parts[1])


def _start(value: str, day: date | None, start: str, path: Path, title: str) -> datetime:
    value = value.strip()
    if value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise export_error(path, f"event '{title}': date '{value[:40]}' is not an ISO 8601 date and time") from None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", start.strip())
    if day is None or not match:
        raise export_error(path, f"event '{title}': neither a date nor a start time on a dated day")
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=int(match[1]), minutes=int(match[2]))


def _day(value: str, path: Path) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise export_error(path, f"day date '{value[:20]}' is not YYYY-MM-DD") from None


def clock_of(value: str) -> int | None:
    """The time of day of an ISO date-time or an HH:MM(:SS), in minutes."""
    match = re.search(r"(?:T|^)(\d{2}):(\d{2})", value.strip())
    return int(match[1]) * 60 + int(match[2]) if match else None


def read_schedule(path: Path) -> Schedule:
    raw = read_export_bytes(path, "a schedule.xml or schedule.json export")
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    schedule = _read_json(path, raw) if head in (b"{", b"[") else _read_xml(path, raw)
    if not schedule.events:
        raise export_error(path, "the schedule holds no events; export it after the schedule is published")
    return schedule


def _read_xml(path: Path, raw: bytes) -> Schedule:
    try:
        root = ElementTree.fromstring(raw)  # the standard parser does not fetch external entities
    except ElementTree.ParseError as exc:
        raise export_error(path, f"not XML: {exc}", exc.position[0]) from None
    conference = root.find("conference")
    if root.tag != "schedule" or conference is None:
        raise export_error(path, "not a frab schedule: <schedule> with <conference> expected")
    schedule = Schedule(one_line(conference.findtext("title")), one_line(conference.findtext("acronym")),
                        one_line(conference.findtext("time_zone_name")))
    schedule.day_change = clock_of(one_line(conference.findtext("day_change")))
    for track in conference.findall("track"):
        if re.fullmatch(r"#[0-9A-Fa-f]{6}", track.get("color", "")):
            schedule.track_colours[one_line(track.get("name"))] = track.get("color")
    day_starts = []
    for day in root.findall("day"):
        day_date = _day(day.get("date", ""), path)
        if day_date and day_date not in schedule.days:
            schedule.days.append(day_date)
        if day.get("start"):
            day_starts.append(clock_of(day.get("start")))
        for room in day.findall("room"):
            name = one_line(room.get("name"))
            if name and name not in schedule.rooms:
                schedule.rooms.append(name)
            for event in room.findall("event"):  # direct children only: a <link> has a <title> too
                title = one_line(event.findtext("title"))
                persons = event.find("persons")
                schedule.events.append(Event(
                    ident=one_line(event.get("id") or event.get("guid")), listed_day=day_date, title=title,
                    start=_start(one_line(event.findtext("date")), day_date, one_line(event.findtext("start")),
                                 path, title),
                    minutes=_minutes(one_line(event.findtext("duration")), path, title),
                    room=one_line(event.findtext("room")) or name, subtitle=one_line(event.findtext("subtitle")),
                    persons=[PersonInfo(one_line(p.text)) for p in (persons.findall("person") if persons is not None
                                                                     else []) if one_line(p.text)],
                    abstract=event.findtext("abstract"), track=one_line(event.findtext("track")),
                    type=one_line(event.findtext("type")), language=one_line(event.findtext("language")),
                    start_text=one_line(event.findtext("start"))))
    _note_day_starts(schedule, day_starts)
    return schedule


def _read_json(path: Path, raw: bytes) -> Schedule:
    data = parse_json(path, raw)
    conference = (data.get("schedule") or {}).get("conference") if isinstance(data, dict) else None
    if not isinstance(conference, dict):
        raise export_error(path, "not a frab/pretalx schedule: {\"schedule\": {\"conference\": ...}} expected")
    schedule = Schedule(one_line(conference.get("title")), one_line(conference.get("acronym")),
                        one_line(conference.get("time_zone_name")))
    for room in _items(conference, "rooms", list, path, "schedule.conference"):
        name = one_line(room.get("name") if isinstance(room, dict) else room)
        if name and name not in schedule.rooms:
            schedule.rooms.append(name)
    for track in _items(conference, "tracks", list, path, "schedule.conference"):
        if isinstance(track, dict) and re.fullmatch(r"#[0-9A-Fa-f]{6}", str(track.get("color", ""))):
            schedule.track_colours[one_line(track.get("name"))] = track["color"]
    day_starts = []
    for d, day in enumerate(_items(conference, "days", list, path, "schedule.conference")):
        if not isinstance(day, dict):
            raise _shape(path, f"schedule.conference.days[{d}]", "a day", day)
        day_date = _day(one_line(day.get("date")), path)
        if day_date and day_date not in schedule.days:
            schedule.days.append(day_date)
        if day.get("day_start"):
            day_starts.append(clock_of(one_line(day["day_start"])))
        for name, events in _items(day, "rooms", dict, path, f"schedule.conference.days[{d}]").items():
            if one_line(name) not in schedule.rooms:
                schedule.rooms.append(one_line(name))
            where = f"schedule.conference.days[{d}].rooms[{one_line(name)!r}]"
            if not isinstance(events, list):
                raise _shape(path, where, "a list of events", events)
            for e, event in enumerate(events):
                if not isinstance(event, dict):
                    raise _shape(path, f"{where}[{e}]", "an event", event)
                schedule.events.append(_json_event(event, day_date, one_line(name), path))
    _note_day_starts(schedule, day_starts)
    return schedule


def _json_event(event: dict, day_date: date | None, room: str, path: Path) -> Event:
    title = one_line(event.get("title"))
    persons = []
    for person in as_list(event.get("persons")):
        if isinstance(person, dict):
            name = one_line(person.get("public_name") or person.get("name") or person.get("full_name"))
            if name:
                persons.append(PersonInfo(name, person.get("biography") or None,
                                          one_line(person.get("affiliation")) or None))
        elif one_line(person):
            persons.append(PersonInfo(one_line(person)))
    return Event(
        ident=one_line(event.get("id") or event.get("guid")), listed_day=day_date, title=title,
        start=_start(one_line(event.get("date")), day_date, one_line(event.get("start")), path, title),
        minutes=_minutes(one_line(event.get("duration")), path, title),
        room=one_line(event.get("room")) or room, subtitle=one_line(event.get("subtitle")), persons=persons,
        abstract=event.get("abstract") if isinstance(event.get("abstract"), str) else None,
        track=one_line(event.get("track")), type=one_line(event.get("type")),
        language=one_line(event.get("language")), start_text=one_line(event.get("start")))


def _note_day_starts(schedule: Schedule, day_starts: list[int | None]) -> None:
    """The day boundary: pentabarf's <day_change>, else the earliest start of the export's days
    when that is in the small hours (pretalx writes 04:00), else DEFAULT_BOUNDARY."""
    starts = [s for s in day_starts if s is not None and s <= 6 * 60]
    if schedule.day_change is None and starts:
        schedule.day_change = min(starts)


def _items(parent: dict, key: str, kind: type, path: Path, where: str):
    """PARENT[KEY], which must be a KIND (list or mapping) when it is there at all."""
    value = parent.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise _shape(path, f"{where}.{key}", "a list" if kind is list else "a mapping", value)
    return value


def _shape(path: Path, where: str, expected: str, found) -> ProgramError:
    return export_error(path, f"{where}: expected {expected}, found {type(found).__name__} {str(found)[:30]!r}; is this "
                              "a frab or pretalx schedule.json?")
