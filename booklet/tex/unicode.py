"""Which characters pdfLaTeX prints exactly, and how the escaped text reaches either engine.

pdfLaTeX is about three times faster than LuaLaTeX, so a program it can print is printed with it.
It can when every character is a real glyph of the Type 1 Libertine fonts that reads back as that
same character: `charset.TYPESET_RANGES`, found by tools/make_charset.py, which typesets every
candidate in every face (Latin in T1/TS1, Greek in LGR and Cyrillic in T2A through libertinegc) and
keeps those that extract exactly. A letter that pdfLaTeX could only build by stacking accents ("ễ",
"ā") is not among them: it would print, but read back as other characters ("Nguy˜ên", "ı̄"), so it
sends the build to LuaLaTeX (engines.py), whose OpenType fonts hold it.
Arrows, which titles use ("P4→NetFPGA"), come from newtxmath under pdfLaTeX (see booklet.sty).
Invisible characters (controls, zero-width, bidi controls) are removed by the loader with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .charset import TYPESET_RANGES

# Arrows pdfLaTeX sets from newtxmath (\bkmathsymbol in booklet.sty); they extract as the arrow.
ARROWS = {"→": "rightarrow", "←": "leftarrow", "↔": "leftrightarrow", "⇒": "Rightarrow"}

# Removed on reading, with a warning: they print nothing, or reorder text invisibly.
INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f",
             *(chr(c) for c in range(0x202A, 0x202F)), *(chr(c) for c in range(0x2066, 0x206A))}


@lru_cache(maxsize=1)
def _typeset_set() -> frozenset[str]:
    return frozenset(chr(code) for start, end in TYPESET_RANGES for code in range(start, end + 1))


def is_invisible(ch: str) -> bool:
    """Control characters (but tab and line breaks), zero-width and direction marks."""
    if ch in "\t\n\r":
        return False
    return ch in INVISIBLE or unicodedata.category(ch) == "Cc"


# The same sets as patterns, to look through a whole text at once: Unicode's control characters
# (Cc: U+0000-001F and U+007F-009F) but tab and line breaks, and those with INVISIBLE's marks.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
CONTROL_CHARACTER = re.compile(f"[{_CONTROLS}]")
INVISIBLE_CHARACTER = re.compile(f"[{_CONTROLS}{''.join(sorted(INVISIBLE))}]")


def pdflatex_can_set(ch: str) -> bool:
    return ch.isascii() or ch == "\u00a0" or ch in ARROWS or ch in _typeset_set()


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "CONTROL CHARACTER" if unicodedata.category(ch) == "Cc" else "UNNAMED")
    shown = ch if ch.isprintable() and not ch.isspace() else ""
    return f"'{shown}' (U+{ord(ch):04X} {name})" if shown else f"U+{ord(ch):04X} {name}"
