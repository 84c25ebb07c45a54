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


def test_a_judged_follow_up_is_stored_with_the_turn_it_follows_and_the_report_version(
    engine, tmp_path
):
    settings = Settings.load(data_dir=tmp_path)
    chat = ChatApp(engine, settings, ReportMeta.load(settings))
    session = ChatSession()
    session.ask(engine, "非洲有多少人申请？")
    session.ask(engine, "那西欧呢？")
    chat.record(session, 1, "down", "should be 3,555")
    (record,) = read_feedback(settings.feedback_path)
    assert record["question"] == "那西欧呢？"
    assert record["context"] == [
        {"question": "非洲有多少人申请？", "answer": session.answers[0].answer}
    ]
    assert record["reading"] == session.answers[1].as_json()
    assert record["report"]["symbol"] == "WO/CC/86/INF/1"
    assert len(record["report"]["corpus_hash"]) == 16
    assert record["turn"] == f"{session.id}:1"


def test_a_record_is_capped_however_long_the_answer(answer, tmp_path):
    from dataclasses import replace

    from ui.feedback import MAX_TEXT_CHARS

    long = replace(answer, answer="很长的回答。" * 5000)
    record = record_feedback(tmp_path / "feedback.jsonl", long, "up", earlier=[long] * 10)
    assert len(record["answer"]) == MAX_TEXT_CHARS
    assert len(json.dumps(record, ensure_ascii=False)) < 20_000


def test_the_log_is_rotated_by_size_and_read_across_its_files(answer, tmp_path, monkeypatch):
    import ui.feedback

    monkeypatch.setattr(ui.feedback, "MAX_LOG_BYTES", 20_000)
    log = tmp_path / "feedback.jsonl"
    for n in range(60):
        record_feedback(log, answer, "up", f"comment {n}")
    sizes = [p.stat().st_size for p in ui.feedback.log_files(log)]
    assert len(sizes) == ui.feedback.BACKUPS + 1
    assert max(sizes) <= 20_000
    comments = [r["comment"] for r in read_feedback(log)]
    assert comments == sorted(comments, key=lambda c: int(c.split()[1]))
    assert comments[-1] == "comment 59"


def test_toggling_a_thumb_keeps_one_judgement_per_turn_the_latest(answer, tmp_path):
    from ui.feedback import latest_judgements

    log = tmp_path / "feedback.jsonl"
    record_feedback(log, answer, "up", turn="s1:0")
    record_feedback(log, answer, None, "wrong paragraph", turn="s1:0")
    record_feedback(log, answer, "down", turn="s1:0")
    record_feedback(log, answer, "up", turn="s1:1")
    latest = latest_judgements(read_feedback(log))
    assert [(r["turn"], r["rating"], r["comment"]) for r in latest] == [
        ("s1:0", "down", "wrong paragraph"),
        ("s1:1", "up", ""),
    ]


def test_the_same_thumb_event_twice_is_logged_once(engine, tmp_path):
    from gradio import LikeData

    settings = Settings.load(data_dir=tmp_path)
    chat = ChatApp(engine, settings, ReportMeta.load(settings))
    session = ChatSession()
    session.ask(engine, "非洲有多少人申请？")
    for liked in (True, True, False, False):
        chat.like(session, "en", LikeData(None, {"index": 1, "value": "", "liked": liked}))
    assert [r["rating"] for r in read_feedback(settings.feedback_path)] == ["up", "down"]


def test_line_separators_inside_a_comment_do_not_split_its_record(answer, tmp_path):
    log = tmp_path / "feedback.jsonl"
    record_feedback(log, answer, "down", "first\u2028second\u2029third\x85fourth\x0bfifth")
    (record,) = read_feedback(log)
    assert record["comment"] == "first\u2028second\u2029third\x85fourth\x0bfifth"


def test_a_damaged_line_is_reported_and_the_rest_of_the_log_is_read(answer, tmp_path):
    from ui.feedback import BadLine

    log = tmp_path / "feedback.jsonl"
    record_feedback(log, answer, "up", "before")
    with log.open("a", encoding="utf-8") as file:
        file.write('{"question": "cut off in the mid\n')
    record_feedback(log, answer, "down", "after")
    problems: list[BadLine] = []
    records = read_feedback(log, problems)
    assert [r["comment"] for r in records] == ["before", "after"]
    assert [p.line for p in problems] == [2]
