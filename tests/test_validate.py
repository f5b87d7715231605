"""Every error and warning class of `booklet validate`, each with the exact line and column.

Programs are written inline so that the position a test expects can be counted by eye.
"""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from booklet.cli import cli
from booklet.diagnostics import ProgramError
from booklet.load import parse_program_text
from booklet.validate import validate_loaded

HEADER = """\
name: Test Workshop
year: 2025
timezone: Europe/Lisbon
rooms:
  - {id: main, name: Main Hall}
papers:
  - id: p1
    title: First Paper
    authors: [{name: Ada Lovelace, affiliation: Analytical Engines}]
  - id: p2
    title: Second Paper
    authors: [{name: Alan Turing, affiliation: Bletchley Park}]
days:
  - date: 2025-09-08
    slots:
"""  # 15 lines: the first slot line of each case below is line 16


def diagnose(slots: str, header: str = HEADER, *, unscheduled: bool = False):
    """(line, col, severity, field, message) of every diagnostic.

    Most cases schedule only some of the header's papers; their "scheduled nowhere" warnings are
    dropped unless the case is about them.
    """
    text = header + textwrap.indent(textwrap.dedent(slots), "      ")
    try:
        _, report = validate_loaded(parse_program_text(text, "t.yaml"))
        items = report.sorted()
    except ProgramError as exc:
        items = exc.diagnostics
    return [(d.line, d.col, d.severity.value, d.field, d.message) for d in items
            if unscheduled or "scheduled nowhere" not in d.message]


GOOD_SESSION = """\
- kind: session
  title: Morning
  start: "09:00"
  end: "09:30"
  talks:
    - {paper: p1, start: "09:00", end: "09:15"}
    - {paper: p2, start: "09:15", end: "09:30"}
"""


def test_clean_program_has_no_diagnostics():
    assert diagnose(GOOD_SESSION) == []


def test_yaml_syntax_error_reports_its_line():
    result = diagnose('- kind: break\n  start: "10:00\n  end: "10:30"\n')
    assert len(result) == 1
    line, col, severity, field, message = result[0]
    assert (line, severity, field) == (18, "error", "")
    assert message.startswith("YAML syntax:")


def test_unknown_key_suggests_the_right_one():
    result = diagnose('- kind: break\n  titel: Coffee\n  start: "10:00"\n  end: "10:30"\n')
    assert result == [(17, 9, "error", "days[0].slots[0].titel",
                       "unknown field 'titel'; did you mean 'title'?")]


def test_unknown_kind_suggests_the_right_one():
    result = diagnose('- kind: sesion\n  title: X\n  start: "10:00"\n  end: "10:30"\n')
    assert result == [(16, 15, "error", "days[0].slots[0].kind",
                       "unknown kind 'sesion'; did you mean 'session'?")]


def test_missing_required_field_points_at_its_mapping():
    result = diagnose('- kind: session\n  start: "09:00"\n  end: "09:30"\n'
                      '  talks: [{paper: p1, start: "09:00", end: "09:30"}]\n')
    assert result == [(16, 9, "error", "days[0].slots[0].title", "required field 'title' is missing; add it")]


def test_wrong_type():
    result = diagnose('- kind: keynote\n  title: K\n  start: "09:00"\n  end: "09:30"\n'
                      '  speakers: Grace Hopper\n')
    assert result == [(20, 19, "error", "days[0].slots[0].speakers",
                       "expected a list (one '- ' item per line), got 'Grace Hopper'")]


def test_malformed_time():
    result = diagnose('- kind: break\n  start: "9.30"\n  end: "10:30"\n')
    assert result == [(17, 16, "error", "days[0].slots[0].start",
                       "malformed time '9.30'; write HH:MM on a 24-hour clock, e.g. 14:05 (after midnight: "
                       "24:30 for 00:30, up to 30:00)")]


def test_unquoted_time_means_what_was_written():
    # YAML 1.1 would read 9:30 as the sexagesimal integer 570; the program means half past nine.
    assert diagnose("- kind: break\n  start: 9:30\n  end: 10:30\n") == []


def test_end_before_start():
    result = diagnose('- kind: break\n  start: "10:30"\n  end: "10:00"\n')
    assert result == [(18, 14, "error", "days[0].slots[0].end", "ends at 10:00, not after its start 10:30")]


def test_talk_outside_its_session():
    slots = GOOD_SESSION.replace('{paper: p2, start: "09:15", end: "09:30"}',
                                 '{paper: p2, start: "09:20", end: "09:40"}')
    result = diagnose(slots)
    assert result == [(22, 32, "error", "days[0].slots[0].talks[1].start",
                       "talk 09:20-09:40 lies outside its session 09:00-09:30")]


def test_overlapping_slots_in_the_same_room():
    slots = GOOD_SESSION + '- kind: break\n  start: "09:25"\n  end: "09:45"\n'
    result = diagnose(slots)
    assert result == [(24, 16, "error", "days[0].slots[1].start",
                       "overlaps 'Morning' (09:00-09:30, line 16) in the same room")]


