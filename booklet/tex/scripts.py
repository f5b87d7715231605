"""Which writing system a character belongs to, and a text cut into runs of one writing system.

A name may mix scripts ("Yuki 山田", "محمد (Mohamed) Ali"): each run of Greek, Cyrillic, Chinese,
Arabic... text is set in its own font, Arabic and Hebrew right to left, while the page stays left to
right. A space between two letters of the same script joins their run, so "محمد علي" is one
right-to-left run; other characters of no script (digits, Latin punctuation) stay in the main font,
which has them (the Hebrew font has no comma); marks (accents, vowel signs) always stay with the
letter before them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

# The scripts set with a font of their own (see fonts.py). Latin and everything outside these ranges
# ("common": digits, punctuation, symbols) are set in the main font.
_RANGES = sorted([
    (0x0370, 0x03FF, "greek"), (0x1F00, 0x1FFF, "greek"),
    (0x0400, 0x052F, "cyrillic"), (0x1C80, 0x1C8F, "cyrillic"), (0x2DE0, 0x2DFF, "cyrillic"),
    (0xA640, 0xA69F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"), (0xFB1D, 0xFB4F, "hebrew"),
    (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x0870, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"), (0xA8E0, 0xA8FF, "devanagari"),
    (0x0E00, 0x0E7F, "thai"),
    # Chinese, Japanese and Korean share one font family (Noto CJK covers all three).
    (0x1100, 0x11FF, "cjk"), (0x2E80, 0x2FDF, "cjk"), (0x3000, 0x303F, "cjk"), (0x3040, 0x30FF, "cjk"),
    (0x3100, 0x312F, "cjk"), (0x3130, 0x318F, "cjk"), (0x3190, 0x31FF, "cjk"), (0x3200, 0x33FF, "cjk"),
    (0x3400, 0x4DBF, "cjk"), (0x4E00, 0x9FFF, "cjk"), (0xA960, 0xA97F, "cjk"), (0xAC00, 0xD7FF, "cjk"),
    (0xF900, 0xFAFF, "cjk"), (0xFE30, 0xFE4F, "cjk"), (0xFF00, 0xFFEF, "cjk"), (0x20000, 0x3134F, "cjk"),
])
_STARTS = [start for start, _, _ in _RANGES]
# Any character of those scripts: most names and titles have none, and are one run of the main font.
_ANY_SCRIPT = re.compile("[" + "".join(f"{chr(start)}-{chr(end)}" for start, end, _ in _RANGES) + "]")

RIGHT_TO_LEFT = frozenset({"hebrew", "arabic"})


@lru_cache(maxsize=8192)
def script_of(ch: str) -> str | None:
    """The script that needs a font of its own for CH, or None for Latin and common characters."""
    code = ord(ch)
    index = bisect.bisect_right(_STARTS, code) - 1
    if index >= 0:
        start, end, script = _RANGES[index]
        if code <= end:
            return script
    return None


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me")


def runs(text: str) -> list[tuple[str | None, str]]:
    """TEXT as (script, piece) runs in order; script None is the main font's Latin and common text.

    Spaces between two letters of the same script stay in that script's run; at a script boundary
    they go to the main font's run."""
    if _ANY_SCRIPT.search(text) is None:  # "Kateřina Šimek", "Müller": no character needs a font of its own
        return [(None, text)] if text else []
    kinds: list[str | None] = []
    for ch in text:
        if _is_mark(ch) and kinds:
            kinds.append(kinds[-1])  # a combining mark belongs to its letter
        elif script_of(ch):
            kinds.append(script_of(ch))
        else:
            kinds.append("" if ch.isspace() else None)
    # "" marks a space: it takes its neighbours' script when both sides agree.
    resolved: list[str | None] = list(kinds)
    index = 0
    while index < len(kinds):
        if kinds[index] != "":
            index += 1
            continue
        end = index
        while end < len(kinds) and kinds[end] == "":
            end += 1
        before = kinds[index - 1] if index > 0 else None
        after = kinds[end] if end < len(kinds) else None
        fill = before if before is not None and before == after else None
        for position in range(index, end):
            resolved[position] = fill
        index = end
    pieces: list[tuple[str | None, str]] = []
    for ch, script in zip(text, resolved):
        if pieces and pieces[-1][0] == script:
            pieces[-1] = (script, pieces[-1][1] + ch)
        else:
            pieces.append((script, ch))
    return pieces
