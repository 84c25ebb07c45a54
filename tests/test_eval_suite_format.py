"""The suite format: what a suite file may say, and how a malformed one is reported.

Every problem names the file (and line), the case id and the field, and all problems are
reported together before anything runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.suite import load_suites, select
from ingest.errors import SuiteError


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path | list[Path]) -> str:
    with pytest.raises(SuiteError) as caught:
        load_suites(path if isinstance(path, list) else [path])
    return str(caught.value)


GOOD = """\
cases:
  - id: vacancies-zh
    q: "2025年公布了多少个职位空缺？"
    tags: [recruitment, figure]
    expect:
      lang: zh
      figures: [108]
      paragraphs: [69]
  - id: follow-up-gender
    tags: [multiturn]
    turns:
      - {q: "How many women were appointed in 2025?", expect: {figures: [43]}}
      - {q: "And men?", expect: {figures: [43]}}
"""


def test_a_well_formed_yaml_suite_loads_every_case_with_its_file_and_line(tmp_path):
    path = write(tmp_path, "recruitment.yaml", GOOD)
    single, conversation = load_suites([path])
    assert single.id == "vacancies-zh" and single.tags == ("recruitment", "figure")
    assert not single.conversation and single.turns[0].question == "2025年公布了多少个职位空缺？"
    assert single.where == f"{path}:2"
    assert conversation.conversation and [t.question for t in conversation.turns] == [
        "How many women were appointed in 2025?",
        "And men?",
    ]


def test_a_jsonl_suite_has_the_same_fields_one_case_per_line(tmp_path):
    lines = [
        {"id": "a", "q": "How many vacancies?", "expect": {"figures": [108]}},
        {"id": "b", "turns": [{"q": "Africa?", "expect": {"figures": [3944]}}]},
    ]
    path = write(tmp_path, "s.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    assert [c.id for c in load_suites([path])] == ["a", "b"]
    assert load_suites([path])[1].where == f"{path}:2"


def test_a_folder_stands_for_every_suite_file_in_it(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.jsonl", json.dumps({"id": "c", "q": "x", "expect": {"status": "answered"}}))
    write(tmp_path, "notes.txt", "not a suite")
    assert len(load_suites([tmp_path])) == 3


def test_an_unknown_key_names_file_line_case_field_and_the_keys_allowed(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "cases:\n  - id: vacancies\n    q: x\n    expect: {figures: [108], figure: [1]}\n",
    )
    message = problems(path)
    assert f"{path}:2: case 'vacancies': expect.figure: unknown key" in message
    assert "allowed: status, lang, figures, tol, paragraphs" in message


def test_a_misspelt_status_is_refused_with_the_statuses_allowed(tmp_path):
    path = write(tmp_path, "s.yaml", "cases:\n  - {id: c1, q: x, expect: {status: answerd}}\n")
    message = problems(path)
    assert "case 'c1': expect.status:" in message
    assert "'answered', 'not_in_report' or 'invalid_input'" in message
    assert "(got 'answerd')" in message


def test_a_case_gives_q_or_turns_never_both_never_neither(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        """\
cases:
  - id: both
    q: x
    turns: [{q: y, expect: {figures: [1]}}]
  - id: neither
    tags: [x]
  - id: expect-outside-turns
    turns: [{q: y}]
    expect: {figures: [1]}
