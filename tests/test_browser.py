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

from ui.chart import DPI, FONT_PT

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
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe


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
        # the page's own scripts (copy button, interface language) have run
        self.page.wait_for_function("window.__raCopy === true && window.__raLocale !== undefined")

    def ask(self, question: str, expect_working: bool = True):
        """Type a question, press Enter, and wait for the finished answer."""
        before = self.page.locator(ANSWER).count()
        self.page.fill("#ra-question textarea", question)
        self.page.press("#ra-question textarea", "Enter")
        if expect_working:  # a working state, unless the answer was quicker than a glance
            self.page.wait_for_function(
                "document.querySelector('.ra-working, .ra-streaming') || "
                f"document.querySelectorAll({json.dumps(ANSWER)}).length > {before}",
                timeout=TIMEOUT_MS,
            )
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


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_delegate_switches_language_asks_reads_sources_and_downloads_a_note(desktop, data_dir):
    page = desktop.page
    desktop.open()
    assert page.locator("#ra-send").inner_text() == "发送"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.get_by_label("English").check()
    page.wait_for_function("document.querySelector('#ra-send').innerText.trim() === 'Send'")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "Annual Report on Human Resources" in page.locator("#ra-header-text").inner_text()

    answer = desktop.ask("2025年共收到多少份申请？")
    assert "15,921" in answer.locator(".ra-text").inner_text()
    assert answer.locator(".ra-card-value").first.inner_text().startswith("15,921")
    assert "单位" in answer.locator(".ra-card").first.inner_text(), (
        "labels in the answer's language"
    )

    citation = answer.locator("details.ra-cite").filter(has_text="¶69")
    assert "已从15,921份申请中选拔出86人" in citation.locator("summary").inner_text()
    assert not citation.locator(".ra-pair").is_visible()
    citation.locator("summary").click()
    columns = citation.locator(".ra-col")
    assert columns.count() == 2
    assert columns.nth(0).is_visible()
    assert columns.nth(0).locator(".ra-col-head").inner_text() == "中文本", "answer's language"
    assert "工作译文" in columns.nth(1).locator(".ra-col-head").inner_text()
    assert "15,921 applications" in columns.nth(1).locator(".ra-col-text").inner_text()

    answer.locator("button[aria-label='Like']").last.click()
    assert wait_for_feedback(data_dir, "2025年共收到多少份申请？", "up")
    assert desktop.foreign_requests() == []


def test_an_english_conversation_with_a_follow_up_is_copied_and_exported_with_table_and_chart(
    browser, server_url
):
    visit = Visit(
        browser,
        server_url,
        viewport={"width": 1366, "height": 768},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = visit.page
    visit.open("?lang=en")
    page.wait_for_function("document.querySelector('#ra-send').innerText.trim() === 'Send'")
    page.wait_for_function("document.querySelector('footer').innerText.includes('Use via API')")
    visit.ask("How many applications came from Africa?")
    follow_up = visit.ask("And Western Europe?")
    assert "3,555" in follow_up.locator(".ra-text").inner_text()
    follow_up.locator(".matplotlib img").first.wait_for(timeout=TIMEOUT_MS)  # drawn after the text
    assert follow_up.locator(".matplotlib img").count() == 1, "the answer's chart"

    follow_up.locator(".ra-copy").click()
    page.wait_for_selector(".ra-copy.ra-copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(follow_up.locator(".ra-text").inner_text().strip())
    assert "Sources:" in copied and "¶72" in copied

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-desktop-en.png"))
    page.locator("#ra-brief").get_by_text("Briefing note").first.click()
    with page.expect_download() as download_info:
        page.locator("#ra-download-docx").click()
    note = ARTIFACTS / "briefing-note.docx"
    download_info.value.save_as(str(note))
    document = Document(str(note))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Briefing note: Annual Report on Human Resources" in text
    assert "WO/CC/86/INF/1" in text and "working translation" in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "3,944" in cells and "3,555" in cells, "figures in a real Word table"
    assert len(document.inline_shapes) == 2, "each figure answer's chart as a picture"
    assert visit.foreign_requests() == []
    visit.close()


def test_a_chinese_conversation_starts_from_a_starter_question_with_its_follow_up(desktop):
    page = desktop.page
    desktop.open()
    page.wait_for_function("document.querySelector('footer').innerText.includes('通过 API 使用')")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    starter = page.locator("#ra-chat button").filter(has_text="→").first
    assert "那西欧呢" in starter.inner_text()
    starter.click()
    page.wait_for_function(
        f"document.querySelectorAll({json.dumps(ANSWER)}).length === 2", timeout=TIMEOUT_MS
    )
    answers = page.locator(ANSWER)
    assert "3,944" in answers.nth(0).inner_text()
    assert "3,555" in answers.nth(1).inner_text()
    labels = page.locator(".bot.message button[aria-label]").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('aria-label'))"
    )
    assert "赞" in labels and "Like" not in labels, "Gradio's own labels in Chinese too"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-desktop-zh.png"))


