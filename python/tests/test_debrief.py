"""The Python package against the command line: same evaluations, same errors, the
guardrail against audit, threads, and a distributed run on Dask.

The command line under comparison is DEBRIEF_BIN (default: target/debug/debrief, which
`make test` builds first)."""

from __future__ import annotations

import concurrent.futures
import glob
import json
import os
import subprocess

import pytest

import debrief

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.environ.get("DEBRIEF_BIN", os.path.join(TARGET, "debug", "debrief"))
GRADED = ["fixtures/interviews", "fixtures/labeled"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *args], cwd=ROOT, capture_output=True, text=True)


def cli_lines(*paths: str) -> list:
    done = cli("grade", *paths, "--format", "jsonl", "--quiet")
    assert done.returncode in (0, 3), done.stderr  # 3: some inputs failed
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def rubric() -> debrief.Rubric:
    return debrief.Rubric.default()


@pytest.fixture(autouse=True)
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_every_fixture_grades_as_the_command_line_grades_it(rubric):
    expected = cli_lines(*GRADED)
    assert len(expected) > 100
    assert rubric.grade_lines(GRADED) == expected
    assert rubric.grade_files(GRADED) == [json.loads(line) for line in expected]


def test_one_file_and_one_dict_grade_as_the_command_line(rubric):
    for path in sorted(glob.glob("fixtures/interviews/*")):
        if path.endswith(".jsonl"):
            continue
        [line] = cli_lines(path)
        assert rubric.grade(path) == json.loads(line), path
    path = "fixtures/interviews/strong_staff_fraud.json"
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    from_dict = rubric.grade(document)
    from_file = rubric.grade(path)
    # A dict has no file behind it: no path, no file digest. The rest is equal.
    for field in ("source", "input_sha256"):
        from_dict.pop(field)
        from_file.pop(field)
    assert from_dict == from_file


def test_bad_files_are_the_command_lines_error_records(rubric):
    bad = sorted(glob.glob("fixtures/bad/*"))
    records = rubric.grade_files(bad)
    assert records == [json.loads(line) for line in cli_lines(*bad)]
    assert any(r["status"] == "error" for r in records)
    for path in bad:
        expected = [json.loads(line) for line in cli_lines(path)]
        if len(expected) != 1:
            continue
        if expected[0]["status"] == "error":
            with pytest.raises(debrief.TranscriptError) as caught:
                rubric.grade(path)
            assert str(caught.value) == expected[0]["error"]
        else:
            assert rubric.grade(path) == expected[0]


def test_errors_are_python_exceptions_with_the_cli_message(rubric, tmp_path):
    with pytest.raises(debrief.TranscriptError, match="no candidate turns"):
        rubric.grade({"id": "t", "turns": [{"speaker": "interviewer", "text": "Q?"}]})
    with pytest.raises(debrief.TranscriptError, match="not JSON data"):
        rubric.grade({"turns": [{"speaker": "candidate", "text": object()}]})
    with pytest.raises(debrief.TranscriptError, match="holds 3 transcripts"):
        rubric.grade("fixtures/interviews/batch_short.jsonl")
    broken = tmp_path / "rubric.yaml"
    broken.write_text("name: x\nversion: 1\nweights: {nonsense: 1}\n")
    done = cli("grade", "--rubric", str(broken), "fixtures/interviews/solid_senior_recsys.md")
    assert done.returncode == 2
    with pytest.raises(debrief.RubricError) as caught:
        debrief.Rubric.load(broken)
    # The command line prints the same lines, each after "error: ".
    assert [f"error: {line}" for line in str(caught.value).splitlines()] == done.stderr.splitlines()
    assert "unknown key 'weights'" in str(caught.value)
    with pytest.raises(debrief.RubricError, match="cannot read the rubric"):
        debrief.Rubric.load(tmp_path / "missing.yaml")
    assert issubclass(debrief.TranscriptError, debrief.DebriefError)
    with pytest.raises(ValueError):
        rubric.grade_files(["fixtures/interviews"], jobs=0)
    with pytest.raises(TypeError):
        rubric.grade_files("fixtures/interviews")


def test_threads_share_one_rubric_and_agree(rubric):
    paths = [p for p in sorted(glob.glob("fixtures/labeled/*/*.json"))][:24]
    alone = [rubric.grade(p) for p in paths]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(rubric.grade, paths))
    assert together == alone
    assert rubric.grade_lines(GRADED, jobs=1) == rubric.grade_lines(GRADED, jobs=2)


def test_audit_lists_the_breaches_the_command_line_lists(rubric):
    for path in sorted(glob.glob("fixtures/labeled/compliance/*.json")):
        [line] = cli_lines(path)
        expected = json.loads(line)["compliance"]["violations"]
        assert rubric.audit(path) == expected, path
        with open(path, encoding="utf-8") as f:
            assert rubric.audit(json.load(f)) == expected, path


def turns_of(document: dict) -> list:
    if "turns" in document:
        return document["turns"]
    return [m for m in document["messages"] if m.get("role") != "system"]