""",
    )
    message = problems(path)
    assert "case 'both': q/turns: give q (one question) or turns (a conversation), not both" in (
        message
    )
    assert "case 'neither': q/turns: give q (one question) or turns" in message
    assert "case 'expect-outside-turns': expect: belongs inside each turn" in message


def test_an_id_used_twice_is_refused_even_across_files(tmp_path):
    a = write(tmp_path, "a.yaml", "cases:\n  - {id: same, q: x, expect: {figures: [1]}}\n")
    b = write(tmp_path, "b.yaml", "cases:\n  - {id: same, q: y, expect: {figures: [2]}}\n")
    assert f"{b}:2: case 'same': id: duplicate (first used at {a}:2)" in problems([a, b])


def test_a_regular_expression_that_does_not_compile_is_refused(tmp_path):
    path = write(tmp_path, "s.yaml", 'cases:\n  - {id: r, q: x, expect: {regex: "P(5"}}\n')
    assert "case 'r': expect.regex: not a valid regular expression" in problems(path)


def test_figures_are_numbers_not_strings_or_booleans(tmp_path):
    path = write(
        tmp_path, "s.yaml", "cases:\n  - {id: f, q: x, expect: {figures: ['108', true, 1.5]}}\n"
    )
    message = problems(path)
    assert "case 'f': expect.figures[0]: should be a number (got '108')" in message
    assert "case 'f': expect.figures[1]: should be a number (got True)" in message
    assert "figures[2]" not in message


def test_a_key_written_twice_in_yaml_is_refused_rather_than_silently_overwritten(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "cases:\n  - id: twice\n    q: x\n    expect: {figures: [1]}\n    expect: {figures: [2]}\n",
    )
    assert "key 'expect' is written twice" in problems(path)


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    a = write(tmp_path, "a.yaml", "cases:\n  - {id: one, q: x, expect: {lang: fr}}\n")
    b = write(tmp_path, "b.jsonl", '{"id": "two", "q": "y", "expect": {"tol": -1}}\n{oops\n')
    message = problems([a, b])
    assert message.startswith("The suite has 3 problems; nothing was run:")
    assert "case 'one': expect.lang:" in message
    assert "case 'two': expect.tol: should be greater than or equal to 0" in message
    assert f"{b}:2: not a JSON object" in message


def test_a_case_must_say_what_a_right_answer_looks_like(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "cases:\n  - {id: bare, q: x}\n  - {id: empty, q: x, expect: {}}\n"
        "  - {id: silent-turns, turns: [{q: a}, {q: b}]}\n",
    )
    message = problems(path)
    assert "case 'bare': expect: missing or empty" in message
    assert "case 'empty': expect: missing or empty" in message
    assert "case 'silent-turns': turns: no turn says what a right answer looks like" in message


def test_an_empty_question_is_written_as_an_empty_string_not_left_blank(tmp_path):
    path = write(
        tmp_path, "s.yaml", "cases:\n  - id: blank\n    q:\n    expect: {status: invalid_input}\n"
    )
    assert "case 'blank': q: is empty; write q: \"\" to ask an empty question" in problems(path)
    ok = write(tmp_path, "ok.yaml", 'cases:\n  - {id: e, q: "", expect: {status: invalid_input}}\n')
    assert load_suites([ok])[0].turns[0].question == ""


def test_a_long_question_is_written_as_a_repeat(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "cases:\n  - {id: long, q: {repeat: 'ab', times: 50000}, expect: {status: invalid_input}}\n"
        "  - {id: bad, q: {repeat: 'ab', times: 0}, expect: {status: invalid_input}}\n",
    )
    assert "case 'bad': q.times: should be greater than or equal to 1" in problems(path)
    path.write_text(path.read_text().split("  - {id: bad")[0])
    assert len(load_suites([path])[0].turns[0].question) == 100_000


def test_any_of_cannot_be_nested(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "cases:\n  - {id: n, q: x, expect: {any_of: [{any_of: [{status: answered}]}]}}\n",
    )
    assert "case 'n': expect.any_of[0].any_of: unknown key" in problems(path)


def test_an_id_is_one_word_and_a_case_without_id_is_named_by_position(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "cases:\n  - {id: two words, q: x, expect: {figures: [1]}}\n"
        "  - {q: x, expect: {figures: [1]}}\n",
    )
    message = problems(path)
    assert "case 'two words': id: should be one word, without spaces" in message
    assert "case #2: id: required" in message


def test_a_file_that_is_not_a_suite_says_what_a_suite_looks_like(tmp_path):
    assert "a suite file holds a mapping with one key, 'cases'" in problems(
        write(tmp_path, "s.yaml", "- id: x\n")
    )
    assert "not valid YAML" in problems(write(tmp_path, "t.yaml", "cases: [\n"))
    assert "a suite file ends in .yaml, .yml, .jsonl" in problems(write(tmp_path, "u.txt", ""))


def test_content_expectations_without_a_status_expect_an_answer():
    from assistant.evaluation.suite import Expect

    assert Expect(figures=(108,)).expected_status == "answered"
    assert Expect(contains_any=("空缺",)).expected_status == "answered"
    assert Expect(not_figures=(5000,)).expected_status is None
    assert Expect(status="not_in_report").expected_status == "not_in_report"


def test_an_alternative_is_laid_over_the_rest_of_the_expectation():
    from assistant.evaluation.suite import Expect

    expect = Expect.model_validate(
        {
            "lang": "en",
            "not_figures": [5000],
            "any_of": [{"status": "invalid_input"}, {"figures": [15921], "lang": "zh"}],
        }
    )
    refusal, answer = expect.alternatives()
    assert (refusal.status, refusal.lang, refusal.not_figures) == ("invalid_input", "en", (5000,))
    assert (answer.expected_status, answer.lang, answer.figures) == ("answered", "zh", (15921,))


def test_tags_select_the_cases_that_carry_any_of_them(tmp_path):
    cases = load_suites([write(tmp_path, "s.yaml", GOOD)])
    assert [c.id for c in select(cases, ["multiturn"])] == ["follow-up-gender"]
    assert len(select(cases, ["figure,multiturn"])) == 2
    assert len(select(cases, [])) == 2
