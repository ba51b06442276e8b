#!/usr/bin/env python3
"""Latency of the guardrail on a 40-turn history (make bench).

Measures one check of an interviewer message, median and p99 over many calls:
  - in process, through the Python package (`Rubric.check_turn`), after the rubric
    is loaded, when the package is importable;
  - through `debrief guard`, one request line written and its verdict line read back
    on an open process (what a Node or Go agent pays, pipes included).

usage: guard_latency.py DEBRIEF_BIN [CALLS]
"""
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def history_of(turns: int) -> list:
    """A realistic history: a real interview's turns, repeated to `turns` turns."""
    # Question and answer pairs: the interview without its closing turn.
    source = json.loads((ROOT / "fixtures/interviews/strong_staff_fraud.json").read_text())["turns"]
    history = []
    while len(history) < turns:
        history.extend({"speaker": t["speaker"], "text": t["text"]} for t in source[:-1])
    # The message answers a candidate: the history ends on the candidate's turn.
    history = history[:turns]
    while history[-1]["speaker"] != "candidate":
        history.pop()
    return history


def summary(name: str, seconds: list) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"{name:<34} median {statistics.median(ms):7.3f} ms   p99 {p99:7.3f} ms   ({len(ms)} calls)"


def main() -> None:
    binary, calls = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    history = history_of(40)
    messages = [
        "Correct. How would you monitor this model once it is deployed?",
        "Great explanation! Have you considered a time-based split? And what about drift?",
    ]
    print(f"guardrail latency, history of {len(history)} turns")
    try:
        import debrief
    except ImportError:
        print("python package: not installed (pip install .); skipped")
    else:
        rubric = debrief.Rubric.default()
        took = []
        for i in range(calls):
            start = time.perf_counter()
            rubric.check_turn(history, messages[i % 2])
            took.append(time.perf_counter() - start)
        print(summary("Rubric.check_turn (Python)", took))
    process = subprocess.Popen(
        [binary, "guard"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
    )
    lines = [json.dumps({"history": history, "message": m}) + "\n" for m in messages]
    took = []
    for i in range(calls):
        start = time.perf_counter()
        process.stdin.write(lines[i % 2])
        process.stdin.flush()
        process.stdout.readline()
        took.append(time.perf_counter() - start)
    process.stdin.close()
    process.wait()
    print(summary("debrief guard (one line, pipes)", took))


if __name__ == "__main__":
    main()
