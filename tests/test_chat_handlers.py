"""What the chat's handlers send to the page, over the real engine (no browser needed)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from chat_server import shared_data_dir

from assistant.engine import Engine
from assistant.settings import Settings
from ui.app import ChatApp, question_language, stream_pieces
from ui.render import escape_text
from ui.report_meta import ReportMeta
from ui.session import ChatSession

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # may build the index


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.load(Settings.load(data_dir=shared_data_dir(tmp_path_factory)))


@pytest.fixture
def chat(engine: Engine, tmp_path) -> ChatApp:
    settings = Settings.load(data_dir=tmp_path)
    return ChatApp(engine, settings, ReportMeta.load(settings))


def contents(messages: list[dict]) -> list[str]:
    """Each message's text, a multi-part answer's parts joined."""
    texts = []
    for message in messages:
        parts = message["content"]
        parts = parts if isinstance(parts, list) else [parts]
        texts.append("".join(p for p in parts if isinstance(p, str)))
    return texts


def test_an_answer_shows_a_working_state_then_streams_then_cites(chat: ChatApp):
    steps = list(chat.submit("2025年共收到多少份申请？", None, "zh"))
    first = contents(steps[0][0])
    assert "ra-working" in first[-1] and "正在查阅报告" in first[-1]
    streamed = [contents(step[0])[-1] for step in steps[1:-1]]
    assert len(streamed) > 3 and all("ra-streaming" in text for text in streamed)
    assert len(streamed[0]) < len(streamed[-1])
    final = contents(steps[-1][0])
    assert "15,921" in final[1]
    assert 'class="ra-card"' in final[1]
    assert '<details class="ra-cite">' in final[1]
    box, session = steps[-1][1], steps[-1][2]
    assert box == ""
    assert len(session.answers) == 1


def test_a_chart_answer_carries_a_plot_between_the_text_and_the_sources(chat: ChatApp):
    *_, last = chat.submit("非洲有多少人申请？", None, "zh")
    answer = last[0][1]["content"]
    assert isinstance(answer, list)
    assert type(answer[1]).__name__ == "Plot"
    assert "ra-sources" in answer[2]


def test_a_follow_up_uses_the_session_conversation(chat: ChatApp):
    *_, last = chat.submit("非洲有多少人申请？", None, "zh")
    session = last[2]
    *_, last = chat.submit("那亚洲及太平洋呢？", session, "zh")
    assert "3,764" in contents(last[0])[-1]


def test_markup_in_a_question_is_escaped_in_the_chat(chat: ChatApp):
    *_, last = chat.submit("<img src=x onerror=alert(1)>", None, "en")
    question = contents(last[0])[0]
    assert "<img" not in question
    assert "&lt;img src&#61;x onerror&#61;alert&#40;1&#41;&gt;" in question


def test_an_engine_failure_is_a_friendly_message_without_details(chat: ChatApp, monkeypatch):
    def broken():
        raise RuntimeError("index at /secret/place/index is unreadable")

    monkeypatch.setattr(chat.engine, "conversation", broken)
    *_, last = chat.submit("2025年共收到多少份申请？", None, "en")
    text = contents(last[0])[-1]
    assert "抱歉，这个问题没有答成" in text
    assert "secret" not in text and "Traceback" not in text
    assert last[4]["interactive"] is False, "a failed answer is not offered for export"


def test_briefing_notes_are_ready_to_download_after_the_first_answer(chat: ChatApp):
    *_, last = chat.submit("2025年共收到多少份申请？", None, "en")
    markdown, word = last[4], last[5]
    assert markdown["interactive"] and word["interactive"]
    assert markdown["value"].endswith("briefing-note-WO-CC-86-INF-1.md")
    assert word["value"].endswith("briefing-note-WO-CC-86-INF-1.docx")
    assert markdown["label"] == "Download Markdown"


def test_an_unticked_turn_is_left_out_of_the_notes(chat: ChatApp):
    *_, last = chat.submit("非洲有多少人申请？", None, "en")
    *_, last = chat.submit("What is iPerform and what does it do?", last[2], "en")
    session: ChatSession = last[2]
    assert last[3]["value"] == [0, 1]
    assert [label for label, _ in last[3]["choices"]] == [
        "1. 非洲有多少人申请？",
        "2. What is iPerform and what does it do?",
    ]
    session, markdown, _ = chat.choose_turns([1], session, "en")
    note = Path(markdown["value"]).read_text(encoding="utf-8")
    assert "## 1. What is iPerform and what does it do?" in note
    assert "非洲有多少人申请" not in note
    assert chat.owner(session, 0) == 0 and chat.owner(session, 1) == 0
    assert chat.owner(session, 3) == 1 and chat.owner(session, 4) is None


def test_the_labels_around_an_english_answer_are_english_in_the_chinese_interface(
    chat: ChatApp,
):
    *_, last = chat.submit("What share of applications came from Africa?", None, "zh")
    answer = contents(last[0])[-1]
    assert "Formula" in answer and "Source rows" in answer and "Sources (" in answer
    assert "计算公式" not in answer and "单位" not in answer and "出处" not in answer
    assert "复制回答" in answer, "the copy button is named in the interface's language"


def test_no_internal_id_reaches_the_chat(chat: ChatApp):
    *_, last = chat.submit("How many applications came from Africa?", None, "en")
    answer = contents(last[0])[-1]
    assert escape_text("Recruitment by applicant region: Africa — applications") in answer
    assert "recruitment-by-region" not in answer and "›" not in answer
    body = last[0][-1]["content"][0]
    assert not re.search(r"[\u4e00-\u9fff]", body), "no Chinese quote beside an English answer"


def test_a_starter_question_with_a_follow_up_asks_both_in_one_conversation(chat: ChatApp):
    from gradio import SelectData

    from ui.app import example_chains

    chains = example_chains(chat.meta, "en")
    index = next(i for i, chain in enumerate(chains) if len(chain) == 2)
    event = SelectData(None, {"index": index, "value": {"text": chains[index][0]}})
    *_, last = chat.ask_example(None, "en", event)
    session: ChatSession = last[2]
    assert [a.question for a in session.answers] == chains[index]
    assert "3,555" in session.answers[1].answer


def test_the_starter_questions_come_from_the_report_folder_in_each_language(chat: ChatApp):
    from ui.app import chat_examples

    for language, script in (("zh", r"[\u4e00-\u9fff]"), ("en", r"^[^\u4e00-\u9fff]+$")):
        examples = chat_examples(chat.meta, language)
        assert len(examples) >= 3
        assert all(re.search(script, e["display_text"]) for e in examples)
        assert any(" → " in e["display_text"] for e in examples), "one has a follow-up"


def test_the_question_language_decides_the_language_of_an_error():
    assert question_language("2025年共收到多少份申请？", "en") == "zh"
    assert question_language("How many?", "zh") == "en"
    assert question_language("2025?", "en") == "en"


def test_streaming_ends_with_the_whole_text():
    pieces = list(stream_pieces("产权组织2025年共收到15,921份申请。"))
    assert pieces[-1] == "产权组织2025年共收到15,921份申请。"
    assert all(b.startswith(a) for a, b in itertools.pairwise(pieces))
    assert list(stream_pieces("")) == []


def test_a_chart_about_africa_in_2025_compares_only_regions_in_2025(engine: Engine):
    from ui.chart import comparable

    answer = engine.ask("How many candidates from Africa were selected in 2025?")
    chart = comparable(answer.chart, answer.language)
    assert chart is not None
    assert chart["title"].endswith(", 2025")
    assert [(r["label"], r["value"]) for r in chart["rows"]] == [
        ("Africa", 14.0),
        ("Eastern Europe, Central Europe and Central Asia", 11.0),
    ]


def test_a_chart_of_one_row_over_the_years_keeps_that_row_in_time_order():
    from ui.chart import comparable

    rows = [
        {"label": "非洲 2025年", "value": 14, "highlight": False},
        {"label": "东欧、中欧和中亚 2024年", "value": 14, "highlight": True},
        {"label": "东欧、中欧和中亚 2025年", "value": 11, "highlight": False},
        {"label": "东欧、中欧和中亚 2022年", "value": 9, "highlight": True},
    ]
    chart = comparable({"title": "最终选定人数", "unit": "count", "rows": rows}, "zh")
    assert [r["period"] for r in chart["rows"]] == ["2022", "2024", "2025"]


def test_a_chart_of_a_single_comparable_row_is_not_drawn():
    from ui.chart import comparable

    rows = [
        {"label": "Africa 2025", "value": 14, "highlight": True},
        {"label": "Eastern Europe 2022", "value": 9, "highlight": False},
    ]
    assert comparable({"title": "selections", "rows": rows}) is None


def test_a_chart_is_drawn_for_a_phone_with_each_label_on_its_own_line(engine: Engine):
    from ui.chart import WIDTH_IN, bar_chart, comparable

    answer = engine.ask("How many applications came from Africa?")
    figure = bar_chart(comparable(answer.chart, "en"), "en")
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "Eastern Europe, Central Europe\nand Central Asia" in texts
    assert "3,944" in texts
    assert figure.get_figwidth() == WIDTH_IN <= 5
    assert min(t.get_fontsize() for t in figure.axes[0].texts) >= 11