def test_parallel_slots_in_different_rooms_do_not_overlap():
    header = HEADER.replace("rooms:\n", "rooms:\n  - {id: side, name: Side Room}\n")
    slots = GOOD_SESSION + "  room: main\n" + (
        "- kind: other\n  title: Demo\n  room: side\n  start: '09:00'\n  end: '09:30'\n")
    assert diagnose(slots, header) == []


def test_duplicate_ids():
    header = HEADER.replace("  - id: p2\n", "  - id: p1\n")
    result = diagnose(GOOD_SESSION.replace("paper: p2", "paper: p1"), header)
    assert result == [(10, 9, "error", "papers[1].id", "duplicate id 'p1' (also on line 7); ids must be unique")]


def test_reference_to_missing_paper():
    result = diagnose(GOOD_SESSION.replace("paper: p2", "paper: p3"))
    assert result == [(22, 21, "error", "days[0].slots[0].talks[1].paper", "no paper with id 'p3'")]
    result = diagnose(GOOD_SESSION.replace("paper: p2", "paper: P2"))
    assert result == [(22, 21, "error", "days[0].slots[0].talks[1].paper",
                       "no paper with id 'P2'; did you mean 'p2'?")]


def test_session_without_talks():
    result = diagnose('- kind: session\n  title: Empty\n  start: "09:00"\n  end: "09:30"\n')
    assert result[0] == (16, 9, "error", "days[0].slots[0].talks",
                         "session 'Empty' has no talks; add talks, or make it `kind: other` "
                         "if it is not a paper session")


def test_gap_between_slots_is_a_warning():
    slots = GOOD_SESSION + '- kind: break\n  start: "09:45"\n  end: "10:00"\n'
    assert diagnose(slots) == [(24, 16, "warning", "days[0].slots[1].start",
                                "gap of 15 min before this slot (09:30-09:45, after 'Morning')")]


def test_unused_session_time_is_a_warning():
    slots = GOOD_SESSION.replace('end: "09:30"\n  talks', 'end: "09:40"\n  talks')
    assert diagnose(slots) == [(19, 14, "warning", "days[0].slots[0].end",
                                "talks end at 09:30 but the session runs to 09:40: 10 min unused")]


def test_paper_scheduled_nowhere_is_a_warning():
    slots = GOOD_SESSION.replace('    - {paper: p2, start: "09:15", end: "09:30"}\n', "").replace(
        'end: "09:30"\n  talks', 'end: "09:15"\n  talks')
    assert diagnose(slots, unscheduled=True) == [(10, 5, "warning", "papers[1]",
                                "paper 'p2' is scheduled nowhere; add it to a session's talks "
                                "or a poster session")]


def test_duplicate_key_in_yaml():
    result = diagnose('- kind: break\n  start: "10:00"\n  start: "10:10"\n  end: "10:30"\n')
    assert result == [(18, 9, "error", "days[0].slots[0].start",
                       "field 'start' is given twice (first on line 17); keep one")]


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(ProgramError, match="alias bomb"):
        parse_program_text(bomb, "bomb.yaml")


@pytest.fixture
def runner():
    return CliRunner()


def test_cli_reports_in_file_line_col_format(runner, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(HEADER + '      - kind: break\n        start: "10:00"\n        end: "09:00"\n')
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:18:14: error: days[0].slots[0].end: ends at 09:00, not after its start 10:00" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content, expected", [
    (None, "no such file"),
    (b"\xff\xfe\x00garbage", "not UTF-8 text"),
    (b"", "the file is empty"),
    (b"- just\n- a list\n", "a program file is a mapping"),
])
def test_cli_unreadable_inputs_fail_cleanly(runner, tmp_path, content, expected):
    path = tmp_path / "program.yaml"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_directory_is_refused(runner, tmp_path):
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "is a directory" in result.output


def test_cli_shipped_program_reports_the_pages_two_gaps(runner):
    result = runner.invoke(cli, ["validate", "data/naic2025.yaml"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if ": warning: " in line or ": error: " in line]
    assert len(lines) == 2
    assert "gap of 5 min before this slot (14:00-14:05, after 'Lunch Break') [B301]" in lines[0]
    assert "gap of 5 min before this slot (14:55-15:00" in lines[1] and lines[1].endswith("[B301]")


def test_cli_usage_error_exits_2(runner):
    assert runner.invoke(cli, ["validate", "--no-such-option"]).exit_code == 2


def test_the_text_wide_patterns_say_what_is_invisible_says_of_every_character():
    """load.py looks through whole texts with these patterns; is_invisible is the definition."""
    import unicodedata

    from booklet.tex.unicode import CONTROL_CHARACTER, INVISIBLE_CHARACTER, is_invisible

    for code in (c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF):
        ch = chr(code)
        assert bool(INVISIBLE_CHARACTER.match(ch)) == is_invisible(ch), hex(code)
        assert bool(CONTROL_CHARACTER.match(ch)) == (is_invisible(ch) and unicodedata.category(ch) == "Cc"), hex(code)
