"""Every name in every script (issue 17): the engine choice, LuaLaTeX's output read back exactly,
pdfLaTeX kept where it suffices, the Lua sandbox, and the index's collation.

The world build is one LuaLaTeX run of tests/world_names.py (28 names in 17 writing systems); its
text is read with both poppler and MuPDF in this file, not with booklet's own reader, and every
name, affiliation and title must be found exactly (accents included) by one of them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

import world_names
from booklet.cli import cli
from booklet.collation import heading, index_order
from booklet.pdf.text import SearchableText
from booklet.tex.engine import TexFailure, compile_tex
from booklet.tex.escape import escape
from booklet.tex.scripts import _ANY_SCRIPT, runs, script_of

ROOT = Path(__file__).resolve().parent.parent
needs_lualatex = pytest.mark.skipif(shutil.which("lualatex") is None, reason="lualatex is not installed")

# Marks poppler writes around right-to-left text; they are not letters of the text.
_BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2067\u2068\u2069"))


def _readable(text: str) -> str:
    """Extracted text as a search box compares it: compatibility forms folded (Arabic presentation
    forms are the same letters), no direction marks, no spaces (extractors space words differently)."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_BIDI_MARKS).split())


def _extracted(pdf: Path) -> list[str]:
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", "-q", str(pdf), "-"], capture_output=True).stdout
    mupdf = subprocess.run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(pdf)], capture_output=True).stdout
    return [_readable(output.decode("utf-8")) for output in (poppler, mupdf)]


def _fonts(pdf: Path) -> dict[str, str]:
    found = {}
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"]).split("+")[-1]] = str(font["/Subtype"])
    return found


def _write(path: Path, program: dict) -> Path:
    path.write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("world")
    program = _write(folder / "world.yaml", world_names.program())
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(folder / "out"), "--format", "json"])
    return {"result": result, "out": folder / "out"}


@needs_lualatex
def test_every_script_builds_with_lualatex_and_reads_back_exactly(world):
    assert world["result"].exit_code == 0, world["result"].output
    summary = json.loads(world["result"].stdout)
    assert summary["engine"] == "lualatex"
    assert "pdfLaTeX cannot print" in summary["engine_reason"]
    for pdf in ("program.pdf", "chair-sheets.pdf"):
        texts = _extracted(world["out"] / pdf)
        wanted = [name for _, name, _ in world_names.PEOPLE]
        if pdf == "program.pdf":
            wanted += [affiliation for _, _, affiliation in world_names.PEOPLE] + world_names.TITLES
        for text in wanted:
            needle = _readable(unicodedata.normalize("NFC", text))
            assert any(needle in found for found in texts), f"{text!r} is not read back from {pdf}"


@needs_lualatex
def test_lualatex_output_embeds_the_script_fonts_and_records_the_engine(world):
    fonts = _fonts(world["out"] / "program.pdf")
    for family in ("LibertinusSerif-Regular", "NotoSerifCJKjp-Regular", "NotoNaskhArabic-Regular",
                   "NotoSerifHebrew-Regular", "NotoSerifDevanagari-Regular", "NotoSerifThai-Regular"):
        assert family in fonts, sorted(fonts)
    assert "/Type3" not in fonts.values()
    manifest = json.loads((world["out"] / "manifest.json").read_text())
    assert manifest["options"]["engine"] == "lualatex"
    check = CliRunner().invoke(cli, ["check", "--out", str(world["out"])])
    assert check.exit_code == 0, check.output


def test_naic_stays_on_pdflatex_with_type1_fonts(naic):
    assert naic["result"].engine.engine == "pdflatex"
    fonts = _fonts(naic["out"] / "program.pdf")
    assert fonts and set(fonts.values()) == {"/Type1"}, fonts
    assert any(name.startswith("LinLibertine") for name in fonts)
    assert json.loads((naic["out"] / "manifest.json").read_text())["options"]["engine"] == "pdflatex"


@needs_lualatex
def test_one_cjk_name_switches_the_build_to_lualatex(tmp_path):
    program = yaml.safe_load((ROOT / "data" / "naic2025.yaml").read_text(encoding="utf-8"))
    program["papers"][0]["authors"][0]["name"] = "王小明"
    path = _write(tmp_path / "naic-cjk.yaml", program)
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "lualatex: pdfLaTeX cannot print '王' (U+738B" in result.output
    assert "(at papers[0].authors[0].name)" in result.output
    assert any("王小明" in text for text in _extracted(tmp_path / "out" / "program.pdf"))
    assert "NotoSerifCJKjp-Regular" in _fonts(tmp_path / "out" / "program.pdf")


