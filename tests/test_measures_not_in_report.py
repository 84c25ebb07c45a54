"""A measure the report does not give, asked of a row it does give, is refused.

Neither a figure of another measure of that row ("applications" for "average age") nor
a sentence that merely mentions the row or the measure's words answers it; the refusal
names the nearest topic the report covers. The same rows asked for measures the report
gives are still answered.
"""

from __future__ import annotations

import pytest

from assistant.model import ANSWERED, NOT_IN_REPORT, Citation


@pytest.mark.parametrize(
    "question",
    [
        "What was the average age of candidates from Asia and the Pacific in 2025?",
        "非洲候选人的平均工资是多少？",
        "信息技术岗位收到了多少投诉？",
        "What was Western Europe's travel budget?",
        "What was the promotion rate in 2025?",
        "2025年的病假天数是多少？",
        "What was the staff attrition rate among internal candidates in 2025?",
    ],
)
def test_a_measure_the_report_lacks_is_refused_and_names_what_it_covers(engine, question):
    answer = engine.ask(question)
    assert answer.status == NOT_IN_REPORT, answer.answer
    assert not answer.figures
    assert "closest topic" in answer.answer or "最相关的内容" in answer.answer


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("What was the shortlisting rate for Asia and the Pacific?", "asia-pacific"),
        ("非洲的申请人数是多少？", "africa"),
        ("How many learning enrolments were recorded in 2025?", ""),
    ],
)
def test_a_measure_the_report_gives_of_the_same_rows_is_answered(engine, question, row):
    answer = engine.ask(question)
    assert answer.status == ANSWERED, answer.answer
    assert answer.figures
    assert any(f"/{row}/" in s.key() for f in answer.figures for s in f.sources) or not row


def test_a_count_does_not_answer_a_rate(engine):
    """The vacancies advertised are a count; a vacancy rate is something else."""
    answer = engine.ask("2025年的职位空缺率是多少？")
    assert answer.status == NOT_IN_REPORT, answer.answer


def _citation(engine, language: str, needle: str) -> Citation:
    """A citation of the report's own passage that holds ``needle``."""
    unit = next(u for u in engine.report.edition(language).units if needle in u.text)
    return Citation("¶", None, "", language, unit.text, unit.id)


def test_a_number_from_text_must_share_a_clause_with_what_is_measured(engine):
    """The passage speaks of promotion and states a share, but the share is of
    appointments: it is not a promotion rate."""
    citation = _citation(engine, "en", "internal promotion to a higher grade")
    promotion = engine.reader.parse("What was the promotion rate in 2025?", "en")
    assert not engine.fit.counts_what_is_asked(promotion, [citation])
    share = engine.reader.parse("What share of appointments went to internal candidates?", "en")
    assert engine.fit.counts_what_is_asked(share, [citation])


def test_a_number_about_a_row_does_not_answer_another_measure_of_it(engine):
    citation = _citation(engine, "en", "the three regions with the most applicants")
    budget = engine.reader.parse("What was the travel budget for Western Europe?", "en")
    assert not engine.fit.counts_what_is_asked(budget, [citation])
    applications = engine.reader.parse("How many applications came from Western Europe?", "en")
    assert engine.fit.counts_what_is_asked(applications, [citation])


def test_interns_are_not_internal_candidates(engine):
    """'interns' and 'internal' share a Snowball stem; the report never counts interns."""
    answer = engine.ask("How many interns were there?")
    assert answer.status == "not_in_report" and not answer.figures
    insiders = engine.ask("How many insiders were appointed?")
    assert any(f.value == 39 for f in insiders.figures)
