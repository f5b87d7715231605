"""Every file a build writes, declared once: the registry of outputs.

A typeset output is a `TexDocument`: one module here and one template. It says what it is made
from (`view`: None when the program gives it nothing to print), how it is rendered
(`template_context`), what it says about itself (`info`), what the preflight must find in it
(`expectations`), how it is typeset (`typeset`: the chair sheets typeset only what changed),
what is derived from its PDF (`derive`: the imposed booklet, each session's sheet) and what it
keeps for the next build (`after_publish`). The build runs every document the registry lists in a
lane of its own (outputs.py), `booklet check` rechecks them from the same declarations, and the
names a build may write at the top of OUT come from here too. Adding an output is adding a module
to DOCUMENTS.

    booklet       program.pdf, program-imposed.pdf   booklet.tex.j2       documents/booklet.py
    chair sheets  chair-sheets.pdf, sessions/*.pdf   chair-sheets.tex.j2  documents/chair_sheets.py
    door signs    door-signs.pdf                     door-signs.tex.j2    documents/door_signs.py
    changes       changes.pdf (build --since OLD)    changes.tex.j2       documents/changes.py
    calendar      program.ics                        (icalendar)          calendar.py
    manifest      manifest.json                      (json)               checks.py
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..options import OutputOptions
    from ..model import Program
    from ..pdf.finish import DocumentInfo
    from ..pdf.preflight import FileExpectation, ReadCache
    from ..tex.engine import TexRun
    from ..views import BookletView

Staged = tuple[Path, Path]  # a finished file in the work folder, and where it goes in OUT


@dataclass
class Inputs:
    """What every document of one build is made from."""

    program: Program
    options: OutputOptions
    epoch: int  # the build's date (SOURCE_DATE_EPOCH or the program file's)
    version: str  # the program's `version:`, or one made from its date and content
    view: BookletView  # the booklet's view: the door signs and the calendar read it too
    since: Program | None = None  # `build --since OLD`: the program the changes sheet compares with
    since_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # per-document views, made once


class TexDocument:
    """One typeset output. Subclasses set the class attributes and override what they need."""

    name: str  # "booklet"
    job: str  # the TeX job: OUT's file is f"{job}.pdf"
    template: str  # "booklet.tex.j2"
    styles: tuple[str, ...] = ("booklet.sty",)  # style files the template loads
    kind: str  # the preflight's kind for the main file
    max_passes: int = 1  # the booklet reruns until its references settle
    # The lane the build waits for (the booklet: two passes, then the longest checks). The others
    # have time to spare, so their TeX, readers and checks yield the CPU to it (outputs.py).
    paces_the_build: bool = False
    derived_names: tuple[str, ...] = ()  # other names at the top of OUT it may write

    @property
    def file(self) -> str:
        return f"{self.job}.pdf"

    @property
    def own_names(self) -> set[str]:
        return {self.file, *self.derived_names}

    def view(self, inputs: Inputs):
        """What the template prints, or None when the program gives this document nothing to print."""
        raise NotImplementedError

    def template_context(self, inputs: Inputs, view) -> dict:
        raise NotImplementedError

    def info(self, inputs: Inputs, view) -> DocumentInfo:
        raise NotImplementedError

    def expectations(self, inputs: Inputs, view, pages: int | None) -> list[FileExpectation]:
        """The main file's expectation first; PAGES is its page count once typeset (None before)."""
        raise NotImplementedError

    def checked_files(self, inputs: Inputs, view, pages: int | None) -> list[FileExpectation]:
        """The expectations, each also asking for the program's version in the document information
        (and read as the engine's output is best read)."""
        found = self.expectations(inputs, view, pages)
        for expectation in found:
            expectation.version = inputs.version
            expectation.shaped = inputs.options.engine == "lualatex"
        return found

    def typeset(self, lane, job) -> TexRun:
        """JOB's LaTeX through TeX (LANE: the running outputs): its own file is TeX's PDF."""
        return lane.compile(job)

    def after_tex(self, run: TexRun, view, inputs: Inputs, source) -> None:
        """Checks on TeX's own report (what did not fit); raise ProgramError to fail the build."""

    def derive(self, lane, run: TexRun, view, cache: ReadCache) -> list[Staged]:
        """Files made from the typeset PDF (LANE: the running outputs, for work, out, progress)."""
        return []

    def after_publish(self, run: TexRun, out: Path) -> None:
        """Once the build's files are in OUT: what this document keeps for the next build."""


def general_chairs(program: Program) -> str:
    """Who signs the program's files (their PDF Author): the general chairs, else the event."""
    return ", ".join(m.name for m in program.general_chairs) or program.title


def document_info(inputs: Inputs, *, title: str, subject: str, keywords: str,
                  author: str | None = None) -> DocumentInfo:
    """A document's information: its own words, and what every output shares (booklet as creator,
    the build's date, the program's version, the general chairs as author unless AUTHOR is given)."""
    from .. import __version__
    from ..pdf.finish import DocumentInfo

    return DocumentInfo(title=title, author=author if author is not None else general_chairs(inputs.program),
                        subject=subject, keywords=keywords, creator=f"booklet {__version__}",
                        moment=inputs.epoch, version=inputs.version)


def documents() -> list[TexDocument]:
    """The registry, in the order the build starts them (the longest TeX run first)."""
    from .booklet import BOOKLET
    from .changes import CHANGES
    from .chair_sheets import CHAIR_SHEETS
    from .door_signs import DOOR_SIGNS

    return [BOOKLET, CHAIR_SHEETS, DOOR_SIGNS, CHANGES]


CALENDAR_FILE = "program.ics"
MANIFEST_FILE = "manifest.json"
SESSIONS_DIR = "sessions"
KEPT_TEX_DIR = "build"  # --keep-tex
FONTS_FILE = "booklet-fonts.tex"  # written by booklet/tex/fonts.py into the build folder (LuaLaTeX's fonts)


def own_names() -> set[str]:
    """What a build may write at the top of OUT; anything else there is somebody else's."""
    return {name for document in documents() for name in document.own_names} | {
        CALENDAR_FILE, MANIFEST_FILE, SESSIONS_DIR, KEPT_TEX_DIR}


def style_files() -> list[str]:
    return sorted({style for document in documents() for style in document.styles})
