"""`report-assistant eval` end to end: a small real suite through the CLI and the real engine.

The engine is loaded once for the module (loading takes seconds); every other step, from
reading the suite to writing the reports, runs as the command runs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chat_server import shared_data_dir
from click.testing import CliRunner
from junitparser import Failure, JUnitXml

from ui.cli import cli

# the first test to need the engine may build the index (minutes)
pytestmark = pytest.mark.timeout(1200)

SUITE = """\
cases:
  - id: vacancies-safe
    q: "How many vacancies were advertised in 2025?"
    tags: [recruitment]
    expect: {not_contains: ["<script>"]}
  - id: vacancies-wrong-figure
    q: "2025年公布了多少个职位空缺？"
    tags: [recruitment, figure]
    expect: {figures: [109], paragraphs: [69]}
  - id: follow-up
    tags: [multiturn]
    turns:
      - {q: "How many women were appointed in 2025?", expect: {not_contains: ["<script>"]}}
      - {q: "And men?", expect: {not_contains: ["<script>"]}}
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_data_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def engine(data_dir: Path):
    from assistant.engine import Engine
    from assistant.settings import Settings

    return Engine.load(Settings.load(data_dir=data_dir))


@pytest.fixture
def run(engine, data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Invoke the CLI as a user would; `Engine.load` hands back the module's engine."""
    monkeypatch.setattr("assistant.engine.Engine.load", classmethod(lambda cls, s: engine))

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--data-dir", str(data_dir), "eval", *args])

    return invoke


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SUITE, encoding="utf-8")
    return path


