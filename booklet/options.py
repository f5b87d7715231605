"""What a build is asked to do and what it answers: plain records, cheap to import, so that the
command line can ask whether OUT is up to date (fresh.py) before loading the build's machinery."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .tex.engine import DEFAULT_TIMEOUT
from .tex.engines import AUTO

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .pdf.preflight import FileReport
    from .tex.engines import EngineChoice


@dataclass(frozen=True)
class OutputOptions:
    """The build options that decide what the outputs look like (recorded in the manifest)."""

    paper: str = "a5"
    sheet_paper: str = "a4"
    time_cards: bool = False
    impose: bool = True
    sign_paper: str = "a4"
    engine: str = "pdflatex"  # the engine that ran (a build's --engine auto chooses one)

    def as_json(self) -> dict:
        return {"paper": self.paper, "sheet_paper": self.sheet_paper, "time_cards": self.time_cards,
                "impose": self.impose, "sign_paper": self.sign_paper, "engine": self.engine}


@dataclass
class BuildOptions:
    program: Path
    out: Path
    paper: str = "a5"
    sheet_paper: str = "a4"
    time_cards: bool = False
    impose: bool = True
    templates: Path | None = None
    keep_tex: bool = False
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False
    strict: bool = False  # warnings fail the build, before TeX runs (CI use)
    wait: bool = True  # for another build writing to OUT; False: fail at once
    sign_paper: str = "a4"
    since: Path | None = None  # an earlier program: OUT/changes.pdf says what changed since
    engine: str = AUTO  # auto, pdflatex or lualatex (tex/engines.py)

    @property
    def output_options(self) -> OutputOptions:
        """The options that decide what the files look like (recorded in the manifest, part of both
        keys); the engine is the one asked for, until the program has chosen one (the build replaces it)."""
        return OutputOptions(self.paper, self.sheet_paper, self.time_cards, self.impose, self.sign_paper, self.engine)


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    tex_warnings: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    passes: int = 0
    reports: list[FileReport] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False
    engine: EngineChoice | None = None
    preflight_peak_kb: int = 0  # the largest peak memory of the preflight's processes (pdf/checker.py)
    sheets_typeset: int = 0  # chair sheets typeset by this build; the others were the last build's
