"""The JSON Schema of the program format, generated from the model, for editors.

Editors that read `# yaml-language-server: $schema=...` complete field names and flag mistakes as
the organiser types. The schema is generated from booklet/model.py, so it cannot drift from what
`validate` accepts; tests/test_interop.py fails when the committed copy (booklet/program.schema.json) is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Program

SCHEMA_ID = "https://booklet.invalid/program.schema.json"  # a name, not a place: nothing is fetched
# The generated schema, shipped inside the package (wheels included) so an installed booklet can
# hand it to a new program folder without generating it again.
SCHEMA_FILE = Path(__file__).resolve().parent / "program.schema.json"


def program_schema() -> dict:
    schema = Program.model_json_schema(mode="validation")
    definitions = schema.get("$defs", {})
    # People may be written as a bare name ("chairs: [Chen Tian]"): say so, as the model accepts it.
    for name in ("Person", "Speaker"):
        if name in definitions:
            definitions[f"{name}Fields"] = definitions.pop(name)
            definitions[name] = {"anyOf": [{"type": "string", "minLength": 1},
                                           {"$ref": f"#/$defs/{name}Fields"}]}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "booklet program"
    return schema


def schema_text() -> str:
    return json.dumps(program_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