def test_a_malformed_suite_is_refused_before_the_engine_loads(tmp_path, monkeypatch):
    def no_engine(cls, settings):
        raise AssertionError("the engine must not load for a malformed suite")

    monkeypatch.setattr("assistant.engine.Engine.load", classmethod(no_engine))
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases:\n  - {id: x, q: y, expect: {staus: answered}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: case 'x': expect.staus: unknown key" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_by_default_only_the_failures_are_listed_with_the_summary(run, suite):
    result = run(str(suite))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Failures (1 of 3 cases; --verbose lists every case)" in out
    assert "vacancies-wrong-figure" in out and "figures: does not state 109" in out
    assert "vacancies-safe" not in out and "follow-up" not in out
    assert "Passed 2/3" in out and "By tag" in out


@pytest.mark.slow
def test_verbose_shows_every_case_with_its_reason_tags_and_latency(run, suite):
    result = run(str(suite), "--verbose")
    assert result.exit_code == 0, result.output
    out = result.output
    for case_id in ("vacancies-safe", "vacancies-wrong-figure", "follow-up"):
        assert case_id in out
    assert "FAIL" in out and "figures: does not state 109" in out
    assert "By tag" in out and "multiturn" in out and "recruitment" in out
    assert "Latency per question: p50" in out
    assert "Retrieval recall@5" in out  # one case expects a paragraph
    assert "Passed " in out


@pytest.mark.slow
def test_tags_select_which_cases_run(run, suite):
    result = run(str(suite), "--tags", "multiturn", "--verbose")
    assert "follow-up" in result.output
    assert "vacancies-safe" not in result.output


@pytest.mark.slow
def test_json_holds_questions_answers_citations_figures_checks_and_timing(run, suite, tmp_path):
    out = tmp_path / "results.json"
    assert run(str(suite), "--json", str(out)).exit_code == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["summary"]["cases"] == 3
    cases = {c["id"]: c for c in results["cases"]}
    wrong = cases["vacancies-wrong-figure"]
    assert wrong["passed"] is False and "109" in wrong["reason"]
    turn = wrong["turns"][0]
    assert turn["question"] == "2025年公布了多少个职位空缺？"
    assert set(turn["answer"]) >= {"question", "language", "status", "answer", "citations"}
    assert set(turn["answer"]) >= {"figures", "timing_ms"}
    assert {"check": "figures", "passed": False}.items() <= turn["checks"][1].items()
    assert turn["wall_ms"] > 0
    assert wrong["retrieval"]["expected"] == [69] and len(wrong["retrieval"]["retrieved"]) <= 5
    assert len(cases["follow-up"]["turns"]) == 2


@pytest.mark.slow
def test_junit_has_one_testcase_per_case_and_failures_with_reasons(run, suite, tmp_path):
    out = tmp_path / "results.xml"
    assert run(str(suite), "--junit", str(out)).exit_code == 0
    xml = JUnitXml.fromfile(str(out))
    testcases = {case.name: case for test_suite in xml for case in test_suite}
    assert set(testcases) == {"vacancies-safe", "vacancies-wrong-figure", "follow-up"}
    failures = [r for r in testcases["vacancies-wrong-figure"].result if isinstance(r, Failure)]
    assert failures and "figures: does not state 109" in failures[0].message
    assert testcases["vacancies-wrong-figure"].classname == "small"
    assert sum(test_suite.tests for test_suite in xml) == 3


@pytest.mark.slow
def test_a_baseline_lists_regressions_and_fixes_before_the_table(run, suite, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps(
            {
                "cases": [
                    {"id": "vacancies-safe", "passed": False},
                    {"id": "vacancies-wrong-figure", "passed": True},
                    {"id": "retired-case", "passed": True},
                ]
            }
        ),
        encoding="utf-8",
    )
    result = run(str(suite), "--baseline", str(baseline))
    out = result.output
    assert "1 regression(s), 1 fix(es), 1 new, 1 gone" in out
    regression = out.index("REGRESSION vacancies-wrong-figure")
    assert regression < out.index("FIXED vacancies-safe") < out.index("Failures")


@pytest.mark.slow
def test_a_baseline_that_is_not_an_eval_result_is_refused(run, suite, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"results": []}', encoding="utf-8")
    result = run(str(suite), "--baseline", str(baseline))
    assert result.exit_code == 1
    assert "is not an `eval --json` result: cases" in result.output


@pytest.mark.slow
def test_min_pass_sets_the_exit_code(run, suite):
    below = run(str(suite), "--min-pass", "1.0")
    assert below.exit_code == 1
    assert "is below --min-pass 1.0" in below.output
    assert run(str(suite), "--min-pass", "0").exit_code == 0


@pytest.mark.slow
def test_split_runs_the_tuning_part_or_the_held_out_part(run, suite, tmp_path):
    from assistant.evaluation.split import split_suite
    from assistant.evaluation.suite import load_suites

    heldout = split_suite(load_suites([suite])).heldout
    ran = {}
    for part in ("tuning", "heldout"):
        out = tmp_path / f"{part}.json"
        assert run(str(suite), "--split", part, "--json", str(out)).exit_code == 0
        ran[part] = {c["id"] for c in json.loads(out.read_text(encoding="utf-8"))["cases"]}
    assert ran["heldout"] == heldout and ran["heldout"]
    assert ran["tuning"] == {"vacancies-safe", "vacancies-wrong-figure", "follow-up"} - heldout


def test_an_unknown_split_is_refused_with_the_parts_named(suite):
    result = CliRunner().invoke(cli, ["eval", str(suite), "--split", "test"])
    assert result.exit_code == 2
    assert "'tuning'" in result.output and "'heldout'" in result.output


@pytest.mark.slow
def test_the_summary_counts_wrong_figures_missed_and_false_refusals(run, suite, tmp_path):
    out = tmp_path / "results.json"
    result = run(str(suite), "--json", str(out))
    assert "Misleading answers, of 4 turns: wrong figure 1 (25.0%)" in result.output
    misleading = json.loads(out.read_text(encoding="utf-8"))["summary"]["misleading"]
    assert misleading["turns"] == 4 and misleading["answer_turns"] == 1
    assert misleading["wrong_figure"] == {"turns": 1, "rate": 0.25}
    assert misleading["missed_refusals"]["turns"] == 0
