# booklet: `make build` sets everything up and builds the shipped program; `make test` runs the suite.
PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
BOOKLET := $(VENV)/bin/booklet
# The shipped programs: the first builds into OUT, each other one into OUT/<its name>.
# `make build PROGRAM=path.yaml` builds just that one into OUT.
PROGRAMS ?= $(or $(PROGRAM),data/naic2025.yaml data/sigcomm2017.yaml data/example-conference/example-conference.yaml)
OUT     ?= output

.PHONY: build test setup system-deps venv fonts validate check docs bench clean install-check

build: setup
	@set -e; first=1; for program in $(PROGRAMS); do \
	  if [ $$first = 1 ]; then out=$(OUT); first=0; else out=$(OUT)/$$(basename $$program .yaml); fi; \
	  echo "$(BOOKLET) build $$program --out $$out"; $(BOOKLET) build $$program --out $$out; done

# pytest exits 5 when it collects nothing (say, a -k filter that matches no test): say so, don't fail.
test: setup
	@$(PY) -m pytest -q $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc = 5 ]; then echo "make test: pytest collected no tests"; exit 0; fi; exit $$rc

# A wheel installed into a fresh virtual environment outside the checkout: `booklet new x && cd x &&
# booklet build`, and the shipped program built and checked with it.
install-check: system-deps
	bash scripts/check-install.sh

validate: setup
	@set -e; for program in $(PROGRAMS); do $(BOOKLET) validate $$program; done

check: setup
	@set -e; first=1; for program in $(PROGRAMS); do \
	  if [ $$first = 1 ]; then out=$(OUT); first=0; else out=$(OUT)/$$(basename $$program .yaml); fi; \
	  $(BOOKLET) check --out $$out; done

setup: system-deps venv fonts

# LuaLaTeX's font names database, made once where every build reads it (a few seconds here; the
# first LuaLaTeX build would otherwise scan every installed font itself).
fonts: venv
	@$(BOOKLET) fonts

system-deps:
	@bash scripts/install-system-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

# Pictures for the README: the cover, a page of the detailed program and a chair sheet of NAIC;
# SIGCOMM 2017's Monday at a glance (two facing pages: nine rooms) and a day of its main track.
docs: build
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile $(OUT)/program.pdf docs/cover
	pdftoppm -png -r 60 -f 5 -l 5 -singlefile $(OUT)/program.pdf docs/program-page
	pdftoppm -png -r 45 -f 1 -l 1 -singlefile $(OUT)/chair-sheets.pdf docs/chair-sheet
	pdftoppm -png -r 60 -f 6 -l 6 -singlefile $(OUT)/sigcomm2017/program.pdf docs/sigcomm-monday-1
	pdftoppm -png -r 60 -f 7 -l 7 -singlefile $(OUT)/sigcomm2017/program.pdf docs/sigcomm-monday-2
	pdftoppm -png -r 60 -f 9 -l 9 -singlefile $(OUT)/sigcomm2017/program.pdf docs/sigcomm-wednesday
	pdftoppm -png -r 45 -f 2 -l 2 -singlefile $(OUT)/sigcomm2017/door-signs.pdf docs/door-sign

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
	find $(OUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

# The benchmark: synthetic programs of 20, 200 and 1,500 papers against the TeX floor (see benchmarks/README.md).
bench: setup
	$(PY) benchmarks/bench.py
