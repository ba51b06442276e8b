#!/usr/bin/env python3
"""Exchange quality against an expert's rating of the community answers.

Grades each answer in shared/corpus/dsi-theory-qa.jsonl as a two-turn transcript
(the question, then the answer) and compares debrief's exchange quality with the
ratings in fixtures/corpus-ratings/dsi-theory-qa.expert.jsonl: Spearman's rank
correlation (ties get average ranks), band agreement (>80 / 60-80 / <60), and the
mean quality of answers the expert found a factual error in against the rest.

Usage: corpus_agreement.py DEBRIEF [CORPUS] [RATINGS]   (standard library only)
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb)


def main():
    debrief = sys.argv[1]
    corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared/corpus/dsi-theory-qa.jsonl"
    ratings_path = (
        Path(sys.argv[3]) if len(sys.argv) > 3 else ROOT / "fixtures/corpus-ratings/dsi-theory-qa.expert.jsonl"
    )
    if not corpus.exists():
        print(f"community answers: {corpus} not found; skipped")
        return 0
    lines = []
    for number, line in enumerate(corpus.read_text().splitlines(), 1):
        entry = json.loads(line)
        lines.append(json.dumps({
            "id": f"dsi-{number}",
            "turns": [
                {"speaker": "interviewer", "text": entry["question"]},
                {"speaker": "candidate", "text": entry["answer"]},
            ],
        }))
    done = subprocess.run(
        [debrief, "grade", "-", "--input-format", "jsonl", "--format", "jsonl", "--quiet"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, check=True,
    )
    quality = {}
    for line in done.stdout.splitlines():
        e = json.loads(line)
        quality[int(e["id"].split("-")[1])] = e["exchanges"][0]["quality"] if e["exchanges"] else 0
    ratings = [json.loads(l) for l in ratings_path.read_text().splitlines() if l.strip()]
    ours = [quality[r["line"]] for r in ratings]
    theirs = [r["quality"] for r in ratings]

    def band(q):
        return "high" if q > 80 else "incomplete" if q >= 60 else "incorrect"

    same_band = sum(band(q) == r["band"] for q, r in zip(ours, ratings))
    wrong = [q for q, r in zip(ours, ratings) if r["factual_error"]]
    right = [q for q, r in zip(ours, ratings) if not r["factual_error"]]
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
    print(f"community answers ({len(ratings)}, rated by {ratings_path.name}):")
    print(f"  exchange quality vs expert quality, Spearman: {spearman(ours, theirs):.2f}")
    print(f"  same band (>80 / 60-80 / <60): {same_band}/{len(ratings)}")
    print(f"  mean quality, answers with a factual error: {mean(wrong):.1f} ({len(wrong)}); without: {mean(right):.1f} ({len(right)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
