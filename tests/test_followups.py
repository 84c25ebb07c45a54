"""A conversation keeps its context: follow-ups resolve against earlier turns."""

from __future__ import annotations

import pytest


def test_region_follow_ups_switch_the_region_and_keep_the_measure(engine):
    chat = engine.conversation()
    assert "3,944" in chat.ask("How many applications came from Africa?").answer
    western = chat.ask("And Western Europe?")
    assert "3,555" in western.answer and "3,944" not in western.answer
    asia = chat.ask("那亚洲及太平洋呢？")
    assert asia.language == "zh" and "3,764" in asia.answer


@pytest.mark.parametrize(
    "turns",
    [
        (
            "How many applications came from Africa?",
            "And Western Europe?",
            "What is the difference between the two?",
        ),
        ("非洲的申请人数是多少？", "西欧呢？", "两者相差多少？"),
    ],
)
def test_the_difference_between_the_two_uses_the_last_two_answers(engine, turns):
    chat = engine.conversation()
    for question in turns[:-1]:
        chat.ask(question)
    difference = chat.ask(turns[-1])
    assert difference.figures[-1].value == 3944 - 3555
    assert difference.figures[-1].formula["en"] == "3,944 − 3,555 = 389"


def test_a_pronoun_follow_up_finds_the_earlier_subject(engine):
    chat = engine.conversation()
    chat.ask("GameShifter是什么？")
    nxt = chat.ask("它的下一次活动计划在什么时候？")
    assert "2026" in nxt.answer
    assert any(c.paragraph == 59 for c in nxt.citations)


def test_a_new_topic_is_not_read_as_a_follow_up(engine):
    chat = engine.conversation()
    chat.ask("How many applications came from Africa?")
    answer = chat.ask("What is iPerform?")
    assert "iPerform" in answer.answer and not answer.figures


def test_separate_questions_do_not_share_context(engine):
    engine.ask("How many applications came from Africa?")
    alone = engine.ask("And Western Europe?")
    assert all(f.value != 3944 for f in alone.figures)
    assert "Western Europe" in alone.answer


def test_a_year_alone_switches_the_period_and_a_bare_change_question_compares_them(engine):
    chat = engine.conversation()
    assert chat.ask("2024年D1职等的女性占比是多少？").figures[0].value == 34.6
    assert chat.ask("2025年呢？").figures[0].value == 42.6
    change = chat.ask("提高了多少个百分点？")
    assert change.figures[-1].operation == "pp_change"
    assert change.figures[-1].value == 8.0


def test_the_period_before_and_the_increase_follow_the_measure(engine):
    chat = engine.conversation()
    chat.ask("How many bilateral consultations did WIPO hold with Member States?")
    before = chat.ask("And the cycle before?")
    assert [f.value for f in before.figures] == [18]
    increase = chat.ask("So how big was the increase?")
    assert increase.figures[-1].value == 20


def test_what_percentage_is_that_divides_the_last_count_by_the_one_before(engine):
    chat = engine.conversation()
    chat.ask("How many people were shortlisted?")
    assert chat.ask("And how many of those got an interview?").figures[0].value == 452
    share = chat.ask("What percentage is that?").figures[-1]
    assert share.operation == "share" and share.formula["en"] == "452 ÷ 823 = 54.9%"


def test_a_follow_up_about_the_top_row_of_a_ranking_reads_that_row(engine):
    chat = engine.conversation()
    chat.ask("Which region had the most candidates selected?")
    rate = chat.ask("What was its shortlisting rate?")
    assert "Asia and the Pacific" in rate.answer and rate.figures[0].value == 8.5


def test_a_request_to_answer_in_the_other_language_is_honoured(engine):
    chat = engine.conversation()
    chat.ask("How many vacancies were advertised in 2025?")
    answer = chat.ask("请用中文回答：最终选定了多少人？")
    assert answer.language == "zh" and answer.figures[0].value == 86


def test_a_follow_up_to_a_text_answer_finds_its_figure_by_the_name_it_points_to(engine):
    chat = engine.conversation()
    chat.ask("eMadrid是什么时候作为默认平台上线的？")
    countries = chat.ask("它现在在多少个国家使用？")
    assert [f.value for f in countries.figures] == [100]


def test_a_follow_up_naming_another_figure_of_the_same_table_reads_that_row(engine):
    chat = engine.conversation()
    assert chat.ask("马德里注册部有多少名审查员？").figures[0].value == 80
    assert chat.ask("他们每年处理多少件申请？").figures[0].value == 65000
