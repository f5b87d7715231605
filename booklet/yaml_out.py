"""Writing program files that booklet made (imports): plain PyYAML output, made easy to read."""

from __future__ import annotations

import re

import yaml

_CLOCK_OR_DATE = re.compile(r"^(\s*(?:- )?(?:start|end|date)): '?([0-9:-]+)'?$", re.M)


def dump_program(program: dict, header: str) -> str:
    """HEADER (comment lines) and PROGRAM as YAML: keys in the given order, times and dates quoted
    (so a YAML 1.1 reader cannot take 09:30 for a number), a blank line before each main section."""
    body = yaml.safe_dump(program, allow_unicode=True, sort_keys=False, width=100)
    body = _CLOCK_OR_DATE.sub(r'\1: "\2"', body)
    for key in ("rooms:", "days:", "papers:"):
        body = body.replace(f"\n{key}", f"\n\n{key}")
    return header + "\n" + body
