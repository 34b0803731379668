# make test [LANG=go] [PATTERN=timeout] [RUNTIME=auto|local|docker] [TICK_MS=100]   run the patterns
#      [LANG=go@1.22,python@3.14] [VERSIONS=all]   at named versions; every supported version
#      [JOBS=1] [RESULTS=path] [JUNIT=path]   serial; results.json elsewhere; JUnit XML too
#      [SHARD=2/3]   the second of three slices, split by window time (the same on every machine)
# make bench [LANG=..] [PATTERN=..] [JOBS=..]   naive, serial and parallel runs side by side, and their ratios
# make check                 the harness's own tests (Python only: no other toolchain, no Docker engine)
# make check-runners         the harness's own tests through the real language runners
# make report [RESULTS=..] [OUT=..]   the HTML report of a run (default: the last `make test`), path last
#      [RESULTS=a.json:b.json] [ALLOW_MIXED=1]   several runs' results merged into one report
# make merge RESULTS='a.json:slices/*.json' [OUT=..] [LANG=..] [VERSIONS=all]   runs' results as one; what is missing
# make standin-images [LANG=..] [VERSIONS=all]   local stand-ins of the official images, used from then on
# make check-docker          the harness's own tests of the docker runtime, through a real engine
# make check-versions        the runner conformance tests on every supported version (local, then images)
# make lint                  each language's formatter over the harness and the snippets; the CI workflows
# make ci-local [LANG=go@1.22] [PARALLEL=1]   the CI workflow's jobs run here in the stand-in images, then merged
# make workflow              .github/workflows/suite.yml again from the languages' versions (its job matrix)
# make mutate [PATTERN=..] [LANG=..]   every declared mutant must be killed by a trace difference
# make docs [OUT=.cache/docs] the Markdown reference, rendered from the verified snippets
# make check-docs DOCS="docs/**/*.md" [UPDATE=1]   docs' pattern blocks against the snippets (rewrite)
# make test DOCS="docs/**/*.md"   run the docs' pattern blocks in place of the snippets' regions
# make coverage              which snippets cover each primitive and cross-language pattern
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# pytest with the arguments given, then the words of PYTEST_ARGS: people write those shell-style
# (-k 'a and b', a quoted node id), and Python's shlex splits them, not a shell.
PYTEST := $(PY) -m harness.tools.make_args
# Node.js 24 from the npm registry (its `node` package ships the binary), for the JavaScript
# snippets: they need 22 or newer; languages/javascript/language.yaml looks for it here.
NODE_DIR := .cache/toolchains/node
NODE     := $(NODE_DIR)/node_modules/.bin/node
# ESLint, pinned, for tests/test_regions_javascript.py: a [pattern] region names no undefined name.
ESLINT_DIR := .cache/toolchains/eslint
ESLINT     := $(ESLINT_DIR)/node_modules/eslint/bin/eslint.js
# actionlint, pinned, for make lint: built from its Go module through the module proxy (its PyPI
# wrapper only downloads a release binary from GitHub, which a machine limited to registries lacks).
ACTIONLINT := .cache/toolchains/actionlint/actionlint

# The variables people set are plain text, whatever they hold (quotes, ;, $(...), `...`, newlines,
# spaces, globs, a leading -): make never expands them (a $ stays a $, and needs no doubling), and
# they reach a recipe only through its environment, where the recipe reads them as quoted shell
# parameters ("$$PATTERN"): each arrives at the harness as it was typed, one argument, never as code.
# $(call as_text,VAR): a VAR that is set becomes its own unexpanded text, exported to the recipes.
USER_VARS := PATTERN VERSIONS SHARD RUNTIME TICK_MS JOBS RESULTS JUNIT DOCS UPDATE OUT SCENARIO ID PYTEST_ARGS SANDBOX ALLOW_MIXED PARALLEL
as_text = $(if $(filter undefined,$(origin $1)),,$(eval override $1 := $$(value $1))$(eval export $1))
$(foreach var,$(USER_VARS),$(call as_text,$(var)))

# LANG is also the locale variable: only a LANG given on the command line selects a language
# (as SUITE_LANG, plain text like the others), and the programs we start get a sane locale back.
ifeq ($(origin LANG),command line)
SUITE_LANG := $(value LANG)
override LANG := C.UTF-8
else
SUITE_LANG :=
endif
export SUITE_LANG

SELECT := $(if $(SUITE_LANG),--lang="$$SUITE_LANG") $(if $(PATTERN),--pattern="$$PATTERN") \
          $(if $(RUNTIME),--runtime="$$RUNTIME") $(if $(TICK_MS),--tick-ms="$$TICK_MS")
OUTPUTS := $(if $(SHARD),--shard="$$SHARD") $(if $(JOBS),--jobs="$$JOBS") $(if $(RESULTS),--results="$$RESULTS") $(if $(JUNIT),--junit="$$JUNIT")
UPDATING := $(if $(filter-out 0,$(UPDATE)),--update)
MIXED := $(if $(filter-out 0,$(ALLOW_MIXED)),--allow-mixed)

.PHONY: record new-pattern test merge workflow ci-local bench check check-runners check-versions check-docker standin-images lint mutate report venv clean docs check-docs coverage
test: $(VENV)/.installed $(NODE)
	$(PYTEST) $(SELECT) $(OUTPUTS) $(if $(DOCS),--docs="$$DOCS")

# make record PATTERN=timeout [LANG=go] [SCENARIO=exceeds_deadline] [UPDATE=1]: observed traces in the
# spec's own form (UPDATE=1 writes them into pattern.yaml, for review with git diff)
record: $(VENV)/.installed $(NODE)
	$(PY) -m harness.tools.record $(SELECT) $(if $(SCENARIO),--scenario="$$SCENARIO") $(UPDATING)