def is_interviewer(turn: dict) -> bool:
    return (turn.get("speaker") or turn.get("role")).lower() in ("interviewer", "assistant")


def test_check_turn_passes_nothing_a_later_audit_finds(rubric):
    """On every interviewer turn of the labeled JSON fixtures: each breach audit
    reports there (the missing conclusion aside) was reported by check_turn on the
    turns before it; on the last interviewer turn the two are equal."""
    checked = 0
    for path in sorted(glob.glob("fixtures/labeled/*/*.json")):
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        try:
            audited = rubric.audit(document)
        except debrief.TranscriptError:
            continue
        history = turns_of(document)
        if any("name" in t and not is_interviewer(t) and t.get("speaker", "").lower() not in ("candidate", "user") for t in history):
            continue
        asked = [i for i, t in enumerate(history) if is_interviewer(t)]
        for at in asked:
            text = history[at].get("text", history[at].get("content"))
            if not isinstance(text, str) or not text.strip():
                continue
            guarded = [
                (b["rule"], b["quote"], b["message"]) for b in rubric.check_turn(history[:at], text)
            ]
            later = [
                (v["rule"], v["quote"], v["message"])
                for v in audited
                if v["turn"] == at and v["rule"] != "missing_conclusion"
            ]
            if at == asked[-1]:
                assert guarded == later, (path, at)
            else:
                assert set(later) <= set(guarded), (path, at)
            checked += 1
    assert checked > 200


def test_check_turn_names_what_the_guide_expects(rubric):
    history = [
        {"speaker": "interviewer", "text": "Explain regularization."},
        {"speaker": "candidate", "text": "It penalises large weights so the model generalises."},
    ]
    breaches = rubric.check_turn(history, "Great explanation! And what about L1?")
    assert [b["rule"] for b in breaches] == ["forbidden_phrase", "hint", "template_mismatch"]
    assert all('"Correct."' in b["expected"] for b in breaches)
    assert rubric.check_turn(history, "Correct. How would you choose the penalty's strength?") == []
    chat = [{"role": "assistant", "content": "Explain regularization."}, {"role": "user", "content": "Penalties on weights."}]
    verdict = rubric.check(chat, "Correct. Next: how would you deploy it?")
    assert verdict["ok"] and verdict["expected"] == "response_template"
    with pytest.raises(debrief.TranscriptError, match="mixes"):
        rubric.check_turn(history + chat, "Correct.")


def test_dask_on_two_worker_processes_writes_the_command_lines_bytes(tmp_path, monkeypatch):
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("dask.distributed")
    # The worker processes import the example's functions by name, as they would
    # import a module installed on a real cluster: they start with this sys.path.
    monkeypatch.syspath_prepend(os.path.join(ROOT, "examples"))
    import dask_grade

    output = tmp_path / "results.jsonl"
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        local_directory=str(tmp_path),
    ) as cluster, distributed.Client(cluster) as client:
        written = dask_grade.grade_archive(
            GRADED, str(output), client, files_per_task=8, timeout=120
        )
        assert len(client.scheduler_info()["workers"]) == 2
    expected = cli("grade", *GRADED, "--format", "jsonl", "--quiet").stdout
    assert output.read_text(encoding="utf-8") == expected
    assert written == len(expected.splitlines())


DOCS_PYTHON = os.path.join(ROOT, "docs", "python.md")


def python_blocks() -> list:
    """The ```python blocks of docs/python.md, in order."""
    with open(DOCS_PYTHON, encoding="utf-8") as f:
        page = f.read()
    return [block.split("\n```", 1)[0] for block in page.split("```python\n")[1:]]


def test_the_docs_first_example_runs(capsys):
    """The first Python block of docs/python.md runs as written."""
    exec(compile(python_blocks()[0], DOCS_PYTHON, "exec"), {})
    out = capsys.readouterr().out
    assert "forbidden_phrase | Great explanation!" in out, out


def test_the_docs_agent_loop_regenerates_until_the_guard_passes(rubric):
    """The agent loop of docs/python.md, with a model that first breaches, then complies."""
    scope: dict = {}
    exec(compile(python_blocks()[1], DOCS_PYTHON, "exec"), scope)
    next_message = scope["next_message"]
    history = [
        {"role": "assistant", "content": "Explain regularization."},
        {"role": "user", "content": "It adds a penalty on large weights to the loss."},
    ]
    prompts = []
    replies = iter(["Great explanation! What about L2?", "Correct. How would you choose its strength?"])

    def llm(prompt):
        prompts.append(prompt)
        return next(replies)

    assert next_message(llm, history, rubric) == "Correct. How would you choose its strength?"
    assert prompts[0] == history
    note = prompts[1][-1]
    assert note["role"] == "system" and prompts[1][:-1] == history, prompts[1]
    assert note["content"].startswith("Rewrite your reply. Breaches: "), note
    assert 'forbidden_phrase: "Great explanation!"' in note["content"], note
    with pytest.raises(RuntimeError, match="no compliant message"):
        next_message(lambda prompt: "Great explanation!", history, rubric, tries=2)
