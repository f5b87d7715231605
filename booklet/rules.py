"""The classes of problem booklet reports, each with a stable code.

A code names a class of diagnostic, not one message: messages may be reworded, codes may not. CI
scripts and editors match on them (`booklet validate --format json`), and the README lists them.
Codes are never reused for another meaning; a retired class keeps its number unused.

B0xx  the file itself (reading, YAML)       B1xx  fields and values (the model)
B2xx  the schedule (errors)                 B3xx  the schedule (warnings)
B4xx  the build (templates, TeX, preflight)  B5xx  imports from other tools
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str


_ALL = [
    Rule("B001", "unreadable-file", "the program file is missing, not a regular file, too large or not UTF-8"),
    Rule("B002", "yaml-syntax", "the file is not valid YAML"),
    Rule("B003", "duplicate-key", "a field is given twice in one mapping"),
    Rule("B004", "input-limit", "nesting, alias expansion or size beyond booklet's limits"),
    Rule("B005", "invisible-character", "an invisible or control character was removed (warning)"),
    Rule("B101", "unknown-field", "a field booklet does not know (often a typo)"),
    Rule("B102", "missing-field", "a required field is missing"),
    Rule("B103", "invalid-value", "a value of the wrong type or form (time, date, id, number, ...)"),
    Rule("B104", "unknown-kind", "a slot's kind is missing or not one booklet knows"),
    Rule("B105", "unprintable-character", "a character the booklet's fonts cannot print"),
    Rule("B106", "bad-image", "an image that is missing, outside the program's folder, too large or not PNG/JPEG/PDF"),
    Rule("B201", "duplicate-id", "two rooms, papers or slots share an id"),
    Rule("B202", "duplicate-day", "the same date is listed as two days"),
    Rule("B203", "unknown-reference", "a slot names a room or paper that is not defined"),
    Rule("B204", "time-order", "something ends at or before its start"),
    Rule("B205", "talk-outside-session", "a talk lies outside its session's times"),
    Rule("B206", "talk-overlap", "a talk starts before the previous talk of its session ends"),
    Rule("B207", "session-without-talks", "a paper session lists no talks"),
    Rule("B208", "room-overlap", "two slots overlap in the same room"),
    Rule("B301", "schedule-gap", "unscheduled time between two slots of a room (warning)"),
    Rule("B302", "unused-session-time", "session time that no talk uses (warning)"),
    Rule("B303", "unscheduled-paper", "a paper that no session or poster session lists (warning)"),
    Rule("B304", "double-booked-person", "someone chairs or presents in two places at once (warning)"),
    Rule("B305", "low-resolution-image", "a raster image printed below 200 dpi (warning)"),
    Rule("B401", "template-error", "a template is missing, invalid or failed to render"),
    Rule("B402", "latex-error", "LaTeX stopped with an error while typesetting"),
    Rule("B403", "sheet-overflow", "a chair sheet does not fit on one page"),
    Rule("B404", "preflight-failure", "a finished PDF failed a preflight check"),
    Rule("B405", "glance-overflow", "a slot does not fit in the timetable grid even in the smallest type"),
    Rule("B406", "output-busy", "another build is writing to the output folder (--no-wait)"),
    Rule("B407", "unsafe-template", "a user's template reads files, or could spell a command that does"),
    Rule("B408", "output-not-empty", "the output folder holds files booklet did not write (--force builds anyway)"),
    Rule("B501", "export-invalid", "an export is unreadable, not the expected format, or holds nothing to import"),
    Rule("B502", "import-decision", "the import needs a person's decision (a time zone, an event it cannot place)"),
    Rule("B503", "import-note", "an import left something out or changed it, and says what (warning)"),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _ALL}

UNREADABLE_FILE, YAML_SYNTAX, DUPLICATE_KEY, INPUT_LIMIT, INVISIBLE_CHARACTER = (
    "B001", "B002", "B003", "B004", "B005")
UNKNOWN_FIELD, MISSING_FIELD, INVALID_VALUE, UNKNOWN_KIND, UNPRINTABLE_CHARACTER, BAD_IMAGE = (
    "B101", "B102", "B103", "B104", "B105", "B106")
DUPLICATE_ID, DUPLICATE_DAY, UNKNOWN_REFERENCE, TIME_ORDER = "B201", "B202", "B203", "B204"
TALK_OUTSIDE_SESSION, TALK_OVERLAP, SESSION_WITHOUT_TALKS, ROOM_OVERLAP = "B205", "B206", "B207", "B208"
SCHEDULE_GAP, UNUSED_SESSION_TIME, UNSCHEDULED_PAPER, DOUBLE_BOOKED = "B301", "B302", "B303", "B304"
LOW_RESOLUTION = "B305"
TEMPLATE_ERROR, LATEX_ERROR, SHEET_OVERFLOW, PREFLIGHT_FAILURE, GLANCE_OVERFLOW, OUTPUT_BUSY = (
    "B401", "B402", "B403", "B404", "B405", "B406")
UNSAFE_TEMPLATE, OUTPUT_NOT_EMPTY = "B407", "B408"
EXPORT_INVALID, IMPORT_DECISION, IMPORT_NOTE = "B501", "B502", "B503"


def rule_name(code: str) -> str:
    rule = RULES.get(code)
    return rule.name if rule else ""


def rules_table() -> str:
    """The codes as a Markdown table (the README's copy is checked against it by a test)."""
    rows = [f"| `{rule.code}` | `{rule.name}` | {rule.summary} |" for rule in _ALL]
    return "\n".join(["| code | rule | what it means |", "| --- | --- | --- |", *rows])
