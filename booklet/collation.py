"""The order and the headings of the index of people: the Unicode Collation Algorithm, through ICU.

ICU's root collation sorts every script in its own order (Latin with its accents and special letters
where each language's readers look for them: "Ørsted" with O, "Łukasz" with L) and puts the scripts
in a fixed sequence (Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Hangul, Kana, Han),
so names in other scripts come grouped by script. Punctuation is ignored ("O'Brien" sorts as
OBrien, the Hawaiian ʻokina does not move "Kaʻiulani").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .tex.scripts import script_of


@lru_cache(maxsize=1)
def _collator():
    import icu  # PyICU, loaded when an index is made

    collator = icu.Collator.createInstance(icu.Locale.getRoot())
    collator.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    return collator


def sort_key(text: str) -> bytes:
    return _collator().getSortKey(text)


# Hangul syllables are headed by their first consonant, as Korean indexes are (김 and 가 under ㄱ).
_HANGUL_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CASED = (None, "greek", "cyrillic")
_THAI_LEADING_VOWELS = "เแโใไ"  # scripts whose headings are capital letters without accents


# Letters the collation sorts as another letter's variant or as two letters ("Ærø" among the A's).
_AS_LETTER = {"Æ": "A", "æ": "A", "Ø": "O", "ø": "O", "Œ": "O", "œ": "O", "ß": "S", "ı": "I"}


def heading(text: str) -> str:
    """The index heading TEXT goes under: its first letter (modifier letters such as the ʻokina and
    punctuation skipped), capital and without accents in Latin, Greek and Cyrillic; the first
    consonant of a Hangul syllable; else the first letter itself; '#' when it has no letter."""
    letter = next((ch for ch in text if unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lo")), None)
    if letter is None:
        return "#"
    if 0xAC00 <= ord(letter) <= 0xD7A3:
        return _HANGUL_INITIALS[(ord(letter) - 0xAC00) // 588]
    if letter in _THAI_LEADING_VOWELS:  # written first, read after the consonant that the order follows
        return next((ch for ch in text[text.index(letter) + 1:] if ch.isalpha()), letter)
    if script_of(letter) in _CASED:
        base = _AS_LETTER.get(letter) or unicodedata.normalize("NFD", letter)[0]
        return base.upper()
    return letter


def index_order(text: str) -> tuple[bytes, bytes]:
    """Sort key that keeps each heading's entries together: the heading's place in the collation
    first, then the whole text's."""
    return sort_key(heading(text)), sort_key(text)
