"""Checks on answers in the CLI JSON contract: numbers in any usual form, tolerance,
alternatives, language, citations and text."""

from __future__ import annotations

import pytest

from assistant.evaluation.checks import check_answer
from assistant.evaluation.numbers import read_numbers, states
from assistant.evaluation.suite import Expect
from assistant.evaluation.text import contains, detect_language


def answer(text: str, **fields) -> dict:
    """A hand-made answer in the JSON contract shape."""
    base = {
        "question": "q",
        "language": detect_language(text) or "en",
        "status": "answered",
        "answer": text,
        "citations": [],
        "figures": [],
        "timing_ms": 1.0,
    }
    return base | fields


def verdict(payload: dict, **expect) -> tuple[bool, str]:
    checks = check_answer(payload, Expect.model_validate(expect))
    failed = [f"{c.name}: {c.detail}" for c in checks if not c.passed]
    return not failed, "; ".join(failed)


@pytest.mark.parametrize(
    "text, value",
    [
        ("共收到15,921份申请", 15921),
        ("15 921 applications", 15921),
        ("15\u202f921 applications", 15921),
        ("15'921 applications", 15921),
        ("１５，９２１份", 15921),
        ("15, 921 人", 15921),  # as the PDF extraction prints it
        ("Africa: 24.8% of applications", 24.8),
        ("占２４．８％", 24.8),
        ("约1.59万份", 15900),
        ("三十八次双边磋商", 38),
        ("百分之二十四点八", 24.8),
        ("二〇二五年", 2025),
        ("six multilateral consultations", 6),
        ("the eighty-sixth session", 86),
        ("its 57th ordinary session", 57),
        ("up 8.0 percentage points", 8.0),
        ("+8.0个百分点", 8.0),
    ],
)
def test_a_number_is_read_in_any_usual_form(text, value):
    assert value in read_numbers(text)


def test_grade_names_are_not_numbers():
    assert read_numbers("P5 and D1 posts; P2-P4") == []


def test_a_space_or_comma_with_space_may_group_digits_or_separate_numbers():
    assert set(read_numbers("86, 452")) == {86452, 86, 452}
    assert read_numbers("In 2025, 108 vacancies") == [2025, 108]


def test_an_int_matches_exactly_and_a_float_within_tol():
    assert states("108 vacancies", 108, tol=0.05)
    assert not states("1,080 vacancies", 108, tol=0.05)
    assert not states("108.4 on average", 108, tol=0.5)
    assert states("24.77%", 24.8, tol=0.05)
    assert not states("24.7%", 24.8, tol=0.05)
    assert states("about 147 per vacancy", 147.4, tol=0.5)


def test_expected_figures_may_be_stated_in_the_text_or_in_figures_values():
    payload = answer("See the figure below.", figures=[{"label": "x", "value": 15921.0}])
    assert verdict(payload, figures=[15921]) == (True, "")
    share = answer("Africa's share.", figures=[{"label": "s", "value": 0.2477, "unit": "percent"}])
    assert verdict(share, figures=[24.8])[0]


def test_a_missing_figure_is_named_with_the_numbers_that_were_read():
    ok, reason = verdict(answer("2025年共公布了107个职位空缺。"), figures=[108])
    assert not ok
    assert reason == "figures: does not state 108 (read: 2025, 107)"


def test_tol_applies_to_floats_only():
    assert verdict(answer("It rose by 8 points."), figures=[8.0], tol=0.05)[0]
    assert not verdict(answer("It rose by 8.2 points."), figures=[8.0], tol=0.05)[0]
    assert verdict(answer("It rose by 8.2 points."), figures=[8.0], tol=0.25)[0]


def test_not_figures_fails_when_the_number_is_stated_in_text_or_figures():
    assert not verdict(answer("There were 5,000 applications."), not_figures=[5000])[0]
    assert not verdict(answer("五千份申请"), not_figures=[5000])[0]
    figure = answer("OK.", figures=[{"label": "x", "value": 5000}])
    assert not verdict(figure, not_figures=[5000])[0]
    assert verdict(answer("There were 15,921 applications."), not_figures=[5000])[0]


@pytest.mark.parametrize(
    "text, language",
    [
        ("iPerform是基于Oracle Fusion构建的人工智能辅助绩效平台。", "zh"),
        ("WIPO Thrive平台正式上线。", "zh"),
        ("The Madrid Registry (马德里注册部) created a Client Advisor role.", "en"),
        ("In 2025 WIPO advertised 108 vacancies.", "en"),
        ("15,921 — ¶69", None),
        ("", None),
    ],
)
def test_language_is_told_by_the_share_of_cjk_against_latin_letters(text, language):
    assert detect_language(text) == language


def test_lang_checks_the_text_and_the_language_field():
    assert verdict(answer("共有108个职位空缺。"), lang="zh")[0]
    ok, reason = verdict(answer("There were 108 vacancies."), lang="zh")
    assert not ok and reason == "lang: expected zh, the answer reads as en"
    ok, reason = verdict(answer("共有108个职位空缺。", language="en"), lang="zh")
    assert not ok and "language field says en" in reason


