"""The chat in a real browser (Debian's headless Chromium): what a delegate sees and does."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chat_server import PROJECT, running_chat, shared_data_dir
from docx import Document

# the first start of the server may build the index
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT / "artifacts"
ANSWER = ".ra-answer:not(.ra-streaming) .ra-text"
TIMEOUT_MS = 60_000

if not Path(CHROMIUM).exists():  # `make browser-deps` installs it
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_data_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def server_url(data_dir: Path):
    with running_chat(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One browser tab on the chat, recording every request and dialog it makes."""

    def __init__(self, browser, url: str, **context_options) -> None:
        self.url = url
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, query: str = "") -> None:
        self.page.goto(self.url + query, wait_until="domcontentloaded")
        self.page.wait_for_selector("#ra-question textarea")

    def ask(self, question: str, expect_working: bool = True):
        """Type a question, press Enter, and wait for the finished answer."""
        before = self.page.locator(ANSWER).count()
        self.page.fill("#ra-question textarea", question)
        self.page.press("#ra-question textarea", "Enter")
        if expect_working:
            self.page.wait_for_selector(".ra-working, .ra-streaming", timeout=TIMEOUT_MS)
        self.page.wait_for_function(
            f"document.querySelectorAll({json.dumps(ANSWER)}).length > {before}",
            timeout=TIMEOUT_MS,
        )
        return self.page.locator(".bot.message").last

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the app itself (data: and blob: URLs stay in the page)."""
        own = urlsplit(self.url).netloc
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own
        ]

    def close(self) -> None:
        self.context.close()


def wait_for_feedback(data_dir: Path, question: str, rating: str, seconds: float = 15) -> bool:
    """Whether the feedback log gets a record of ``rating`` on ``question`` in time."""
    log = data_dir / "feedback.jsonl"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.is_file():
            for line in log.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record["question"] == question and record["rating"] == rating:
                    return True
        time.sleep(0.25)
    return False


@pytest.fixture
def desktop(browser, server_url):
    visit = Visit(browser, server_url, viewport={"width": 1280, "height": 900})
    yield visit
    visit.close()


@pytest.fixture
def phone(browser, server_url):
    visit = Visit(
        browser,
        server_url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield visit
    visit.close()


def test_a_delegate_switches_language_asks_reads_sources_and_downloads_a_note(desktop, data_dir):
    page = desktop.page
    desktop.open()
    assert page.locator("#ra-send").inner_text() == "发送"
    page.get_by_label("English").check()
    page.wait_for_function("document.querySelector('#ra-send').innerText.trim() === 'Send'")
    assert "Annual Report on Human Resources" in page.locator("#ra-header-text").inner_text()

    answer = desktop.ask("2025年共收到多少份申请？")
    assert "15,921" in answer.locator(".ra-text").inner_text()
    assert answer.locator(".ra-card-value").first.inner_text().startswith("15,921")

    citation = answer.locator("details.ra-cite").filter(has_text="¶69")
    assert "已从15,921份申请中选拔出86人" in citation.locator("summary").inner_text()
    assert not citation.locator(".ra-pair").is_visible()
    citation.locator("summary").click()
    columns = citation.locator(".ra-col")
    assert columns.count() == 2
    assert columns.nth(0).is_visible()
    assert columns.nth(0).locator(".ra-col-head").inner_text() == "Chinese edition"
    assert "working translation" in columns.nth(1).locator(".ra-col-head").inner_text()
    assert "15,921 applications" in columns.nth(1).locator(".ra-col-text").inner_text()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-desktop.png"), full_page=True)

    page.locator("#ra-brief").get_by_text("Briefing note").first.click()
    with page.expect_download() as download_info:
        page.locator("#ra-download-docx").click()
    note = ARTIFACTS / "briefing-note.docx"
    download_info.value.save_as(str(note))
    text = "\n".join(p.text for p in Document(str(note)).paragraphs)
    assert "WO/CC/86/INF/1" in text
    assert "2025年共收到多少份申请" in text
    assert "working translation" in text

    answer.locator("button[aria-label='Like']").last.click()
    assert wait_for_feedback(data_dir, "2025年共收到多少份申请？", "up")

    assert desktop.foreign_requests() == []


def test_a_follow_up_and_a_new_chat(desktop):
    desktop.open("?lang=en")
    desktop.page.wait_for_function("document.querySelector('#ra-send').innerText.trim() === 'Send'")
    desktop.ask("How many applications came from Africa?")
    follow_up = desktop.ask("and Western Europe?")
    assert "3,555" in follow_up.locator(".ra-text").inner_text()
    desktop.page.locator("#ra-new").click()
    desktop.page.wait_for_function("document.querySelectorAll('.bot.message').length === 0")
    assert desktop.foreign_requests() == []


def test_markup_in_a_question_is_shown_as_text_and_never_runs(desktop):
    page = desktop.page
    desktop.open()
    page.evaluate("window.__ran = false")
    desktop.ask("<img src=x onerror=alert(1)>")
    desktop.ask('<script>window.__ran = true</script><b onmouseover="alert(2)">x</b>')
    page.wait_for_timeout(1000)
    questions = page.locator(".ra-question")
    assert questions.nth(0).inner_text() == "<img src=x onerror=alert(1)>"
    assert "<script>" in questions.nth(1).inner_text()
    assert page.locator("#ra-chat img[src='x']").count() == 0
    assert page.locator("#ra-chat script").count() == 0
    assert desktop.dialogs == []
    assert page.evaluate("window.__ran") is False
    assert desktop.foreign_requests() == []


def test_the_chat_fits_a_390_pixel_phone(phone):
    page = phone.page
    phone.open()
    answer = phone.ask("非洲有多少人申请？")
    assert answer.locator(".ra-text").inner_text().strip()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    assert page.locator("#ra-send").bounding_box()["width"] > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-phone.png"))
    assert phone.foreign_requests() == []


@pytest.fixture(scope="module", autouse=True)
def clean_artifacts():
    """Each run's screenshots replace the last run's."""
    for name in ("chat-desktop.png", "chat-phone.png", "briefing-note.docx"):
        target = ARTIFACTS / name
        if target.exists():
            target.unlink()
    yield
    shutil.rmtree(ARTIFACTS / "tmp", ignore_errors=True)
