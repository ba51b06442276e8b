# debrief: make run (grade the bundled fixtures), make test (what CI runs), make bench.
CARGO ?= cargo

.PHONY: run test fmt bench build eval audit

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

## Agreement with the labeled sets: recommendation, red flags, production experience, breaches.
eval: build
	./target/release/debrief eval fixtures/labeled

## Interviewer compliance of the bundled fixtures, per interviewer, as markdown.
audit: build
	./target/release/debrief audit fixtures/interviews fixtures/labeled --by interviewer --format md

fmt:
	$(CARGO) fmt --all

## End-to-end throughput on a generated corpus (see scripts/bench.sh).
bench: build
	bash scripts/bench.sh
