"""Derived questions are finished (ratio, remainder, top-k share, gaps) and a figure is
given only when it answers the measure asked; expected values are read from the tables."""

from __future__ import annotations

import pytest

from assistant.model import ANSWERED, NOT_IN_REPORT


@pytest.fixture(scope="module")
def cell(engine):
    def value(table: str, row: str, column: str) -> float:
        return engine.figures.engine.lookup(table, row, column).value

    return value


def last(answer) -> float:
    assert answer.status == ANSWERED, answer.answer
    return answer.figures[-1].value


@pytest.mark.parametrize(
    "question",
    [
        "How many times more applications came from Africa than from North America?",
        "非洲的申请是北美的几倍？",
    ],
)
def test_how_many_times_divides_the_two_rows_named(engine, cell, question):
    africa = cell("recruitment-by-region", "africa", "applications")
    north = cell("recruitment-by-region", "north-america", "applications")
    assert last(engine.ask(question)) == pytest.approx(africa / north, abs=0.01)


def test_applicants_not_selected_are_the_applications_less_the_selections(engine, cell):
    applications = cell("recruitment-pipeline", "applications", "count")
    selected = cell("recruitment-pipeline", "selected", "count")
    answer = engine.ask("How many applicants were not selected?")
    assert last(answer) == applications - selected


def test_not_shortlisted_in_chinese_is_the_applications_less_the_shortlisted(engine, cell):
    applications = cell("recruitment-pipeline", "applications", "count")
    shortlisted = cell("recruitment-pipeline", "shortlisted", "count")
    answer = engine.ask("申请人中有多少人没有进入短名单？")
    assert last(answer) == applications - shortlisted


def test_a_regions_applicants_not_selected_are_two_counts_of_its_row(engine, cell):
    applications = cell("recruitment-by-region", "africa", "applications")
    selections = cell("recruitment-by-region", "africa", "selections")
    answer = engine.ask("How many applicants from Africa were not selected?")
    assert last(answer) == applications - selections


def test_the_top_three_regions_share_of_applications_is_computed(engine, cell):
    values = sorted(
        (
            cell("recruitment-by-region", r.key, "applications")
            for r in engine.figures.tables["recruitment-by-region"].rows
            if not r.total
        ),
        reverse=True,
    )
    total = cell("recruitment-by-region", "total", "applications")
    answer = engine.ask("What share of all applications did the top three regions send?")
    assert last(answer) == pytest.approx(sum(values[:3]) / total * 100, abs=0.05)
    assert "÷" in answer.figures[-1].formula["en"]


def test_percentage_points_higher_is_the_gap_between_two_rates(engine, cell):
    asia = cell("recruitment-by-region", "asia-pacific", "shortlisting_rate")
    africa = cell("recruitment-by-region", "africa", "shortlisting_rate")
    answer = engine.ask(
        "How many percentage points higher was the shortlisting rate in Asia and the "
        "Pacific than in Africa?"
    )
    assert last(answer) == pytest.approx(asia - africa, abs=0.01)


def test_how_much_lower_is_a_gap_not_a_sign(engine):
    assert last(engine.ask("非洲的入围率比北美低多少个百分点？")) > 0


def test_people_who_did_not_respond_are_the_surveyed_less_the_respondents(engine, cell):
    surveyed = cell("engagement-survey", "population", "value")
    responded = cell("engagement-survey", "respondents", "value")
    answer = engine.ask("How many people did not respond to the engagement survey?")
    assert last(answer) == surveyed - responded


def test_a_measure_named_with_no_row_reads_the_whole_not_a_retrieved_row(engine, cell):
    answer = engine.ask("有多少人被推荐？")
    assert last(answer) == cell("recruitment-by-region", "total", "recommended")


def test_a_rate_never_answers_how_many_days(engine):
    answer = engine.ask("How many days of sick leave did staff take on average?")
    assert answer.status == NOT_IN_REPORT


def test_a_rate_the_report_does_not_state_is_refused_not_quoted_nearby(engine):
    assert engine.ask("What is the vacancy rate at WIPO?").status == NOT_IN_REPORT


def test_a_name_the_table_goes_by_is_not_an_unknown_name(engine, cell):
    answer = engine.ask("多少人参加了领导力静修会？")
    assert last(answer) == cell("leadership-and-mobility", "leaders-at-retreat", "value")


def test_a_follow_up_naming_a_region_keeps_the_measure_and_share_divides_by_its_total(engine, cell):
    chat = engine.conversation()
    chat.ask("2025年共收到多少份申请？")
    africa = chat.ask("那非洲呢？")
    assert last(africa) == cell("recruitment-by-region", "africa", "applications")
    share = chat.ask("占总数的比例是多少？")
    total = cell("recruitment-by-region", "total", "applications")
    assert last(share) == pytest.approx(africa.figures[-1].value / total * 100, abs=0.05)


def test_explanation_shows_the_query_and_why(engine):
    answer = engine.ask(
        "How many times more applications came from Africa than from North America?"
    )
    assert answer.explanation["query"]["operation"] == "ratio"
    assert answer.explanation["reading"]["operation"] == "ratio"
    assert any("fits" in reason for reason in answer.explanation["why"])
    assert answer.as_json()["query"]["language"] == "en"
