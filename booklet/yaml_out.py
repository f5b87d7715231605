"""The one YAML writer: every program file booklet writes (imports, `--merge`) goes through here.

A program file is read back by booklet (every scalar as the text that was written) and by other
tools, many of them YAML 1.1 readers for which an unquoted 09:30 is a number, `no` is False and
2025-09-08 a date. So the rule is simple and lives in one predicate: a string is written plain only
when every reader would read it back as that same string; otherwise it is double-quoted, which
YAML can do for any text (newlines, quotes, `#`, leading `-`, any Unicode) without loss. Layout
is made by the emitter's own options and by emitting the top-level sections one by one (a blank
line between them), never by editing the emitted text.
"""

from __future__ import annotations

import re

import yaml

# Plain scalars that some YAML reader would turn into something other than the same string:
# numbers, sexagesimal and clock-like values, dates and times, booleans and nulls of YAML 1.1
# and 1.2, and the merge and value keys.
_AMBIGUOUS = re.compile(
    r"""(?ix)
    [-+]?(\d[\d_]*)?\.?\d[\d_]*(e[-+]?\d+)?      # 12  1.5  1_000  .5  1e3
    | [-+]?0(b[01_]+|o?[0-7_]+|x[\da-f_]+)      # 0b101  0o17  017  0x1f
    | [-+]?\d[\d_]*(:[0-5]?\d)+(\.\d*)?          # 09:30  1:20:30 (sexagesimal)
    | [-+]?\.(inf|nan)                           # .inf  -.nan
    | \d{4}-\d{1,2}-\d{1,2}([Tt\s].*)?           # 2025-09-08, with a time
    | y|n|yes|no|true|false|on|off|null|~|<<|=
    """)


def needs_quotes(text: str) -> bool:
    """True when TEXT, written plain, could be read back as anything but this string."""
    return (text == "" or text != text.strip() or _AMBIGUOUS.fullmatch(text) is not None
            or any(ch in text for ch in "\n\r\t#:'\"\\{}[],&*!|>%@`") or text[0] in "-?"
            or not text.isprintable())


class _ProgramDumper(yaml.SafeDumper):
    """Block style, keys in the order given, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if needs_quotes(text) else None)


_ProgramDumper.add_representer(str, _represent_text)


def dump_program(program: dict, header: str) -> str:
    """HEADER (comment lines) and PROGRAM as YAML, a blank line between the top-level sections."""
    text = header
    for key, value in program.items():
        section = yaml.dump({key: value}, Dumper=_ProgramDumper, allow_unicode=True, sort_keys=False, width=100)
        text += ("\n" if isinstance(value, (dict, list)) else "") + section
    return text


def for_round_trip(value):
    """VALUE for a ruamel.yaml round-trip document (`--merge`), quoted by the same rule as above."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        return DoubleQuotedScalarString(value) if needs_quotes(value) else value
    if isinstance(value, dict):
        return {key: for_round_trip(item) for key, item in value.items()}
    if isinstance(value, list):
        return [for_round_trip(item) for item in value]
    return value
