"""A rebuild after a small change starts from the last good build's TeX state (issue 20): one pass
when the references did not move, byte for byte the files a cold build makes, and never worse
than a cold build when the kept state is stale, foreign or broken."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from booklet.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _build(program: Path, out: Path, *extra) -> dict:
    result = CliRunner().invoke(cli, ["build", str(program), "--out", str(out), "--format", "json", *map(str, extra)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _naic_with_title(folder: Path, title: str) -> Path:
    program = yaml.safe_load((ROOT / "data" / "naic2025.yaml").read_text(encoding="utf-8"))
    program["papers"][0]["title"] = title
    path = folder / "naic.yaml"
    path.write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_title_fix_is_one_pass_and_the_files_are_a_cold_builds(tmp_path):
    first = _build(_naic_with_title(tmp_path, "Towards Scalable Networks"), tmp_path / "out")
    assert first["passes"] == 2  # cold: pages laid out in the first pass (contents predicted), numbers in the second
    assert (tmp_path / "out" / ".booklet" / "program.aux").is_file()
    program = _naic_with_title(tmp_path, "Towards Scalable Network")  # a typo fixed: no page moves
    again = _build(program, tmp_path / "out")
    assert again["passes"] == 1
    cold = _build(program, tmp_path / "cold")
    assert cold["passes"] == 2
    for name in ("program.pdf", "chair-sheets.pdf", "program-imposed.pdf", "door-signs.pdf"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "cold" / name).read_bytes(), name


def test_a_broken_or_foreign_state_costs_only_the_head_start(tmp_path):
    program = _naic_with_title(tmp_path, "Towards Scalable Networks")
    _build(program, tmp_path / "out")
    state = tmp_path / "out" / ".booklet"
    # An .aux that stops TeX (say, from an older template's macros): the first pass runs again cold.
    (state / "program.aux").write_text("\\relax\n\\undefinedmacrofromanoldtemplate\n", encoding="utf-8")
    program = _naic_with_title(tmp_path, "Towards Scalable Network")
    assert _build(program, tmp_path / "out")["passes"] >= 2
    # State kept under another key (other style files) is not used at all.
    key = json.loads((state / "key.json").read_text())
    (state / "key.json").write_text(json.dumps({"key": "0" * len(key["key"])}))
    program = _naic_with_title(tmp_path, "Towards Scalable Networks")
    assert _build(program, tmp_path / "out")["passes"] >= 2
    cold = _build(program, tmp_path / "cold")
    assert (tmp_path / "out" / "program.pdf").read_bytes() == (tmp_path / "cold" / "program.pdf").read_bytes()
