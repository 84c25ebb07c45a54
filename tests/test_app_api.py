"""The chat's scripting endpoint, driven with gradio_client against the real server."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from chat_server import running_chat, shared_data_dir
from gradio_client import Client

# the first start of the server may build the index
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

BURST = [
    "2025年共收到多少份申请？",
    "How many people applied for WIPO jobs in 2025?",
    "非洲有多少人申请？",
    "How many applications came from Africa?",
    "有多少人入围了候选名单？",
    "How many people were shortlisted?",
    "最终选定了多少人？",
    "How many women were appointed in 2025?",
    "iPerform是什么？",
    "What is iPerform and what does it do?",
    "人才审查覆盖了多少员工？",
    "How many bilateral consultations did WIPO hold with Member States?",
    "马德里注册部有多少名审查员？",
    "What period does the report cover?",
    "这份报告是谁编写的？",
    "Who is this report submitted to?",
    "2024年D1职等的女性占比是多少？",
    "日内瓦明天天气怎么样？",
    "What's the average salary of WIPO staff?",
    "LinkAcross试点把多少名工作人员联结在了一起？",
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory):
    with running_chat(shared_data_dir(tmp_path_factory)) as url:
        yield url


@pytest.fixture
def client(server_url: str) -> Client:
    """A new client is a new browser session: its own conversation."""
    return Client(server_url, verbose=False)


def ask(client: Client, question: str) -> dict:
    return client.predict(question, api_name="/ask")


def test_the_endpoint_is_named_ask_and_is_the_only_public_one(client: Client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert list(endpoints) == ["/ask"]


def test_a_chinese_figure_question_gets_the_exact_figure_with_its_source(client: Client):
    result = ask(client, "2025年共收到多少份申请？")
    assert result["status"] == "answered"
    assert result["language"] == "zh"
    assert "15,921" in result["answer"] or "15921" in result["answer"]
    assert any(f["value"] == 15921 for f in result["figures"])
    assert all(f["sources"] for f in result["figures"])
    assert result["citations"], "a figure answer cites the report"
    assert set(result) == {
        "question",
        "language",
        "status",
        "answer",
        "citations",
        "figures",
        "timing_ms",
        "query",
        "report",
        "report_year",
    }
    assert result["report"] == "WO/CC/86/INF/1" and result["report_year"] == "2025"


def test_an_english_narrative_question_is_answered_in_english_with_quotes(client: Client):
    result = ask(client, "What is iPerform and what does it do?")
    assert result["status"] == "answered"
    assert result["language"] == "en"
    assert "iPerform" in result["answer"]
    assert not re.search(r"[\u4e00-\u9fff]", result["answer"])
    citation = result["citations"][0]
    assert citation["ref"] and citation["quote"] and citation["section"]
    assert citation["report"] == "WO/CC/86/INF/1" and citation["report_year"] == "2025"


def test_a_follow_up_in_the_same_session_uses_the_earlier_question(client: Client):
    first = ask(client, "非洲有多少人申请？")
    assert any(f["value"] == 3944 for f in first["figures"])
    follow_up = ask(client, "那亚洲及太平洋呢？")
    assert follow_up["status"] == "answered"
    assert any(f["value"] == 3764 for f in follow_up["figures"])


def test_sessions_do_not_share_context(server_url: str):
    first, other = Client(server_url, verbose=False), Client(server_url, verbose=False)
    ask(first, "非洲有多少人申请？")
    alone = ask(other, "那亚洲及太平洋呢？")
    assert not any(f["value"] == 3944 for f in alone["figures"])


def test_a_question_the_report_does_not_cover_is_refused(client: Client):
    result = ask(client, "日内瓦明天天气怎么样？")
    assert result["status"] == "not_in_report"
    assert result["figures"] == []


def test_markup_in_a_question_comes_back_as_data(client: Client):
    result = ask(client, "<img src=x onerror=alert(1)> How many applications came from Africa?")
    assert result["status"] in ("answered", "not_in_report", "invalid_input")


def test_a_burst_of_twenty_concurrent_questions_is_answered_without_error(server_url: str):
    def one(question: str) -> dict:
        return ask(Client(server_url, verbose=False), question)

    with ThreadPoolExecutor(max_workers=len(BURST)) as pool:
        results = list(pool.map(one, BURST, timeout=300))
    assert len(results) == len(BURST)
    for question, result in zip(BURST, results, strict=True):
        assert result["question"], question
        assert result["status"] in ("answered", "not_in_report"), (question, result)
    assert sum(r["status"] == "answered" for r in results) >= 15


def test_with_a_login_configured_only_signed_in_clients_get_answers(
    tmp_path_factory: pytest.TempPathFactory,
):
    login = {"REPORT_ASSISTANT_AUTH_USER": "hr", "REPORT_ASSISTANT_AUTH_PASSWORD": "s3cret-pass"}
    with running_chat(shared_data_dir(tmp_path_factory), **login) as url:
        with pytest.raises(ValueError, match="login"):
            Client(url, verbose=False)
        with pytest.raises(ValueError):
            Client(url, auth=("hr", "wrong"), verbose=False)
        client = Client(url, auth=("hr", "s3cret-pass"), verbose=False)
        assert ask(client, "非洲有多少人申请？")["status"] == "answered"
