"""`booklet import schedule`: a schedule export, read by frab.py, as a program.

* Local time is the conference's: `time_zone_name`, or `--timezone`, or, when the export names
  no zone, each event's own offset (one zone per conference; the zone written is the matching
  fixed Etc/GMT zone, and a change of offset during the event asks for --timezone).
* An event belongs to the day the export lists it under, so a talk at 01:00 after a congress
  night stays on its evening as 25:00; a calendar-grouped export's small hours (before the day
  boundary, 03:00 unless the export says otherwise) go to the evening before as well.
* Types are free text, matched by word ("Keynote Talk" is a keynote); `--type-map` decides the rest.
* booklet groups talks into sessions: consecutive events of one track in one room with at most a
  changeover between them (`--session-gap`) form one; an event whose span holds other events of
  its room (a lightning-talk block) is a session holding them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .frab import Event, PersonInfo, Schedule, clock_of
from .importing import ImportLog, is_placeholder, plain_text
from .model import LAST_HOUR, ClockTime, parse_clock


# Slot kinds an event type can map to (--type-map TYPE=KIND); "session" is a talk in a session.
KINDS = ("session", "keynote", "talk", "panel", "lightning", "break", "meal", "social", "opening", "closing",
         "registration", "other", "skip")
# The words of a type that decide its kind, strongest first: "Keynote Talk" is a keynote.
_TYPE_WORDS = (
    ("keynote", ("keynote",)),
    ("panel", ("panel", "podium", "roundtable")),
    ("lightning", ("lightning",)),
    ("talk", ("workshop", "tutorial", "masterclass")),
    ("meal", ("lunch", "dinner", "breakfast", "meal")),
    ("break", ("break", "pause", "coffee")),
    ("social", ("party", "social", "reception", "concert")),
    ("opening", ("opening", "welcome")),
    ("closing", ("closing",)),
    ("registration", ("registration",)),
)
PLAIN_KINDS = {"break", "meal", "social", "opening", "closing", "registration", "other"}
DEFAULT_BOUNDARY = 3 * 60  # pretalx: what starts before 03:00 belongs to the evening before


# --- deciding ------------------------------------------------------------------------------------


def kind_of(event_type: str, type_map: dict[str, str]) -> str:
    """The slot kind for an event type: --type-map first (the whole type, any case), then by word."""
    mapped = type_map.get(event_type.casefold())
    if mapped:
        return mapped
    words = re.findall(r"[a-z]+", event_type.casefold())
    for kind, keys in _TYPE_WORDS:
        if any(word in (key, key + "s") or (key == "lightning" and word.startswith(key))
               for word in words for key in keys):
            return kind
    return "session"


def _fixed_zone(offset: timedelta) -> str | None:
    """The IANA name of a whole-hour fixed offset: +01:00 is Etc/GMT-1 (POSIX signs are reversed)."""
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest or not -12 <= hours <= 14:
        return None
    return "Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def _zone(schedule: Schedule, override: str | None, log: ImportLog) -> tuple[str, object | None]:
    """The zone to write, and the tzinfo to convert event times into (None: keep each event's own)."""
    name = override or schedule.timezone
    if name:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            where = "--timezone" if override else "time_zone_name"
            raise log.refuse(f"{where}: unknown time zone '{name}'; give an IANA name such as Europe/Berlin") from None
        return name, zone
    offsets = sorted({e.start.utcoffset() for e in schedule.events if e.start.tzinfo is not None})
    if not offsets:
        log.note("the export names no time zone and its times carry no offset; the times are kept as written "
                 "and the program says UTC: give --timezone (e.g. Europe/Brussels) for correct calendars")
        return "UTC", None
    if len(offsets) > 1:
        shown = " and ".join(_offset_text(o) for o in offsets)
        log.decide(f"the export names no time zone and its events carry the offsets {shown} (a change of "
                   "daylight saving time?): the program says UTC until you give --timezone with the venue's zone "
                   "(e.g. --timezone Europe/Berlin); the printed times are the events' own")
        return "UTC", None
    fixed = _fixed_zone(offsets[0])
    if fixed is None:
        log.decide(f"the export names no time zone and its events carry the offset {_offset_text(offsets[0])}: "
                   "give --timezone with the venue's zone (e.g. --timezone Asia/Kolkata)")
        return "UTC", None
    log.note(f"the export names no time zone; its events carry {_offset_text(offsets[0])}, so the program "
             f"says {fixed}: give --timezone (e.g. Europe/Berlin) to name the venue's zone")
    return fixed, None


def _offset_text(offset: timedelta) -> str:
    hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"{'-' if offset < timedelta(0) else '+'}{hours:02d}:{minutes:02d}"


@dataclass
class Placed:
    event: Event
    day: date
    start: int  # minutes after the program day's midnight (past 24:00 after midnight)
    end: int
    kind: str
    until: datetime | None = None  # an event that runs beyond the program day ends here

    @property
    def people(self) -> list[PersonInfo]:
        return [p for p in self.event.persons if not is_placeholder(p.name)]


def place_events(schedule: Schedule, zone, type_map: dict[str, str], log: ImportLog) -> list[Placed]:
    """Every event on its program day, in that day's minutes; events nobody can place are decisions."""
    boundary = schedule.day_change if schedule.day_change is not None else DEFAULT_BOUNDARY
    days = set(schedule.days)
    placed, mismatched = [], 0
    for event in schedule.events:
        kind = kind_of(event.type, type_map)
        if kind == "skip":
            continue
        local = event.start.astimezone(zone) if zone is not None and event.start.tzinfo else event.start
        if event.start_text and clock_of(event.start_text) not in (None, local.hour * 60 + local.minute):
            mismatched += 1
        day = event.listed_day or local.date()
        start = int((local.replace(tzinfo=None) - datetime.combine(day, datetime.min.time())).total_seconds() // 60)
        if 0 <= start < boundary and (day - timedelta(days=1)) in days:  # the small hours of the night before
            day, start = day - timedelta(days=1), start + 1440
        if not 0 <= start < LAST_HOUR * 60:
            day, start = local.date(), local.hour * 60 + local.minute
        end, until = start + event.minutes, None
        if end > LAST_HOUR * 60:
            until = local + timedelta(minutes=event.minutes)
            end = LAST_HOUR * 60
            log.note(f"'{event.title}' runs until {until:%Y-%m-%d %H:%M}: printed as an ongoing item of "
                     f"{day.isoformat()}", _where(event))
        placed.append(Placed(event, day, start, end, kind, until))
    if mismatched:
        log.note(f"{mismatched} event(s) start at another time in {zone} than the export's own start "
                 "times say; the zone's times are used: check --timezone")
    return sorted(placed, key=lambda p: (p.day, p.start, p.event.room, p.event.title))


def _where(event: Event) -> str:
    return f"event {event.ident}" if event.ident else ""


# --- writing -------------------------------------------------------------------------------------


def _hhmm(minutes: int) -> str:
    """Minutes of a program day as the program writes them: "25:30" after midnight."""
    return str(ClockTime(minutes))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-") or "x"


@dataclass
class _Builder:
    schedule: Schedule
    session_gap: int
    log: ImportLog
    room_ids: dict[str, str] = field(default_factory=dict)
    track_ids: dict[str, str] = field(default_factory=dict)
    days: dict[date, list[dict]] = field(default_factory=dict)
    papers: list[dict] = field(default_factory=list)

    def room(self, name: str) -> dict:
        if name and name not in self.room_ids:
            self.room_ids[name] = f"room-{len(self.room_ids) + 1}"
        return {"room": self.room_ids[name]} if name else {}

    def track(self, name: str) -> dict:
        if not name:
            return {}
        if name not in self.track_ids:
            base, number = _slug(name), 2
            ident = base
            while ident in self.track_ids.values():
                ident, number = f"{base}-{number}", number + 1
            self.track_ids[name] = ident
        return {"track": self.track_ids[name]}

    def people(self, item: Placed) -> list[dict]:
        return [{"name": p.name, **({"affiliation": p.affiliation} if p.affiliation else {}),
                 **({"biography": text} if (text := plain_text(p.biography)) else {})} for p in item.people]

    def talk(self, item: Placed) -> dict:
        """A talk of a session: a paper with its people, or an inline talk when it names nobody."""
        times = {"start": _hhmm(item.start), "end": _hhmm(item.end)}
        people = self.people(item)
        if not people:
            return {"title": item.event.title, **times}
        paper_id = f"event-{_slug(item.event.ident)}" if item.event.ident else f"event-{len(self.papers) + 1}"
        paper = {"id": paper_id, "title": item.event.title}
        if item.event.subtitle:
            paper["subtitle"] = item.event.subtitle
        paper["authors"] = people
        if abstract := plain_text(item.event.abstract):
            paper["abstract"] = abstract
        if item.event.language:
            paper["language"] = item.event.language
        self.papers.append(paper)
        return {"paper": paper_id, **times}

    def slot(self, item: Placed, kind: str, title: str | None = None) -> dict:
        slot = {"kind": kind, "start": _hhmm(item.start), "end": _hhmm(item.end), **self.room(item.event.room),
                **self.track(item.event.track), "title": title or item.event.title}
        if item.until is not None:
            slot.update(ongoing=True, note=f"Until {item.until:%a %d %b, %H:%M}")
        self.days.setdefault(item.day, []).append(slot)
        return slot

    def add_single(self, item: Placed) -> bool:
        """A keynote, panel, workshop or plain slot; False when it is a talk of a session after all."""
        kind, people = item.kind, self.people(item)
        if kind in PLAIN_KINDS:
            self.slot(item, kind)
        elif kind in ("keynote", "talk") and people:
            slot = self.slot(item, kind)
            slot["speakers"] = people
            if abstract := plain_text(item.event.abstract):
                slot["abstract"] = abstract
        elif kind == "panel" and people:
            self.slot(item, "panel")["panelists"] = [{k: v for k, v in p.items() if k != "biography"} for p in people]
        else:
            return False
        return True


def _contained(container: Placed, other: Placed) -> bool:
    return (other is not container and other.day == container.day and other.event.room == container.event.room
            and container.start <= other.start and other.end <= container.end
            and (other.end - other.start) < (container.end - container.start))


def to_program(schedule: Schedule, log: ImportLog, *, timezone_name: str | None = None,
               type_map: dict[str, str] | None = None, session_gap: int = 15) -> dict:
    """The program: rooms, tracks, days of slots, papers for the talks that name their people."""
    zone_name, zone = _zone(schedule, timezone_name, log)
    placed = place_events(schedule, zone, type_map or {}, log)
    if not placed:
        raise log.refuse("every event's type is mapped to 'skip'; nothing is left to import")
    build = _Builder(schedule, session_gap, log)
    for name in schedule.rooms:
        build.room(name)
    containers = {id(c): [o for o in placed if _contained(c, o)] for c in placed if c.until is None}
    inside = {id(o) for held in containers.values() for o in held}
    open_sessions: dict[tuple, tuple[dict, Placed]] = {}  # (day, room) -> the session its last event joined
    wider_gaps: Counter = Counter()  # changeovers longer than --session-gap between talks of one track
    for item in placed:
        if id(item) in inside:
            continue
        held = containers.get(id(item)) or []
        if held:  # a block of talks (lightning talks, a workshop's parts): a session of them
            session = build.slot(item, "session")
            session["chairs"] = [{k: v for k, v in p.items() if k != "biography"} for p in build.people(item)]
            session["talks"] = [build.talk(talk) for talk in held]
            if not session["chairs"]:
                del session["chairs"]
            open_sessions.pop((item.day, item.event.room), None)
            continue
        if item.kind != "session" and item.kind != "lightning" and build.add_single(item):
            open_sessions.pop((item.day, item.event.room), None)
            continue
        key = (item.day, item.event.room)
        current = open_sessions.get(key)
        if current is not None and current[1].event.track == item.event.track and item.until is None:
            gap = item.start - current[1].end
            if session_gap < gap <= 60:
                wider_gaps[gap] += 1
        if (current is None or current[1].event.track != item.event.track or item.until is not None
                or not 0 <= item.start - current[1].end <= session_gap):
            title = item.event.track if item.event.track and item.until is None else item.event.title
            current = (build.slot(item, "session", title), item)
            current[0]["talks"] = []
        session, _ = current
        session["end"] = _hhmm(max(item.end, parse_clock(session["end"]).minutes))
        session["talks"].append(build.talk(item))
        open_sessions[key] = (session, item)
    dropped = sum(len(item.event.persons) - len(item.people) for item in placed)
    if dropped:
        log.note(f"{dropped} placeholder name(s) such as 'To be announced' left out of the "
                 "people; talks without people are listed by title")
    if wider_gaps:
        gap, count = max(wider_gaps.items(), key=lambda item: (item[1], -item[0]))
        log.note(f"{sum(wider_gaps.values())} talk(s) start a new session because the changeover before them is "
                 f"longer than {session_gap} min ({count} of them {gap} min): give --session-gap {gap} to keep "
                 "a track's consecutive talks in one session")
    days = sorted(build.days)
    program = {
        "name": schedule.title or schedule.acronym or "Imported Schedule",
        **({"acronym": schedule.acronym} if schedule.acronym else {}),
        "year": days[0].year, "timezone": zone_name,
        "rooms": [{"id": ident, "name": name} for name, ident in build.room_ids.items()],
    }
    if build.track_ids:
        program["tracks"] = [{"id": ident, "name": name,
                              **({"colour": schedule.track_colours[name]} if name in schedule.track_colours else {})}
                             for name, ident in build.track_ids.items()]
    program["days"] = [{"date": day.isoformat(), "slots": build.days[day]} for day in days]
    if build.papers:
        program["papers"] = build.papers
    sessions = sum(1 for slots in build.days.values() for s in slots if s["kind"] == "session")
    log.summary.append(f"{len(placed)} events: {len(days)} day(s), {len(build.room_ids)} room(s), "
                       f"{sessions} session(s), {len(build.papers)} talks with their people")
    return program


HEADER = ("# Imported from a frab/pretalx schedule by `booklet import schedule`.\n"
          "# Sessions are runs of consecutive talks of one track in one room; add their chairs\n"
          "# (chairs: [...]) to get chair sheets, and check the result with `booklet validate`.\n")
