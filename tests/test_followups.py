"""A conversation keeps its context: follow-ups resolve against earlier turns."""

from __future__ import annotations


def test_region_follow_ups_switch_the_region_and_keep_the_measure(engine):
    chat = engine.conversation()
    assert "3,944" in chat.ask("How many applications came from Africa?").answer
    western = chat.ask("And Western Europe?")
    assert "3,555" in western.answer and "3,944" not in western.answer
    asia = chat.ask("那亚洲及太平洋呢？")
    assert asia.language == "zh" and "3,764" in asia.answer


def test_the_difference_between_the_two_uses_the_last_two_answers(engine):
    chat = engine.conversation()
    chat.ask("How many applications came from Africa?")
    chat.ask("And Western Europe?")
    difference = chat.ask("What is the difference between the two?")
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
