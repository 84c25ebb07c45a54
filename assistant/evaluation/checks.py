"""Check one answer (a dict in the CLI JSON contract) against a case's expectations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.evaluation.numbers import matches, read_numbers
from assistant.evaluation.suite import Expect, Expectations
from assistant.evaluation.text import contains, detect_language
from assistant.model import ANSWERED, INVALID_INPUT, NOT_IN_REPORT

_SHOWN_NUMBERS = 8

# The wrong answers that mislead most, counted apart from pass/fail (see ``misleads``).
WRONG_FIGURE = "wrong_figure"  # answered with a number, but not the number asked for
MISSED_REFUSAL = "missed_refusal"  # answered what the report does not cover
FALSE_REFUSAL = "false_refusal"  # refused what the report answers
ERROR_KINDS = (WRONG_FIGURE, MISSED_REFUSAL, FALSE_REFUSAL)
REFUSED = (NOT_IN_REPORT, INVALID_INPUT)


@dataclass(frozen=True)
class Check:
    """One check: its name, whether it held, and what was expected and found, in one line."""

    name: str
    passed: bool
    detail: str

    def as_json(self) -> dict:
        return {"check": self.name, "passed": self.passed, "detail": self.detail}


def check_answer(answer: Mapping[str, Any], expect: Expect) -> tuple[Check, ...]:
    """Every check of ``expect``; with ``any_of``, the checks of the first alternative that
    holds, else one failed check naming what each alternative missed."""
    outcomes = [check_expectations(answer, alt) for alt in expect.alternatives()]
    if len(outcomes) == 1:
        return outcomes[0]
    for number, checks in enumerate(outcomes, 1):
        if all(c.passed for c in checks):
            note = Check("any_of", True, f"alternative {number} of {len(outcomes)} holds")
            return (*checks, note)
    misses = "; ".join(
        f"[{n}] " + ", ".join(f"{c.name}: {c.detail}" for c in checks if not c.passed)
        for n, checks in enumerate(outcomes, 1)
    )
    return (Check("any_of", False, f"no alternative holds: {misses}"),)


def _from_report(answer: Mapping[str, Any], symbol: str) -> Check:
    """Every citation (and the answer itself, when it names one) is of report ``symbol``."""
    cited = [str(c.get("report") or "") for c in answer.get("citations") or []]
    reports = {*cited, *([answer["report"]] if answer.get("report") else [])}
    others = sorted(r for r in reports if r != symbol)
    detail = f"also cites {', '.join(others)}" if others else f"cites {symbol} only"
    return Check("from_report", not others and bool(reports), detail if reports else "no report")


def check_expectations(answer: Mapping[str, Any], expect: Expectations) -> tuple[Check, ...]:
    """The checks of one expectation without alternatives, in a fixed order."""
    text = str(answer.get("answer") or "")
    checks: list[Check] = []
    status = expect.expected_status
    if status is not None:
        got = answer.get("status")
        checks.append(Check("status", got == status, f"expected {status}, got {got}"))
    if expect.lang is not None:
        checks.append(_language(answer, text, expect.lang))
    if expect.figures:
        checks.append(_figures(answer, text, expect))
    if expect.paragraphs:
        checks.append(_paragraphs(answer, expect.paragraphs))
    if expect.from_report is not None:
        checks.append(_from_report(answer, expect.from_report))
    if expect.contains_all:
        missing = [s for s in expect.contains_all if not contains(text, s)]
        detail = f"missing {_quoted(missing)}" if missing else f"has {_quoted(expect.contains_all)}"
        checks.append(Check("contains_all", not missing, detail))
    if expect.contains_any:
        found = [s for s in expect.contains_any if contains(text, s)]
        detail = f"has {_quoted(found[:1])}" if found else f"none of {_quoted(expect.contains_any)}"
        checks.append(Check("contains_any", bool(found), detail))
    if expect.regex is not None:
        hit = re.search(expect.regex, text, re.IGNORECASE)
        detail = f"matches {hit.group()!r}" if hit else f"no match for /{expect.regex}/"
        checks.append(Check("regex", hit is not None, detail))
    if expect.not_figures:
        stated = [n for n in expect.not_figures if _stated(answer, text, n, expect.tol)]
        absent = f"does not state {_listed(expect.not_figures)}"
        detail = f"states {_listed(stated)}" if stated else absent
        checks.append(Check("not_figures", not stated, detail))
    if expect.not_contains:
        present = [s for s in expect.not_contains if contains(text, s)]
        detail = f"contains {_quoted(present)}" if present else "none present"
        checks.append(Check("not_contains", not present, detail))
    return tuple(checks)


def expected_outcome(expect: Expect) -> str | None:
    """``answered`` or ``not_in_report`` when every alternative expects it, else None."""
    statuses = {alt.expected_status for alt in expect.alternatives()}
    if statuses == {ANSWERED}:
        return ANSWERED
    return NOT_IN_REPORT if statuses == {NOT_IN_REPORT} else None


def misleads(answer: Mapping[str, Any], expect: Expect, question: str) -> tuple[str, ...]:
    """The ways the answer misleads, whether or not its other checks pass.

    A *wrong figure*: the answer is ``answered``, states a number that the question does
    not itself contain (a year asked about is not an answer), and none of the numbers
    expected nor of the ``inputs`` they are computed from (those make it incomplete).
    A *missed refusal*: answered when ``not_in_report`` is expected. A *false refusal*:
    refused (``not_in_report`` or ``invalid_input``) when an answer is expected.
    """
    status = answer.get("status")
    outcome = expected_outcome(expect)
    if outcome == NOT_IN_REPORT and status == ANSWERED:
        return (MISSED_REFUSAL,)
    if outcome == ANSWERED and status in REFUSED:
        return (FALSE_REFUSAL,)
    if status == ANSWERED and _states_another_figure(answer, expect, question):
        return (WRONG_FIGURE,)
    return ()


def _states_another_figure(answer: Mapping[str, Any], expect: Expect, question: str) -> bool:
    wanted = [alt for alt in expect.alternatives() if alt.figures]
    if not wanted:
        return False
    text = str(answer.get("answer") or "")
    stated = read_numbers(text) + figure_values(answer)
    right = [(n, alt.tol) for alt in wanted for n in (*alt.figures, *alt.inputs)]
    if any(matches(v, n, tol) for n, tol in right for v in stated):
        return False
    asked = read_numbers(question)
    return any(all(abs(v - q) > 1e-9 for q in asked) for v in stated)


def figure_values(answer: Mapping[str, Any]) -> list[float]:
    """The values of the answer's figures; a percent given as a fraction also counts x100."""
    values: list[float] = []
    for figure in answer.get("figures") or []:
        value = figure.get("value") if isinstance(figure, Mapping) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            values.append(float(value))
            if figure.get("unit") == "percent" and abs(value) <= 1:
                values.append(float(value) * 100)
    return values


