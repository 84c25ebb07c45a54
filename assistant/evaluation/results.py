"""Aggregate case results, write them as JSON, and compare them with an earlier run."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.evaluation.checks import (
    FALSE_REFUSAL,
    MISSED_REFUSAL,
    WRONG_FIGURE,
    expected_outcome,
)
from assistant.evaluation.runner import RETRIEVAL_K, CaseResult
from assistant.model import ANSWERED, NOT_IN_REPORT
from ingest.errors import SuiteError

FORMAT_VERSION = 1
_LONG_QUESTION = 2000  # longer questions are shortened in the JSON results


@dataclass(frozen=True)
class Rate:
    """How many of a group of cases passed."""

    cases: int
    passed: int

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    def as_json(self) -> dict:
        return {"cases": self.cases, "passed": self.passed, "pass_rate": round(self.rate, 4)}


@dataclass(frozen=True)
class Misleading:
    """Turns whose answer misleads, by kind (``checks.misleads``), out of the turns asked.

    Each rate is over every turn asked; ``answer_turns`` and ``refusal_turns`` say how many
    turns expected an answer and how many expected ``not_in_report``.
    """

    turns: int
    answer_turns: int
    refusal_turns: int
    wrong_figure: int
    missed_refusals: int
    false_refusals: int

    @classmethod
    def of(cls, results: Iterable[CaseResult]) -> Misleading:
        asked = [
            (turn, case_turn)
            for r in results
            for turn, case_turn in zip(r.turns, r.case.turns, strict=False)  # a crash stops a case
        ]
        outcomes = [expected_outcome(case_turn.expect) for _, case_turn in asked]
        kinds = [kind for turn, _ in asked for kind in turn.misleads]
        return cls(
            turns=len(asked),
            answer_turns=outcomes.count(ANSWERED),
            refusal_turns=outcomes.count(NOT_IN_REPORT),
            wrong_figure=kinds.count(WRONG_FIGURE),
            missed_refusals=kinds.count(MISSED_REFUSAL),
            false_refusals=kinds.count(FALSE_REFUSAL),
        )

    def rate(self, count: int) -> float:
        """A count as a share of the turns asked."""
        return count / self.turns if self.turns else 0.0

    def as_json(self) -> dict:
        return {
            "turns": self.turns,
            "answer_turns": self.answer_turns,
            "refusal_turns": self.refusal_turns,
            **{
                name: {"turns": count, "rate": round(self.rate(count), 4)}
                for name, count in (
                    ("wrong_figure", self.wrong_figure),
                    ("missed_refusals", self.missed_refusals),
                    ("false_refusals", self.false_refusals),
                )
            },
        }


@dataclass(frozen=True)
class Summary:
    """Pass rates overall, by tag and by language; misleading answers; latency; retrieval."""

    overall: Rate
    by_tag: dict[str, Rate]
    by_language: dict[str, Rate]
    latency_p50_ms: float
    latency_p95_ms: float
    retrieval: Rate  # cases whose expected paragraph is in the top hits
    misleading: Misleading | None = None

    @classmethod
    def of(cls, results: list[CaseResult]) -> Summary:
        tags = sorted({t for r in results for t in r.case.tags})
        languages = sorted({r.language or "none" for r in results})
        latencies = [t.wall_ms for r in results for t in r.turns]
        measured = [r.retrieval for r in results if r.retrieval is not None]
        return cls(
            overall=_rate(results),
            by_tag={t: _rate(r for r in results if t in r.case.tags) for t in tags},
            by_language={
                lang: _rate(r for r in results if (r.language or "none") == lang)
                for lang in languages
            },
            latency_p50_ms=percentile(latencies, 50),
            latency_p95_ms=percentile(latencies, 95),
            retrieval=Rate(len(measured), sum(m.hit for m in measured)),
            misleading=Misleading.of(results),
        )

    def as_json(self) -> dict:
        return {
            **self.overall.as_json(),
            "by_tag": {t: r.as_json() for t, r in self.by_tag.items()},
            "by_language": {lang: r.as_json() for lang, r in self.by_language.items()},
            "latency_ms": {
                "p50": round(self.latency_p50_ms, 1),
                "p95": round(self.latency_p95_ms, 1),
            },
            "retrieval": {
                "cases": self.retrieval.cases,
                "k": RETRIEVAL_K,
                f"recall_at_{RETRIEVAL_K}": round(self.retrieval.rate, 4),
            },
            "misleading": self.misleading.as_json() if self.misleading else None,
        }


def _rate(results: Iterable[CaseResult]) -> Rate:
    outcomes = [r.passed for r in results]
    return Rate(len(outcomes), sum(outcomes))


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Comparison:
    """What changed since a baseline run, by case id."""

    regressions: tuple[str, ...]  # passed then, fail now
    fixes: tuple[str, ...]  # failed then, pass now
    new: tuple[str, ...]  # not in the baseline
    gone: tuple[str, ...]  # in the baseline, not run now
    baseline_pass_rate: float

    def as_json(self) -> dict:
        return {
            "regressions": list(self.regressions),
            "fixes": list(self.fixes),
            "new": list(self.new),
            "gone": list(self.gone),
            "baseline_pass_rate": round(self.baseline_pass_rate, 4),
        }


class _BaselineCase(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    passed: bool


class _Baseline(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cases: list[_BaselineCase]


def load_baseline(path: Path) -> dict[str, bool]:
    """Case id -> passed, from an earlier `eval --json` file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        baseline = _Baseline.model_validate(data)
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"Baseline {path} cannot be read ({exc}).") from exc
    except json.JSONDecodeError as exc:
        raise SuiteError(f"Baseline {path} is not JSON ({exc.msg}, line {exc.lineno}).") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise SuiteError(
            f"Baseline {path} is not an `eval --json` result: {field}: {first['msg']}."
        ) from exc
    return {c.id: c.passed for c in baseline.cases}