def test_status_is_expected_to_be_answered_when_content_is_expected():
    refusal = answer("报告未提供这一信息。", status="not_in_report")
    ok, reason = verdict(refusal, figures=[108])
    assert not ok and reason.startswith("status: expected answered, got not_in_report")
    assert verdict(refusal, status="not_in_report", lang="zh")[0]


def test_paragraphs_need_one_citation_with_one_of_the_numbers():
    cited = answer("108", citations=[{"ref": "¶69", "paragraph": 69}, {"paragraph": None}])
    assert verdict(cited, paragraphs=[69, 71])[0]
    ok, reason = verdict(cited, paragraphs=[72])
    assert not ok and reason == "paragraphs: cites ¶69, unnumbered; expected ¶72"


def test_text_checks_ignore_case_width_and_spacing_around_chinese():
    assert contains("Built on ORACLE Fusion", "oracle fusion")
    assert contains("2025 年 1 月 1 日至 12 月 31 日", "1月1日")
    assert contains("ＷＩＰＯ Thrive", "WIPO Thrive")
    assert verdict(answer("Talent Labs were facilitated."), contains_all=["talent labs"])[0]
    ok, reason = verdict(answer("Botswana and Estonia"), contains_all=["Botswana", "Paraguay"])
    assert not ok and reason == "contains_all: missing 'Paraguay'"
    assert verdict(answer("Eighty-sixth"), contains_any=["86th", "eighty-sixth"])[0]


def test_regex_is_searched_case_insensitively_and_not_contains_refuses_markup():
    assert verdict(answer("posts at p 5 and above"), regex=r"P\s?5")[0]
    ok, reason = verdict(answer("<img src=x onerror=alert(1)>"), not_contains=["onerror"])
    assert not ok and reason == "not_contains: contains 'onerror'"


def test_any_of_passes_when_one_alternative_merged_over_the_rest_holds():
    expect = {
        "not_figures": [5000],
        "any_of": [{"status": "invalid_input"}, {"status": "answered", "figures": [15921]}],
    }
    assert verdict(answer("There were 15,921 applications."), **expect)[0]
    assert verdict(answer("Rejected.", status="invalid_input"), **expect)[0]
    # the rest of the expectation applies to every alternative
    ok, reason = verdict(answer("5000? No: 15,921."), **expect)
    assert not ok and reason.startswith("any_of: no alternative holds: [1] status:")
    assert "not_figures: states 5000" in reason


def test_paragraph_references_and_identifiers_state_no_figures():
    cited = "申请 — 人数：15,921（来源：wo-cc-86-inf-1:table-recruitment-pipeline、¶69、¶71）。"
    assert read_numbers(cited) == [15921]
    assert read_numbers("document WO/CC/86/INF/1; see paragraph 72 and 第72段") == []


def test_identifiers_do_not_make_a_chinese_answer_read_as_english():
    cited = "非洲 — 申请：3,944（来源：¶72、wo-cc-86-inf-1:table-recruitment-by-region）。"
    assert detect_language(cited) == "zh"


def misled(payload: dict, question: str = "How many applications were received in 2025?", **expect):
    from assistant.evaluation.checks import misleads

    return misleads(payload, Expect.model_validate(expect), question)


def test_an_answer_giving_another_figure_of_the_report_is_a_wrong_figure():
    payload = answer("Africa sent 3,944 applications.")
    assert misled(payload, figures=[15921]) == ("wrong_figure",)


def test_an_answer_giving_the_figure_asked_for_is_not_a_wrong_figure_even_with_others():
    payload = answer("15,921 applications, of which 3,944 came from Africa.")
    assert misled(payload, figures=[15921]) == ()


def test_a_year_the_question_names_is_not_a_wrong_figure():
    payload = answer("In 2025 the report describes applications by region.")
    assert misled(payload, figures=[15921]) == ()
    assert misled(payload, question="How many applications were received?", figures=[15921]) == (
        "wrong_figure",
    )


def test_the_inputs_of_a_computation_make_an_answer_incomplete_not_wrong():
    payload = answer("Africa: 3,944 applications; North America: 772.")
    expect = {"figures": [5.11], "tol": 0.06, "inputs": [3944, 772]}
    assert verdict(payload, **expect)[0] is False
    assert misled(payload, question="How many times as many?", **expect) == ()
    assert misled(answer("Africa selected 14."), question="How many times?", **expect) == (
        "wrong_figure",
    )


def test_answering_what_should_be_refused_is_a_missed_refusal():
    payload = answer("Africa sent 3,944 applications.")
    assert misled(payload, status="not_in_report") == ("missed_refusal",)
    assert misled(answer("…", status="not_in_report"), status="not_in_report") == ()


@pytest.mark.parametrize("status", ["not_in_report", "invalid_input"])
def test_refusing_what_should_be_answered_is_a_false_refusal(status):
    payload = answer("The report does not cover that.", status=status)
    assert misled(payload, figures=[15921]) == ("false_refusal",)


def test_alternatives_that_accept_a_refusal_count_neither_kind_of_refusal_error():
    expect = {"any_of": [{"status": "not_in_report"}, {"status": "answered", "figures": [5]}]}
    assert misled(answer("5 of them."), **expect) == ()
    assert misled(answer("None.", status="not_in_report"), **expect) == ()
