"""Four real reports in one corpus, each answer kept within its report: WIPO's 2025 report,
the English original of WIPO's 2012 one (tests/fixtures/reports/wo-cc-66-1), and another
organisation's two, WHO's annual reports on human resources of 2013 and 2006
(tests/fixtures/reports/who-a66-36, who-eb120-24-add1), all three excerpts.

The added reports are only files; the index reuses the 2025 report's vectors.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.engine import Engine
from assistant.evaluation.runner import run_case
from assistant.evaluation.suite import load_suites
from assistant.index import build_index
from assistant.settings import Settings
from ui.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
NEW, OLD, WHO, WHO_2006 = "WO/CC/86/INF/1", "WO/CC/66/1", "A66/36", "EB120/24 Add.1"


@pytest.fixture(scope="module")
def two_reports(index_settings: Settings, tmp_path_factory) -> Settings:
    corpus = tmp_path_factory.mktemp("side-by-side") / "corpus"
    shutil.copytree(index_settings.corpus_dir, corpus, ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(FIXTURES / "wo-cc-66-1", corpus / "reports" / "zz-hr-report-2012")
    for name in ("who-a66-36", "who-eb120-24-add1"):
        shutil.copytree(FIXTURES / name, corpus / "reports" / name)
    settings = Settings.load(
        data_dir=index_settings.data_dir, corpus_dir=corpus, collection_prefix="two-reports"
    )
    build_index(settings)
    return settings


@pytest.fixture(scope="module")
def both(two_reports: Settings) -> Engine:
    """The engine over the corpus of both reports."""
    return Engine.load(two_reports)


def reports_cited(answer) -> set[str]:
    return {c.report for c in answer.citations}


# --- which report answers -----------------------------------------------------------------


def test_the_newest_report_by_date_answers_when_the_question_names_none(both):
    answer = both.ask("How many applications were received in 2025?")
    assert answer.status == "answered" and "15,921" in answer.answer
    assert answer.report == NEW and reports_cited(answer) == {NEW}
    assert all(c.report_year == "2025" for c in answer.citations)


def test_a_question_that_names_the_2012_report_is_answered_from_it_alone(both):
    answer = both.ask("In the 2012 report, how many reform initiatives did the SRP have?")
    assert answer.status == "answered" and "19" in answer.answer
    assert reports_cited(answer) == {OLD}
    assert [c.where for c in answer.citations] == ["WO/CC/66/1 (2012) ¶2"]


def test_a_symbol_names_the_report_too(both):
    answer = both.ask("What is the overall aim of the HR function according to WO/CC/66/1?")
    assert answer.status == "answered" and "refocus the HR function" in answer.answer
    assert reports_cited(answer) == {OLD}


def test_a_chosen_report_answers_its_own_text_and_figures(both):
    aim = both.ask("What was the overall aim over that period?", report="wo-cc-66-1")
    assert "refocus the HR function" in aim.answer and reports_cited(aim) == {OLD}
    related = both.ask("How many SRP initiatives are related to HR?", report=OLD)
    assert any(f.value == 9 for f in related.figures) and reports_cited(related) == {OLD}


def test_nothing_of_the_2025_report_leaks_into_the_2012_one(both):
    answer = both.ask("How many applications were received in 2025?", report=OLD)
    assert answer.status == "not_in_report" and "15,921" not in answer.answer
    assert reports_cited(answer) <= {OLD}


def test_nothing_of_the_2012_report_leaks_into_the_2025_one(both):
    asked = "How many reform initiatives did the Strategic Realignment Program have?"
    answer = both.ask(asked, report=NEW)
    assert answer.status == "not_in_report" and "19" not in answer.answer
    assert OLD not in answer.answer and reports_cited(answer) <= {NEW}


def test_what_the_newest_report_lacks_an_earlier_one_of_its_organisation_answers_saying_so(
    both,
):
    answer = both.ask("How many reform initiatives did the Strategic Realignment Program have?")
    assert answer.status == "answered" and answer.report == OLD
    assert answer.answer.startswith(
        "The newest report, WO/CC/86/INF/1 (2025), does not cover this; WO/CC/66/1 (2012) does:"
    )
    assert any(f.value == 19 for f in answer.figures) and reports_cited(answer) == {OLD}


def test_a_report_the_corpus_lacks_is_named_with_the_reports_it_has(both):
    answer = both.ask("What did the 2020 report say about mobility?")
    assert answer.status == "not_in_report"
    assert "2020" in answer.answer and "WO/CC/86/INF/1 (2025)" in answer.answer
    assert "WO/CC/66/1 (2012)" in answer.answer and "A66/36 (2012)" in answer.answer
    assert "EB120/24 Add.1 (2006)" in answer.answer


def test_the_previous_report_is_the_one_before_by_date(both):
    answer = both.ask("How many SRP reform initiatives were related to HR in the previous report?")
    assert any(f.value == 9 for f in answer.figures) and reports_cited(answer) == {OLD}
    before_oldest = both.ask("What did the previous report say?", report=OLD)
    assert before_oldest.status == "not_in_report" and "earlier report" in before_oldest.answer


def test_a_chinese_question_to_an_english_only_report_says_which_edition_it_has(both):
    answer = both.ask("2012年的报告中SRP有多少项改革举措？")
    assert answer.status == "not_in_report" and answer.language == "zh"
    assert "WO/CC/66/1" in answer.answer and "英文" in answer.answer


def test_a_question_naming_an_organisation_goes_to_its_reports_acronyms_in_capitals_only(
    two_reports,
):
    from assistant.understanding.reports import Shelf
    from ingest.corpus import load_corpus

    shelf = Shelf(load_corpus(two_reports.corpus_dir))
    assert [r.symbol for r in shelf.named_by("What did WIPO report on iPerform?")] == [NEW, OLD]
    assert [r.symbol for r in shelf.named_by("How is iPerform used?")] == [NEW]  # its own name
    assert shelf.named_by("what is the wipo-wide policy on who reports?") == []
    assert [r.symbol for r in shelf.same_organisation(shelf.newest)] == [OLD]


def test_another_organisations_report_answers_its_own_figures_when_named(both):
    staff = both.ask("How many staff members did WHO have at the end of 2012?")
    assert staff.status == "answered" and "7338" in staff.answer
    assert [c.where for c in staff.citations] == ["A66/36 (2012) ¶3"]
    share = both.ask("What share of WHO's long-term staff were in the general service category?")
    assert "53.4%" in share.answer and reports_cited(share) == {WHO}


def test_the_2025_questions_are_still_answered_from_the_2025_report_beside_it(both):
    applications = both.ask("2025年共收到多少份申请？")
    assert "15,921" in applications.answer and reports_cited(applications) == {NEW}
    staff = both.ask("How many women were appointed in 2025?")
    assert any(f.value == 43 for f in staff.figures) and reports_cited(staff) == {NEW}


def test_the_2012_report_is_wipos_not_the_other_organisations_of_the_same_year(both):
    answer = both.ask("In the 2012 report, how many SRP initiatives were related to HR?")
    assert reports_cited(answer) == {OLD}
    previous = both.ask("What did the previous report say about the overall aim of HR?")
    assert reports_cited(previous) == {OLD}
    # asked from within WIPO's 2012 report itself, "the 2012 report" is still that one
    again = both.ask("What was the overall aim in the 2012 report?", report=OLD)
    assert reports_cited(again) == {OLD}


# --- conversations and comparisons ------------------------------------------------------------


def test_a_follow_up_stays_in_the_report_the_conversation_is_about(both):
    chat = both.conversation()
    first = chat.ask("In the 2012 report, how many SRP initiatives were related to HR?")
    assert any(f.value == 9 for f in first.figures)
    then = chat.ask("What is the overall aim of the HR function?")
    assert "refocus the HR function" in then.answer and reports_cited(then) == {OLD}
    back = chat.ask("How many applications were received in 2025 according to WO/CC/86/INF/1?")
    assert "15,921" in back.answer and reports_cited(back) == {NEW}


def test_a_comparison_with_a_report_that_lacks_the_measure_computes_nothing(both):
    answer = both.ask("How did the number of SRP reform initiatives change since the 2012 report?")
    assert answer.status == "answered"
    assert "WO/CC/66/1 (2012)" in answer.answer and "19" in answer.answer
    assert "WO/CC/86/INF/1 (2025) does not give this figure" in answer.answer
    assert all(f.operation == "lookup" for f in answer.figures) and reports_cited(answer) == {OLD}


def test_a_measure_both_reports_publish_is_compared_with_a_formula_citing_both(both):
    answer = both.ask(
        "How did the number of WHO staff on long-term appointments change since the previous"
        " report?"
    )
    assert answer.status == "answered"
    before, after, change = answer.figures
    assert (before.value, after.value, change.value) == (4443, 6549, 2106)
    assert change.formula["en"] == "6,549 − 4,443 = 2,106 [A66/36 (2012) − EB120/24 Add.1 (2006)]"
    assert "from 4,443 in EB120/24 Add.1 (2006) to 6,549 in A66/36 (2012)" in answer.answer
    assert [c.where for c in answer.citations] == ["EB120/24 Add.1 (2006) ¶2", "A66/36 (2012) ¶3"]


def test_a_year_picks_the_organisations_report_that_covers_it(both):
    answer = both.ask("How many general service staff did WHO have in 2006?")
    assert any(f.value == 2406 for f in answer.figures) and reports_cited(answer) == {WHO_2006}
    later = both.ask("How many general service staff did WHO have in 2012?")
    assert any(f.value == 3498 for f in later.figures) and reports_cited(later) == {WHO}


def test_applications_compared_with_the_previous_report_say_it_does_not_give_them(both):
    answer = both.ask("How many applications were received compared with the previous report?")
    assert "15,921" in answer.answer and "WO/CC/66/1 (2012) does not give" in answer.answer
    assert reports_cited(answer) == {NEW}


# --- the commands ---------------------------------------------------------------------------


def run(settings: Settings, *args: str):
    base = ["--corpus", str(settings.corpus_dir), "--data-dir", str(settings.data_dir)]
    env = {"REPORT_ASSISTANT_COLLECTION_PREFIX": settings.collection_prefix}
    return CliRunner(env=env).invoke(cli, [*base, *args])


def test_ask_with_report_answers_from_that_report_and_says_so(two_reports):
    result = run(two_reports, "ask", "--report", OLD, "--json", "What was the overall aim?")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["report"] == OLD and answer["report_year"] == "2012"
    assert {c["report"] for c in answer["citations"]} == {OLD}


def test_search_and_tables_keep_to_the_chosen_report(two_reports):
    found = run(two_reports, "search", "reform initiatives", "--report", OLD, "--json")
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)["hits"]
    assert hits and all(h["unit_id"].startswith(("wo-cc-66-1:", "table:srp")) for h in hits)
    listed = run(two_reports, "tables", "--report", "wo-cc-66-1")
    assert listed.exit_code == 0 and listed.output.split()[0] == "srp-reform-initiatives"
    assert "recruitment-pipeline" in run(two_reports, "tables").output


def test_a_report_the_corpus_lacks_is_one_clear_line(two_reports):
    result = run(two_reports, "ask", "--report", "2019", "How many applications?")
    assert result.exit_code == 1 and "No report '2019'" in result.output
    assert "Traceback" not in result.output


def test_a_year_two_reports_cover_asks_for_a_symbol(two_reports):
    result = run(two_reports, "ask", "--report", "2012", "How many staff?")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "'2012' names several reports (A66/36, WO/CC/66/1): give a symbol" in result.output


def test_an_eval_case_chooses_its_report(both, tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "cases:\n"
        "- id: srp-hr\n"
        "  report: WO/CC/66/1\n"
        '  q: "How many of the SRP initiatives are related to HR?"\n'
        "  expect: {figures: [9], from_report: WO/CC/66/1}\n"
        "- id: apps\n"
        '  q: "How many applications were received in 2025?"\n'
        "  expect: {figures: [15921], from_report: WO/CC/86/INF/1}\n"
        "- id: leak\n"
        '  q: "How many applications were received in 2025?"\n'
        "  expect: {from_report: WO/CC/66/1}\n",
        encoding="utf-8",
    )
    results = [run_case(case, both) for case in load_suites([suite])]
    assert [r.passed for r in results] == [True, True, False], [r.reason for r in results]
    assert "also cites WO/CC/86/INF/1" in results[2].reason


def test_the_public_suite_is_unchanged_beside_a_second_report(both, public_results):
    alone = {r.case.id: r.passed for r in public_results}
    beside = {r.case.id: run_case(r.case, both).passed for r in public_results}
    changed = sorted(case for case in alone if alone[case] != beside[case])
    assert changed == [], changed


def test_the_chat_offers_every_report_newest_first_and_answers_from_the_one_picked(
    both, two_reports
):
    from ui.app import ChatApp
    from ui.report_meta import ReportMeta
    from ui.session import ChatSession

    chat = ChatApp(both, two_reports, ReportMeta.load(two_reports))
    assert chat.report_choices() == [
        ("WO/CC/86/INF/1 (2025)", NEW),
        ("A66/36 (2012)", WHO),
        ("WO/CC/66/1 (2012)", OLD),
        ("EB120/24 Add.1 (2006)", WHO_2006),
    ]
    session, heading = chat.choose_report(OLD, ChatSession(), "en")
    assert "WO/CC/66/1" in heading and "2012" in heading and NEW not in heading
    picked = chat.answer(session, "What was the overall aim over that period?", "en")
    assert "refocus the HR function" in picked.answer and reports_cited(picked) == {OLD}
    session, heading = chat.choose_report(NEW, session, "zh")
    assert NEW in heading and "产权组织" in heading
    back = chat.answer(session, "How many applications were received in 2025?", "en")
    assert "15,921" in back.answer and reports_cited(back) == {NEW}
