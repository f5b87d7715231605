"""The template environment's safety rules, checked on the built-in templates and on escape()."""

from __future__ import annotations

import re

import pytest

from booklet.tex.escape import TeX, escape
from booklet.tex.templates import TemplateProblem, TemplateSet

from booklet.tex.templates import BUILTIN_TEMPLATES as TEMPLATES


def template_sources():
    return sorted(TEMPLATES.rglob("*.j2"))


@pytest.mark.parametrize("path", template_sources(), ids=lambda p: p.name)
def test_the_trusted_marker_is_only_used_on_the_templates_own_macros(path):
    """`|latex` lets LaTeX through unescaped; in the built-in templates it may follow only a call
    of a macro (whose data was escaped while it ran), never a value from the program."""
    text = path.read_text(encoding="utf-8")
    for expression in re.findall(r"\\VAR\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}", text):
        if "|latex" in expression.replace(" ", ""):
            assert re.fullmatch(r"\s*[a-z_]+\(.*\)\s*(\|\s*trim\s*)?\|\s*latex\s*", expression), expression


@pytest.mark.parametrize("path", template_sources(), ids=lambda p: p.name)
def test_no_control_word_runs_into_a_value(path):
    """`\\large\\VAR{x}` would glue the value's first letters onto the command's name."""
    assert not re.search(r"\\[A-Za-z]+\\VAR\{", path.read_text(encoding="utf-8"))


def test_every_value_is_escaped_and_trusted_tex_is_not(tmp_path):
    (tmp_path / "t.tex.j2").write_text("[\\VAR{plain}] [\\VAR{trusted}] [\\VAR{number}]")
    out = TemplateSet(tmp_path).render("t.tex.j2", plain="50% & $x_1$", trusted=TeX("\\textbf{b}"), number=7)
    assert "[50\\% \\& \\$x\\_1\\$] [\\textbf{b}] [7]" in out


def test_undefined_variables_are_errors_with_file_and_line(tmp_path):
    (tmp_path / "t.tex.j2").write_text("one\ntwo \\VAR{missing}\n")
    with pytest.raises(TemplateProblem) as problem:
        TemplateSet(tmp_path).render("t.tex.j2")
    assert problem.value.line == 2 and "missing" in problem.value.message


def test_user_folder_overrides_file_by_file(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "cover.tex.j2").write_text("MY COVER")
    templates = TemplateSet(tmp_path)
    assert templates.find("partials/cover.tex.j2") == tmp_path / "partials" / "cover.tex.j2"
    assert templates.find("partials/about.tex.j2") == TEMPLATES / "partials" / "about.tex.j2"


@pytest.mark.parametrize("text, latex", [
    ("\\", "\\textbackslash{}"), ("{}", "\\{\\}"), ("$&#%_", "\\$\\&\\#\\%\\_"),
    ("^~", "\\textasciicircum{}\\textasciitilde{}"), ("a--b", "a-{}-b"), (",,", ",{},"),
    ("’’‘‘", "’{}’‘{}‘"), ("!‘?‘", "!{}‘?{}‘"), ("1–-2", "1–{}-2"),
    ("\\VAR{x}", "\\textbackslash{}VAR\\{x\\}"), ("^^5c", "\\textasciicircum{}\\textasciicircum{}5c"),
])
def test_escape_table(text, latex):
    assert escape(text) == latex


def test_a_long_word_breaks_across_alphabets_but_not_inside_shaped_scripts():
    # Break points every 12 characters of the whole word, whichever alphabet each piece is in.
    mixed = escape("Sala-Зал-Αίθουσα-Room-Number-Forty-Two")
    assert mixed.count("\\bkwordbreak{}") == 3
    assert escape("Raum-" + "गणना" * 7).count("\\bkwordbreak{}") == 0  # Devanagari is shaped


def test_escape_output_has_no_unescaped_specials():
    hostile = "\\input{x} $ & # ^ _ ~ % { } ^^5c \\def\\a{b}"
    out = escape(hostile)
    # Every backslash begins one of our printing commands; no raw special remains.
    assert re.sub(r"\\(textbackslash|textasciicircum|textasciitilde|bkslash)\{\}|\\[{}$&#%_]", "", out).count("\\") == 0
    assert not re.search(r"(?<!\\)[#$%&_]", out)
