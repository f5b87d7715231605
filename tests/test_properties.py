"""Property tests: random text in every field either builds and is found in the PDF, or is rejected
by validation naming the field. Each example is one TeX run holding all of its strings."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from booklet.build import BuildOptions, build
from booklet.diagnostics import ProgramError
from booklet.pdf.text import SearchableText, page_texts
from booklet.validate import check_program
from pypdf import PdfReader

# The oracle, written here and not taken from booklet: what a program must print with a text layer
# that search finds, letters and accents exactly as typed (Latin letters with a glyph of their own,
# Greek and Russian, typographic punctuation), what booklet must refuse (emoji and scripts none of
# its fonts has: Tibetan, Ethiopic, Runic, Cherokee), and invisible characters it must remove.
# These are pdfLaTeX's letters, so that each example is one fast TeX run; what only LuaLaTeX prints
# (Vietnamese, CJK, Arabic...) is tested in test_scripts.py, in one build that carries every script.
KNOWN_GOOD = ([chr(c) for c in range(0x20, 0x7F)] * 3 + list(
    "äöüÄÖÜßéèêëàâáãçñøåæœÅÆØÉÈÊÇíìîïóòôõúùûýÿŁłőűşţđăčšžřěůČŠŽŘĚŮńśźżĄąĘę"
    "αβγδεζηθλμπσφχψωΑΒΓΔΘΛΞΠΣΦΨΩЖжщЯ€…–—‘’“”•×±°µ¿¡«»©®™"))
KNOWN_BAD = list("🙂🚀བཀሰላᚠᎠ")
INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200e"]
PRINTABLE = st.sampled_from(KNOWN_GOOD)
ANYTHING = st.sampled_from(KNOWN_GOOD + KNOWN_BAD * 3 + INVISIBLE)

FIELDS = ["name", "venue", "room", "session", "chair", "title0", "title1", "title2", "author0", "author1",
          "affiliation0", "member", "award"]


def program_with(texts: dict[str, str]) -> dict:
    return {
        "name": texts["name"], "year": "2026", "venue": texts["venue"],
        "rooms": [{"id": "r", "name": texts["room"]}],
        "papers": [{"id": f"p{i}", "title": texts[f"title{i}"],
                    "authors": [{"name": texts[f"author{i % 2}"], "affiliation": texts["affiliation0"]}]}
                   for i in range(3)],
        "days": [{"date": "2026-02-02", "slots": [{
            "kind": "session", "title": texts["session"], "chairs": [texts["chair"]], "start": "09:00",
            "end": "09:30", "talks": [{"paper": f"p{i}", "start": f"09:{i * 10:02d}", "end": f"09:{i * 10 + 10:02d}"}
                                      for i in range(3)]}]}],
        "committees": [{"title": "Chairs", "role": "general", "members": [{"name": texts["member"]}]}],
        "award_note": texts["award"],
    }


# Where each generated text lands in the program (some texts are used by several papers).
PLACES = {"name": ["name"], "venue": ["venue"], "room": ["rooms[0].name"], "session": ["days[0].slots[0].title"],
          "chair": ["days[0].slots[0].chairs[0]"],
          **{f"title{i}": [f"papers[{i}].title"] for i in range(3)},
          "author0": ["papers[0].authors[0].name", "papers[2].authors[0].name"],
          "author1": ["papers[1].authors[0].name"],
          "affiliation0": [f"papers[{i}].authors[0].affiliation" for i in range(3)],
          "member": ["committees[0].members[0].name"], "award": ["award_note"]}


def visible(text: str) -> str:
    return " ".join("".join(ch for ch in unicodedata.normalize("NFC", text) if ch not in INVISIBLE).split())


def check_example(texts: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        path.write_text(yaml.safe_dump(program_with(texts), allow_unicode=True), encoding="utf-8")
        unprintable = {field for field, text in texts.items() if any(ch in KNOWN_BAD for ch in visible(text))}
        empty = {field for field, text in texts.items() if not visible(text)}
        try:
            check_program(path)
        except ProgramError as exc:
            reported = {d.field.removesuffix(".name") for d in exc.diagnostics if d.is_error}
            bad_places = {place.removesuffix(".name"): field for field in unprintable | empty
                          for place in PLACES[field]}
            assert reported, "a rejected program names a field"
            assert reported <= set(bad_places), f"errors for fields with good text: {reported - set(bad_places)}"
            for field in unprintable | empty:  # every bad text is reported where it stands
                assert {p.removesuffix(".name") for p in PLACES[field]} & reported, field
            return
        assert not unprintable and not empty, "validation let through text it cannot print"
        result = build(BuildOptions(program=path, out=Path(folder) / "out", impose=False))
        reader = PdfReader(Path(folder) / "out" / "program.pdf")
        text = SearchableText("\n".join(page_texts(reader)))
        for field, value in texts.items():
            assert visible(value) in text, (field, value)
        assert result.reports and all(report.ok for report in result.reports)


# Each example is a full build (seconds), so no shrinking: a failure is reported as generated.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]


# Found by Hypothesis: a name that is one long word with nothing to break it at ran past the right
# edge of the cover, where the acronym is set in 38-point type.
LONG_WORD_NAME = {field: "Ok" for field in FIELDS} | {"name": "BOOKLET_FONT_CACHE"}
# Found by Hypothesis: a 31-letter room name in Latin, Greek and Cyrillic got no break point (each
# script's piece was shorter than a long word) and ran off the door sign's 60-point line.
MIXED_LONG_ROOM = {field: "Ok" for field in FIELDS} | {"room": "HÖ)'òŠö«bLÊnñγo&WщЖFţš(vO®Ж10Β"}


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)
@example(LONG_WORD_NAME)
@example(MIXED_LONG_ROOM)
@given(st.fixed_dictionaries({field: st.text(PRINTABLE, min_size=1, max_size=30).filter(lambda s: s.strip())
                              for field in FIELDS}))
def test_printable_text_in_every_field_builds_and_is_found(texts):
    check_example(texts)


# Found by Hypothesis: "’’" in the cover's sans-serif type printed as "”" (a T1 ligature); so would
# "‘‘", "!‘", "?‘" and an en dash followed by a hyphen.
QUOTE_LIGATURES = {field: "Ok" for field in FIELDS} | {"name": "it’’s ‘‘X’’ ¡a!‘ ¿b?‘ 1–-2"}


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)
@example(QUOTE_LIGATURES)
@given(st.fixed_dictionaries({field: st.one_of(st.text(PRINTABLE, min_size=1, max_size=20),
                                               st.text(ANYTHING, min_size=1, max_size=20))
                              for field in FIELDS}))
def test_any_text_builds_or_is_rejected_naming_its_field(texts):
    check_example(texts)


WORDS = st.sampled_from(["alpha", "beta-gamma", "Nguyễn", "Thị", "Zürich", "ω", "Ada Lovelace", "x", "…",
                         "Cloud-", "Edge", "Ålesund"])
PHRASES = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


@given(st.lists(WORDS, max_size=80).map(" ".join), st.lists(PHRASES, max_size=40, unique=True))
@settings(max_examples=300, deadline=None)
def test_present_answers_exactly_as_in_does(text, needles):
    """The shortcut that checks many strings at once must agree with looking each one up."""
    searchable = SearchableText(text)
    assert searchable.present(needles) == [needle for needle in needles if needle in searchable]
