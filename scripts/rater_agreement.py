#!/usr/bin/env python3
"""A second rater's agreement with a labeled set's labels: the ceiling for that set.

The second rater grades the set's transcripts blind (without the labels) and writes a
JSON object mapping each file name (`FILE.jsonl#N` for line N of a JSON Lines
file) to its own labels in debrief's `expect` shape
(recommendation, red_flags, production_experience, breaches: [{rule, turn}]).
This script compares them with the set's labels (each transcript's `expect` key, or
its `<file>.expect.yaml` sidecar) using the measures `debrief eval` prints.

Usage: rater_agreement.py SET_DIR RATINGS.json   (needs PyYAML for markdown/sidecars)
"""
import json
import re
import sys
from pathlib import Path

import yaml

ORDER = ["Strong No", "No", "Neutral", "Yes", "Strong Yes"]


def labels_of(path: Path, line: int = 0):
    if line:
        rows = [r for r in path.read_text().splitlines() if r.strip()]
        return json.loads(rows[line - 1]).get("expect")
    sidecar = Path(str(path) + ".expect.yaml")
    if sidecar.exists():
        return yaml.safe_load(sidecar.read_text())["expect"]
    text = path.read_text()
    if path.suffix == ".json":
        return json.loads(text).get("expect")
    if path.suffix == ".md":
        m = re.match(r"---\n(.*?)\n---\n", text, re.S)
        return (yaml.safe_load(m.group(1)) or {}).get("expect") if m else None
    return None


def kappa(pairs, k=5):
    n = len(pairs)
    if n == 0:
        return float("nan")
    obs = [[0] * k for _ in range(k)]
    for a, b in pairs:
        obs[a][b] += 1
    ra = [sum(obs[i]) for i in range(k)]
    rb = [sum(obs[i][j] for i in range(k)) for j in range(k)]
    w = lambda i, j: (i - j) ** 2 / (k - 1) ** 2
    o = sum(w(i, j) * obs[i][j] for i in range(k) for j in range(k)) / n
    e = sum(w(i, j) * ra[i] * rb[j] for i in range(k) for j in range(k)) / n / n
    return 1 - o / e if e else float("nan")


def main():
    root, ratings = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
    within = n_rec = 0
    pairs = []
    ftp = ffp = ffn = 0
    prod_right = prod_n = 0
    btp = bfp = bfn = 0
    clean_with_breach = 0
    for name, rated in sorted(ratings.items()):
        # A transcript on line N of a JSON Lines file is rated as "FILE.jsonl#N".
        file, _, line = name.partition("#")
        path = next(root.rglob(file))
        want = labels_of(path, int(line or 0)) or {}
        if "recommendation" in want and rated.get("recommendation"):
            n_rec += 1
            ok = set(want.get("acceptable", [])) | {want["recommendation"]}
            within += rated["recommendation"] in ok
            pairs.append((ORDER.index(want["recommendation"]), ORDER.index(rated["recommendation"])))
        if "red_flags" in want and "red_flags" in rated:
            a, b = set(want["red_flags"]), set(rated["red_flags"])
            ftp += len(a & b); ffp += len(b - a); ffn += len(a - b)
        if "production_experience" in want and rated.get("production_experience"):
            prod_n += 1
            prod_right += want["production_experience"] == rated["production_experience"]
        if "breaches" in want and "breaches" in rated:
            a = {(x["rule"], x["turn"]) for x in want["breaches"]}
            b = {(x["rule"], x["turn"]) for x in rated["breaches"]}
            btp += len(a & b); bfp += len(b - a); bfn += len(a - b)
            clean_with_breach += (not a) and bool(b)
    ratio = lambda x, y: f"{x / y:.2f}" if y else "n/a"
    if n_rec:
        print(f"recommendation (n={n_rec}): within acceptable {within}/{n_rec}, "
              f"quadratic weighted kappa {kappa(pairs):.2f}")
    if ftp + ffp + ffn:
        print(f"red flags: precision {ratio(ftp, ftp + ffp)}, recall {ratio(ftp, ftp + ffn)}")
    if prod_n:
        print(f"production experience: {prod_right}/{prod_n}")
    if btp + bfp + bfn:
        print(f"breaches: precision {ratio(btp, btp + bfp)}, recall {ratio(btp, btp + bfn)}, "
              f"clean interviews with a breach {clean_with_breach}")


if __name__ == "__main__":
    main()
