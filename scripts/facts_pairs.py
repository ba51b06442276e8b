#!/usr/bin/env python3
"""Right and wrong answers to the same question: does debrief score the wrong one lower?

Reads a pairs file (JSON Lines of {"pair", "question", "right", "wrong", "error"}),
grades each answer as a two-turn transcript (the question, then the answer), and
reports: in how many pairs the wrong answer's exchange quality is at least 10 points
below the right one's; for how many wrong answers a factual error is reported; for how
many right answers one is (false alarms); then every pair.

Usage: facts_pairs.py DEBRIEF [PAIRS]   (standard library only)
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    debrief = sys.argv[1]
    pairs_path = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "fixtures/facts-pairs/2026-12-07/pairs.jsonl"
    pairs = [json.loads(line) for line in pairs_path.read_text().splitlines() if line.strip()]
    lines = []
    for p in pairs:
        for side in ("right", "wrong"):
            lines.append(json.dumps({
                "id": f"{p['pair']}-{side}",
                "turns": [
                    {"speaker": "interviewer", "text": p["question"]},
                    {"speaker": "candidate", "text": p[side]},
                ],
            }))
    done = subprocess.run(
        [debrief, "grade", "-", "--input-format", "jsonl", "--format", "jsonl", "--quiet"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, check=True,
    )
    graded = {}
    for line in done.stdout.splitlines():
        e = json.loads(line)
        quality = e["exchanges"][0]["quality"] if e["exchanges"] else 0
        graded[e["id"]] = (quality, len(e.get("factual_errors") or []))
    below = flagged_wrong = flagged_right = 0
    rows = []
    for p in pairs:
        qr, er = graded[f"{p['pair']}-right"]
        qw, ew = graded[f"{p['pair']}-wrong"]
        below += qw <= qr - 10
        flagged_wrong += ew > 0
        flagged_right += er > 0
        rows.append(f"  {p['pair']}: right {qr} ({er} errors), wrong {qw} ({ew} errors)")
    n = len(pairs)
    print(f"right/wrong pairs ({n}, {pairs_path.parent.name}):")
    print(f"  wrong answer at least 10 quality points below the right one: {below}/{n}")
    print(f"  factual error reported on the wrong answer: {flagged_wrong}/{n}")
    print(f"  factual error reported on the right answer: {flagged_right}/{n}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
