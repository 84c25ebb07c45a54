"""The chat: a Gradio Blocks app over the answer engine, with every label in Chinese or English.

Nothing on the page comes from anywhere but this server: the theme uses system fonts
only, analytics are off, and the app serves no third-party assets.
"""

from __future__ import annotations

import os

# Off before Gradio is imported: no telemetry, no version check, no run history.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import logging
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.inputs import clean_text
from assistant.model import Answer
from assistant.settings import Settings
from ingest.errors import AssistantError
from ui.brief import write_brief
from ui.chart import bar_chart, comparable
from ui.feedback import record_feedback
from ui.i18n import LANGUAGE_CHOICES, normalise, t
from ui.render import (
    answer_parts,
    escape_text,
    partial_answer_html,
    question_html,
    working_html,
)
from ui.report_meta import ReportMeta
from ui.session import ChatSession
from ui.style import CSS

log = logging.getLogger(__name__)

STREAM_STEPS = 16  # the answer text appears in about this many pieces
STREAM_DELAY_S = 0.025
CONCURRENCY = 4  # questions answered at once; the rest wait in the queue
QUEUE_SIZE = 200
SYSTEM_FONTS = [
    "system-ui",
    "-apple-system",
    "Segoe UI",
    "Noto Sans",
    "Noto Sans CJK SC",
    "PingFang SC",
    "Microsoft YaHei",
    "sans-serif",
]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Noto Sans Mono", "monospace"]


def theme() -> gr.themes.Base:
    """Gradio's default look in blue, with local system fonts only (no web fonts are fetched)."""
    theme = gr.themes.Default(primary_hue="blue", font=SYSTEM_FONTS, font_mono=MONO_FONTS)
    # the default primary button is white on a light orange (2.8:1): darker, for 4.5:1 and more
    return theme.set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        button_primary_text_color_hover="white",
    )


