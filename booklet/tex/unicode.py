"""Which characters the booklet can print, and how each non-ASCII one reaches pdfLaTeX.

Three ways, tried in order:
1. `charset.TYPESET_RANGES`: characters the T1/TS1 Libertine fonts hold as real glyphs (found by
   tools/make_charset.py, which typesets every candidate and reads it back from the PDF);
2. Greek letters, set in newtxmath's upright Libertine Greek (acmart's own math fonts);
3. Latin letters with accents beyond T1 (Vietnamese "ễ", Latvian "ā", ...): the letter with TeX's
   accent commands stacked, as Unicode decomposes it.
Anything else (CJK, emoji, Cyrillic, symbols such as ✓) cannot be printed with these fonts, and
`validate` rejects it naming the field, the character and its code point, before TeX ever runs.
Invisible characters (controls, zero-width, bidi controls) are removed by the loader with a warning.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .charset import TYPESET_RANGES

# Combining marks TeX can put on a letter: the LaTeX accent command for each.
ACCENTS = {
    "\u0300": "\\`", "\u0301": "\\'", "\u0302": "\\^", "\u0303": "\\~", "\u0304": "\\=",
    "\u0306": "\\u", "\u0307": "\\.", "\u0308": '\\"', "\u030A": "\\r", "\u030B": "\\H",
    "\u030C": "\\v", "\u0323": "\\d", "\u0327": "\\c", "\u0328": "\\k", "\u0331": "\\b",
    "\u0326": "\\textcommabelow",
}
_BELOW = {"\u0323", "\u0327", "\u0328", "\u0331", "\u0326"}

# Greek in newtxmath's upright Libertine letters. Capitals shaped like Latin ones are Latin letters.
GREEK = {
    "α": "upalpha", "β": "upbeta", "γ": "upgamma", "δ": "updelta", "ε": "upvarepsilon", "ζ": "upzeta",
    "η": "upeta", "θ": "uptheta", "ι": "upiota", "κ": "upkappa", "λ": "uplambda", "μ": "upmu",
    "ν": "upnu", "ξ": "upxi", "π": "uppi", "ρ": "uprho", "ς": "upvarsigma", "σ": "upsigma",
    "τ": "uptau", "υ": "upupsilon", "φ": "upvarphi", "χ": "upchi", "ψ": "uppsi", "ω": "upomega",
    "ϑ": "upvartheta", "ϕ": "upphi", "ϖ": "upvarpi", "ϵ": "upepsilon", "ϱ": "upvarrho",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma",
    "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
# Arrows, which program titles use ("P4→NetFPGA"), from the same math fonts as the Greek letters;
# they extract as the Unicode arrow (pdfTeX's glyph-to-Unicode table) and go to bookmarks as it.
ARROWS = {"→": "rightarrow", "←": "leftarrow", "↔": "leftrightarrow", "⇒": "Rightarrow"}
MATH_SYMBOLS = {**GREEK, **ARROWS}

GREEK_AS_LATIN = {"ο": "o", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
                  "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X"}

# Letters T1 holds whose glyph PDF readers report as a look-alike: typeset with the command, and
# the preflight's text search treats the pair as equal.
EXTRACTS_AS = {"Đ": "Ð"}
_COMMANDS = {"Đ": "\\DJ{}"}

# Removed on reading, with a warning: they print nothing, or reorder text invisibly.
INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f",
             *(chr(c) for c in range(0x202A, 0x202F)), *(chr(c) for c in range(0x2066, 0x206A))}


@lru_cache(maxsize=None)
def _typeset_set() -> frozenset[str]:
    return frozenset(chr(code) for start, end in TYPESET_RANGES for code in range(start, end + 1))


def is_invisible(ch: str) -> bool:
    """Control characters (but tab and line breaks), zero-width and direction marks."""
    if ch in "\t\n\r":
        return False
    return ch in INVISIBLE or unicodedata.category(ch) == "Cc"


@lru_cache(maxsize=4096)
def latex_for(ch: str) -> str | None:
    """LaTeX for one non-ASCII character, or None when the booklet's fonts cannot print it."""
    if ch in _typeset_set() or ch == "\u00a0":
        return ch
    if ch in _COMMANDS:
        return _COMMANDS[ch]
    if ch in MATH_SYMBOLS:
        command = MATH_SYMBOLS[ch]
        return f"\\bkgreek{{\\{command}}}"
    if ch in GREEK_AS_LATIN:
        return GREEK_AS_LATIN[ch]
    return _compose(ch)


def _compose(ch: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not all(mark in ACCENTS for mark in marks):
        return None
    if not (base.isascii() and base.isalpha()) and base not in _typeset_set():
        return None
    if base in "ij" and marks[0] not in _BELOW:
        base = "\\" + base + "{}"  # dotless i/j under an accent above
    text = base
    for mark in marks:
        text = f"{ACCENTS[mark]}{{{text}}}"
    return text


def is_composed(ch: str) -> bool:
    """Whether CH is printed by stacking accents (its extracted text then differs from CH)."""
    return (not ch.isascii() and ch not in _typeset_set() and ch not in MATH_SYMBOLS and ch not in _COMMANDS
            and _compose(ch) is not None)


def can_print(ch: str) -> bool:
    return ch.isascii() or latex_for(ch) is not None


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "CONTROL CHARACTER" if unicodedata.category(ch) == "Cc" else "UNNAMED")
    shown = ch if ch.isprintable() and not ch.isspace() else ""
    return f"'{shown}' (U+{ord(ch):04X} {name})" if shown else f"U+{ord(ch):04X} {name}"
