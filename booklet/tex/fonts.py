"""The OpenType fonts of the LuaLaTeX path, what they can print, and their LaTeX declarations.

One table says which font sets which script, in the serif face of the text and the sans face of
the headings: Libertinus (the maintained Linux Libertine and Biolinum) for Latin, Greek and
Cyrillic, Noto for the rest. The same table decides what `validate` accepts (a character is
printable when every face its script uses has a glyph for it, read from the font's own character
map) and writes the fontspec declarations the style file loads (`declarations`), so the two
cannot disagree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .scripts import RIGHT_TO_LEFT, script_of

# Folders where Debian and most distributions keep fonts; TeX's own tree is asked through kpsewhich.
SYSTEM_FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


@dataclass(frozen=True)
class ScriptFonts:
    """The font files (regular, bold) for one script in the serif and the sans face."""

    serif: tuple[str, str]
    sans: tuple[str, str]
    otf_script: str  # fontspec's Script= (HarfBuzz shapes by it)
    package: str  # the Debian package that installs these files

    @property
    def files(self) -> tuple[str, ...]:
        return self.serif + self.sans


MAIN = ScriptFonts(("LibertinusSerif-Regular.otf", "LibertinusSerif-Bold.otf"),
                   ("LibertinusSans-Regular.otf", "LibertinusSans-Bold.otf"), "Latin", "texlive-fonts-extra")
# Faces of the main font that templates use besides the two above (italics); Greek and Cyrillic are
# in the main font too. The bold italic lacks some Cyrillic letters (є ґ ђ љ); booklet.sty fills
# them from the bold face, slanted, so the bold face answers for it.
MAIN_ITALICS = ("LibertinusSerif-Italic.otf", "LibertinusSans-Italic.otf")

SCRIPTS: dict[str, ScriptFonts] = {
    # Noto CJK's first face is the Japanese one; its glyphs serve Chinese and Korean names too.
    "cjk": ScriptFonts(("NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc"),
                       ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"), "CJK", "fonts-noto-cjk"),
    "arabic": ScriptFonts(("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
                          ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"), "Arabic", "fonts-noto-core"),
    "hebrew": ScriptFonts(("NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf"),
                          ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"), "Hebrew", "fonts-noto-core"),
    "devanagari": ScriptFonts(("NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf"),
                              ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"), "Devanagari",
                              "fonts-noto-core"),
    "thai": ScriptFonts(("NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf"),
                        ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"), "Thai", "fonts-noto-core"),
}


def fonts_for(ch: str) -> ScriptFonts:
    return SCRIPTS.get(script_of(ch) or "", MAIN)


@lru_cache(maxsize=None)
def font_path(name: str) -> Path | None:
    """Where the font file NAME is installed: TeX's tree first (as luaotfload looks), then the system's."""
    if shutil.which("kpsewhich"):
        found = subprocess.run(["kpsewhich", name], capture_output=True, text=True).stdout.strip()
        if found:
            return Path(found)
    return _system_fonts().get(name)


@lru_cache(maxsize=1)
def _system_fonts() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in SYSTEM_FONT_FOLDERS:
        for root, _, files in os.walk(folder):
            for file in files:
                found.setdefault(file, Path(root) / file)
    return found


@lru_cache(maxsize=None)
def _character_map(name: str) -> frozenset[int]:
    """The code points font file NAME has glyphs for (its first face), or none when it is missing."""
    path = font_path(name)
    if path is None:
        return frozenset()
    from fontTools.ttLib import TTFont  # only programs beyond pdfLaTeX's characters need it

    try:
        font = TTFont(path, fontNumber=0 if path.suffix.lower() == ".ttc" else -1, lazy=True)
        return frozenset(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001 - a damaged font file is a font without glyphs
        return frozenset()


def missing_files(ch: str) -> list[str]:
    return [name for name in fonts_for(ch).files if font_path(name) is None]


def can_set(ch: str) -> bool:
    """Whether every face that may print CH (serif and sans, regular and bold) has a glyph for it."""
    fonts = fonts_for(ch)
    files = fonts.files + (MAIN_ITALICS if fonts is MAIN else ())
    return all(ord(ch) in _character_map(name) for name in files)


def _family(command: str, files: tuple[str, str], script: str, rtl: bool) -> str:
    regular, bold = (Path(name) for name in files)
    base, _, upright = regular.stem.rpartition("-")
    options = [f"Extension={regular.suffix}", f"UprightFont=*-{upright}", f"BoldFont=*-{bold.stem.rpartition('-')[2]}",
               # These scripts have no italics: an italic name is set upright, as their typography does.
               f"ItalicFont=*-{upright}", f"BoldItalicFont=*-{bold.stem.rpartition('-')[2]}",
               "Renderer=HarfBuzz", f"Script={script}", "Ligatures=TeXOff"]
    return f"\\newfontfamily\\{command}{{{base}}}[{', '.join(options)}]{' % right to left' if rtl else ''}\n"


def declarations() -> str:
    """booklet-fonts.tex: the fontspec families of each script, named \\bkfont<script>rm / sf."""
    lines = ["% booklet-fonts.tex -- written by booklet (booklet/tex/fonts.py): the LuaLaTeX path's fonts.\n"]
    for script, fonts in SCRIPTS.items():
        rtl = script in RIGHT_TO_LEFT
        lines.append(_family(f"bkfont{script}rm", fonts.serif, fonts.otf_script, rtl))
        lines.append(_family(f"bkfont{script}sf", fonts.sans, fonts.otf_script, rtl))
        lines.append(f"\\def\\bkdir{script}{{{'TRT' if rtl else 'TLT'}}}\n")
    return "".join(lines)