class ChatApp:
    """The handlers behind the page, over one engine shared by every session."""

    def __init__(self, engine: Any, settings: Settings, meta: ReportMeta) -> None:
        self.engine = engine
        self.settings = settings
        self.meta = meta
        self._metas: dict[str, ReportMeta] = {meta.symbol: meta}

    # --- answering --------------------------------------------------------------------------

    def report_choices(self) -> list[tuple[str, str]]:
        """Every report of the corpus as (symbol and year, symbol), newest first."""
        shelf = getattr(self.engine, "shelf", None)
        if shelf is None:
            return [(self.meta.symbol, self.meta.symbol)]
        return [(name, name.split(" (")[0]) for name in shelf.listing()]

    def choose_report(self, symbol: str, session: ChatSession | None, ui_language: str) -> tuple:
        """The picker: the chat's next questions are answered from ``symbol``'s report, and
        the heading names it."""
        session = session or ChatSession()
        known = {value for _, value in self.report_choices()}
        session.choose_report(symbol if symbol in known else None)
        return session, self.header(normalise(ui_language), session.report)

    def meta_for(self, symbol: str | None) -> ReportMeta:
        """The interface texts of the report ``symbol`` (the default one for None)."""
        if not symbol:
            return self.meta
        if symbol not in self._metas:
            self._metas[symbol] = ReportMeta.load(self.settings, symbol)
        return self._metas[symbol]

    def header(self, language: str, symbol: str | None = None) -> str:
        """The heading: the report's title for the page and its introduction."""
        meta = self.meta_for(symbol)
        values = {
            "title": escape_text(meta.title(language)),
            "symbol": escape_text(meta.symbol),
            "date": escape_text(meta.date),
        }
        intro = meta.ui_text("intro", language, **values) or t("intro", language, **values)
        note = meta.translation_note(language)
        return (
            f'<h1 class="ra-title">{escape_text(app_title(meta, language))}</h1>'
            f'<p class="ra-intro">{intro}</p>'
            + (f'<p class="ra-caveat">{escape_text(note)}</p>' if note else "")
        )

    def passage(self, unit_id: str, language: str) -> str:
        """The full text of a cited unit in one edition."""
        text = self.meta.passage(unit_id, language)
        if not text and hasattr(self.engine, "other_edition"):
            try:
                text = self.engine.other_edition(unit_id, language) or ""
            except AssistantError:
                text = ""
        return text

    def unit_ref(self, unit_id: str, language: str) -> str:
        """How the report names a unit (¶69, or its section and title)."""
        return self.meta.unit_ref(unit_id, language)

    def table_title(self, table_id: str, language: str) -> str:
        """A table's title as the report names it."""
        return self.meta.table_title(table_id, language)

    def cell_label(self, table_id: str, row: str, column: str, language: str) -> str:
        """A table cell named by its labels."""
        return self.meta.cell_label(table_id, row, column, language)

    def answer(self, session: ChatSession, question: str, language: str) -> Answer:
        """Ask in the session's conversation; failures become a friendly answer, never a trace."""
        try:
            return session.ask(self.engine, question)
        except Exception:  # the details (and any paths in them) go to the log only
            log.exception("question failed: %r", question[:200])
        language = question_language(question, language)
        failed = Answer(
            question=question[:500],
            language=language,
            status="error",
            answer=t("error", language, reason=t("internal_error", language)),
        )
        session.answers.append(failed)
        return failed

    def messages(self, session: ChatSession, ui_language: str) -> list[dict]:
        """The chat so far as Chatbot messages (question, answer, chart for each turn)."""
        messages: list[dict] = []
        for index, answer in enumerate(session.answers):
            messages += self.turn_messages(session, index, answer, ui_language)
        return messages

    def turn_messages(
        self, session: ChatSession, index: int, answer: Answer, ui_language: str
    ) -> list[dict]:
        """One turn: the question, then the answer with its chart (drawn once) and sources."""
        body, sources = answer_parts(answer, ui_language, self)
        content: list[Any] = [body]
        plot = self.chart(session, index, answer)
        if plot is not None:
            chart = comparable(answer.chart, answer.language) or {}
            label = str(chart.get("title") or t("chart", answer.language))
            content.append(gr.Plot(plot, label=label, show_label=False))
        if sources:
            content.append(sources)
        return [
            {"role": "user", "content": question_html(answer.question)},
            {"role": "assistant", "content": content if len(content) > 1 else body},
        ]

    def chart(self, session: ChatSession, index: int, answer: Answer) -> Any | None:
        """The answer's chart, drawn once per session; none if it has no rows or fails."""
        chart = comparable(answer.chart, answer.language)
        if chart is None:
            return None
        if index not in session.charts:
            try:
                session.charts[index] = gr.Plot().postprocess(bar_chart(chart, answer.language))
            except (ValueError, TypeError, KeyError):
                log.exception("could not draw the chart of %r", answer.question[:200])
                session.charts[index] = None
        return session.charts[index]

    def owner(self, session: ChatSession, message_index: int) -> int | None:
        """The answer a chat message belongs to (two messages per turn)."""
        index = message_index // 2
        return index if 0 <= index < len(session.answers) else None

    def submit(
        self, question: str, session: ChatSession | None, ui_language: str
    ) -> Iterator[tuple]:
        """Ask a question from the chat box: a working state, the text streamed, then the rest."""
        session = session or ChatSession()
        ui_language = normalise(ui_language)
        question = clean_text(question).strip()
        if not question:
            yield self._outputs(session, ui_language, self.messages(session, ui_language), "")
            return
        history = self.messages(session, ui_language)
        pending = {"role": "user", "content": question_html(question)}
        working = {"role": "assistant", "content": working_html(ui_language)}
        yield self._outputs(session, ui_language, [*history, pending, working], "")
        answer = self.answer(session, question, ui_language)
        for text in stream_pieces(answer.answer):
            shown = {"role": "assistant", "content": partial_answer_html(text)}
            yield self._outputs(session, ui_language, [*history, pending, shown], "")
            time.sleep(STREAM_DELAY_S)
        session.selected = None
        session.left_out.discard(len(session.answers) - 1)
        self.write_briefs(session)
        yield self._outputs(session, ui_language, self.messages(session, ui_language), "")

    def ask_example(
        self, session: ChatSession | None, ui_language: str, data: gr.SelectData
    ) -> Iterator[tuple]:
        """A starter question clicked in the empty chat: its questions asked in turn."""
        ui_language = normalise(ui_language)
        chains = example_chains(self.meta, ui_language)
        index = data.index if isinstance(data.index, int) else -1
        questions = chains[index] if 0 <= index < len(chains) else []
        session = session or ChatSession()
        for question in questions:
            yield from self.submit(question, session, ui_language)

    def _outputs(
        self, session: ChatSession, ui_language: str, messages: list[dict], box: str
    ) -> tuple:
        return (
            messages,
            box,
            session,
            self.turns_update(session, ui_language),
            *self.download_updates(session, ui_language),
            self.about_update(session, ui_language),
        )

    def ask_api(self, question: str, session: ChatSession | None) -> tuple[dict, ChatSession]:
        """The scripting endpoint: one question in this client's conversation, the JSON contract."""
        session = session or ChatSession()
        try:
            answer = session.ask(self.engine, clean_text(question))
        except Exception:  # the details (and any paths in them) go to the log only
            log.exception("API question failed: %r", (question or "")[:200])
            message = t("error", "en", reason="an internal error")
            raise gr.Error(message, print_exception=False) from None
        return answer.as_json(), session

    def new_chat(self, session: ChatSession | None, ui_language: str) -> tuple:
        """Forget the conversation and start again (after the reader confirmed it)."""
        if session is not None:
            session.close()
        fresh = ChatSession()
        return (
            *self._outputs(fresh, ui_language, [], ""),
            gr.update(visible=False),
        )

    # --- feedback -----------------------------------------------------------------------------

    def like(
        self, session: ChatSession | None, ui_language: str, data: gr.LikeData
    ) -> tuple[ChatSession | None, Any]:
        """Record a thumbs up or down on an answer; comments then default to that answer."""
        index = self._message_owner(session, data.index)
        if session is None or index is None:
            return session, gr.update()
        if data.liked is True or data.liked == "Like":
            rating: str | None = "up"
        elif data.liked is False or data.liked == "Dislike":
            rating = "down"
        else:
            rating = None
        changed = session.ratings.get(index) != rating
        if rating is None:
            session.ratings.pop(index, None)
        else:
            session.ratings[index] = rating
        session.selected = index
        if changed:  # a repeated event for the same thumb adds nothing to the log
            self.record(session, index, rating)
        gr.Info(t("thanks", ui_language))
        return session, self.about_update(session, ui_language)

    def comment(
        self, text: str, session: ChatSession | None, ui_language: str, about: Any = None
    ) -> tuple[str, str]:
        """Record a comment on the answer chosen in the list (else the latest); clear the box."""
        if session is None or session.current() is None:
            return text, t("nothing_to_rate", ui_language)
        if not (text or "").strip():
            return text, t("empty_comment", ui_language)
        if isinstance(about, int) and 0 <= about < len(session.answers):
            session.selected = about
        index = session.current()
        assert index is not None
        self.record(session, index, session.ratings.get(index), text)
        return "", t("thanks", ui_language)

    def record(
        self, session: ChatSession, index: int, rating: str | None, comment: str = ""
    ) -> dict:
        """Log a judgement of turn ``index`` with the turns before it and the report version."""
        return record_feedback(
            self.settings.feedback_path,
            session.answers[index],
            rating,
            comment,
            earlier=session.answers[:index],
            turn=f"{session.id}:{index}",
            report=self.meta.version(),
        )

    def _message_owner(self, session: ChatSession | None, raw_index: Any) -> int | None:
        if session is None:
            return None
        message_index = raw_index[0] if isinstance(raw_index, (list, tuple)) else raw_index
        if not isinstance(message_index, int):
            return None
        return self.owner(session, message_index)

    def turn_choices(self, session: ChatSession) -> list[tuple[str, int]]:
        """Each turn as a choice: its number and question (shortened)."""
        choices = []
        for index, answer in enumerate(session.answers):
            question = answer.question
            question = question if len(question) <= 60 else question[:60] + "…"
            choices.append((f"{index + 1}. {question}", index))
        return choices

    def about_update(self, session: ChatSession, ui_language: str) -> Any:
        """The list of answers a comment can be about, the selected (else latest) chosen."""
        return gr.update(
            choices=self.turn_choices(session),
            value=session.current(),
            label=t("comment_about", ui_language),
        )

    def turns_update(self, session: ChatSession, ui_language: str) -> Any:
        """The turns a note can hold, each ticked unless the reader left it out."""
        choices = self.turn_choices(session)
        kept = [i for _, i in choices if i not in session.left_out]
        return gr.update(choices=choices, value=kept, label=t("brief_turns", ui_language))

    # --- briefing notes -----------------------------------------------------------------------

    def write_briefs(self, session: ChatSession) -> None:
        """Write the session's Markdown and Word notes of the ticked turns, ready to download.

        The notes' headings are in the language of their questions, as from `brief`.
        """
        answers = [
            a
            for i, a in enumerate(session.answers)
            if i not in session.left_out and a.status != "error"
        ]
        session.briefs = {}
        if not answers:
            return
        stem = "briefing-note-" + re.sub(r"[^A-Za-z0-9]+", "-", self.meta.symbol).strip("-")
        for suffix in (".md", ".docx"):
            path = session.folder() / f"{stem}{suffix}"
            try:
                session.briefs[suffix] = write_brief(answers, self.meta, path)
            except (AssistantError, OSError):
                log.exception("could not write %s", path.name)

    def download_updates(self, session: ChatSession, ui_language: str) -> tuple:
        """The two download buttons, live once there is something to export."""
        updates = []
        for suffix, key in ((".md", "download_md"), (".docx", "download_docx")):
            path = session.briefs.get(suffix)
            updates.append(
                gr.update(
                    label=t(key, ui_language),
                    value=str(path) if path else None,
                    interactive=path is not None,
                )
            )
        return tuple(updates)

    def choose_turns(self, kept: list[int], session: ChatSession | None, ui_language: str) -> tuple:
        """The reader ticked or unticked turns: rewrite the notes without the unticked ones."""
        session = session or ChatSession()
        kept_set = {i for i in kept or [] if isinstance(i, int)}
        session.left_out = {i for i in range(len(session.answers)) if i not in kept_set}
        self.write_briefs(session)
        return session, *self.download_updates(session, ui_language)


