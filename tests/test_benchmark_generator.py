"""The benchmark's program generator makes valid programs of the asked size (no timings here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from generate import generate  # noqa: E402

from booklet.model import PaperSession  # noqa: E402
from booklet.validate import check_program  # noqa: E402


@pytest.mark.parametrize("papers", [20, 200, 1500])
def test_generated_programs_are_valid_and_of_the_asked_size(tmp_path, papers):
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(generate(papers), allow_unicode=True, sort_keys=False), encoding="utf-8")
    checked = check_program(path)
    program = checked.program
    assert len(program.papers) == papers
    scheduled = [talk.paper for day in program.days for slot in day.slots if isinstance(slot, PaperSession)
                 for talk in slot.talks]
    assert sorted(scheduled) == sorted(paper.id for paper in program.papers)
    assert not [w for w in checked.report.warnings if "scheduled nowhere" in w.message]
    if papers == 1500:  # the conference shape the issue describes
        sessions = sum(isinstance(s, PaperSession) for day in program.days for s in day.slots)
        assert len(program.rooms) == 8 and len(program.days) == 7 and 190 <= sessions <= 210
        authors = {a.name for paper in program.papers for a in paper.authors}
        assert len(authors) > 3000
        assert any(not name.isascii() for name in authors), "names carry accents"


def test_generation_is_deterministic():
    assert generate(200, seed=7) == generate(200, seed=7)
    assert generate(200, seed=7) != generate(200, seed=8)