def test_clearing_the_conversation_asks_first(desktop):
    page = desktop.page
    desktop.open("?lang=en")
    page.wait_for_function("document.querySelector('#ra-send').innerText.trim() === 'Send'")
    desktop.ask("How many applications came from Africa?")
    page.locator("#ra-new").click()
    page.wait_for_selector("#ra-confirm", state="visible")
    assert "cannot be undone" in page.locator("#ra-confirm").inner_text()
    page.locator("#ra-clear-no").click()
    page.wait_for_selector("#ra-confirm", state="hidden")
    assert page.locator(".bot.message").count() == 1
    page.locator("#ra-new").click()
    page.locator("#ra-clear-yes").click()
    page.wait_for_function("document.querySelectorAll('.bot.message').length === 0")
    assert page.locator("#ra-chat .top-panel").is_hidden(), "no bin that clears unasked"


def test_opening_a_citation_does_not_change_the_answer_a_comment_is_about(desktop):
    page = desktop.page
    desktop.open("?lang=en")
    page.wait_for_function("document.querySelector('#ra-send').innerText.trim() === 'Send'")
    first = desktop.ask("How many applications came from Africa?")
    desktop.ask("What is iPerform and what does it do?")
    page.locator("#ra-feedback").get_by_text("Feedback").first.click()
    about = page.locator("#ra-about input")
    assert about.input_value().startswith("2. What is iPerform")
    first.locator("details.ra-cite summary").first.click()
    page.wait_for_timeout(1000)
    assert about.input_value().startswith("2. What is iPerform")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_axe_finds_no_serious_accessibility_problem(browser, server_url, language):
    visit = Visit(browser, server_url, viewport={"width": 1366, "height": 768})
    page = visit.page
    visit.open(f"?lang={language}")
    send = "发送" if language == "zh" else "Send"
    page.wait_for_function(f"document.querySelector('#ra-send').innerText.trim() === '{send}'")
    assert axe_problems(page) == [], "the empty chat with its starter questions"
    question = (
        "非洲有多少人申请？" if language == "zh" else "What share of applications came from Africa?"
    )
    visit.ask(question)
    visit.ask("日内瓦明天天气怎么样？" if language == "zh" else "What is the weather in Geneva?")
    page.locator("details.ra-cite summary").first.click()
    page.locator("#ra-brief").locator("button").first.click()
    assert axe_problems(page) == [], "answers, a refusal, an open citation, the note panel"
    visit.close()


def test_the_first_screen_fits_1366_by_768(browser, server_url):
    visit = Visit(browser, server_url, viewport={"width": 1366, "height": 768})
    visit.open()
    page = visit.page
    page.wait_for_selector("#ra-chat button.example, #ra-chat .examples button")
    for selector in (
        "#ra-header-text h1",
        "#ra-chat .examples",
        "#ra-question textarea",
        "#ra-send",
    ):
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] + box["height"] <= 768, f"{selector} is below the fold"
    chat = page.locator("#ra-chat").bounding_box()
    label = page.locator("#ra-chat").locator("label, .block-label").all()
    assert all(not el.is_visible() for el in label), "no label over the chat's first line"
    assert chat["y"] > page.locator("#ra-header").bounding_box()["y"]
    page.screenshot(path=str(ARTIFACTS / "first-screen-zh.png"))
    visit.close()


def test_a_follow_up_and_a_new_chat(desktop):
    desktop.open("?lang=en")
    desktop.page.wait_for_function("document.querySelector('#ra-send').innerText.trim() === 'Send'")
    desktop.ask("How many applications came from Africa?")
    follow_up = desktop.ask("and Western Europe?")
    assert "3,555" in follow_up.locator(".ra-text").inner_text()
    desktop.page.locator("#ra-new").click()
    desktop.page.locator("#ra-clear-yes").click()
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


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_chat_fits_a_390_pixel_phone(browser, server_url, language):
    visit = Visit(
        browser,
        server_url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = visit.page
    visit.open(f"?lang={language}")
    box = page.locator("#ra-question textarea").bounding_box()
    assert box["y"] + box["height"] <= 844, "the question box is on the first screen"
    question = (
        "非洲有多少人申请？" if language == "zh" else "How many applications came from Africa?"
    )
    answer = visit.ask(question)
    assert answer.locator(".ra-text").inner_text().strip()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    assert page.locator("#ra-send").bounding_box()["width"] > 0
    chart = answer.locator(".matplotlib img")
    shown = chart.bounding_box()["width"]
    drawn = chart.evaluate("img => img.naturalWidth")
    type_px = FONT_PT * DPI / 72 * shown / drawn
    assert shown >= 300 and type_px >= 12, f"chart {shown}px wide, its text {type_px:.1f}px"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chat-phone-{language}.png"))
    assert visit.foreign_requests() == []
    visit.close()


@pytest.fixture(scope="module", autouse=True)
def clean_artifacts():
    """Each run's screenshots replace the last run's."""
    for name in ARTIFACTS.glob("*.png") if ARTIFACTS.is_dir() else ():
        name.unlink()
    for name in ("briefing-note.docx",):
        target = ARTIFACTS / name
        if target.exists():
            target.unlink()
    yield
    shutil.rmtree(ARTIFACTS / "tmp", ignore_errors=True)
