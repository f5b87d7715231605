"""Fuzzing what people and other tools hand booklet: any command line, any export, any manifest.

Whatever comes in, booklet answers with exit code 0, 1 (a problem with the input, said in words)
or 2 (wrong usage), never a traceback and never "internal error". The CLI is invoked directly
(not through main()), so an unexpected exception surfaces here as one instead of being turned
into the "internal error" line."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booklet.cli import cli

# 60 examples a test in `make test`; BOOKLET_FUZZ_EXAMPLES=2000 for a long hunt.
FUZZ = settings(max_examples=int(os.environ.get("BOOKLET_FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=list(HealthCheck))

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)
SCALAR = st.one_of(st.text(max_size=30), st.integers(), st.none(), st.booleans(), st.floats(allow_nan=True),
                   st.sampled_from(["2025-12-27T11:00:00+01:00", "00:30", "1:02:00", "25:99", "abc", "", "09:00",
                                    "2025-12-27", "Accepted", "accept", "withdrawn", "Poster", "To be announced"]))
VALUE = st.one_of(SCALAR, JSON)


def answered(result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "internal error" not in result.output, result.output
    # The operating system's refusals (a name too long for a folder to create, no permission) reach
    # main(), which says "booklet: FILE: reason" and exits 1; anything else is a bug.
    handled = isinstance(result.exception, OSError) and result.exception.filename is not None
    assert result.exception is None or isinstance(result.exception, SystemExit) or handled, repr(result.exception)


@contextmanager
def scratch_folder():
    """A fresh empty current folder for one example: whatever a command writes stays in it."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(here)


def invoke(args: list[str], data: bytes | None = None, name: str = "input.json"):
    runner = CliRunner()
    with scratch_folder():
        if data is not None:
            Path(name).write_bytes(data)
        result = runner.invoke(cli, args)
        answered(result)
        return result


# --- the command line -------------------------------------------------------------------------------

OPTION_VALUES = st.sampled_from(["nan", "inf", "-1", "0", "1e400", "", "-", "a5", "letter", "b5", "x" * 300,
                                 "missing.yaml", "out", "/dev/null", "2025-13-45", "Europe/Nowhere", "Poster=posters",
                                 "=", "TYPE=skip", "\u00e9t\u00e9", "--", "-q", "-v"])
COMMANDS = st.sampled_from([["validate"], ["build"], ["export", "ics"], ["diff"], ["import", "hotcrp"],
                            ["import", "schedule"], ["import", "openreview"], ["schema"], ["check"]])  # watch waits for saves by design
OPTIONS = st.sampled_from(["--out", "--paper", "--sheet-paper", "--sign-paper", "--timeout", "--templates",
                           "--format", "--since", "-o", "--timezone", "--type-map", "--session-gap", "--decision",
                           "--date", "--year", "--name", "--program", "--strict", "--force", "--no-wait", "--talks",
                           "--time-cards", "--json", "-q", "-v", "--merge", "--bogus"])


@FUZZ
@given(COMMANDS, st.lists(st.one_of(OPTIONS, OPTION_VALUES), max_size=6))
def test_any_command_line_is_answered_with_0_1_or_2(command, words):
    # No program that could build is within reach: a build stops before TeX, with a message.
    result = invoke([*command, *words])
    if result.exit_code == 0:
        assert command in (["schema"], ["export", "ics"], ["validate"]) or "--help" in words


# --- exports -----------------------------------------------------------------------------------------

AUTHOR = st.dictionaries(st.sampled_from(["given_name", "family_name", "first", "last", "name", "email",
                                          "affiliation"]), VALUE, max_size=5)
PAPER = st.dictionaries(st.sampled_from(["pid", "title", "status", "decision", "authors", "topics", "withdrawn",
                                         "object", "error"]),
                        st.one_of(VALUE, st.lists(AUTHOR, max_size=3)), max_size=8)


@FUZZ
@given(st.one_of(st.lists(PAPER, max_size=5), PAPER, JSON),
       st.lists(st.sampled_from(["Accept*", "Poster=posters", "*=track:t1", "x=papers"]), max_size=2))
def test_any_hotcrp_export_is_answered(export, decisions):
    args = ["import", "hotcrp", "input.json", "-o", "program.yaml"]
    for decision in decisions:
        args += ["--decision", decision]
    invoke(args, json.dumps(export, allow_nan=True).encode())


PERSON = st.one_of(st.dictionaries(st.sampled_from(["public_name", "name", "biography", "affiliation"]), VALUE,
                                   max_size=3), SCALAR)
