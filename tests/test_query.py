"""The question parser: each reader fills one slot of the Query, over the real report."""

from __future__ import annotations

import pytest

from assistant.model import ANSWERED


@pytest.fixture(scope="module")
def reader(engine):
    return engine.reader


def names(query, kind: str) -> set[str]:
    return {m.entity.key for m in query.mentions if m.entity.kind == kind and m.score >= 95}


def test_traditional_characters_are_read_in_simplified_form(reader):
    query = reader.parse("2025年最終選定了多少名候選人？", "zh")
    assert query.text.startswith("2025年最终选定了多少名候选人")
    assert "selected" in names(query, "row") | names(query, "column") or "selections" in names(
        query, "column"
    )


def test_misspelt_english_words_are_mended_towards_the_reports_words(reader):
    query = reader.parse("How many candidates were selcted from Westren Europe?", "en")
    assert ("selcted", "selected") in query.mended
    assert ("Westren", "Western") in query.mended
    assert "western-europe" in names(query, "row")


def test_a_word_the_report_knows_is_never_mended(reader):
    query = reader.parse("How many applications came from Africa?", "en")
    assert query.mended == ()


def test_a_courteous_lead_in_is_dropped_before_the_question(reader):
    query = reader.parse(
        "Could you kindly tell me, for a note I am drafting for our mission in Geneva, "
        "how many candidates were interviewed in 2025 across all regions?",
        "en",
    )
    assert query.text.startswith("how many candidates were interviewed")
    assert "Geneva" in query.lead_in


def test_a_clause_that_asks_is_never_dropped(reader):
    query = reader.parse("In Africa, how many candidates were selected?", "en")
    assert query.text.startswith("In Africa")


def test_chat_shorthand_is_written_out(reader):
    query = reader.parse("how many ppl got interviewed last yr", "en")
    assert "people" in query.text and "year" in query.text


@pytest.mark.parametrize(
    "question", ["How many times more applications came from Africa?", "非洲的申请是北美的几倍？"]
)
def test_how_many_times_asks_for_a_ratio(reader, question):
    query = reader.parse(question, "en")
    assert query.ratio and query.operation == "ratio"


@pytest.mark.parametrize(
    "question", ["How many applicants were not selected?", "申请人中有多少人没有进入短名单？"]
)
def test_a_negated_measure_is_marked(reader, question):
    assert reader.parse(question, "en").negated


def test_a_count_of_things_is_told_from_an_amount_or_a_share(reader):
    assert reader.parse("How many days of sick leave did staff take?", "en").asks_count
    assert not reader.parse("绩效目标里文化和业务各占多少权重？", "zh").asks_count
    assert reader.parse("What share of appointments went to women?", "en").asks_rate


def test_the_query_says_what_it_was_read_as(reader):
    data = reader.parse("How many applications came from Africa?", "en").as_json()
    assert data["operation"] == "lookup"
    assert {"kind": "row", "table": "recruitment-by-region", "key": "africa"}.items() <= next(
        n for n in data["names"] if n["key"] == "africa"
    ).items()


def test_an_apology_before_the_question_is_a_lead_in_with_its_joining_word(reader):
    query = reader.parse("Sorry to bother you, but how many candidates were selected?", "en")
    assert query.text.startswith("how many candidates")


def test_a_percent_sign_asks_for_a_rate(reader):
    assert reader.parse("What was the % interviewed for Africa?", "en").asks_rate


@pytest.mark.parametrize(
    "question",
    [
        "How many applications came from LAC?",
        "whats the no of candidates selected for lac",
        "What was LAC's shortlisting rate?",
    ],
)
def test_an_acronym_finds_its_row_in_any_case_and_with_a_possessive(reader, question):
    query = reader.parse(question, "en")
    assert "latin-america-caribbean" in names(query, "row")


def test_a_name_is_found_without_its_commas_and_hides_the_shorter_name_inside_it(reader):
    query = reader.parse(
        "how many more selections did eastern europe central europe and central asia have "
        "than middle east",
        "en",
    )
    assert {"eececa", "middle-east"} <= names(query, "row")
    assert "asia-pacific" not in names(query, "row")


def test_a_name_without_its_commas_keeps_its_place_after_another_name(reader):
    query = reader.parse(
        "how many shortlisted did asia and the pacific and eastern europe central europe "
        "and central asia have together",
        "en",
    )
    assert {"asia-pacific", "eececa"} <= names(query, "row")


@pytest.mark.parametrize("shorthand", ["no. of", "no of", "# of", "headcount of"])
def test_shorthand_for_number_of_is_written_out(reader, shorthand):
    query = reader.parse(f"What was the {shorthand} applications from Africa?", "en")
    assert "number of applications" in query.text


def test_no_alone_is_not_a_number(reader):
    query = reader.parse("Were there no applications from Africa?", "en")
    assert "number" not in query.text


@pytest.mark.parametrize(
    "question",
    [
        "What was the number of applications from Asia-Pacific?",
        "How many candidates were selected from LAC?",
        "What was the interview rate for West Europe?",
    ],
)
def test_a_tables_alias_is_never_an_unknown_name(engine, question):
    answer = engine.ask(question)
    assert answer.status == ANSWERED, answer.answer
    assert answer.figures
