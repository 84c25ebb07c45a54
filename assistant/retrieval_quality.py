"""Retrieval quality on a labelled question set: recall@k, MRR and latency.

A question is *found at k* when one of the units labelled as answering it is among the
first k hits (a table row counts as the unit its values are quoted from). recall@k is
the share of questions found at k; MRR is the mean of 1/rank of the first answering hit.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.model import Hit
from ingest.errors import SuiteError
from ingest.yamlio import load_yaml

Search = Callable[[str, str], list[Hit]]  # (question, language) -> ranked hits


@dataclass(frozen=True)
class Question:
    """One labelled question: its text, language and the units that answer it."""

    text: str
    language: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class Quality:
    """Scores of one retrieval method on a question set."""

    questions: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    p50_ms: float
    p95_ms: float
    misses: tuple[str, ...]  # questions with no answering unit in the top 5

    def row(self) -> str:
        return (
            f"{self.recall_at_1:9.3f} {self.recall_at_5:9.3f} {self.mrr:7.3f} "
            f"{self.p50_ms:8.1f} {self.p95_ms:8.1f}"
        )


def load_questions(path: Path) -> list[Question]:
    """The labelled questions of a YAML file (``questions: [{q, lang, relevant}]``)."""
    try:
        entries = (load_yaml(path.read_text(encoding="utf-8")) or {})["questions"]
        return [
            Question(str(e["q"]), str(e["lang"]), frozenset(str(r) for r in e["relevant"]))
            for e in entries
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise SuiteError(
            f"{path} is not a question set (questions: [{{q, lang, relevant}}]): {exc}"
        ) from exc


def row_sources(corpus_dir: Path) -> dict[str, str]:
    """For every table row hit id, the unit its values are quoted from."""
    try:
        from ingest.tables import TABLES_DIR, load_tables
    except ImportError:
        return {}
    if not (corpus_dir / TABLES_DIR).is_dir():
        return {}
    return {
        f"table:{t.id}:{r.key}": r.provenance.unit_id
        for t in load_tables(corpus_dir)
        for r in t.rows
        if r.provenance is not None
    }


def measure(
    search: Search, questions: list[Question], sources: dict[str, str] | None = None
) -> Quality:
    """Run every question once through ``search`` and score the rankings."""
    sources = sources or {}
    found_1 = found_5 = 0
    reciprocal: list[float] = []
    timings: list[float] = []
    misses: list[str] = []
    for question in questions:
        started = time.perf_counter()
        hits = search(question.text, question.language)
        timings.append((time.perf_counter() - started) * 1000)
        ranked = [sources.get(h.unit_id, h.unit_id) for h in hits]
        rank = next((i for i, u in enumerate(ranked, 1) if u in question.relevant), None)
        found_1 += rank == 1
        found_5 += rank is not None and rank <= 5
        reciprocal.append(1 / rank if rank else 0.0)
        if rank is None or rank > 5:
            misses.append(question.text)
    n = len(questions)
    return Quality(
        questions=n,
        recall_at_1=found_1 / n,
        recall_at_5=found_5 / n,
        mrr=sum(reciprocal) / n,
        p50_ms=statistics.median(timings),
        p95_ms=_percentile(timings, 95),
        misses=tuple(misses),
    )


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
