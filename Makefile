# make test [LANG=go] [PATTERN=timeout] [RUNTIME=auto|local|docker] [TICK_MS=50]   run the patterns
# make check                 the harness's own tests (no Docker engine needed)
# make report [RESULTS=..] [OUT=..]   the HTML report of a run (default: the last `make test`), path last
# make standin-images        build local stand-ins of the official images and use them (offline machines)
# make check-docker          the harness's own tests of the docker runtime, through a real engine
# make lint                  each language's formatter over the harness and the snippets
# make mutate [PATTERN=..] [LANG=..]   every declared mutant must be killed by a trace difference
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

# LANG is also the locale variable: only a LANG given on the command line selects a language,
# and the programs we start get a sane locale back.
ifeq ($(origin LANG),command line)
SUITE_LANG := $(LANG)
override LANG := C.UTF-8
endif

SELECT := $(if $(SUITE_LANG),--lang=$(SUITE_LANG)) $(if $(PATTERN),--pattern=$(PATTERN)) \
          $(if $(RUNTIME),--runtime=$(RUNTIME)) $(if $(TICK_MS),--tick-ms=$(TICK_MS))

.PHONY: test check check-docker standin-images lint mutate report venv clean
test: $(VENV)/.installed
	$(PY) -m pytest patterns $(SELECT) $(PYTEST_ARGS)

mutate: $(VENV)/.installed
	$(PY) -m harness.mutate $(SELECT)

check: $(VENV)/.installed
	$(PY) -m pytest tests -m "not docker" $(PYTEST_ARGS)

check-docker: $(VENV)/.installed
	$(PY) -m pytest tests -m docker $(PYTEST_ARGS)

# Rendered from a results file only, so a saved run renders too; its last line is the index.html.
report: $(VENV)/.installed
	$(PY) -m harness.report $(if $(RESULTS),--results=$(RESULTS)) $(if $(OUT),--out=$(OUT))

# Formatters that ship with the toolchains (and ruff for the Python), checking only.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check harness tests patterns languages
	$(VENV)/bin/ruff format --check harness tests patterns languages
	@out=$$(gofmt -l patterns languages/go tests/wrong_snippets); test -z "$$out" || { echo "gofmt would change: $$out"; exit 1; }
	rustfmt --edition 2021 --check $$(find patterns languages/rust -name '*.rs')

standin-images: $(VENV)/.installed
	$(PY) -m harness.standin

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

clean:
	rm -rf .cache $(VENV)