def _stated(answer: Mapping[str, Any], text: str, expected: float, tol: float) -> bool:
    values = read_numbers(text) + figure_values(answer)
    return any(matches(v, expected, tol) for v in values)


def _figures(answer: Mapping[str, Any], text: str, expect: Expectations) -> Check:
    missing = [n for n in expect.figures if not _stated(answer, text, n, expect.tol)]
    if not missing:
        return Check("figures", True, f"states {_listed(expect.figures)}")
    read = [_number(v) for v in read_numbers(text)]
    seen = ", ".join(read[:_SHOWN_NUMBERS]) + (" ..." if len(read) > _SHOWN_NUMBERS else "")
    return Check("figures", False, f"does not state {_listed(missing)} (read: {seen or 'none'})")


def _paragraphs(answer: Mapping[str, Any], wanted: tuple[int, ...]) -> Check:
    cited = [c.get("paragraph") for c in answer.get("citations") or [] if isinstance(c, Mapping)]
    ok = any(p in wanted for p in cited)
    shown = ", ".join(f"¶{p}" if p is not None else "unnumbered" for p in cited) or "nothing"
    want = " or ".join(f"¶{p}" for p in wanted)
    return Check("paragraphs", ok, f"cites {shown}" + ("" if ok else f"; expected {want}"))


def _language(answer: Mapping[str, Any], text: str, lang: str) -> Check:
    detected = detect_language(text)
    declared = answer.get("language")
    if detected is None:
        return Check("lang", False, f"expected {lang}, but the answer has no letters")
    if detected != lang:
        return Check("lang", False, f"expected {lang}, the answer reads as {detected}")
    if declared != lang:
        return Check("lang", False, f"expected {lang}, the answer's language field says {declared}")
    return Check("lang", True, f"reads as {lang}")


def _quoted(items: Any) -> str:
    return ", ".join(repr(s) for s in items)


def _listed(numbers: Any) -> str:
    return ", ".join(_number(n) for n in numbers)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
