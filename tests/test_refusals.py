"""Questions the report does not answer are refused, and point to what it covers."""

from __future__ import annotations

import pytest

from assistant.model import ANSWERED, NOT_IN_REPORT


@pytest.mark.parametrize(
    "question",
    [
        "What is the average salary of P4 staff?",
        "P4职等工作人员的月薪是多少？",
        "How many staff did WIPO have in 2019?",
        "2025年员工离职率是多少？",
        "What's the weather in Geneva?",
        "On average, how many sick days did staff take in 2025?",
    ],
)
def test_questions_outside_the_report_are_refused(engine, question):
    answer = engine.ask(question)
    assert answer.status == NOT_IN_REPORT, answer.answer
    assert not answer.figures


def test_a_refusal_points_to_the_nearest_section(engine):
    answer = engine.ask("What was WIPO's budget in 2019?")
    assert answer.status == NOT_IN_REPORT
    assert "closest topic" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "这份报告涵盖的是哪段时间？",
        "What is a fusion team?",
        "谁是马德里注册部持续改进经理？",
        "三个试点国家是哪些？",
    ],
)
def test_questions_the_report_answers_are_not_refused(engine, question):
    assert engine.ask(question).status == ANSWERED


@pytest.mark.parametrize(
    "question",
    [
        "How many women were selected from Africa?",
        "非洲最终选定的候选人里有几位女性？",
        "What share of Western European applicants were women?",
    ],
)
def test_a_breakdown_the_report_does_not_give_is_refused_as_such(engine, question):
    answer = engine.ask(question)
    assert answer.status == NOT_IN_REPORT and not answer.figures
    assert "break" in answer.answer or "交叉" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "What was WIPO's total budget for the 2022-2023 biennium?",
        "How many Africans were selected in 2022?",
    ],
)
def test_a_question_about_other_years_is_refused_when_the_report_has_nothing_for_them(
    engine, question
):
    answer = engine.ask(question)
    assert answer.status == NOT_IN_REPORT and not answer.figures


@pytest.mark.parametrize(
    "question",
    ["How many consultants did WIPO hire?", "How many staff does WIPO have in total?"],
)
def test_a_question_for_a_number_is_refused_when_no_passage_counts_what_it_asks(engine, question):
    answer = engine.ask(question)
    assert answer.status == NOT_IN_REPORT and not answer.figures


def test_the_organisations_own_name_does_not_make_a_question_about_a_table(engine):
    # "WIPO" is in the name of Learning@WIPO, but a question naming WIPO is not about it
    answer = engine.ask("How many consultants did WIPO hire?")
    assert "644" not in answer.answer
