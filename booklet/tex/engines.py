"""Which TeX engine sets a program: pdfLaTeX when it can print every character exactly, else LuaLaTeX.

`--engine auto` (the default) looks at every character a PDF prints: pdfLaTeX (Type 1 Libertine,
about three times faster) when each one is in its exact set (unicode.py), LuaLaTeX (OpenType
Libertinus with Noto for the other scripts, HarfBuzz shaping, right-to-left runs) when one is not.
The choice carries its reason, which the build summary prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fonts
from .unicode import describe, pdflatex_can_set

PDFLATEX = "pdflatex"
LUALATEX = "lualatex"
AUTO = "auto"
CHOICES = (AUTO, PDFLATEX, LUALATEX)


def can_set(ch: str, engine: str = AUTO) -> bool:
    """Whether ENGINE (or, for auto, either engine) prints CH exactly."""
    if ch.isascii() or (engine != LUALATEX and pdflatex_can_set(ch)):
        return True
    return engine != PDFLATEX and fonts.can_set(ch)


def why_not(ch: str, engine: str = AUTO) -> str:
    """Why CH cannot be printed, and what would print it: for `validate`'s message."""
    if engine == PDFLATEX and fonts.can_set(ch):
        return f"pdfLaTeX cannot print {describe(ch)} exactly; build with --engine auto (LuaLaTeX prints it)"
    missing = fonts.missing_files(ch)
    if missing:
        package = fonts.fonts_for(ch).package
        return (f"cannot print {describe(ch)}: its font {missing[0]} is not installed "
                f"(Debian package {package}; `make setup` installs it)")
    return f"cannot print {describe(ch)}: no font of the booklet has it; remove or replace it"


@dataclass(frozen=True)
class EngineChoice:
    engine: str
    reason: str


def choose(requested: str, printed: dict[str, str]) -> EngineChoice:
    """The engine for a program whose printed text holds PRINTED (character -> where it first
    occurs, as 'papers[3].title'). Characters no engine prints were refused by validation already."""
    if requested == PDFLATEX:
        return EngineChoice(PDFLATEX, "asked for with --engine pdflatex")
    beyond = [ch for ch in printed if not pdflatex_can_set(ch)]
    if requested == LUALATEX:
        return EngineChoice(LUALATEX, "asked for with --engine lualatex")
    if not beyond:
        return EngineChoice(PDFLATEX, "pdfLaTeX prints every character of the program exactly")
    first = beyond[0]
    more = f" and {len(beyond) - 1} more" if len(beyond) > 1 else ""
    return EngineChoice(LUALATEX, f"pdfLaTeX cannot print {describe(first)} (at {printed[first]}){more}")
