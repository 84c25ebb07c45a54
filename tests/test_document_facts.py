"""Questions about the document itself are answered from its cover header, quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.document_facts import answer_about_document, asked_facts
from ingest.corpus import load_corpus, select_report

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def report():
    return select_report(load_corpus(CORPUS))


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("What's the document symbol of the report?", "en", ["WO/CC/86/INF/1"]),
        ("这份文件的原文是什么语言？", "zh", ["原文：英文"]),
        ("这份文件是哪天发布的？", "zh", ["2026年5月21日"]),
        ("Who prepared this report?", "en", ["Secretariat"]),
        ("这份报告是谁编写的？", "zh", ["秘书处"]),
        (
            "When and where does the Coordination Committee meet to consider this report?",
            "en",
            ["Geneva, 7 to 15 July 2026", "Eighty-Sixth (57th Ordinary) Session"],
        ),
        ("协调委员会这届会议在哪里、哪几天举行？", "zh", ["日内瓦", "2026年7月7日至15日"]),
    ],
)
def test_a_question_about_the_document_quotes_its_cover_header(
    report, question, language, expected
):
    answer = answer_about_document(question, language, report)
    assert answer is not None
    for text in expected:
        assert text in answer.answer
        assert text in answer.citations[0].quote
    assert answer.citations[0].unit_id.endswith(":cc-header")
    assert answer.citations[0].language == language


@pytest.mark.parametrize(
    "question",
    [
        "When was eMadrid released according to the report?",  # about eMadrid, not the document
        "报告中提到举行了几次多边磋商？",  # meetings the report describes
        "How many vacancies does the report say were advertised?",
        "What is iPerform?",
    ],
)
def test_questions_about_what_the_report_says_are_not_document_facts(question):
    assert asked_facts(question) == []
