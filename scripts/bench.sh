#!/usr/bin/env bash
# End-to-end benchmark of `debrief grade` on a generated corpus (make bench).
#
# Reports, per output format and thread count: wall time, transcripts/s, MB/s and peak
# resident memory; then the time ripgrep takes to scan the same files for the rubric's
# literal phrases (case-insensitive), as the cost of reading the text once, and
# debrief's time as a ratio to it; the speed-up of the default thread count over one
# thread; start-up (process start and rubric load, no transcript); and a one-file run.
#
# usage: scripts/bench.sh [COUNT]     COUNT files (default 2000; 20000 is the large
#        corpus, about 365 MB). BENCH_DIR reuses a corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
dir=${BENCH_DIR:-bench-out/corpus-$count}
bin="${CARGO_TARGET_DIR:-target}/release/debrief"
mkdir -p bench-out
[ -x "$bin" ] || cargo build --release
[ -d "$dir" ] || python3 scripts/gen_corpus.py "$dir" "$count"
if ! command -v rg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y ripgrep >/dev/null 2>&1 || true
fi

seconds() { awk "BEGIN { printf \"%.3f\", $2 - $1 }"; }
now() { date +%s.%N; }

bytes=$(du -sb "$dir" | cut -f1)
transcripts=$("$bin" grade "$dir" --format jsonl --quiet | wc -l)
mb=$(awk "BEGIN { printf \"%.1f\", $bytes / 1048576 }")
echo "corpus: $dir: $count files, $transcripts transcripts, $mb MB"
printf '%-6s %-8s %9s %14s %9s %12s\n' format jobs seconds transcripts/s MB/s peak_rss_MB
declare -A took
for format in csv jsonl json; do
  for jobs in 1 default; do
    args=(grade "$dir" --format "$format" --quiet -o bench-out/out.$format)
    [ "$jobs" = default ] || args+=(--jobs "$jobs")
    start=$(now)
    /usr/bin/time -f '%M' -o bench-out/rss "$bin" "${args[@]}" || true
    secs=$(seconds "$start" "$(now)")
    took[$format-$jobs]=$secs
    rss=$(awk '{ printf "%.1f", $1 / 1024 }' bench-out/rss)
    printf '%-6s %-8s %9s %14.0f %9.1f %12s\n' "$format" "$jobs" "$secs" \
      "$(awk "BEGIN { print $transcripts / $secs }")" "$(awk "BEGIN { print $mb / $secs }")" "$rss"
  done
done
echo "speed-up of the default thread count over --jobs 1 (csv): $(awk "BEGIN { printf \"%.2f\", ${took[csv-1]} / ${took[csv-default]} }")x"

# Median of 21 runs of a command, in ms: this machine's noise is in the mean.
median_ms() {
  local times=() t0 t1
  for _ in $(seq 21); do
    t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 </dev/null || true
    t1=$EPOCHREALTIME
    times+=("$(awk "BEGIN { printf \"%.1f\", ($t1 - $t0) * 1000 }")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 11p
}

# Start-up: process start and loading the embedded rubric, with no transcript to
# grade (empty standard input, which debrief reports as an empty file: exit 3).
echo "start-up (rubric load, no transcript), median of 21: $(median_ms "$bin" grade - --input-format jsonl --quiet -o /dev/null) ms"

# One transcript: start-up, the patterns it needs compiled, grading and output.
one=$(find "$dir" -type f -name '*.json' -print -quit)
echo "one-file run (start-up + one transcript), median of 21: $(median_ms "$bin" grade "$one" --quiet -o /dev/null) ms"

if command -v rg >/dev/null 2>&1; then
  # The rubric's phrase lists (terms, phrases, triggers), one per line.
  python3 - > bench-out/phrases.txt <<'PY'
import re
text = open("rubric.yaml", encoding="utf-8").read()
phrases = set()
for block in re.findall(r"\[([^\]]*)\]", text):
    for item in block.split(","):
        item = item.strip().strip("'\"")
        if len(item) > 2 and re.fullmatch(r"[a-z0-9' .!]+", item):
            phrases.add(item)
print("\n".join(sorted(phrases)))
PY
  start=$(now)
  rg -c -i -F -f bench-out/phrases.txt "$dir" > /dev/null || true
  rg_secs=$(seconds "$start" "$(now)")
  echo "ripgrep, $(wc -l < bench-out/phrases.txt) phrases over the same files: ${rg_secs}s;" \
    "debrief (csv, default jobs) takes $(awk "BEGIN { printf \"%.1f\", ${took[csv-default]} / $rg_secs }")x as long"
else
  echo "ripgrep is not installed (apt-get install ripgrep): no reference time"
fi

# Hostile single turns (issue 18): 1 MB of one phrase repeated with no sentence break.
# Every scan over a turn is linear, so each should grade in well under a second.
python3 - <<'PY'
import json
for name, speaker, unit in [("fairness", "candidate", "fairness does not matter "),
                            ("dropna", "candidate", "dropna "),
                            ("praise", "interviewer", "great explanation ")]:
    turns = [{"speaker": "interviewer", "text": "Explain fairness."},
             {"speaker": "candidate", "text": "It matters."},
             {"speaker": speaker, "text": unit * (1_000_000 // len(unit))}]
    if speaker == "interviewer":
        turns.append({"speaker": "candidate", "text": "ok"})
    json.dump({"turns": turns}, open(f"bench-out/hostile-{name}.json", "w"))
PY
for name in fairness dropna praise; do
  start=$(now)
  "$bin" grade "bench-out/hostile-$name.json" --quiet -o /dev/null || true
  echo "hostile 1 MB turn ($name): $(seconds "$start" "$(now)")s"
done

# One JSON Lines file of 200,000 small transcripts (issue 18): it streams line window
# by line window, so peak memory stays near a batch of small files'.
python3 - <<'PY'
import json
line = json.dumps({"turns": [
    {"speaker": "interviewer", "text": "Explain regularization."},
    {"speaker": "candidate", "text": "It penalises large weights so the model generalises better to new data."}]})
with open("bench-out/many.jsonl", "w") as f:
    f.write((line + "\n") * 200_000)
PY
start=$(now)
/usr/bin/time -f '%M' -o bench-out/rss "$bin" grade bench-out/many.jsonl --quiet --format jsonl -o bench-out/many-out.jsonl || true
echo "one JSON Lines file, 200,000 transcripts ($(du -m bench-out/many.jsonl | cut -f1) MB):" \
  "$(seconds "$start" "$(now)")s, peak $(awk '{ printf "%.0f", $1 / 1024 }' bench-out/rss) MB"
