"""Generative mode: the model may phrase an answer, never add a number."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.generative import make_chat_model, numbers_supported, rephrase
from assistant.model import ANSWERED, Answer, Citation
from assistant.settings import Settings

QUOTE = "截至2026年4月中旬，已从15,921份申请中选拔出86人，填补定期和临时职位。"


def extractive_answer() -> Answer:
    citation = Citation(ref="¶69", paragraph=69, section="第五章", language="zh", quote=QUOTE)
    return Answer(
        question="选了多少人？",
        language="zh",
        status=ANSWERED,
        answer=f"{QUOTE}（¶69）",
        citations=(citation,),
    )


def test_a_phrasing_with_only_supported_numbers_is_used():
    model = FakeListChatModel(responses=["截至2026年4月中旬，从15,921份申请中最终选定了86人。"])
    answer = rephrase(model, extractive_answer())
    assert answer.answer.startswith("截至2026年4月中旬，从15,921份申请中最终选定了86人。")
    assert "(¶69)" in answer.answer


def test_a_phrasing_with_an_unsupported_number_falls_back_to_the_quote():
    model = FakeListChatModel(responses=["最终选定了96人。"])
    assert rephrase(model, extractive_answer()) == extractive_answer()


def test_an_endpoint_failure_falls_back_to_the_quote():
    class Broken(FakeListChatModel):
        def _call(self, *args, **kwargs):
            raise ConnectionError("endpoint down")

    assert rephrase(Broken(responses=["x"]), extractive_answer()) == extractive_answer()


def test_numbers_are_compared_without_thousands_separators():
    assert numbers_supported("15921 applications", extractive_answer())
    assert not numbers_supported("15,922 applications", extractive_answer())


def test_generative_mode_is_off_by_default():
    assert make_chat_model(Settings()) is None


class _FakeOpenAI(BaseHTTPRequestHandler):
    """A minimal OpenAI-compatible chat endpoint on loopback, answering with one text."""

    reply = ""

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        request = json.loads(self.rfile.read(length))
        body = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": request["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.reply},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = HTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_an_openai_compatible_endpoint_is_used_when_configured(endpoint):
    settings = Settings(llm_base_url=endpoint, llm_model="local-model")
    model = make_chat_model(settings)
    _FakeOpenAI.reply = "从15,921份申请中选定86人。"
    assert rephrase(model, extractive_answer()).answer.startswith("从15,921份申请中选定86人。")
    _FakeOpenAI.reply = "选定了1,000人。"
    assert rephrase(model, extractive_answer()) == extractive_answer()
