"""Figure questions are answered from the tables, with formulas and sources."""

from __future__ import annotations

import pytest

from assistant.model import ANSWERED


def figures_of(answer) -> dict[float, object]:
    return {f.value: f for f in answer.figures}


def test_a_chinese_count_question_gets_the_total_from_the_tables(engine):
    answer = engine.ask("2025年共收到多少份申请？")
    assert answer.status == ANSWERED and answer.language == "zh"
    assert 15921 in figures_of(answer)
    assert "15,921" in answer.answer


def test_which_region_had_the_most_selections_is_a_ranking_over_regions(engine):
    answer = engine.ask("Which region had the most selections?")
    top = answer.figures[0]
    assert top.value == 29 and "Asia and the Pacific" in answer.answer
    assert "29 > " in top.formula["en"]  # the ranking is shown
    assert "Total" not in top.formula["en"]  # totals are not ranked with regions


def test_a_share_is_computed_with_its_formula(engine):
    answer = engine.ask("What share of applications came from Africa?")
    share = next(f for f in answer.figures if f.operation == "share")
    assert round(share.value, 1) == 24.8
    assert share.formula["en"] == "3,944 ÷ 15,921 = 24.8%"
    assert {s.paragraph for s in share.sources} >= {72, 69}


def test_a_percentage_point_rise_is_computed_from_both_years(engine):
    answer = engine.ask("By how many percentage points did the share of women at D1 rise?")
    change = answer.figures[-1]
    assert change.value == pytest.approx(8.0)
    assert "42.6% − 34.6%" in change.formula["en"]
    assert all(s.paragraph == 85 for s in change.sources)


def test_women_appointed_cites_paragraph_84(engine):
    answer = engine.ask("How many women were appointed in 2025?")
    assert 43 in figures_of(answer)
    assert any(c.paragraph == 84 for c in answer.citations)


def test_every_figure_carries_its_sources_and_every_source_is_cited(engine):
    for question in [
        "How many vacancies were advertised in 2025?",
        "哪个区域的转化率最高？",
        "What was the response rate of the engagement survey?",
        "员工参与度调查有多少人回复？",
    ]:
        answer = engine.ask(question)
        assert answer.figures, question
        cited = {c.unit_id for c in answer.citations}
        for figure in answer.figures:
            assert figure.sources, (question, figure.label)
            assert {s.unit_id for s in figure.sources} <= cited


def test_a_table_answer_comes_with_chart_rows(engine):
    answer = engine.ask("How many applications came from Africa?")
    assert answer.chart is not None
    labels = [row["label"] for row in answer.chart["rows"]]
    assert "Africa" in labels
    assert any(row["highlight"] for row in answer.chart["rows"])


def test_a_total_over_named_rows_is_a_sum_with_its_formula(engine):
    answer = engine.ask("How many IT staff in total did the ICT talent review cover?")
    total = answer.figures[-1]
    assert total.operation == "sum" and total.value == 84 + 35
    assert total.formula["en"] == "84 + 35 = 119"
    assert all(s.paragraph == 33 or s.paragraph is None for s in total.sources)


def test_a_rate_between_two_named_stages_is_the_later_over_the_earlier(engine):
    answer = engine.ask("What proportion of applicants from Africa were eventually selected?")
    rate = answer.figures[-1]
    assert rate.operation == "rate"
    assert rate.formula["en"] == "14 ÷ 3,944 = 0.35%"


def test_a_rate_the_report_publishes_is_read_not_recomputed(engine):
    answer = engine.ask("What share of the short-listed candidates were then interviewed?")
    assert [f.value for f in answer.figures] == [pytest.approx(54.9)]
    assert answer.figures[0].operation == "lookup"


def test_a_question_for_several_figures_gets_each(engine):
    answer = engine.ask("任命的男女人数各是多少？")
    by_measure = {f.label["en"].rsplit(" — ", 1)[-1]: f.value for f in answer.figures}
    assert by_measure["women"] == 43 and by_measure["men"] == 43
    answer = engine.ask(
        "How many functional roles did the talent review identify, and how many people were "
        "matched to them?"
    )
    assert [f.value for f in answer.figures] == [20, 48]


def test_the_count_a_question_says_something_of_is_the_one_answered(engine):
    assert engine.ask("How many applicants made it to an interview?").figures[0].value == 452
    assert engine.ask("How many candidates were recommended for selection?").figures[0].value == 223


def test_a_change_is_read_in_a_table_of_two_periods(engine):
    answer = engine.ask("By how many percentage points did women's representation at D1 go up?")
    assert answer.figures[-1].operation == "pp_change"
    assert answer.figures[-1].value == pytest.approx(8.0)


