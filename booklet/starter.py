"""`booklet new`: a folder to start a program in, from the starter files shipped in the package.

The program's first line points editors (the YAML language server) at a copy of the JSON Schema
written beside it: a relative path keeps working when the folder moves or booklet is installed
elsewhere, and `booklet schema -o program.schema.json` refreshes it after an upgrade.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

SCHEMA_NAME = "program.schema.json"
STARTER_FILES = ("program.yaml", "README.md", "Makefile")


def write_starter(folder: Path) -> list[str]:
    """Fill FOLDER (new or empty) with the starter files; the names written, in order."""
    from .schema import schema_text

    starter = files("booklet") / "starter"
    folder.mkdir(parents=True, exist_ok=True)
    for name in STARTER_FILES:
        with (starter / name).open("rb") as source, open(folder / name, "wb") as target:
            shutil.copyfileobj(source, target)
    program = folder / "program.yaml"
    body = program.read_text(encoding="utf-8").split("\n", 1)[1]  # the starter's own schema line goes
    program.write_text(f"# yaml-language-server: $schema={SCHEMA_NAME}\n{body}", encoding="utf-8")
    (folder / SCHEMA_NAME).write_text(schema_text(), encoding="utf-8")
    return [*STARTER_FILES, SCHEMA_NAME]