def example_chains(meta: ReportMeta, language: str) -> list[list[str]]:
    """The starter questions as chains: a follow-up is asked after the question before it."""
    chains: list[list[str]] = []
    for example in meta.examples(language):
        if example.follow_up and chains:
            chains[-1].append(example.question)
        else:
            chains.append([example.question])
    return chains


def chat_examples(meta: ReportMeta, language: str) -> list[dict]:
    """The starter questions shown inside the empty chat ("A → and B?" for a follow-up)."""
    return [
        {"text": chain[0], "display_text": " → ".join(chain)}
        for chain in example_chains(meta, language)
    ]


def question_language(question: str, fallback: str) -> str:
    """'zh' for a question with Chinese characters, 'en' for one in Latin letters."""
    if re.search(r"[\u3400-\u9fff]", question):
        return "zh"
    return "en" if re.search(r"[A-Za-z]", question) else normalise(fallback)


def stream_pieces(text: str, steps: int = STREAM_STEPS) -> Iterator[str]:
    """Growing prefixes of ``text``, ending with the whole of it."""
    if not text:
        return
    size = max(1, -(-len(text) // steps))
    for end in range(size, len(text) + size, size):
        yield text[: min(end, len(text))]


# Runs in the browser whenever the interface language changes: the page's lang attribute,
# and Gradio's own strings (footer, toasts, button labels) through its exported
# changeLocale, found as the module the page already loaded.
SET_LOCALE_JS = """
(language) => {
  const locale = language === "en" ? "en" : "zh-CN";
  window.__raLocale = locale;
  document.documentElement.lang = locale;
  const core = performance.getEntriesByType("resource").map((e) => e.name)
    .find((name) => /\\/assets\\/core-[^/]*\\.js$/.test(name));
  if (!core) return language;
  // a locale Gradio loads lazily may land after a later choice: insist for a few seconds
  import(core).then((m) => {
    if (!m.changeLocale) return;
    let checks = 12;
    const insist = () => {
      if (window.__raLocale !== locale) return;
      if (document.documentElement.lang !== locale) m.changeLocale(locale);
      if (--checks > 0) setTimeout(insist, 250);
    };
    m.changeLocale(locale);
    setTimeout(insist, 250);
  }).catch(() => {});
  return language;
}
"""

# Installed once when the page loads: copies an answer (its hidden plain text) when its
# copy button is pressed or activated from the keyboard; and gives the starter questions'
# box the role "group" (Gradio marks it a list whose items are buttons, which screen
# readers cannot use).
COPY_JS = """
() => {
  if (window.__raCopy) return;
  window.__raCopy = true;
  const fixRoles = () => document.querySelectorAll("#ra-chat .examples[role=list]")
    .forEach((box) => box.setAttribute("role", "group"));
  new MutationObserver(fixRoles).observe(document.body, { childList: true, subtree: true });
  fixRoles();
  const copy = async (button) => {
    const source = button.parentElement.querySelector(".ra-copy-text");
    if (!source) return;
    const holder = document.createElement("div");
    holder.innerHTML = source.innerHTML.replace(/<br\\s*\\/?>/gi, "\\n");
    const text = holder.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    button.classList.add("ra-copied");
    setTimeout(() => button.classList.remove("ra-copied"), 2000);
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".ra-copy");
    if (button) { event.stopPropagation(); copy(button); }
  }, true);
  document.addEventListener("keydown", (event) => {
    const button = event.target.closest && event.target.closest(".ra-copy");
    if (button && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      copy(button);
    }
  });
}
"""


def build_app(engine: Any, settings: Settings, meta: ReportMeta | None = None) -> gr.Blocks:
    """The Blocks app: chat, language switch, starter questions, feedback, notes, the API."""
    meta = meta or ReportMeta.load(settings)
    chat = ChatApp(engine, settings, meta)
    lang = "zh"

    with gr.Blocks(
        title=app_title(meta, "zh") + " · " + app_title(meta, "en"),
        analytics_enabled=False,
        fill_width=False,
        delete_cache=(3600, 86400),  # served copies of exported notes go after a day
    ) as demo:
        session = gr.State(None, delete_callback=lambda s: s.close() if s else None)
        with gr.Row(elem_id="ra-header", equal_height=False):
            with gr.Column(scale=5, min_width=240):
                header_html = gr.HTML(chat.header(lang), elem_id="ra-header-text")
            with gr.Column(scale=1, min_width=150):
                language = gr.Radio(
                    choices=LANGUAGE_CHOICES,
                    value=lang,
                    label=t("interface_language", lang),
                    elem_id="ra-language",
                )
                reports = chat.report_choices()
                report = gr.Dropdown(
                    choices=reports,
                    value=meta.symbol,
                    label=t("report_picker", lang),
                    elem_id="ra-report",
                    visible=len(reports) > 1,  # one report: nothing to choose
                    interactive=True,
                )
        chatbot = gr.Chatbot(
            label=t("chat_label", lang),
            show_label=False,
            elem_id="ra-chat",
            height="58vh",
            min_height=300,
            placeholder=t("chat_placeholder", lang),
            examples=chat_examples(meta, lang),
            sanitize_html=True,
            render_markdown=True,
            allow_tags=False,
            latex_delimiters=[],
            buttons=[],
            feedback_options=("Like", "Dislike"),
            group_consecutive_messages=True,
            layout="panel",
        )
        with gr.Row(elem_id="ra-ask", equal_height=True):
            question = gr.Textbox(
                label=t("question_label", lang),
                placeholder=t("question_placeholder", lang),
                show_label=False,
                lines=1,
                max_lines=6,
                max_length=settings.max_question_chars,
                scale=6,
                min_width=180,
                elem_id="ra-question",
                autofocus=True,
            )
            send = gr.Button(
                t("send", lang), variant="primary", scale=1, min_width=64, elem_id="ra-send"
            )
            new_chat = gr.Button(t("new_chat", lang), scale=1, min_width=64, elem_id="ra-new")
        with gr.Row(visible=False, elem_id="ra-confirm", equal_height=True) as confirm:
            confirm_text = gr.Markdown(t("clear_confirm", lang), elem_id="ra-confirm-text")
            clear_yes = gr.Button(
                t("clear_yes", lang), variant="stop", size="sm", elem_id="ra-clear-yes"
            )
            clear_no = gr.Button(t("clear_no", lang), size="sm", elem_id="ra-clear-no")
        with gr.Accordion(t("brief", lang), open=False, elem_id="ra-brief") as brief:
            brief_help = gr.Markdown(t("brief_help", lang))
            turns = gr.CheckboxGroup(
                choices=[], value=[], label=t("brief_turns", lang), elem_id="ra-turns"
            )
            with gr.Row(equal_height=True):
                download_md = gr.DownloadButton(
                    t("download_md", lang),
                    interactive=False,
                    scale=1,
                    min_width=120,
                    elem_id="ra-download-md",
                )
                download_docx = gr.DownloadButton(
                    t("download_docx", lang),
                    interactive=False,
                    scale=1,
                    min_width=120,
                    elem_id="ra-download-docx",
                )
        with gr.Accordion(t("feedback", lang), open=False, elem_id="ra-feedback") as feedback:
            feedback_help = gr.Markdown(t("feedback_help", lang))
            about = gr.Dropdown(
                choices=[], value=None, label=t("comment_about", lang), elem_id="ra-about"
            )
            comment = gr.Textbox(
                label=t("comment", lang),
                placeholder=t("comment_placeholder", lang),
                lines=2,
                max_length=4000,
                elem_id="ra-comment",
            )
            send_comment = gr.Button(t("send_feedback", lang), size="sm", elem_id="ra-comment-send")
            feedback_status = gr.Markdown("", elem_id="ra-feedback-status")
        with gr.Row(visible=False):
            api_question = gr.Textbox(label="question")
            api_answer = gr.JSON(label="answer")
            api_button = gr.Button()

        answer_outputs = [chatbot, question, session, turns, download_md, download_docx, about]
        ask = {
            "fn": chat.submit,
            "inputs": [question, session, language],
            "outputs": answer_outputs,
            "api_visibility": "private",
            "concurrency_id": "engine",
            "concurrency_limit": CONCURRENCY,
            "show_progress": "hidden",
        }
        question.submit(**ask)
        send.click(**ask)
        report.change(chat.choose_report, [report, session], [session], api_visibility="private")
        chatbot.example_select(
            chat.ask_example,
            [session, language],
            answer_outputs,
            api_visibility="private",
            concurrency_id="engine",
            concurrency_limit=CONCURRENCY,
            show_progress="hidden",
        )
        new_chat.click(lambda: gr.update(visible=True), None, confirm, api_visibility="private")
        clear_no.click(lambda: gr.update(visible=False), None, confirm, api_visibility="private")
        clear_yes.click(
            chat.new_chat,
            [session, language],
            [*answer_outputs, confirm],
            api_visibility="private",
        )
        chatbot.like(chat.like, [session, language], [session, about], api_visibility="private")
        turns.input(
            chat.choose_turns,
            [turns, session, language],
            [session, download_md, download_docx],
            api_visibility="private",
        )
        send_comment.click(
            chat.comment,
            [comment, session, language, about],
            [comment, feedback_status],
            api_visibility="private",
        )
        api_button.click(
            chat.ask_api,
            [api_question, session],
            [api_answer, session],
            api_name="ask",
            concurrency_id="engine",
            concurrency_limit=CONCURRENCY,
        )

        def switch(ui_language: str, state: ChatSession | None) -> tuple:
            """Every interface string in the chosen language; the chat re-drawn with its labels."""
            ui = normalise(ui_language)
            state = state or ChatSession()
            return (
                gr.HTML(chat.header(ui, state.report)),
                gr.Radio(label=t("interface_language", ui)),
                gr.Dropdown(label=t("report_picker", ui)),
                gr.Chatbot(
                    value=chat.messages(state, ui),
                    label=t("chat_label", ui),
                    placeholder=t("chat_placeholder", ui),
                    examples=chat_examples(meta, ui),
                ),
                gr.Textbox(
                    label=t("question_label", ui), placeholder=t("question_placeholder", ui)
                ),
                gr.Button(t("send", ui)),
                gr.Button(t("new_chat", ui)),
                t("clear_confirm", ui),
                gr.Button(t("clear_yes", ui)),
                gr.Button(t("clear_no", ui)),
                chat.turns_update(state, ui),
                *chat.download_updates(state, ui),
                chat.about_update(state, ui),
                gr.Accordion(label=t("brief", ui)),
                t("brief_help", ui),
                gr.Accordion(label=t("feedback", ui)),
                t("feedback_help", ui),
                gr.Textbox(label=t("comment", ui), placeholder=t("comment_placeholder", ui)),
                gr.Button(t("send_feedback", ui)),
                "",
                state,
            )

        language.change(
            switch,
            [language, session],
            [
                header_html,
                language,
                report,
                chatbot,
                question,
                send,
                new_chat,
                confirm_text,
                clear_yes,
                clear_no,
                turns,
                download_md,
                download_docx,
                about,
                brief,
                brief_help,
                feedback,
                feedback_help,
                comment,
                send_comment,
                feedback_status,
                session,
            ],
            api_visibility="private",
            show_progress="hidden",
        )
        language.change(None, language, None, js=SET_LOCALE_JS, api_visibility="private")

        def initial_language(request: gr.Request) -> str:
            """?lang=en opens the page in English."""
            wanted = request.query_params.get("lang") if request else None
            return normalise(wanted) if wanted else lang

        demo.load(initial_language, None, language, api_visibility="private")
        demo.load(None, None, None, js=COPY_JS, api_visibility="private")
        demo.load(None, language, None, js=SET_LOCALE_JS, api_visibility="private")
    return demo


def app_title(meta: ReportMeta, language: str) -> str:
    """The page's title: the report folder's (vocabulary.yaml ``ui.title``), else a generic one."""
    return meta.ui_text("title", language) or t("app_title", language)


def port_is_free(host: str, port: int) -> bool:
    """Whether the chat could listen on ``host:port`` now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


LOOPBACK = ("127.0.0.1", "localhost", "::1")
# what the login page itself needs; everything else waits for a login when one is set
LOGIN_PAGE = re.compile(
    r"^/(?:gradio_api/)?(?:login/?|logout/?|config/?|startup-events|theme\.css|favicon\.ico|"
    r"(?:assets|static|svelte)/.*)?$"
)


def login(settings: Settings) -> tuple[str, str] | None:
    """The (user, password) the chat asks for, or None; half a login is an error."""
    user, password = settings.auth_user, settings.auth_password
    if bool(user) != bool(password):
        given, missing = ("USER", "PASSWORD") if user else ("PASSWORD", "USER")
        raise AssistantError(
            f"Only REPORT_ASSISTANT_AUTH_{given} is set: set REPORT_ASSISTANT_AUTH_{missing} "
            "too (a login needs both), or unset both to serve without a login."
        )
    return (user, password) if user and password else None  # type: ignore[return-value]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    return host in LOOPBACK or host.startswith("127.")


def check_exposure(settings: Settings, insecure_public: bool = False) -> str | None:
    """Refuse a public address without a login; the warning to print when allowed anyway."""
    if login(settings) is not None or is_loopback(settings.host):
        return None
    if not insecure_public:
        raise AssistantError(
            f"Refusing to serve on {settings.host} without a login: anyone who can reach "
            "this machine could use the chat. Set REPORT_ASSISTANT_AUTH_USER and "
            "REPORT_ASSISTANT_AUTH_PASSWORD, or pass --insecure-public to do it anyway."
        )
    return (
        f"Warning: serving on {settings.host} with no login (--insecure-public): anyone "
        "who can reach this machine can use the chat."
    )


class LoginRequired:
    """Every route but the login page answers 401 until the visitor has logged in
    (Gradio checks the login on some routes only)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or LOGIN_PAGE.match(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        server = scope.get("app")
        if getattr(server, "auth", None) is None or self._logged_in(scope, server):
            await self.app(scope, receive, send)
            return
        from starlette.responses import JSONResponse

        response = JSONResponse({"error": "Not authenticated"}, status_code=401)
        await response(scope, receive, send)

    @staticmethod
    def _logged_in(scope: dict, server: Any) -> bool:
        from starlette.requests import HTTPConnection

        cookies = HTTPConnection(scope).cookies
        cookie_id = getattr(server, "cookie_id", "")
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(
            f"access-token-unsecure-{cookie_id}"
        )
        return token is not None and token in getattr(server, "tokens", {})


def launch(settings: Settings, engine: Any | None = None, block: bool = True) -> gr.Blocks:
    """Load the engine (building the index if needed) and serve the chat.

    The engine follows the index: a rebuild is picked up without a restart."""
    from starlette.middleware import Middleware

    auth = login(settings)  # a half-set login fails before anything loads
    if engine is None:
        from assistant.live import LiveEngine

        engine = LiveEngine.load(settings)
    meta = ReportMeta.load(settings)
    demo = build_app(engine, settings, meta)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        auth_message=app_title(meta, "zh") + " · " + app_title(meta, "en") if auth else None,
        share=False,
        inbrowser=False,
        show_error=False,
        quiet=True,
        prevent_thread_lock=not block,
        theme=theme(),
        css=CSS,
        footer_links=["api"],
        run_history=False,
        enable_monitoring=False,
        mcp_server=False,
        ssr_mode=False,
        pwa=False,
        max_file_size="1mb",
        app_kwargs={"openapi_url": None, "middleware": [Middleware(LoginRequired)]},
    )
    return demo
