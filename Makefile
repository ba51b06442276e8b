# debrief: make run (grade the bundled fixtures), make test (what CI runs), make bench.
CARGO ?= cargo

.PHONY: run test fmt bench build eval audit baseline report-demo

# The graded fixtures the baseline is compared with.
GRADED := fixtures/interviews fixtures/labeled

build:
	$(CARGO) build --release

## Grade the bundled fixtures with the embedded default rubric, as CSV on stdout.
run: build
	./target/release/debrief grade fixtures/interviews --format csv

## Format check, clippy and rustdoc with warnings as errors, every test.
test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet
	$(CARGO) test --all-targets
	$(CARGO) build --quiet
	./target/debug/debrief grade $(GRADED) --quiet --baseline fixtures/baseline.json -o target/graded-fixtures.json

## Re-grade the fixtures into fixtures/baseline.json (commit it with the change that moved them).
baseline:
	$(CARGO) build --quiet
	./target/debug/debrief grade $(GRADED) --quiet -o fixtures/baseline.json

## Agreement with the labeled sets: recommendation, red flags, production experience, breaches.
eval: build
	./target/release/debrief eval fixtures/labeled

## Interviewer compliance of the bundled fixtures, per interviewer, as markdown.
audit: build
	./target/release/debrief audit fixtures/interviews fixtures/labeled --by interviewer --format md

## A report of the fixtures, and a screenshot of it (needs chromium).
report-demo: build
	mkdir -p target/report-demo
	./target/release/debrief grade fixtures/interviews fixtures/labeled --quiet -o target/report-demo/report.html
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir=target/report-demo/profile --window-size=1280,2400 \
	  --screenshot=target/report-demo/report.png file://$(CURDIR)/target/report-demo/report.html
	@echo "wrote target/report-demo/report.html and target/report-demo/report.png"

fmt:
	$(CARGO) fmt --all

## End-to-end throughput on a generated corpus (see scripts/bench.sh).
bench: build
	bash scripts/bench.sh