def test_a_change_the_report_publishes_is_quoted(engine):
    answer = engine.ask("这三年里申请量涨了多少？")
    assert [f.value for f in answer.figures] == [15]
    assert answer.citations[0].paragraph == 71


def test_a_ranking_asked_as_a_likelihood_ranks_the_published_rate(engine):
    answer = engine.ask("Applicants from which region were most likely to make the shortlist?")
    assert answer.figures[0].value == 8.5 and "Asia and the Pacific" in answer.answer


def test_a_name_in_another_form_still_names_its_row(engine):
    # "Western Europeans" names the row "Western Europe"
    answer = engine.ask("How many Western Europeans were selected in 2025?")
    assert [f.value for f in answer.figures] == [17]


def test_a_ranking_needs_the_measure_named_not_only_a_row(engine):
    # "IT" names a row of the applicants-per-vacancy table, "order" is not a ranking of it
    answer = engine.ask("In what order were the IT teams brought together?")
    assert not any(f.operation == "rank" for f in answer.figures)


def test_what_remains_of_a_plan_is_the_whole_minus_the_part_done(engine):
    answer = engine.ask("计划征聘的30人中，还有多少人的征聘流程没有启动？")
    remainder = answer.figures[-1]
    assert remainder.operation == "difference" and remainder.value == 23
    assert remainder.formula["zh"] == "30 − 7 = 23"


def test_a_share_the_report_publishes_as_a_row_is_read_not_recomputed(engine):
    answer = engine.ask("What share of training was delivered through curated group sessions?")
    assert [f.value for f in answer.figures] == [75]


def test_a_premise_in_the_question_is_not_taken_as_the_reports_figure(engine):
    answer = engine.ask("既然2025年女性占了任命的70%，那女性一共有多少人？")
    assert [f.value for f in answer.figures] == [43]
    assert "70" not in answer.answer


def test_a_count_the_report_gives_only_as_a_share_is_derived_and_says_so(engine):
    answer = engine.ask("内部候选人和临时合同人员大约有多少人获得了任命？")
    derived = answer.figures[0]
    assert derived.value == 39
    assert "推算" in derived.formula["zh"]


def test_the_largest_few_taken_together_are_ranked_then_added(engine):
    answer = engine.ask(
        "Taken together, how many applications did the three biggest source regions account for?"
    )
    total = answer.figures[-1]
    assert total.operation == "sum" and total.value == 3944 + 3764 + 3555
    assert len(answer.figures) == 4


def test_extremes_the_report_publishes_are_read_not_computed(engine):
    answer = engine.ask("每个空缺的申请人数最少和最多分别是多少？")
    assert [f.value for f in answer.figures] == [38, 1150]


def test_what_a_named_table_shows_is_all_its_rows(engine):
    answer = engine.ask("What did the sentiment analysis of survey respondents show?")
    assert [f.value for f in answer.figures] == [79, 16, 5]


def test_a_count_per_something_is_divided_across_tables_with_its_formula(engine):
    answer = engine.ask("平均下来每个空缺职位收到多少份申请？")
    ratio = answer.figures[-1]
    assert ratio.formula["zh"] == "15,921 ÷ 108 = 147.4"


def test_a_figure_the_report_gives_per_category_is_read_for_every_category(engine):
    answer = engine.ask("How many applications were there per vacancy on average?")
    assert [f.value for f in answer.figures] == [95, 140, 725]
    it_only = engine.ask("信息技术类岗位平均每个空缺有多少人申请？")
    assert [f.value for f in it_only.figures] == [95]


def test_the_table_that_holds_every_row_named_answers(engine):
    # "P5 and above" is a row of the grades table, which also has the external share
    answer = engine.ask("What share of appointments at P5 and above went to external candidates?")
    assert [f.value for f in answer.figures] == [70]


def test_a_rate_the_table_defines_but_does_not_give_for_a_row_is_computed(engine):
    answer = engine.ask("What percentage of the people selected were women?")
    rate = answer.figures[-1]
    assert rate.formula["en"] == "43 ÷ 86 = 50.0%"


def test_which_category_has_the_fewest_is_a_ranking_not_a_published_minimum(engine):
    answer = engine.ask("哪个地区的申请人数最少？")
    assert answer.figures[0].value == 772 and "北美" in answer.answer


def test_a_rate_asked_of_a_table_that_publishes_it_is_read_there(engine):
    # the D1 table publishes the share of women at D1; the senior-posts table covers P5 too
    answer = engine.ask("女性在D1级别的比例是多少？")
    assert [f.value for f in answer.figures] == [34.6, 42.6]
