#!/usr/bin/env bash
# A new user's install, outside this checkout: build a wheel, install it into a fresh virtual
# environment, then `booklet new x && cd x && booklet build`, and build and check the shipped NAIC
# program with it. Proves that the wheel carries everything a build needs (templates, style files,
# schema, starter files) and that nothing reaches back into the repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
"$work/venv/bin/python" -m pip wheel -q --no-deps -w "$work/dist" "$root"
wheel=$(ls "$work"/dist/booklet-*.whl)
"$work/venv/bin/python" - "$wheel" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
needed = {"booklet/templates/booklet.tex.j2", "booklet/templates/chair-sheets.tex.j2",
          "booklet/templates/booklet.sty", "booklet/templates/chairsheets.sty",
          "booklet/templates/partials/program.tex.j2", "booklet/program.schema.json",
          "booklet/starter/program.yaml", "booklet/starter/Makefile", "booklet/starter/README.md"}
missing = sorted(needed - names)
strays = sorted(n for n in names if n.startswith(("tests/", "data/", "benchmarks/")))
if missing or strays:
    sys.exit(f"check-install: the wheel lacks {missing} or carries {strays}")
print(f"check-install: {sys.argv[1].rsplit('/', 1)[-1]} holds {len(names)} files, templates and schema included")
PY
"$work/venv/bin/python" -m pip install -q "$wheel"

cd "$work"
booklet="$work/venv/bin/booklet"
"$booklet" new x
(cd x && "$booklet" build && "$booklet" check)
grep -q 'yaml-language-server: $schema=program.schema.json' x/program.yaml
cp "$root/data/naic2025.yaml" naic.yaml
"$booklet" build naic.yaml --out naic-out
"$booklet" check --out naic-out
echo "check-install: the installed wheel built a new program and the NAIC program"
