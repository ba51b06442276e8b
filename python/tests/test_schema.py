"""The published JSON Schema, docs/schema/evaluation.json, against what the command line
writes: it accepts the output of grading every fixture (the JSON document, with and
without --with-transcript, and each JSON Lines record), names every field written, and
rejects broken documents.

That the file is what `debrief schema` generates is a Rust test
(tests/integration/schema.rs); the command line is DEBRIEF_BIN, as in test_debrief.py."""

from __future__ import annotations

import copy
import json
import os
import subprocess

import pytest

try:
    import jsonschema
except ImportError as missing:  # an older .venv, made before jsonschema joined it
    raise ImportError(
        "jsonschema is not installed in the test environment: rm -rf .venv && make python"
    ) from missing

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.environ.get("DEBRIEF_BIN", os.path.join(TARGET, "debug", "debrief"))
SCHEMA = os.path.join(ROOT, "docs", "schema", "evaluation.json")
# What the baseline grades, then inputs that fail (error records) and the caption,
# meeting-export and speech-to-text formats (speaker attribution).
GRADED = ["fixtures/interviews", "fixtures/labeled"]
MORE = ["fixtures/bad", "fixtures/formats"]


def grade(*args: str) -> str:
    done = subprocess.run(
        [BIN, "grade", "--quiet", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode in (0, 3), done.stderr  # 3: some inputs failed
    return done.stdout


@pytest.fixture(scope="module")
def schema() -> dict:
    with open(SCHEMA, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def validator(schema) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def evaluation_validator(schema) -> jsonschema.Draft202012Validator:
    """One JSON Lines record: the document's `#/$defs/Evaluation`, closed."""
    record = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/Evaluation"}
    return jsonschema.Draft202012Validator(closed(record))


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(grade(*GRADED, "--format", "json"))


def closed(schema):
    """The schema with `additionalProperties: false` on every object that lists its
    properties: output valid against it has no field the schema does not name."""
    if isinstance(schema, dict):
        out = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [closed(value) for value in schema]
    return schema


def problems(validator, instance) -> list:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
        for error in validator.iter_errors(instance)
    ]


def test_the_schema_accepts_the_graded_fixtures(schema, validator, document):
    assert len(document["evaluations"]) > 100
    assert problems(validator, document) == []
    strict = jsonschema.Draft202012Validator(closed(schema))
    assert problems(strict, document) == []
    # What the fixtures hold, so the schema is checked against it: attributed
    # speakers, timing findings, insufficient interviews.
    evaluations = document["evaluations"]
    assert any(e["speakers"] for e in evaluations)
    assert any(e["compliance"]["timing"] for e in evaluations)
    assert any(e["assessment"] == "insufficient" for e in evaluations)


def test_the_schema_accepts_the_document_with_transcripts(schema):
    document = json.loads(grade(*GRADED, *MORE, "--format", "json", "--with-transcript"))
    graded = [e for e in document["evaluations"] if e["status"] == "ok"]
    assert graded and all("transcript" in e for e in graded)
    strict = jsonschema.Draft202012Validator(closed(schema))
    assert problems(strict, document) == []


def test_the_schema_accepts_failed_inputs_and_every_format(schema):
    document = json.loads(grade(*MORE, "--format", "json"))
    assert any(e["status"] == "error" for e in document["evaluations"])
    strict = jsonschema.Draft202012Validator(closed(schema))
    assert problems(strict, document) == []


def test_each_json_lines_record_is_an_evaluation(evaluation_validator):
    lines = grade(*GRADED, *MORE, "--format", "jsonl", "--with-transcript").splitlines()
    assert len(lines) > 100
    for line in lines:
        assert problems(evaluation_validator, json.loads(line)) == [], line[:200]


def one_graded(document: dict) -> dict:
    """The document with one evaluation: the first graded one with exchanges and red flags."""
    evaluation = next(
        e
        for e in document["evaluations"]
        if e["status"] == "ok" and e["exchanges"] and e["red_flags"]
    )
    return {**document, "evaluations": [copy.deepcopy(evaluation)]}


def set_at(instance, path: list, value) -> None:
    for key in path[:-1]:
        instance = instance[key]
    instance[path[-1]] = value


def delete_at(instance, path: list) -> None:
    for key in path[:-1]:
        instance = instance[key]
    del instance[path[-1]]


# Each mutation of a real document, and the path it breaks.
MUTATIONS = {
    "a score of 7": ("set", ["scores", "communication"], 7),
    "a score of 0": ("set", ["scores", "ml_fundamentals"], 0),
    "a score as text": ("set", ["scores", "math_foundation"], "4"),
    "recommendation Maybe": ("set", ["recommendation"], "Maybe"),
    "recommendation in lower case": ("set", ["recommendation"], "strong yes"),
    "status pending": ("set", ["status"], "pending"),
    "no recommendation field": ("delete", ["recommendation"], None),
    "no scores field": ("delete", ["scores"], None),
    "no id": ("delete", ["id"], None),
    "a scores object without a dimension": ("delete", ["scores", "communication"], None),
    "a red flag turn as text": ("set", ["red_flags", 0, "turn"], "3"),
    "a red flag basis guessed": ("set", ["red_flags", 0, "basis"], "inferred"),
    "an exchange band excellent": ("set", ["exchanges", 0, "band"], "excellent"),
    "an exchange in phase 5": ("set", ["exchanges", 0, "phase"], 5),
    "an exchange quality of 101": ("set", ["exchanges", 0, "quality"], 101),
    "evidence for an unknown dimension": ("set", ["evidence", "maths"], []),
    "a transcript of null": ("set", ["transcript"], None),
    "production experience maybe": ("set", ["production_experience"], "maybe"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_schema_rejects_a_broken_document(validator, document, name):
    action, path, value = MUTATIONS[name]
    broken = one_graded(document)
    assert problems(validator, broken) == []
    evaluation = broken["evaluations"][0]
    if action == "set":
        set_at(evaluation, path, value)
    else:
        delete_at(evaluation, path)
    errors = list(validator.iter_errors(broken))
    assert errors, f"{name}: accepted"
    # Rejected for the change made: each error lies on the changed path (an error
    # about a missing field is the object's, one level up).
    where = ["evaluations", 0, *path]
    for error in errors:
        at = list(error.absolute_path)
        assert where[: len(at)] == at, f"{name}: {at}: {error.message[:200]}"


def test_the_schema_rejects_a_document_without_provenance(validator, document):
    for key in ("debrief", "rubric", "evaluations"):
        broken = {k: v for k, v in document.items() if k != key}
        assert list(validator.iter_errors(broken)), key
