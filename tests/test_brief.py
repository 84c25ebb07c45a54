"""Briefing notes: what an HR officer pastes into a document, in Markdown and Word."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from chat_server import shared_data_dir
from click.testing import CliRunner
from docx import Document

from assistant.engine import Engine
from assistant.settings import Settings
from ui.brief import BriefError, brief_format, brief_markdown, read_questions, write_brief
from ui.cli import cli
from ui.report_meta import ReportMeta
from ui.session import ChatSession

QUESTIONS = [
    "2025年共收到多少份申请？",
    "非洲的申请占全部申请的比例是多少？",
    "What is iPerform and what does it do?",
    "日内瓦明天天气怎么样？",
]
PREPARED = date(2026, 6, 1)

pytestmark = pytest.mark.timeout(900)  # the first use of the engine may build the index


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.load(data_dir=shared_data_dir(tmp_path_factory))


@pytest.fixture(scope="module")
def meta(settings: Settings) -> ReportMeta:
    return ReportMeta.load(settings)


@pytest.fixture(scope="module")
def answers(settings: Settings):
    engine = Engine.load(settings)
    return [engine.ask(q) for q in QUESTIONS]


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


# --- the note's content ---------------------------------------------------------------------


@pytest.mark.slow
def test_the_markdown_note_names_the_report_and_says_english_is_a_working_translation(
    answers, meta
):
    note = brief_markdown(answers, meta, "en", PREPARED)
    assert note.startswith("# Briefing note: Annual Report on Human Resources")
    assert "WO/CC/86/INF/1" in note
    assert "2026-05-21" in note
    assert "2026-06-01" in note
    assert "working translation" in note


@pytest.mark.slow
def test_the_markdown_note_has_every_question_answer_figure_formula_and_citation(answers, meta):
    note = brief_markdown(answers, meta, "zh", PREPARED)
    assert "英文本为根据中文本编写的非官方工作译文" in note
    for number, answer in enumerate(answers, 1):
        assert f"## {number}. " in note
        assert answer.answer.split("\n")[0][:20] in note.replace("\\", "")
        for citation in answer.citations:
            assert citation.ref in note
    figure_answer = answers[0]
    assert "15,921" in note
    assert any(f.sources for f in figure_answer.figures)
    computed = [f for a in answers for f in a.figures if f.formula]
    assert computed, "Africa's share of applications is computed, so it has a formula"
    assert computed[0].formula["zh"] in note
    assert "| 数字 | 数值 | 单位 | 计算公式 | 出处 |" in note
    assert "wo-cc-86-inf-1:" not in note, "tables are named as the report names them"
    assert "recruitment-by-region" not in note and "›" not in note, "no internal ids"


@pytest.mark.slow
def test_the_word_note_carries_symbol_caveat_citations_and_formulas(answers, meta, tmp_path):
    path = write_brief(answers, meta, tmp_path / "note.docx", "en", PREPARED)
    text = docx_text(path)
    assert "WO/CC/86/INF/1" in text
    assert "unofficial working translation" in text
    assert "Date: 2026-05-21" in text
    for answer in answers:
        assert answer.question in text
        for citation in answer.citations:
            assert citation.ref in text
            assert citation.quote.strip()[:30] in text
    tables = "\n".join(c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells)
    formulas = [f.formula["zh"] for a in answers for f in a.figures if f.formula]
    assert formulas and all(formula in tables for formula in formulas)
    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"{n}. {a.question}" for n, a in enumerate(answers, 1)]


@pytest.mark.slow
def test_markup_in_a_question_is_written_as_text(settings, meta):
    session = ChatSession()  # the chat keeps each question as typed
    session.ask(Engine.load(settings), "<script>alert(1)</script> 2025年共收到多少份申请？")
    note = brief_markdown(session.answers, meta, "zh", PREPARED)
    assert "<script>" not in note
    assert "\\<script\\>" in note


# --- files and formats ----------------------------------------------------------------------


def test_the_format_comes_from_the_file_name():
    assert brief_format(Path("note.md")) == "markdown"
    assert brief_format(Path("NOTE.DOCX")) == "docx"
    with pytest.raises(BriefError, match=r"\.md or \.docx"):
        brief_format(Path("note.pdf"))


def test_a_questions_file_skips_blank_lines_and_comments(tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "# for the PBC briefing\n2025年共收到多少份申请？\n\n   \nWhat is iPerform?\n# end\n",
        encoding="utf-8",
    )
    assert read_questions(questions) == ["2025年共收到多少份申请？", "What is iPerform?"]


def test_a_missing_questions_file_is_a_readable_error(tmp_path):
    with pytest.raises(BriefError, match="No questions file"):
        read_questions(tmp_path / "none.txt")


# --- the command ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".docx", ".md"])
def test_the_brief_command_answers_each_line_and_writes_the_note(settings, tmp_path, suffix):
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "# delegates' questions\n"
        "2025年共收到多少份申请？\n"
        "\n"
        "What is iPerform and what does it do?\n",
        encoding="utf-8",
    )
    out = tmp_path / f"note{suffix}"
    result = CliRunner().invoke(
        cli,
        ["--data-dir", str(settings.data_dir), "brief", str(questions), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote 2 answer(s) to {out}" in result.output
    text = docx_text(out) if suffix == ".docx" else out.read_text(encoding="utf-8")
    assert "WO/CC/86/INF/1" in text
    assert "2025年共收到多少份申请？" in text, "each question is quoted as written"
    assert "iPerform" in text
    assert "¶" in text


def test_the_brief_command_refuses_an_unknown_format_without_a_traceback(tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text("2025年共收到多少份申请？\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["brief", str(questions), "-o", str(tmp_path / "n.pdf")])
    assert result.exit_code == 1
    assert "Error: Cannot tell the format of 'n.pdf'" in result.output
    assert "Traceback" not in result.output


def test_the_brief_command_refuses_a_file_without_questions(tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text("# only a comment\n\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["brief", str(questions), "-o", str(tmp_path / "n.md")])
    assert result.exit_code == 1
    assert "has no questions" in result.output


# --- A4, tables, charts, languages, leaving turns out ----------------------------------------


@pytest.fixture(scope="module")
def english_answers(settings: Settings):
    conversation = Engine.load(settings).conversation()
    questions = ["How many applications came from Africa?", "And Western Europe?"]
    return [conversation.ask(q) for q in questions]


@pytest.mark.slow
def test_the_word_note_is_a4_with_each_figure_in_a_table_and_each_chart_as_a_picture(
    english_answers, meta, tmp_path
):
    from docx.shared import Mm

    path = write_brief(english_answers, meta, tmp_path / "note.docx", prepared=PREPARED)
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert len(document.tables) == 2
    head, africa = ([c.text for c in row.cells] for row in document.tables[0].rows)
    assert head == ["Figure", "Value", "Unit", "Formula", "Source"]
    assert africa[1] == "3,944"
    assert africa[4] == "¶72, Recruitment by applicant region: Africa — applications"
    assert len(document.inline_shapes) == 2, "each figure answer's chart is embedded"
    text = docx_text(path)
    assert "Briefing note: Annual Report on Human Resources" in text, "English questions"
    assert "简报" not in text and "出处" not in text
    for answer in english_answers:
        assert answer.answer in text, "the same sentences as the chat"
    assert "/" not in africa[4] and "›" not in text


@pytest.mark.slow
def test_the_headings_follow_the_questions_unless_a_language_is_asked_for(answers, meta):
    assert brief_markdown(answers[:2], meta, prepared=PREPARED).startswith("# 简报：")
    assert brief_markdown(answers[2:3], meta, prepared=PREPARED).startswith("# Briefing note:")
    assert brief_markdown(answers[:2], meta, "en", PREPARED).startswith("# Briefing note:")


def test_leaving_out_a_turn_that_does_not_exist_is_a_readable_error():
    from ui.brief import leave_out

    assert leave_out(["a", "b", "c"], {2}) == ["a", "c"]
    with pytest.raises(BriefError, match=r"no question 5 .*numbered 1 to 3"):
        leave_out(["a", "b", "c"], {5})


@pytest.mark.slow
def test_the_brief_command_leaves_out_the_questions_given_to_skip(settings, tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "How many applications came from Africa?\nWhat is iPerform?\n日内瓦明天天气怎么样？\n",
        encoding="utf-8",
    )
    out = tmp_path / "note.md"
    args = ["--data-dir", str(settings.data_dir), "brief", str(questions), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--skip", "2,3"])
    assert result.exit_code == 0, result.output
    assert "Wrote 1 answer(s)" in result.output and "(2 left out)" in result.output
    note = out.read_text(encoding="utf-8")
    assert "Africa" in note and "iPerform" not in note and "日内瓦" not in note
    bad = CliRunner().invoke(cli, [*args, "--skip", "two"])
    assert bad.exit_code == 2 and "is not a list of question numbers" in bad.output