EVENT = st.dictionaries(st.sampled_from(["id", "guid", "date", "start", "duration", "room", "title", "subtitle",
                                         "track", "type", "language", "abstract", "persons"]),
                        st.one_of(VALUE, st.lists(PERSON, max_size=3)), max_size=12)
DAY = st.dictionaries(st.sampled_from(["date", "day_start", "rooms", "index"]),
                      st.one_of(VALUE, st.dictionaries(st.text(max_size=6), st.lists(EVENT, max_size=3), max_size=2)),
                      max_size=4)
SCHEDULE = st.fixed_dictionaries({"schedule": st.fixed_dictionaries({"conference": st.dictionaries(
    st.sampled_from(["title", "acronym", "time_zone_name", "days", "rooms", "tracks"]),
    st.one_of(VALUE, st.lists(DAY, max_size=2)), max_size=6)})})


@FUZZ
@given(st.one_of(SCHEDULE, JSON), st.sampled_from([[], ["--timezone", "Europe/Berlin"], ["--session-gap", "0"],
                                                  ["--type-map", "talk=skip"]]))
def test_any_schedule_json_is_answered(export, options):
    invoke(["import", "schedule", "input.json", "-o", "program.yaml", *options],
           json.dumps(export, allow_nan=True).encode())


XML_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="<&\x00"), max_size=20)


@st.composite
def schedule_xml(draw) -> bytes:
    events = []
    for _ in range(draw(st.integers(0, 3))):
        fields = draw(st.dictionaries(st.sampled_from(["date", "start", "duration", "room", "title", "type",
                                                        "track", "abstract"]), XML_TEXT, max_size=7))
        persons = "".join(f"<person>{draw(XML_TEXT)}</person>" for _ in range(draw(st.integers(0, 2))))
        body = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
        events.append(f"<event id='{draw(XML_TEXT.filter(lambda t: chr(39) not in t))}'>{body}"
                      f"<persons>{persons}</persons></event>")
    day = draw(st.sampled_from(["2025-12-27", "", "x", "2025-02-30"]))
    zone = draw(st.sampled_from(["", "<time_zone_name>Europe/Berlin</time_zone_name>",
                                 "<time_zone_name>Mars</time_zone_name>", "<day_change>04:00</day_change>"]))
    text = (f"<schedule><conference><title>{draw(XML_TEXT)}</title>{zone}</conference>"
            f"<day date='{day}'><room name='R'>{''.join(events)}</room></day></schedule>")
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(st.one_of(schedule_xml(), st.binary(max_size=200)))
def test_any_schedule_xml_is_answered(data):
    invoke(["import", "schedule", "input.xml", "-o", "program.yaml"], data, "input.xml")


NOTE = st.dictionaries(st.sampled_from(["id", "forum", "number", "content", "details"]), st.one_of(
    VALUE, st.dictionaries(st.sampled_from(["title", "authors", "authorids", "venue", "venueid", "decision"]),
                           st.one_of(VALUE, st.fixed_dictionaries({"value": VALUE})), max_size=6)), max_size=5)


@FUZZ
@given(st.one_of(st.lists(NOTE, max_size=4), st.fixed_dictionaries({"notes": st.lists(NOTE, max_size=3)}), JSON))
def test_any_openreview_notes_are_answered(notes):
    invoke(["import", "openreview", "input.json", "-o", "program.yaml"], json.dumps(notes, allow_nan=True).encode())


# --- the manifest -------------------------------------------------------------------------------------

MANIFEST = st.one_of(JSON, st.fixed_dictionaries({
    "program": VALUE, "options": st.one_of(VALUE, st.dictionaries(st.sampled_from(
        ["paper", "sheet_paper", "time_cards", "impose", "sign_paper", "extra"]), VALUE, max_size=5)),
    "files": st.one_of(VALUE, st.lists(st.dictionaries(st.sampled_from(["name", "sha256", "pages"]), VALUE,
                                                       max_size=3), max_size=3)),
    "build_key": VALUE, "input_key": VALUE, "status": VALUE, "since": VALUE, "version": VALUE}))


@FUZZ
@given(MANIFEST)
def test_any_manifest_is_answered_by_check_and_build(manifest):
    runner = CliRunner()
    with scratch_folder():
        os.makedirs("out")
        Path("out/manifest.json").write_text(json.dumps(manifest, allow_nan=True), encoding="utf-8")
        Path("program.yaml").write_text("name: [unclosed\n", encoding="utf-8")  # stops before TeX
        for args in (["check", "--out", "out"], ["check", "--out", "out", "--program", "program.yaml"],
                     ["build", "program.yaml", "--out", "out"]):
            result = runner.invoke(cli, args)
            answered(result)
            assert result.exit_code == 1, (args, result.output)