def test_engine_pdflatex_refuses_what_it_cannot_print_exactly(tmp_path):
    path = _write(tmp_path / "world.yaml", world_names.program())
    result = CliRunner().invoke(cli, ["validate", str(path), "--engine", "pdflatex"])
    assert result.exit_code == 1
    assert "papers[0].authors[0].name: pdfLaTeX cannot print 'ễ' (U+1EC5 LATIN SMALL LETTER E WITH " \
           "CIRCUMFLEX AND TILDE) exactly; build with --engine auto (LuaLaTeX prints it)" in result.output
    assert "B105" in result.output
    # Russian and Greek are pdfLaTeX's (Libertine's T2A and LGR fonts): no error for them.
    assert "papers[12].authors[0].name" not in result.output
    assert "papers[10].authors[0].name" not in result.output


def test_a_character_no_font_has_is_refused_with_its_code_point(tmp_path):
    program = world_names.program()
    program["papers"][0]["title"] = "Networks 🚀 for AI"
    program["papers"][1]["authors"][0]["name"] = "བཀྲ་ཤིས"  # Tibetan: no font of the booklet has it
    program["papers"][2]["abstract"] = "An abstract no PDF prints may hold anything: 🚀 ∼ ₂"
    result = CliRunner().invoke(cli, ["validate", str(_write(tmp_path / "p.yaml", program))])
    assert result.exit_code == 1
    assert "papers[0].title: cannot print '🚀' (U+1F680 ROCKET): no font of the booklet has it" in result.output
    assert "papers[1].authors[0].name: cannot print 'བ' (U+0F56 TIBETAN LETTER BA)" in result.output
    assert "papers[2].abstract" not in result.output


