"""What every importer shares: clean text, real people, and one way to write and check the result.

An importer reads an export into a program (a plain dict) and an `ImportLog` of what it decided
on the way. `finish` then writes the program with the one YAML writer, reads the written text
back through booklet's own validation, and reports both: the importer's notes and decisions, then
the program's diagnostics. Nothing is written silently: an export that yields nothing is an error
before any file is touched, and a program that needs a person's decision is still written (so it
can be fixed) but the command exits 1 and says what to decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from . import rules
from .diagnostics import Diagnostic, ProgramError, Severity

# Names that stand for nobody yet. Compared after case folding and without punctuation.
_PLACEHOLDERS = {"tba", "tbd", "tbc", "nn", "n n", "to be announced", "to be determined", "to be confirmed",
                 "speaker tba", "speaker tbd", "various", "various speakers", "anonymous", "unknown", "none",
                 "n a", "na", "tba tba", "to be decided"}


def is_placeholder(name: str) -> bool:
    """True for 'To be announced', 'TBA', 'N.N.' and the like: names that are no person's."""
    return " ".join(re.findall(r"[^\W_]+", name.casefold())) in _PLACEHOLDERS


def as_list(value) -> list:
    """VALUE when it is a list, else an empty one: an export's field may hold anything."""
    return value if isinstance(value, list) else []


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def one_line(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


class _TextOnly(HTMLParser):
    """The text of an HTML fragment (pentabarf and some pretalx instances export HTML abstracts)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("p", "br", "li", "div", "h1", "h2", "h3", "h4", "tr"):
            self.parts.append("\n\n" if tag != "br" else " ")


def _html_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def plain_text(markdown: str | None) -> str | None:
    """Markdown (with any HTML in it) as plain paragraphs: what a printed page or a calendar shows.
    Emphasis, links and code keep their words; images, markup and line-wrapping go."""
    if not markdown or not markdown.strip():
        return None
    from markdown_it import MarkdownIt

    paragraphs: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown.replace("\r\n", "\n")):
        if token.type == "inline":
            words = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
                # html_inline is a tag alone; the words between tags come as text tokens
            paragraphs.append("".join(words))
        elif token.type in ("html_block", "code_block", "fence"):
            paragraphs.extend((_html_text(token.content) if token.type == "html_block" else token.content)
                              .split("\n\n"))
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    text = "\n\n".join(p for p in paragraphs if p)
    return text or None


def skeleton_program(papers: list[dict], posters: list[str], tracks: list[str], *, name: str,
                     acronym: str | None, year: int, day) -> dict:
    """A valid program for imported papers, ready for the chair to schedule: one room, one day
    with registration and, when some papers are posters, a poster session listing them."""
    slots = [{"kind": "registration", "start": "08:30", "end": "09:00", "title": "Registration"}]
    if posters:
        slots.append({"kind": "posters", "start": "17:00", "end": "18:30", "title": "Poster Session",
                      "posters": [{"paper": ident} for ident in posters]})
    return {"name": name, **({"acronym": acronym} if acronym else {}), "year": year, "timezone": "UTC",
            "rooms": [{"id": "main", "name": "Main room"}],
            **({"tracks": [{"id": track, "name": track} for track in tracks]} if tracks else {}),
            "days": [{"date": day.isoformat(), "slots": slots}], "papers": papers}


@dataclass
class ImportLog:
    """What an importer noticed, for the person running it: notes (warnings) and decisions (errors
    that the written program carries until a person settles them)."""

    export: Path
    items: list[Diagnostic] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def note(self, message: str, where: str = "") -> None:
        self.items.append(Diagnostic(str(self.export), 0, 0, Severity.WARNING, where, message, rules.IMPORT_NOTE))

    def decide(self, message: str, where: str = "") -> None:
        self.items.append(Diagnostic(str(self.export), 0, 0, Severity.ERROR, where, message, rules.IMPORT_DECISION))

    def refuse(self, message: str) -> ProgramError:
        """The export gives nothing to write: an error before any file is touched."""
        return ProgramError(Diagnostic(str(self.export), 0, 0, Severity.ERROR, "", message, rules.EXPORT_INVALID))


@dataclass
class Outcome:
    text: str  # the program file
    diagnostics: list[Diagnostic]  # the importer's, then the written program's

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def finish(program: dict | str, header: str, log: ImportLog, display: str) -> Outcome:
    """PROGRAM written as YAML (or, from `--merge`, already written) and read back through
    booklet's validation, as DISPLAY names it."""
    from .load import parse_program_text
    from .validate import validate_loaded
    from .yaml_out import dump_program

    text = program if isinstance(program, str) else dump_program(program, header)
    try:
        _, report = validate_loaded(parse_program_text(text, display))
        checked = report.sorted()
    except ProgramError as exc:
        checked = exc.diagnostics
    return Outcome(text, [*log.items, *checked])
