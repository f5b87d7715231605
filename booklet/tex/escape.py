"""The one place where program text becomes LaTeX.

Every string from a program file is untrusted. `escape` turns it into LaTeX that typesets the same
characters and can never execute: all ten TeX specials become printing commands, so no backslash,
brace, `#`, `^` or `%` of the author's reaches TeX's tokenizer with its special meaning. The
Jinja environment applies it to every value a template prints (see templates.py), so no template
can forget; `TeX` marks the rare fragment that booklet itself composed and that is already LaTeX.

Some printable ASCII also needs care: pairs such as ``--``, ``''`` or ``,,`` are ligatures in T1
fonts (an en dash, a closing quote, a low quote) and would not print what the author typed, so a
ligature is broken with an empty group. Slashes allow a line break after them, so long URLs wrap.
Non-ASCII text is cut into runs of one writing system (tex/scripts.py): a Greek, Cyrillic, Chinese,
Arabic... run goes into \\bkscript{greek}{...}, which each engine's part of booklet.sty sets in its
font (and right to left for Arabic and Hebrew), so the LaTeX written here is the same for both
engines. A character no engine can print (validation rejects those first) becomes a visible
[U+XXXX], never a TeX error. Words longer than a line could be get invisible break points, and
Chinese and Japanese text may break between any two characters, so nothing runs off the page.
The \\bk... commands used here are defined in booklet.sty, which also says what they become in PDF
bookmarks and metadata.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import engines
from .scripts import runs, script_of
from .unicode import ARROWS


class TeX(str):
    """LaTeX composed by booklet (never by a program's author): printed as it is, not escaped."""

    __slots__ = ()


# Private-use placeholders inserted before translation, replaced by _TABLE_MAP: a break point in a
# long word, and an empty group that keeps two characters from forming a ligature.
_BREAK_CHAR = "\ue000"
_NO_LIGATURE = "\ue001"
_URL_BREAK = "\ue002"
_TABLE_MAP = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\bkbacktick{}",  # each engine's own backtick (booklet.sty)
    "/": r"\bkslash{}",
    # A "[" right after a row's "\\" (a committee member "[TBD] Someone") or after a macro with an
    # optional argument would be read as that argument: in braces it is only a bracket.
    "[": "{[}",
    "]": "{]}",
    "\u00a0": "~",  # a no-break space typed by the author stays one
    _BREAK_CHAR: r"\bkwordbreak{}",
    _NO_LIGATURE: "{}",
    _URL_BREAK: r"\bkurlbreak{}",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
_TABLE = str.maketrans(_TABLE_MAP)

# T1 ligatures made of characters that stay characters after _TABLE: -- and --- (dashes), ,, (a low
# double quote), and the typographic quotes and dash typed as such, which inputenc sets as the very
# characters the ASCII ligatures are made of: ’’ and ‘‘ (a closing and an opening double quote), !‘
# and ?‘ (¡ and ¿), – followed by - (an em dash). The ASCII quote, grave and angle-bracket
# ligatures cannot form: those characters become commands.
_LIGATURE = re.compile("(?<=-)(?=-)|(?<=,)(?=,)|(?<=\u2019)(?=\u2019)|(?<=\u2018)(?=\u2018)|(?<=[!?])(?=\u2018)"
                       "|(?<=\u2013)(?=-)")
_SPACES = re.compile(r"[ \t\r\n]{2,}")
_LONG_WORD = re.compile(r"[^\s]{25,}")
_PIECE = 12  # characters between break points in a long word


# Scripts whose words _break_long_words may split: they are read letter by letter, without shaping.
_ALPHABETS = (None, "greek", "cyrillic")


def _break_long_words(text: str) -> str:
    """Identifiers and 80-letter words may break every few characters (with a hyphen, as words do);
    URLs too, but without a hyphen, which would read as part of the address. Only words read letter
    by letter, in any mix of the alphabets (a room "Sala-Зал-Αίθουσα..." is one word of three)."""
    def split(match: re.Match) -> str:
        word = match.group(0)
        if not word.isascii() and any(script_of(ch) not in _ALPHABETS for ch in word):
            return word  # shaped or read as a whole: broken where its script allows, if at all
        mark = _URL_BREAK if "://" in word or word.lower().startswith("www.") else _BREAK_CHAR
        return mark.join(word[i:i + _PIECE] for i in range(0, len(word), _PIECE))

    return _LONG_WORD.sub(split, text)


def _non_ascii(match: re.Match) -> str:
    ch = match.group()
    if ch in ARROWS:
        return f"\\bkmathsymbol{{\\{ARROWS[ch]}}}{{{ch}}}"  # the character itself, for PDF bookmarks
    if engines.can_set(ch):
        return ch
    return f"\\bkunsupported{{{ord(ch):04X}}}"


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _translate(text: str) -> str:
    # _TABLE's replacements are ASCII: a character still beyond ASCII after it is one it left alone.
    return _NON_ASCII.sub(_non_ascii, text.translate(_TABLE))


def escape(value: object) -> str:
    """Plain text -> LaTeX that prints exactly that text. Idempotent only through `TeX`."""
    if isinstance(value, TeX):
        return str(value)
    return _escaped(str(value))


# A 1,500-paper build escapes 50,000 strings, a fifth of them different: a name is printed in the
# booklet's program, its index and a chair sheet, a room on every slot and door sign.
@lru_cache(maxsize=65536)
def _escaped(value: str) -> str:
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value))
    text = _LIGATURE.sub(_NO_LIGATURE, text)
    if text.isascii():
        return _break_long_words(text).translate(_TABLE)
    pieces = []
    # Break points before the runs: a long word may change alphabet halfway and is still one word.
    for script, piece in runs(_break_long_words(text)):
        latex = _translate(piece)
        if script == "cjk":  # no spaces between words: a line may end after any character
            latex = r"\bkcjkbreak{}".join(_translate(ch) for ch in piece)
        pieces.append(f"\\bkscript{{{script}}}{{{latex}}}" if script else latex)
    return "".join(pieces)
