# debrief: make run (grade the bundled fixtures), make test (what CI runs), make bench.
CARGO ?= cargo

.PHONY: run test fmt bench build eval fit audit baseline report-demo python python-test schema

# The graded fixtures the baseline is compared with.
GRADED := fixtures/interviews fixtures/labeled
# Where cargo puts binaries: honours CARGO_TARGET_DIR, as cargo does.
TARGET := $(or $(CARGO_TARGET_DIR),target)
RELEASE := $(TARGET)/release/debrief
DEBUG := $(TARGET)/debug/debrief
# The Python package's virtual environment (made by `make python`).
PYTHON ?= python3
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python

build:
	@$(CARGO) build --release --quiet

## Grade the bundled fixtures with the embedded default rubric, as CSV on stdout.
run: build
	@$(RELEASE) grade fixtures/interviews --format csv

## Format check, clippy and rustdoc with warnings as errors, every test.
test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy -p debrief-python -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet
	$(CARGO) test --all-targets
	$(CARGO) build --quiet
	$(DEBUG) grade $(GRADED) --quiet --baseline fixtures/baseline.json -o $(TARGET)/graded-fixtures.json
	$(MAKE) --no-print-directory python-test

## The Python package in .venv: pip install . (maturin builds the extension), with
## pytest, Dask and jsonschema for its tests.
## The test tools are installed every time (a no-op when present), so a .venv made
## before a tool was added still gets it.
python: $(VENV_PYTHON)
	$(VENV_PYTHON) -m pip install --quiet "maturin>=1.5,<2" "pytest>=7" "dask[bag]>=2023.1" "distributed>=2023.1" "jsonschema>=4.18"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV_PYTHON) -m pip install --quiet --no-build-isolation .

$(VENV_PYTHON):
	$(PYTHON) -m venv $(VENV)

## The package against the command line (same evaluations and errors), the guardrail
## against audit, threads, a run on a two-process Dask cluster, and the output
## schema (docs/schema/evaluation.json) against every fixture's output.
python-test: python
	DEBRIEF_BIN=$(CURDIR)/$(DEBUG) $(VENV_PYTHON) -m pytest --quiet -p no:cacheprovider python/tests

## Re-grade the fixtures into fixtures/baseline.json (commit it with the change that moved them).
baseline:
	$(CARGO) build --quiet
	$(DEBUG) grade $(GRADED) --quiet -o fixtures/baseline.json

## The JSON Schema of grade's JSON output, generated from the Rust types, into
## docs/schema/evaluation.json (commit it; a test fails while it is stale).
schema:
	$(CARGO) build --quiet
	@mkdir -p docs/schema
	$(DEBUG) schema > docs/schema/evaluation.json.tmp || { rm -f docs/schema/evaluation.json.tmp; exit 1; }
	@mv docs/schema/evaluation.json.tmp docs/schema/evaluation.json

## Agreement with every labeled set, one set at a time (recommendation, red flags,
## production experience, breaches), then exchange quality against the expert's
## rating of the community answers (shared/corpus, when it is beside the checkout),
## then the right/wrong answer pairs (does a fluent wrong answer score lower?).
eval: build
	@for set in fixtures/interviews fixtures/labeled/*/; do \
	  echo "== $$set"; $(RELEASE) eval $$set || exit 1; echo; \
	done
	@python3 scripts/corpus_agreement.py $(RELEASE)
	@for pairs in fixtures/facts-pairs/*/pairs.jsonl; do \
	  python3 scripts/facts_pairs.py $(RELEASE) $$pairs | head -4; \
	done

## Interviewer compliance of the bundled fixtures, per interviewer, as markdown.
audit: build
	$(RELEASE) audit fixtures/interviews fixtures/labeled --by interviewer --format md

## A report of the fixtures, and a screenshot of it (needs chromium).
report-demo: build
	mkdir -p target/report-demo
	$(RELEASE) grade fixtures/interviews fixtures/labeled --quiet -o target/report-demo/report.html
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir=target/report-demo/profile --window-size=1280,2400 \
	  --screenshot=target/report-demo/report.png file://$(CURDIR)/target/report-demo/report.html
	@echo "wrote target/report-demo/report.html and target/report-demo/report.png"

## Fit the level thresholds to every labeled set and report each set left out
## (writes nothing; add -o FILE to the command to write a fitted rubric).
fit: build
	@$(RELEASE) rubric fit fixtures/interviews fixtures/labeled/scoring fixtures/labeled/validation \
	  fixtures/labeled/blind-2026-12-07/candidates fixtures/labeled/blind-2026-12-07b/candidates \
	  fixtures/labeled/blind-2026-12-07c/candidates

fmt:
	$(CARGO) fmt --all

## End-to-end throughput on a generated corpus (see scripts/bench.sh).
bench: build
	bash scripts/bench.sh
	@if [ -x $(VENV_PYTHON) ]; then $(VENV_PYTHON) scripts/guard_latency.py $(RELEASE); \
	 else python3 scripts/guard_latency.py $(RELEASE); fi
