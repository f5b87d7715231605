"""Program file -> validated Program plus diagnostics.

Two stages. First the model (pydantic) checks shapes and types; its errors are translated into
messages that name the field, quote what was written and say how to fix it, at the YAML position
the loader remembered. Then, on a well-typed program, the schedule is checked as a program chair
would: times in order, talks inside their session, no double-booked room, every reference resolves.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import rules
from .diagnostics import ProgramError, Report, Severity, shortened
from .load import Loaded, SourceMap, load_program_data
from .model import ClockTime, PaperSession, Program
from .tex import engines
from .tex.unicode import describe
from .schedule import Placed, duration, format_clock, minutes, overlaps, room_timeline, yields

WARNING = Severity.WARNING


@dataclass
class Checked:
    program: Program
    report: Report  # warnings only: errors raise
    source: SourceMap
    images: dict = field(default_factory=dict)  # path as written -> images.Image, checked
    image_places: dict = field(default_factory=dict)  # path as written -> where the program first names it
    engine: engines.EngineChoice = engines.EngineChoice(engines.PDFLATEX, "")


def check_program(path: Path, display: str | None = None, engine: str = engines.AUTO) -> Checked:
    """Read, type-check and schedule-check a program, find its images beside it and choose the TeX
    engine that prints it (ENGINE: auto or the one asked for). Raises ProgramError with every error found."""
    from .images import program_folder, program_images

    loaded = load_program_data(path, display)
    program, report = validate_loaded(loaded, engine)
    images, problems, places = program_images(loaded.data, program_folder(path), loaded.source)
    if problems:
        raise ProgramError(sorted(problems, key=lambda d: (d.line, d.col)) + report.warnings)
    return Checked(program, report, loaded.source, images, places,
                   engines.choose(engine, printed_characters(loaded.data)))


def load_and_validate(path: Path, display: str | None = None) -> tuple[Program, Report]:
    checked = check_program(path, display)
    return checked.program, checked.report


def validate_loaded(loaded: Loaded, engine: str = engines.AUTO) -> tuple[Program, Report]:
    report = Report()
    report.extend(loaded.warnings)
    if not isinstance(loaded.data, dict):
        report.add(loaded.source.diagnostic((), "a program file is a mapping of fields "
                                                "(name:, year:, rooms:, days:, ...) at the top level",
                                              rules.INVALID_VALUE))
        raise ProgramError(report.sorted())
    # Characters first and always: a chair wants every problem of the file in one run.
    report.extend(unprintable_characters(loaded.data, loaded.source, engine))
    try:
        program = Program.model_validate(loaded.data)
    except ValidationError as exc:
        report.extend(_translate(error, loaded) for error in exc.errors(include_url=False))
        raise ProgramError(report.sorted()) from None
    if not report.ok:
        raise ProgramError(report.sorted())
    report.extend(ScheduleChecker(program, loaded.source).run())
    if not report.ok:
        raise ProgramError(report.sorted())
    return program, report


# Fields that no PDF prints (they go to the calendar, or nowhere): a paper's or inline talk's
# abstract, its people's biographies, its language and topics. An emoji there must not stop a build.
_UNPRINTED = {"abstract", "biography", "language", "topics"}


def printed_texts(data: Any) -> list[tuple[tuple, str]]:
    """(path, text) for every string of the program that some PDF prints, in the file's order.

    A string is unprinted when its path is in a talk (under `papers` or a `talks` list) and passes
    through one of _UNPRINTED's fields; both only grow along a path, so a subtree is skipped at
    the first node where both hold."""
    found: list[tuple[tuple, str]] = []

    def walk(value: Any, path: tuple, in_talk: bool, unprinted_field: bool) -> None:
        if in_talk and unprinted_field:
            return
        if isinstance(value, str):
            found.append((path, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,), in_talk or key == "talks" or (not path and key == "papers"),
                     unprinted_field or (isinstance(key, str) and key in _UNPRINTED))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, path + (index,), in_talk, unprinted_field)

    walk(data, (), False, False)
    return found


def printed_characters(data: Any) -> dict[str, str]:
    """Each non-ASCII character the PDFs print -> where it first occurs ('papers[2].title')."""
    found: dict[str, str] = {}
    for path, text in printed_texts(data):
        if not text.isascii():
            for ch in text:
                if not ch.isascii() and ch not in found:
                    found[ch] = _dotted(path)
    return found


def _dotted(path: tuple) -> str:
    return "".join(f"[{key}]" if isinstance(key, int) else (f".{key}" if index else str(key))
                   for index, key in enumerate(path))


def unprintable_characters(data: Any, source: SourceMap, engine: str = engines.AUTO):
    """Every printed text that holds a character that ENGINE (auto: either engine) cannot print
    exactly: an error, before TeX runs."""
    for path, text in printed_texts(data):
        if text.isascii():
            continue
        bad = [ch for ch in dict.fromkeys(text) if not engines.can_set(ch, engine)]
        if bad:
            more = f" (and {len(bad) - 1} more character{'s' if len(bad) > 2 else ''}: "  \
                   f"{', '.join(describe(ch) for ch in bad[1:4])})" if len(bad) > 1 else ""
            yield source.diagnostic(path, f"{engines.why_not(bad[0], engine)}{more}", rules.UNPRINTABLE_CHARACTER)


# --- stage 1: pydantic errors, in the program chair's words ------------------------------------


def _translate(error: dict, loaded: Loaded):
    source = loaded.source
    path, parent_model = _data_path(error["loc"], loaded.data)
    kind = error["type"]
    given = _describe(error.get("input"))
    if kind == "extra_forbidden":
        name = path[-1]
        allowed = sorted(parent_model.model_fields) if parent_model else []
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed fields: {', '.join(allowed)}"
        return source.diagnostic(path, f"unknown field '{name}'; {hint}", rules.UNKNOWN_FIELD, key=True)
    if kind == "missing":
        return source.diagnostic(path, f"required field '{path[-1]}' is missing; add it", rules.MISSING_FIELD)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = error.get("ctx", {}).get("expected_tags", "")
        if kind == "union_tag_not_found":
            return source.diagnostic(path, f"missing 'kind'; add kind: one of {expected}", rules.UNKNOWN_KIND)
        tag = error.get("ctx", {}).get("tag", "")
        close = difflib.get_close_matches(tag, [t.strip(" '") for t in expected.split(",")], n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {expected}"
        return source.diagnostic(path + ("kind",), f"unknown kind '{tag}'; {hint}", rules.UNKNOWN_KIND)
    messages = {
        "bool_parsing": f"expected true or false, got {given}",
        "bool_type": f"expected true or false, got {given}",
        "int_parsing": f"expected a whole number, got {given}",
        "int_type": f"expected a whole number, got {given}",
        "date_from_datetime_parsing": f"expected a date written YYYY-MM-DD, got {given}",
        "date_parsing": f"expected a date written YYYY-MM-DD, got {given}",
        "date_type": f"expected a date written YYYY-MM-DD, got {given}",
        "string_type": f"expected text, got {given}",
        "list_type": f"expected a list (one '- ' item per line), got {given}",
        "dict_type": f"expected a mapping of fields, got {given}",
        "model_type": f"expected a mapping of fields, got {given}",
        "model_attributes_type": f"expected a mapping of fields, got {given}",
        "string_too_short": "must not be empty",
        "string_pattern_mismatch": f"{given} is not a valid id; use letters, digits, '-', '_' or '.'",
        "literal_error": f"expected {error.get('ctx', {}).get('expected', '')}, got {given}",
        "less_than_equal": f"must be at most {error.get('ctx', {}).get('le')}, got {given}",
        "greater_than_equal": f"must be at least {error.get('ctx', {}).get('ge')}, got {given}",
    }
    if kind == "too_short":
        message = f"needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)"
    elif kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    else:
        message = messages.get(kind, error["msg"])
    return source.diagnostic(path, message, rules.INVALID_VALUE)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _data_path(loc: tuple, data: Any) -> tuple[tuple, type[BaseModel] | None]:
    """Map pydantic's error location onto the YAML data, and find the model owning the last key.

    Pydantic inserts the discriminator's value into the location of a tagged-union member
    (``days.0.slots.2.session.talks``); such parts are not in the file and are skipped.
    """
    path: list = []
    node = data
    model: type[BaseModel] | None = Program
    owner: type[BaseModel] | None = Program
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            path.append(part)
            node = node[part] if part < len(node) else None
            model = _item_model(model)
            continue
        if isinstance(node, dict) and node.get("kind") == part and (isinstance(model, list) or part not in node):
            model = _union_member(model, part)  # the tag, not a key (`kind: posters` has `posters:` too)
            continue
        owner = model
        path.append(part)
        node = node.get(part) if isinstance(node, dict) else None
        model = _field_model(model, part)
    return tuple(path), owner


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional / Union / Annotated / list."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _field_model(model: Any, name: Any) -> Any:
    if isinstance(model, list):  # a union awaiting its tag
        return None
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    info = model.model_fields.get(name)
    if info is None:
        return None
    candidates = [t for t in _unwrap(info.annotation) if t is not type(None)]
    if len(candidates) == 1:
        return candidates[0]
    return candidates


def _item_model(annotation: Any) -> Any:
    if typing.get_origin(annotation) is list:
        items = [t for t in _unwrap(typing.get_args(annotation)[0]) if t is not type(None)]
        return items[0] if len(items) == 1 else items
    return None


def _union_member(model: Any, tag: str) -> Any:
    for member in model if isinstance(model, list) else []:
        kind = member.model_fields.get("kind")
        if kind is not None and tag in typing.get_args(kind.annotation):
            return member
    return None


# --- stage 2: the schedule as a program chair reads it ------------------------------------------


class ScheduleChecker:
    def __init__(self, program: Program, source: SourceMap):
        self.program = program
        self.source = source
        self.out = []

    def error(self, path, code, message):
        self.out.append(self.source.diagnostic(path, message, code))

    def warn(self, path, code, message):
        self.out.append(self.source.diagnostic(path, message, code, severity=WARNING))

    def line_of(self, path) -> int:
        return self.source.position(path)[0]

    def run(self):
        self.check_unique_ids()
        self.check_days()
        papers_used = self.check_references()
        for day_index, day in enumerate(self.program.days):
            for slot_index, slot in enumerate(day.slots):
                self.check_slot(day_index, slot_index, slot)
            self.check_rooms_of_day(day_index, day)
        if not any(d.is_error for d in self.out):  # people are matched through resolved papers
            self.check_people()
        for index, paper in enumerate(self.program.papers):
            if paper.id not in papers_used:
                self.warn(("papers", index), rules.UNSCHEDULED_PAPER,
                          f"paper '{paper.id}' is scheduled nowhere; "
                          "add it to a session's talks or a poster session")
        return self.out

    def check_unique_ids(self):
        seen: dict[str, tuple] = {}
        entries = [(("rooms", i), r.id) for i, r in enumerate(self.program.rooms)]
        entries += [(("papers", i), p.id) for i, p in enumerate(self.program.papers)]
        entries += [(("days", d, "slots", i), s.id) for d, day in enumerate(self.program.days)
                    for i, s in enumerate(day.slots) if s.id]
        for path, ident in entries:
            if ident in seen:
                self.error(path + ("id",), rules.DUPLICATE_ID,
                           f"duplicate id '{ident}' (also on line "
                           f"{self.line_of(seen[ident] + ('id',))}); ids must be unique")
            else:
                seen[ident] = path

    def check_days(self):
        seen: dict = {}
        for index, day in enumerate(self.program.days):
            if day.date in seen:
                self.error(("days", index, "date"), rules.DUPLICATE_DAY,
                           f"day {day.date.isoformat()} is listed twice (also "
                           f"days[{seen[day.date]}]); put its slots in one day")
            seen.setdefault(day.date, index)

    def check_references(self) -> set[str]:
        papers = self.program.paper_by_id()
        rooms = self.program.room_by_id()
        tracks = self.program.track_by_id()
        used: set[str] = set()
        for index, paper in enumerate(self.program.papers):
            if paper.track is not None and paper.track not in tracks:
                known = f"; tracks: {', '.join(tracks)}" if tracks else "; define it under `tracks:`"
                self.error(("papers", index, "track"), rules.UNKNOWN_REFERENCE,
                           f"no track with id '{paper.track}'{_suggest(paper.track, tracks) or known}")
        for d, day in enumerate(self.program.days):
            for i, slot in enumerate(day.slots):
                base = ("days", d, "slots", i)
                named = [(("room",), slot.room)] if slot.room is not None else \
                    [(("rooms", r), room) for r, room in enumerate(slot.rooms or [])]
                for sub, room in named:
                    if room not in rooms:
                        self.error(base + sub, rules.UNKNOWN_REFERENCE,
                                   f"no room with id '{room}'{_suggest(room, rooms)}")
                if slot.track is not None and slot.track not in tracks:
                    known = f"; tracks: {', '.join(tracks)}" if tracks else "; define it under `tracks:`"
                    self.error(base + ("track",), rules.UNKNOWN_REFERENCE,
                               f"no track with id '{slot.track}'{_suggest(slot.track, tracks) or known}")
                for sub, ident in slot.paper_refs():
                    used.add(ident)
                    if ident not in papers:
                        self.error(base + sub + ("paper",), rules.UNKNOWN_REFERENCE,
                                   f"no paper with id '{ident}'"
                                   f"{_suggest(ident, papers)}")
        return used

    def check_slot(self, d: int, i: int, slot):
        base = ("days", d, "slots", i)
        if duration(slot.start, slot.end) <= 0:
            self.error(base + ("end",), rules.TIME_ORDER,
                       f"ends at {_t(slot.end)}, not after its start {_t(slot.start)}")
            return
        if isinstance(slot, PaperSession):
            self.check_talks(base, slot)

    def check_talks(self, base, session: PaperSession):
        if not session.talks:
            self.error(base + ("talks",), rules.SESSION_WITHOUT_TALKS,
                       f"session '{session.title}' has no talks; add talks, or make "
                       "it `kind: other` if it is not a paper session")
            return
        if session.untimed:
            return  # the talks share the session's span in order: nothing to check
        untimed = [t for t, talk in enumerate(session.talks) if not talk.timed]
        if untimed:
            self.error(base + ("talks", untimed[0]), rules.TALK_OVERLAP,
                       "this talk has no times but others in the session do; give every talk of the "
                       "session `start` and `end`, or none (they then share the session's span)")
            return
        bad = False
        for t, talk in enumerate(session.talks):
            path = base + ("talks", t)
            if duration(talk.start, talk.end) <= 0:
                self.error(path + ("end",), rules.TIME_ORDER,
                           f"ends at {_t(talk.end)}, not after its start {_t(talk.start)}")
                bad = True
            elif minutes(talk.start) < minutes(session.start) or minutes(talk.end) > minutes(session.end):
                self.error(path + ("start",), rules.TALK_OUTSIDE_SESSION,
                           f"talk {_t(talk.start)}-{_t(talk.end)} lies outside its "
                           f"session {_t(session.start)}-{_t(session.end)}")
                bad = True
        if bad:
            return
        order = sorted(range(len(session.talks)), key=lambda t: minutes(session.talks[t].start))
        cursor, cursor_path = session.start, base + ("start",)
        for t in order:
            talk = session.talks[t]
            path = base + ("talks", t, "start")
            if minutes(talk.start) < minutes(cursor):
                self.error(path, rules.TALK_OVERLAP,
                           f"talk starts at {_t(talk.start)}, before the previous talk ends "
                           f"at {_t(cursor)} (line {self.line_of(cursor_path)})")
            elif minutes(talk.start) > minutes(cursor):
                self.warn(path, rules.UNUSED_SESSION_TIME,
                          f"{duration(cursor, talk.start)} min of the session unused before this "
                          f"talk ({_t(cursor)}-{_t(talk.start)})")
            if minutes(talk.end) > minutes(cursor):
                cursor, cursor_path = talk.end, base + ("talks", t, "end")
        if minutes(cursor) < minutes(session.end):
            self.warn(base + ("end",), rules.UNUSED_SESSION_TIME,
                      f"talks end at {_t(cursor)} but the session runs to "
                      f"{_t(session.end)}: {duration(cursor, session.end)} min unused")

    def check_rooms_of_day(self, d: int, day):
        """Gaps and overlaps room by room, among the rooms in use that day; a room-less slot is in
        every one of them. A gap before a room-less slot is reported once, and only when every room
        has it (a room that simply starts later is no gap); an overlap names its rooms."""
        in_use = [room.id for room in self.program.rooms
                  if any(room.id in slot.room_ids for slot in day.slots)] or [None]
        names = self.program.room_by_id()
        gaps: dict[int, list[tuple[int, Placed]]] = {}  # later slot -> (minutes, earlier) per room
        overlapping: dict[tuple[int, int], list[str | None]] = {}
        for room in in_use:
            timeline = room_timeline(d, day, room)
            # A room's day runs from its first to its last slot of its own: before and after, a
            # room that opens late or closes early is simply not in use (no gap to report).
            own = [i for i, placed in enumerate(timeline) if room is None or room in placed.slot.room_ids]
            first, last = (own[0], own[-1]) if own else (0, -1)
            for position, (a, b) in enumerate(zip(timeline, timeline[1:])):
                if room is not None and not first <= position < last:
                    if b.slot.room_ids:
                        continue
                if duration(a.slot.start, a.slot.end) > 0 and minutes(b.slot.start) > minutes(a.slot.end):
                    gaps.setdefault(b.index, []).append((duration(a.slot.end, b.slot.start), a))
            for x, a in enumerate(timeline):
                for b in timeline[x + 1:]:
                    if minutes(b.slot.start) >= minutes(a.slot.end):
                        break  # the timeline is sorted by start: nothing later overlaps `a`
                    if overlaps(a.slot.start, a.slot.end, b.slot.start, b.slot.end) and \
                            not yields(a.slot, b.slot) and not yields(b.slot, a.slot):
                        overlapping.setdefault((a.index, b.index), []).append(room)
        for later, found in sorted(gaps.items()):
            slot = day.slots[later]
            if not slot.room_ids and len(found) < len(in_use):
                continue  # some room runs right up to this plenary slot
            length, earlier = min(found, key=lambda f: f[0])
            self.warn(("days", d, "slots", later, "start"), rules.SCHEDULE_GAP,
                      f"gap of {length} min before this slot ({_t(earlier.slot.end)}-{_t(slot.start)}, after "
                      f"'{_slot_name(earlier.slot)}')")
        for (first, second), where in sorted(overlapping.items()):
            a_slot, b_slot = day.slots[first], day.slots[second]
            later, earlier = (second, first) if minutes(b_slot.start) >= minutes(a_slot.start) else (first, second)
            other = day.slots[earlier]
            one_room = len(self.program.rooms) == 1
            place = "in the same room" if one_room or where == [None] else \
                "in " + ", ".join(names[room].name for room in where) if len(where) < 4 else \
                f"in {len(where)} rooms"
            roomless = not (day.slots[later].room_ids and other.room_ids)
            self.error(("days", d, "slots", later, "start"), rules.ROOM_OVERLAP,
                       f"overlaps '{_slot_name(other)}' ({_t(other.start)}-{_t(other.end)}, "
                       f"line {self.line_of(('days', d, 'slots', earlier))}) {place}"
                       + ("; a slot without a room spans every room in use that day (or mark a "
                          "long-running item `ongoing: true`)" if roomless and not one_room else ""))

    def check_people(self):
        """One person chairing or presenting in two places at once: a warning, for the chair to fix."""
        papers = self.program.paper_by_id()
        for d, day in enumerate(self.program.days):
            busy: dict[str, list[tuple[int, int, int, str]]] = {}  # name -> (start, end, slot, what)
            for i, slot in enumerate(day.slots):
                if slot.ongoing:
                    continue
                for person in slot.people():
                    busy.setdefault(person.name, []).append(
                        (minutes(slot.start), minutes(slot.end), i, _slot_name(slot)))
                if isinstance(slot, PaperSession):
                    for talk in slot.talk_items(papers):
                        presenter = talk.presenter or (talk.people[0].name if len(talk.people) == 1 else None)
                        if presenter:
                            busy.setdefault(presenter, []).append(
                                (minutes(talk.start), minutes(talk.end), i, f"the talk '{talk.title}'"))
            for name, spans in busy.items():
                spans.sort()
                for x, (start, end, slot, what) in enumerate(spans):
                    clash = next((s for s in spans[x + 1:] if s[0] < end and s[2] != slot), None)
                    if clash:
                        self.warn(("days", d, "slots", clash[2]), rules.DOUBLE_BOOKED,
                                  f"{name} is in two places at once: {clash[3]} "
                                  f"({_t(_clock(clash[0]))}-{_t(_clock(clash[1]))}) and "
                                  f"{what} ({_t(_clock(start))}-{_t(_clock(end))}, line "
                                  f"{self.line_of(('days', d, 'slots', slot))})")
                        break


def _clock(value: int) -> ClockTime:
    return ClockTime(value)


def _t(clock) -> str:
    return format_clock(clock)


def _slot_name(slot) -> str:
    return shortened(getattr(slot, "title", None) or slot.kind)


def _suggest(name: str, known) -> str:
    """A did-you-mean for an id; ids are compared case-folded since case slips are the usual typo."""
    folded = {ident.casefold(): ident for ident in known}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return f"; did you mean '{folded[close[0]]}'?" if close else ""
