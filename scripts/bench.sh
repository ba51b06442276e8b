#!/usr/bin/env bash
# End-to-end benchmark of `debrief grade` on a generated corpus.
# Reports transcripts/s, MB/s and peak resident memory per output format and --jobs,
# and, when ripgrep is installed, the time rg takes to scan the same files for the
# rubric's literal phrases, as the cost of reading the text once.
#
# usage: scripts/bench.sh [COUNT]   (default 2000 files; BENCH_DIR to reuse a corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
dir=${BENCH_DIR:-bench-out/corpus-$count}
bin=target/release/debrief
[ -x "$bin" ] || cargo build --release
if [ ! -d "$dir" ]; then
  python3 scripts/gen_corpus.py "$dir" "$count"
fi
bytes=$(du -sb "$dir" | cut -f1)
transcripts=$("$bin" grade "$dir" --format jsonl --quiet | wc -l)
mb=$(awk "BEGIN { printf \"%.1f\", $bytes / 1048576 }")
echo "corpus: $dir, $count files, $transcripts transcripts, $mb MB"
printf '%-6s %-5s %9s %14s %9s %12s\n' format jobs seconds transcripts/s MB/s peak_rss_MB
for format in csv jsonl json; do
  for jobs in 1 default; do
    args=(grade "$dir" --format "$format" --quiet -o /dev/null)
    [ "$jobs" = default ] || args+=(--jobs "$jobs")
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o bench-out/rss "$bin" "${args[@]}" || true
    end=$(date +%s.%N)
    secs=$(awk "BEGIN { printf \"%.3f\", $end - $start }")
    rss=$(awk '{ printf "%.1f", $1 / 1024 }' bench-out/rss)
    printf '%-6s %-5s %9s %14.0f %9.1f %12s\n' "$format" "$jobs" "$secs" \
      "$(awk "BEGIN { print $transcripts / $secs }")" "$(awk "BEGIN { print $mb / $secs }")" "$rss"
  done
done
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
  start=$(date +%s.%N)
  rg -c -i -F -f bench-out/phrases.txt "$dir" > /dev/null || true
  end=$(date +%s.%N)
  echo "ripgrep over the same files: $(awk "BEGIN { printf \"%.3f\", $end - $start }")s"
else
  echo "ripgrep not installed (apt-get install ripgrep) : no reference time"
fi
