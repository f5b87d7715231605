"""The one place where program text becomes LaTeX.

Every string from a program file is untrusted. `escape` turns it into LaTeX that typesets the same
characters and can never execute: all ten TeX specials become printing commands, so no backslash,
brace, `#`, `^` or `%` of the author's reaches TeX's tokenizer with its special meaning. The
Jinja environment applies it to every value a template prints (see templates.py), so no template
can forget; `TeX` marks the rare fragment that booklet itself composed and that is already LaTeX.

Some printable ASCII also needs care: pairs such as ``--``, ``''`` or ``,,`` are ligatures in T1
fonts (an en dash, a closing quote, a low quote) and would not print what the author typed, so a
ligature is broken with an empty group. Slashes allow a line break after them, so long URLs wrap.
The \\bk... commands used here are defined in booklet.sty, which also says what they become in PDF
bookmarks and metadata.
"""

from __future__ import annotations

import re


class TeX(str):
    """LaTeX composed by booklet (never by a program's author): printed as it is, not escaped."""

    __slots__ = ()


_TABLE = str.maketrans({
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
    "`": r"\bkgrave{}",
    "/": r"\bkslash{}",
    "\u00a0": "~",  # a no-break space typed by the author stays one
    "\n": " ",
    "\r": " ",
    "\t": " ",
})

# T1 ligatures made of characters that stay characters after _TABLE: -- and --- (dashes), ,, (a low
# double quote). The quote, grave and angle-bracket ligatures cannot form: those become commands.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=,)(?=,)")
_SPACES = re.compile(r" {2,}")


def escape(value: object) -> str:
    """Plain text -> LaTeX that prints exactly that text. Idempotent only through `TeX`."""
    if isinstance(value, TeX):
        return str(value)
    text = _SPACES.sub(" ", str(value))
    text = _LIGATURE.sub("{}", text)
    return text.translate(_TABLE)
