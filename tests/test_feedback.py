"""Readers' feedback: every rating and comment becomes one JSON line evaluators can replay."""

from __future__ import annotations

import json
import threading

import pytest
from chat_server import shared_data_dir

from assistant.engine import Engine
from assistant.settings import Settings
from ui.app import ChatApp
from ui.feedback import read_feedback, record_feedback
from ui.report_meta import ReportMeta
from ui.session import ChatSession

# the first use of the engine may build the index
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.load(Settings.load(data_dir=shared_data_dir(tmp_path_factory)))


@pytest.fixture(scope="module")
def answer(engine: Engine):
    return engine.ask("2025年共收到多少份申请？")


def test_a_rating_is_appended_with_question_answer_rating_comment_and_time(answer, tmp_path):
    log = tmp_path / "feedback.jsonl"
    record_feedback(log, answer, "down", "  应引用第69段  ")
    record_feedback(log, answer, "up")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["question"] == answer.question
    assert first["answer"] == answer.answer
    assert first["rating"] == "down"
    assert first["comment"] == "应引用第69段"
    assert first["timestamp"].endswith("+00:00")
    assert first["language"] == "zh" and first["status"] == "answered"
    assert "2025年共收到多少份申请" in lines[0], "Chinese is kept readable, not \\u-escaped"
    assert json.loads(lines[1])["comment"] == ""


def test_a_comment_without_a_rating_is_kept(answer, tmp_path):
    log = tmp_path / "feedback.jsonl"
    record_feedback(log, answer, None, "Please add the 2024 figure too.")
    assert read_feedback(log)[0]["rating"] is None


def test_only_up_down_or_no_rating_is_accepted(answer, tmp_path):
    with pytest.raises(ValueError):
        record_feedback(tmp_path / "feedback.jsonl", answer, "meh")


def test_the_log_and_its_folder_are_created_on_first_use(answer, tmp_path):
    log = tmp_path / "new" / "folder" / "feedback.jsonl"
    record_feedback(log, answer, "up")
    assert log.is_file()


def test_no_log_reads_as_no_feedback(tmp_path):
    assert read_feedback(tmp_path / "feedback.jsonl") == []


def test_concurrent_readers_never_interleave_lines(answer, tmp_path):
    log = tmp_path / "feedback.jsonl"
    threads = [
        threading.Thread(target=record_feedback, args=(log, answer, "up", f"comment {n} " * 200))
        for n in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = read_feedback(log)
    assert len(records) == 20
    assert {r["comment"].split()[1] for r in records} == {str(n) for n in range(20)}


def test_a_comment_in_the_chat_goes_with_the_selected_answer_and_its_rating(engine, tmp_path):
    settings = Settings.load(data_dir=tmp_path)
    chat = ChatApp(engine, settings, ReportMeta.load(settings))
    session = ChatSession()
    session.ask(engine, "非洲有多少人申请？")
    session.ask(engine, "What is iPerform and what does it do?")
    session.selected, session.ratings[0] = 0, "down"
    box, status = chat.comment("Should give the share too.", session, "en")
    assert (box, status) == ("", "Thank you, your feedback was recorded.")
    (record,) = read_feedback(settings.feedback_path)
    assert record["question"] == "非洲有多少人申请？"
    assert record["rating"] == "down"
    assert record["comment"] == "Should give the share too."


def test_a_comment_before_any_answer_asks_for_a_question_first(engine, tmp_path):
    settings = Settings.load(data_dir=tmp_path)
    chat = ChatApp(engine, settings, ReportMeta.load(settings))
    box, status = chat.comment("hello", ChatSession(), "zh")
    assert box == "hello" and status == "请先提问，再对回答提出意见。"
    assert read_feedback(settings.feedback_path) == []