def test_a_decomposed_accent_is_read_as_the_composed_letter(tmp_path):
    program = world_names.program()
    program["papers"] = program["papers"][:1]
    program["papers"][0]["authors"][0]["name"] = "Jose\u0301 Nguye\u0302\u0303n"
    program["days"][0]["slots"] = [{**program["days"][0]["slots"][0], "talks": program["days"][0]["slots"][0]["talks"][:1],
                                    "end": "09:10"}]
    program["venue"] = "Lisbon"
    program["rooms"][0]["name"] = "Room A"
    program["days"][0]["slots"][0]["chairs"] = ["Ana Silva"]
    program["committees"] = []
    result = CliRunner().invoke(cli, ["validate", str(_write(tmp_path / "p.yaml", program)), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["engine"] == "lualatex"  # ễ is not pdfLaTeX's


def test_accents_are_compared_exactly_by_the_preflight():
    page = SearchableText("Nguyen Van An, Jose Garcia, Ozolina and Stefan Tiriac")
    for typed in ("Nguyễn Văn An", "José García", "Ozoliņa", "Ștefan Țiriac"):
        assert typed not in page
    assert "Nguyễn Văn An" in SearchableText("Nguyễn Văn\nAn")
    assert "محمد علي" in SearchableText("\u202bمحمد علي\u202c")  # direction marks are not letters


def test_text_is_cut_into_script_runs():
    assert runs("محمد علي 2025") == [("arabic", "محمد علي"), (None, " 2025")]
    assert runs("Yuki 山田 太郎 (東大)") == [(None, "Yuki "), ("cjk", "山田 太郎"), (None, " ("), ("cjk", "東大"),
                                         (None, ")")]
    assert runs("כהן, דוד") == [("hebrew", "כהן"), (None, ", "), ("hebrew", "דוד")]
    assert runs("क्षितिज") == [("devanagari", "क्षितिज")]  # vowel signs and the virama stay in the run
    assert runs("Nguyễn") == [(None, "Nguyễn")]
    assert escape("王小明") == r"\bkscript{cjk}{王\bkcjkbreak{}小\bkcjkbreak{}明}"
    assert escape("Ирина {x}") == r"\bkscript{cyrillic}{Ирина} \{x\}"


def test_text_without_a_scripted_character_is_found_as_such_for_every_code_point():
    """runs() takes a string with no character of a script of its own as one run of the main font;
    the pattern that decides this agrees with script_of on every code point."""
    for code in range(0x110000):
        ch = chr(code)
        assert (_ANY_SCRIPT.search(ch) is None) == (script_of.__wrapped__(ch) is None), hex(code)
    assert runs("Zoë Ødegaard-Šimek, 2025") == [(None, "Zoë Ødegaard-Šimek, 2025")] and runs("") == []


def test_index_sorts_by_the_unicode_collation_algorithm_grouped_by_script():
    names = ["Zhang", "王", "Ærø", "Ömer", "Αθήνα", "Άννα", "Иванов", "김", "محمد", "דוד", "देव", "สม",
             "Abel", "ʻOkina", "Łukasz", "Ørsted", "O'Brien", "Ängström", "Ebert", "Əliyev", "Lee", "さくら"]
    expected = ["Abel", "Ærø", "Ängström", "Ebert", "Əliyev", "Lee", "Łukasz", "ʻOkina", "O'Brien", "Ömer",
                "Ørsted", "Zhang", "Αθήνα", "Άννα", "Иванов", "דוד", "محمد", "देव", "สม", "김", "さくら", "王"]
    assert sorted(names, key=index_order) == expected
    assert [heading(name) for name in ("Ærø", "ʻOkina", "Άννα", "김", "Łukasz", "محمد")] == \
        ["A", "O", "Α", "ㄱ", "Ł", "م"]


@needs_lualatex
def test_lua_in_a_template_cannot_reach_outside_the_build_folder(tmp_path):
    """A template's \\directlua (templates are the user's to replace) gets no file outside the
    build, no process, no native code and no debug library; TeX's own \\input stays confined too."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    outside = tmp_path / "pwned"
    work = tmp_path / "work"
    work.mkdir()
    probes = {
        "read": f"local f = io.open('{secret}') return f and f:read('a')",
        "lines": f"for line in io.lines('{secret}') do return line end",
        "write": f"local f = io.open('{outside}', 'w') if f then f:write('x') f:close() return 'wrote' end",
        "dofile": f"return dofile('{secret}')",
        "loadfile": f"return loadfile('{secret}')",
        "dir": "for name in lfs.dir('/') do return name end",
        "mkdir": f"return lfs.mkdir('{outside}')",
        "rename": f"return os.rename('{secret}', '{outside}')",
        "remove": f"return os.remove('{secret}')",
        "execute": f"return os.execute('touch {outside}')",
        "popen": "return io.popen('id'):read('a')",
        "loadlib": "return package.loadlib('libc.so.6', '*')",
        "debug": "return debug.getinfo(1).source",
        "bytecode": "return load(string.dump(function() return 'ran' end))()",
        "up": "local f = io.open('../secret.txt') return f and f:read('a')",
        "metapost": "local mp = mplib.new{find_file = function(name) return name end} "
                    f"return mp:execute('string s; s = readfrom \"{secret}\"; message s;').log",
        "pdfobject": f"return pdf.immediateobj('file', '{secret}')",
        "image": f"return img.scan{{filename = '{secret}'}}.filename",
        "home": "return os.getenv('HOME') .. ' ' .. tostring(os.getenv('BOOKLET_TEST_TOKEN'))",
    }
    body = "\n".join(
        f"\\directlua{{local ok, r = pcall(function() {code} end) "
        f"tex.print(-2, 'PROBE-{name}: ' .. tostring(ok and r or 'refused'))}}\\par" for name, code in probes.items())
    (work / "job.tex").write_text("\\documentclass{article}\\begin{document}\n" + body + "\n\\end{document}\n",
                                  encoding="utf-8")
    import os

    os.environ["BOOKLET_TEST_TOKEN"] = "token-of-the-user"
    try:
        run = compile_tex(work, "job", engine="lualatex", max_passes=1, timeout=120)
    finally:
        del os.environ["BOOKLET_TEST_TOKEN"]
    text = subprocess.run(["pdftotext", str(run.pdf), "-"], capture_output=True, text=True).stdout
    results = dict(line.split(": ", 1) for line in text.splitlines() if line.startswith("PROBE-"))
    assert set(results) == {f"PROBE-{name}" for name in probes}, text
    assert "TOPSECRET" not in text and "ran" not in results["PROBE-bytecode"]
    for name in probes:
        if name != "home":
            assert results[f"PROBE-{name}"] in ("refused", "nil"), (name, results[f"PROBE-{name}"])
    assert results["PROBE-home"] == f"{work} nil"  # the build's folder; nothing of the user's environment
    assert not outside.exists() and secret.read_text() == "TOPSECRET"
    # TeX's own file reading is confined as under pdfLaTeX.
    (work / "job.tex").write_text(f"\\documentclass{{article}}\\begin{{document}}\\input{{{secret}}}\\end{{document}}\n")
    with pytest.raises(TexFailure):
        compile_tex(work, "job", engine="lualatex", max_passes=1, timeout=120)
