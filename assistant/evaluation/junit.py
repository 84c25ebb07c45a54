"""Results as JUnit XML: one testcase per case, grouped by suite file, failures with reasons."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from assistant.evaluation.runner import CaseResult

_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def junit_xml(results: list[CaseResult]) -> ET.ElementTree:
    """A <testsuites> document; a case that crashed the engine is an <error>, not a <failure>."""
    by_file: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        by_file[result.case.file].append(result)
    root = ET.Element("testsuites", name="report-assistant eval")
    _counts(root, results)
    for file, group in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=file)
        _counts(suite, group)
        for result in group:
            _testcase(suite, result)
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(path: Path, results: list[CaseResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_xml(results).write(path, encoding="utf-8", xml_declaration=True)


def _counts(element: ET.Element, results: list[CaseResult]) -> None:
    errors = sum(_crashed(r) for r in results)
    failures = sum(not r.passed for r in results) - errors
    element.set("tests", str(len(results)))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("time", f"{sum(r.wall_ms for r in results) / 1000:.3f}")


def _testcase(suite: ET.Element, result: CaseResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=Path(result.case.file).stem,
        name=result.case.id,
        time=f"{result.wall_ms / 1000:.3f}",
    )
    if not result.passed:
        kind = "error" if _crashed(result) else "failure"
        ET.SubElement(case, kind, message=_clean(result.reason), type=kind).text = _clean(
            _details(result)
        )
    ET.SubElement(case, "system-out").text = _clean(_transcript(result))


def _crashed(result: CaseResult) -> bool:
    return any(t.answer is None for t in result.turns)


def _details(result: CaseResult) -> str:
    lines = []
    for number, turn in enumerate(result.turns, 1):
        for check in turn.checks:
            mark = "ok  " if check.passed else "FAIL"
            lines.append(f"turn {number} {mark} {check.name}: {check.detail}")
    return "\n".join(lines)


def _transcript(result: CaseResult) -> str:
    lines = []
    for turn in result.turns:
        question = turn.question if len(turn.question) <= 300 else turn.question[:300] + "…"
        lines.append(f"Q: {question}")
        if turn.answer is not None:
            lines.append(f"A [{turn.answer.get('status')}]: {turn.answer.get('answer', '')}")
    return "\n".join(lines)


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters; hostile questions contain them."""
    return text.translate(_CONTROL)
