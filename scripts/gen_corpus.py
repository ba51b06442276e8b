#!/usr/bin/env python3
"""Deterministic benchmark corpus: copies of the bundled fixtures with varied ids and
candidate names, in all input formats: native and chat-log JSON, JSON Lines, markdown
(fixtures/interviews), and WebVTT, SRT, meeting text and speech-to-text JSON
(fixtures/formats, without the two files that are meant to fail).

usage: gen_corpus.py OUT_DIR COUNT [SEED]
"""
import json
import pathlib
import random
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAMES = ["Ana Ruiz", "Ben Okafor", "Chen Wei", "Dara Singh", "Eli Cohen", "Fatima Noor",
         "Gus Lind", "Hana Sato", "Ivan Petrov", "Jo Adams", "Kai Müller", "Lena Berg"]


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    refused = {"ambiguous.vtt", "no_speakers.srt"}
    sources = sorted((ROOT / "fixtures" / "interviews").iterdir()) + sorted(
        p for p in (ROOT / "fixtures" / "formats").rglob("*")
        if p.is_file() and p.name not in refused
    )
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    while written < count:
        source = sources[written % len(sources)]
        candidate = rng.choice(NAMES)
        folder = out / f"{written // 1000:04d}"
        folder.mkdir(exist_ok=True)
        stem = f"t{written:06d}"
        text = source.read_text(encoding="utf-8")
        if source.suffix == ".json":
            doc = json.loads(text)
            doc["id"] = stem
            doc["candidate"] = candidate
            (folder / f"{stem}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        elif source.suffix == ".jsonl":
            lines = []
            for i, line in enumerate(text.splitlines()):
                doc = json.loads(line)
                doc["id"] = f"{stem}-{i}"
                doc["candidate"] = candidate
                lines.append(json.dumps(doc, ensure_ascii=False))
            (folder / f"{stem}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        elif source.suffix == ".md":
            text = text.replace("\nid: ", f"\nid: {stem}-", 1)
            (folder / f"{stem}.md").write_text(text, encoding="utf-8")
        else:
            # Captions and exports carry no id: the file stem is the id.
            (folder / f"{stem}{source.suffix}").write_bytes(source.read_bytes())
        written += 1


if __name__ == "__main__":
    main()
