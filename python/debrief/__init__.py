"""debrief: grade machine-learning technical interviews against a rubric.

The same Rust library as the ``debrief`` command line, in process: a result here is,
field for field, what ``debrief grade --format jsonl`` writes for the same input.

    >>> import debrief
    >>> rubric = debrief.Rubric.default()            # compile once, reuse
    >>> evaluation = rubric.grade({"turns": [...]})  # a dict, or a path
    >>> rubric.check_turn(history, "Correct. Next: how would you deploy it?")
    []

Errors are :class:`TranscriptError` (a transcript that cannot be read or graded) and
:class:`RubricError` (a rubric that cannot be read or is invalid), with the command
line's messages; both derive from :class:`DebriefError`.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from ._debrief import DebriefError, RubricError, TranscriptError, __version__
from ._debrief import Rubric as _Rubric
from ._debrief import discover as _discover

__all__ = [
    "Rubric",
    "discover",
    "DebriefError",
    "TranscriptError",
    "RubricError",
    "__version__",
]

#: A transcript: a dict in the native shape (``{"turns": [{"speaker", "text"}]}``)
#: or the chat-log shape (``{"messages": [{"role", "content"}]}``), or a file path.
Transcript = Union[Mapping[str, Any], str, "os.PathLike[str]"]
#: One turn of a conversation under way: ``{"speaker": "interviewer"|"candidate",
#: "text": ...}`` (optionally ``"at"``), or a chat message ``{"role", "content"}``.
Turn = Mapping[str, Any]
Evaluation = Dict[str, Any]
Breach = Dict[str, Any]


def _source(transcript: Mapping[str, Any]) -> str:
    ident = transcript.get("id")
    return ident if isinstance(ident, str) and ident else "<transcript>"


def _json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TranscriptError(f"{what} is not JSON data: {error}") from None


def discover(paths: Sequence[Union[str, "os.PathLike[str]"]]) -> List[str]:
    """The inputs ``paths`` name, in the order ``debrief grade`` grades them: files as
    given, folders walked in sorted order keeping the files debrief reads. Split this
    list to spread an archive over workers; grading the parts in order and joining
    their :meth:`Rubric.grade_lines` gives the command line's output."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError("discover takes a list of paths")
    return _discover([os.fspath(p) for p in paths])


class Rubric:
    """A compiled rubric. Loading compiles thousands of patterns: load once, reuse it
    from any number of threads (every method releases the GIL while Rust works)."""

    __slots__ = ("_inner",)

    def __init__(self, inner: _Rubric) -> None:
        self._inner = inner

    @classmethod
    def default(cls) -> "Rubric":
        """The rubric compiled into debrief (``debrief rubric print`` shows it)."""
        return cls(_Rubric.default())

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Rubric":
        """A rubric file; raises :class:`RubricError` with every problem found."""
        return cls(_Rubric.load(os.fspath(path)))

    @property
    def name(self) -> str:
        return self._inner.provenance[0]

    @property
    def version(self) -> str:
        return self._inner.provenance[1]

    @property
    def sha256(self) -> str:
        """sha256 of the rubric's text, as the JSON output's ``rubric.sha256``."""
        return self._inner.provenance[2]

    def grade(self, transcript: Transcript, *, level: Optional[str] = None) -> Evaluation:
        """Grades one transcript; returns its evaluation (the JSON contract of
        ``debrief grade``). ``level`` applies when the transcript names none.
        Raises :class:`TranscriptError` when it cannot be read or graded."""
        if isinstance(transcript, Mapping):
            text = _json(transcript, "the transcript")
            return json.loads(self._inner.grade_json(text, _source(transcript), level))
        path = os.fspath(transcript)
        records = [json.loads(line) for line in self._inner.grade_path(path, level)]
        if len(records) != 1:
            raise TranscriptError(
                f"{path}: holds {len(records)} transcripts; grade_files grades them all"
            )
        if records[0].get("status") == "error":
            raise TranscriptError(records[0].get("error") or f"{path}: failed")
        return records[0]

    def grade_files(
        self,
        paths: Sequence[Union[str, "os.PathLike[str]"]],
        jobs: Optional[int] = None,
        *,
        level: Optional[str] = None,
    ) -> List[Evaluation]:
        """Grades files and folders in parallel on ``jobs`` threads (default: one per
        core). Returns every evaluation in input order; a file that fails is an error
        record (``status: "error"``), exactly as the command line writes it."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            raise TypeError("grade_files takes a list of paths")
        return [json.loads(line) for line in self.grade_lines(paths, jobs, level=level)]

    def grade_lines(
        self,
        paths: Sequence[Union[str, "os.PathLike[str]"]],
        jobs: Optional[int] = None,
        *,
        level: Optional[str] = None,
    ) -> List[str]:
        """As :meth:`grade_files`, but each evaluation as the exact line (without its
        newline) that ``debrief grade --format jsonl`` writes: for writers that
        must produce the command line's bytes, such as a distributed run."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            raise TypeError("grade_lines takes a list of paths")
        return self._inner.grade_files([os.fspath(p) for p in paths], jobs, level)

    def audit(self, transcript: Transcript) -> List[Breach]:
        """The interviewer's breaches in one transcript, each with ``rule``, ``turn``,
        ``at``, ``quote`` and ``message``, as ``debrief audit`` lists them."""
        if isinstance(transcript, Mapping):
            text = _json(transcript, "the transcript")
            return json.loads(self._inner.audit_json(text, _source(transcript)))
        return self.grade(transcript)["compliance"]["violations"]

    def check_turn(self, history: Sequence[Turn], message: str) -> List[Breach]:
        """The guardrail: the breaches ``message`` would commit if the interviewer sent
        it now, after ``history``. Each is a dict with ``rule``, ``turn``, ``quote``,
        ``message`` and ``expected`` (what the guide expects at this point, naming the
        templates). An empty list means the message may be sent: the same rules as
        ``audit``, so it will not show up in a later audit (the missing conclusion
        aside, which only the end of the interview decides)."""
        return self.check(history, message)["breaches"]

    def check(self, history: Sequence[Turn], message: str) -> Dict[str, Any]:
        """As :meth:`check_turn`, with the whole verdict: ``ok``, ``expected`` (one of
        ``question``, ``response_template``, ``clarifying_answer``, ``conclusion``,
        ``closing``), ``expected_text`` and ``breaches``; what ``debrief guard`` writes."""
        if not isinstance(message, str):
            raise TypeError("message must be a str")
        text = _json(list(history), "the history")
        return json.loads(self._inner.check_turn_json(text, message))
