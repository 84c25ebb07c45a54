"""Narrative answers: lists given where they are announced, summaries, yes-or-no evidence."""

from __future__ import annotations

from assistant.model import ANSWERED


def test_a_list_announced_in_a_paragraph_is_given_from_the_same_paragraph(engine):
    answer = engine.ask("What are the three pillars of learning?")
    assert answer.status == ANSWERED
    for pillar in ("Foundational", "Technical", "Behavioral and leadership"):
        assert pillar in answer.answer
    assert [c.paragraph for c in answer.citations][:1] == [53]


def test_a_list_announced_at_the_end_of_a_paragraph_is_given_from_the_unit_that_follows(engine):
    answer = engine.ask("产权组织征聘时遵循哪两项原则？")
    assert answer.status == ANSWERED
    assert "择优" in answer.answer and "广度" in answer.answer
    assert answer.citations[0].paragraph == 67
    # the principles themselves are quoted from the unit after ¶67, and cited as such
    assert len(answer.citations) >= 2 and "择优" in answer.citations[1].quote


def test_a_summary_request_gets_the_opening_sentences_of_the_passage(engine):
    answer = engine.ask("Summarise the Madrid Registry case study.")
    quote = answer.citations[0].quote
    assert answer.citations[0].ref.startswith("Case study: the Madrid Registry")
    assert quote.count(". ") >= 2  # several sentences, not one
    assert "65,000" in answer.answer


def test_a_yes_no_question_gets_the_evidence_sentence(engine):
    answer = engine.ask("Did bringing AI into the Translation Division cost jobs?")
    assert "without job displacement" in answer.answer


def test_the_full_name_of_an_acronym_is_the_passage_that_spells_it_out(engine):
    answer = engine.ask("GDAP的全称是什么？")
    assert answer.status == ANSWERED and "地域多样性行动计划（GDAP）" in answer.answer


def test_the_numbered_parts_of_something_are_listed_in_order_with_their_sources(engine):
    answer = engine.ask("What are the three pillars of the GDAP?")
    assert (
        answer.answer.index("Pillar 1")
        < answer.answer.index("Pillar 2")
        < answer.answer.index("Pillar 3")
    )
    assert [c.ref.split(":")[0] for c in answer.citations] == ["Pillar 1", "Pillar 2", "Pillar 3"]
    # the pillars of something else are not these
    learning = engine.ask("What are the three pillars of learning?")
    assert "Pillar 1" not in learning.answer


def test_an_ordinal_finds_the_numbered_part(engine):
    answer = engine.ask("What did WIPO concentrate on under the second GDAP pillar in 2025?")
    assert answer.citations[0].ref.startswith("Pillar 2") and "workforce" in answer.answer


def test_the_bar_that_figures_cleared_is_quoted_from_the_text(engine):
    answer = engine.ask("角色清晰度、心理安全感和使命感的得分都超过了多少分？")
    assert "超过80分" in answer.answer and answer.citations[0].paragraph == 15
