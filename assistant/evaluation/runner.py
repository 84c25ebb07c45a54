"""Run cases through the answer engine, in process, the way `ask` and `chat` do."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.evaluation.checks import Check, check_answer, misleads
from assistant.evaluation.suite import Case
from assistant.evaluation.text import detect_language
from assistant.inputs import clean_text
from assistant.model import INVALID_INPUT
from ingest.errors import InvalidInputError

RETRIEVAL_K = 5


class Asks(Protocol):
    def ask(self, question: str, language: str | None = None) -> Any: ...


class _AskedOf:
    """Single questions asked of one chosen report."""

    def __init__(self, engine: Any, report: str) -> None:
        self.engine, self.report = engine, report

    def ask(self, question: str, language: str | None = None) -> Any:
        return self.engine.ask(question, language, report=self.report)


class EngineLike(Asks, Protocol):
    """What the runner needs of the engine: `ask`, `conversation()` and a retriever."""

    retriever: Any

    def conversation(self) -> Asks: ...


@dataclass(frozen=True)
class TurnResult:
    """One question asked, the answer in the JSON contract, and its checks."""

    question: str
    answer: Mapping[str, Any] | None  # None when the engine failed
    checks: tuple[Check, ...]
    wall_ms: float
    misleads: tuple[str, ...] = ()  # checks.ERROR_KINDS: a wrong figure, a missed refusal...

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


@dataclass(frozen=True)
class Retrieval:
    """Whether a cited paragraph is among the retriever's top hits for the question."""

    expected: tuple[int, ...]
    retrieved: tuple[int | None, ...]
    error: str | None = None

    @property
    def hit(self) -> bool:
        return any(p in self.expected for p in self.retrieved)


@dataclass(frozen=True)
class CaseResult:
    """A case's outcome: every turn, and retrieval when paragraphs are expected."""

    case: Case
    turns: tuple[TurnResult, ...]
    retrieval: Retrieval | None
    language: str | None  # the language the case's questions are written in

    @property
    def passed(self) -> bool:
        return len(self.turns) == len(self.case.turns) and all(t.passed for t in self.turns)

    @property
    def reason(self) -> str:
        """Why the case failed, in one line ('' when it passed)."""
        for number, turn in enumerate(self.turns, 1):
            failed = [c for c in turn.checks if not c.passed]
            if failed:
                where = f"turn {number}: " if self.case.conversation else ""
                return where + "; ".join(f"{c.name}: {c.detail}" for c in failed)
        return ""

    @property
    def wall_ms(self) -> float:
        return sum(t.wall_ms for t in self.turns)

    @property
    def misleads(self) -> tuple[str, ...]:
        """Every way one of its turns misleads (checks.ERROR_KINDS), each named once."""
        return tuple(dict.fromkeys(kind for t in self.turns for kind in t.misleads))


def run_cases(
    cases: list[Case],
    engine: EngineLike,
    on_result: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Ask every case's questions and check the answers; one failing case never stops the run."""
    results = []
    for case in cases:
        result = run_case(case, engine)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def run_case(case: Case, engine: EngineLike) -> CaseResult:
    """One case: a single question through `engine.ask`, or turns through one conversation."""
    language = next((lang for t in case.turns if (lang := detect_language(t.question))), None)
    try:
        if case.conversation:
            asker: Asks = (
                engine.conversation(report=case.report) if case.report else (engine.conversation())
            )
        else:
            asker = _AskedOf(engine, case.report) if case.report else engine
    except Exception as exc:
        crash = _crash(case.turns[0].question, exc, 0.0)
        return CaseResult(case, (crash,), None, language)
    turns: list[TurnResult] = []
    for turn in case.turns:
        result = _ask(asker, turn.question)
        if result.answer is not None:
            result = TurnResult(
                result.question,
                result.answer,
                check_answer(result.answer, turn.expect),
                result.wall_ms,
                misleads(result.answer, turn.expect, turn.question),
            )
        turns.append(result)
        if result.answer is None:
            break  # later turns depend on this one
    retrieval = None if case.conversation or case.report else _retrieval(case, engine)
    return CaseResult(case, tuple(turns), retrieval, language)


def _ask(asker: Asks, question: str) -> TurnResult:
    question = clean_text(question)  # as every entry point hands a question on
    started = time.perf_counter()
    try:
        answer = asker.ask(question)
        payload = answer.as_json() if hasattr(answer, "as_json") else dict(answer)
    except InvalidInputError as exc:  # refused before answering: the user sees the message
        payload = {
            "question": question,
            "language": detect_language(question) or "",
            "status": INVALID_INPUT,
            "answer": str(exc),
            "citations": [],
            "figures": [],
            "timing_ms": 0.0,
        }
    except Exception as exc:  # a crash is a result to report, not to raise
        return _crash(question, exc, (time.perf_counter() - started) * 1000)
    return TurnResult(question, payload, (), (time.perf_counter() - started) * 1000)


def _crash(question: str, exc: Exception, wall_ms: float) -> TurnResult:
    error = Check("error", False, f"the engine raised {type(exc).__name__}: {exc}")
    return TurnResult(question, None, (error,), wall_ms)


def _retrieval(case: Case, engine: EngineLike) -> Retrieval | None:
    expected = case.turns[0].expect.expected_paragraphs()
    if not expected:
        return None
    try:
        hits = engine.retriever.search(case.turns[0].question, k=RETRIEVAL_K)
    except Exception as exc:
        return Retrieval(expected, (), f"{type(exc).__name__}: {exc}")
    return Retrieval(expected, tuple(getattr(h, "paragraph", None) for h in hits))
