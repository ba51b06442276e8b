# debrief: make run (grade the bundled fixtures), make test (what CI runs), make bench.
CARGO ?= cargo

.PHONY: run test lint fmt bench build

build:
	$(CARGO) build --release

## Grade the bundled fixtures with the embedded default rubric, as CSV on stdout.
run: build
	./target/release/debrief grade fixtures/interviews --format csv

## Format check, clippy with warnings as errors, every test.
test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) test --all-targets

fmt:
	$(CARGO) fmt --all

## End-to-end throughput on a generated corpus (see scripts/bench.sh).
bench: build
	bash scripts/bench.sh