def compare(results: list[CaseResult], baseline: dict[str, bool]) -> Comparison:
    """Regressions, fixes, new and vanished cases relative to ``baseline``."""
    now = {r.case.id: r.passed for r in results}
    return Comparison(
        regressions=tuple(i for i, ok in now.items() if not ok and baseline.get(i) is True),
        fixes=tuple(i for i, ok in now.items() if ok and baseline.get(i) is False),
        new=tuple(i for i in now if i not in baseline),
        gone=tuple(i for i in baseline if i not in now),
        baseline_pass_rate=sum(baseline.values()) / len(baseline) if baseline else 0.0,
    )


def results_json(
    results: list[CaseResult], summary: Summary, comparison: Comparison | None = None
) -> dict:
    """The full results: summary, comparison, and every case with its answers and checks."""
    payload: dict[str, Any] = {"format": FORMAT_VERSION, "summary": summary.as_json()}
    if comparison is not None:
        payload["baseline"] = comparison.as_json()
    payload["cases"] = [case_json(r) for r in results]
    return payload


def case_json(result: CaseResult) -> dict:
    """One case's outcome, with every question, answer and check."""
    retrieval = result.retrieval
    return {
        "id": result.case.id,
        "file": result.case.where,
        "tags": list(result.case.tags),
        "language": result.language,
        "passed": result.passed,
        "reason": result.reason,
        "misleads": list(result.misleads),
        "wall_ms": round(result.wall_ms, 1),
        "turns": [
            {
                "question": _shorten(turn.question),
                "answer": _answer_json(turn.answer),
                "checks": [c.as_json() for c in turn.checks],
                "passed": turn.passed,
                "misleads": list(turn.misleads),
                "wall_ms": round(turn.wall_ms, 1),
            }
            for turn in result.turns
        ],
        "retrieval": None
        if retrieval is None
        else {
            "expected": list(retrieval.expected),
            "retrieved": list(retrieval.retrieved),
            "hit": retrieval.hit,
            "error": retrieval.error,
        },
    }


def write_json(path: Path, payload: dict) -> None:
    """Write results as UTF-8 JSON (Chinese kept readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _answer_json(answer: Any) -> Any:
    if not isinstance(answer, dict):
        return answer
    return {**answer, "question": _shorten(str(answer.get("question", "")))}


def _shorten(text: str) -> str:
    if len(text) <= _LONG_QUESTION:
        return text
    return f"{text[:200]}… [{len(text):,} characters in all]"