# make new-pattern ID=first_success: lays out patterns/first_success/ (spec, a snippet per language, mutants)
new-pattern: $(VENV)/.installed
	@test -n "$$ID" || { echo 'name the new pattern: make new-pattern ID=first_success'; exit 2; }
	$(PY) -m harness.tools.new_pattern -- "$$ID"

bench: $(VENV)/.installed $(NODE)
	$(PY) -m harness.tools.bench $(SELECT) $(if $(JOBS),--jobs="$$JOBS") $(if $(VERSIONS),--versions="$$VERSIONS")

mutate: $(VENV)/.installed $(NODE)
	$(PY) -m harness.tools.mutate $(SELECT)

check: $(VENV)/.installed
	$(PYTEST) tests -m "not docker and not runners"

# The harness's own tests that drive real runners (node, go, cargo, java toolchains).
check-runners: $(VENV)/.installed $(NODE) $(ESLINT)
	$(PYTEST) tests -m "runners and not docker"

# The runner conformance tests on every supported version: the languages whose versions are
# obtained locally, then (an engine and make standin-images VERSIONS=all) those held by images.
check-versions: $(VENV)/.installed $(NODE)
	CONFORMANCE_LANG=versions:local $(PYTEST) tests/test_conformance.py -m "runners and not docker"
	CONFORMANCE_LANG=versions:images $(PYTEST) tests/test_conformance.py -m docker

check-docker: $(VENV)/.installed
	$(PYTEST) tests -m docker

# Rendered from a results file only, so a saved run renders too; its last line is the index.html.
# RESULTS=a.json:b.json (like PATH) merges several runs' files into one report.
report: $(VENV)/.installed
	$(PY) -m harness.tools.report $(if $(RESULTS),--results="$$RESULTS") $(MIXED) $(if $(OUT),--out="$$OUT")

# make merge RESULTS='slices/*/results.json' [OUT=merged.json] [LANG=.. VERSIONS=all PATTERN=..]: several runs'
# results files (SHARD slices, CI jobs) as one; LANG/VERSIONS/PATTERN name what must be there.
merge: $(VENV)/.installed
	$(PY) -m harness.tools.merge $(if $(RESULTS),--results="$$RESULTS") $(if $(OUT),--out="$$OUT") $(MIXED) \
	  $(if $(SUITE_LANG),--lang="$$SUITE_LANG") $(if $(PATTERN),--pattern="$$PATTERN") $(if $(VERSIONS),--versions="$$VERSIONS")

# Formatters that ship with the toolchains (and ruff for the Python), checking only; the workflows
# and the action by actionlint and their JSON schemas, the workflow also against what it is generated from.
lint: $(VENV)/.installed $(ACTIONLINT)
	$(VENV)/bin/ruff check harness tests patterns languages
	$(VENV)/bin/ruff format --check harness tests patterns languages
	@out=$$(gofmt -l patterns languages/go tests/wrong_snippets tests/unloadable_snippets tests/conformance); test -z "$$out" || { echo "gofmt would change: $$out"; exit 1; }
	rustfmt --edition 2021 --check $$(find patterns languages/rust tests/conformance -name '*.rs')
	$(ACTIONLINT) .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-actions action.yml
	$(PY) -m harness.tools.workflow --check

# make ci-local [LANG=go@1.22,...] [PARALLEL=1]: the CI workflow's jobs run here, each slice in its
# image's local stand-in, then the merge; wall times in .cache/ci-local/<when>/timings.json
ci-local: $(VENV)/.installed
	$(PY) -m harness.tools.ci_local $(if $(SUITE_LANG),--lang="$$SUITE_LANG") $(if $(PARALLEL),--parallel="$$PARALLEL")

# make workflow: .github/workflows/suite.yml written again from languages/*/language.yaml (its job matrix)
workflow: $(VENV)/.installed
	$(PY) -m harness.tools.workflow

docs: $(VENV)/.installed
	$(PY) -m harness.tools.docs render $(if $(OUT),--out="$$OUT") $(if $(RESULTS),--results="$$RESULTS")

# DOCS is quoted: the harness expands its globs (** included), not the shell.
check-docs: $(VENV)/.installed
	@test -n "$$DOCS" || { echo 'name the docs to check: make check-docs DOCS="docs/**/*.md"'; exit 2; }
	$(PY) -m harness.tools.docs check $(UPDATING) -- "$$DOCS"

coverage: $(VENV)/.installed
	$(PY) -m harness.tools.coverage $(if $(RESULTS),--results="$$RESULTS")

standin-images: $(VENV)/.installed $(NODE)
	$(PY) -m harness.tools.standin $(if $(SUITE_LANG),--lang="$$SUITE_LANG") $(if $(VERSIONS),--versions="$$VERSIONS")

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Only when missing. Without npm or a registry it says so and goes on: a Node 22+ on PATH still
# serves, and without one the JavaScript scenarios fail saying what to install.
$(NODE):
	@command -v npm >/dev/null && npm install --prefix $(NODE_DIR) --no-save --no-audit --no-fund \
	    --loglevel=error node@24 || echo "note: Node.js 24 not installed in $(NODE_DIR) (JavaScript needs node >= 22)"

$(ACTIONLINT):
	GOBIN=$(abspath $(dir $(ACTIONLINT))) GOTOOLCHAIN=local GOFLAGS=-modcacherw GOMODCACHE=$(abspath .cache/go/mod) \
	  go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

$(ESLINT):
	@command -v npm >/dev/null && npm install --prefix $(ESLINT_DIR) --no-save --no-audit --no-fund \
	    --loglevel=error eslint@10.16.0 || echo "note: ESLint not installed in $(ESLINT_DIR) (the region check needs it)"

clean:
	rm -rf .cache $(VENV)
