"""One browser session's chat: its follow-up context and the answers shown so far."""

from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.model import Answer


@dataclass
class ChatSession:
    """The Conversation that resolves follow-ups, and every answer of this chat in order."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])  # names turns in feedback
    conversation: Any | None = None  # assistant.engine.Conversation, made on first question
    report: str | None = None  # the report chosen in the picker (None: the newest)
    answers: list[Answer] = field(default_factory=list)
    ratings: dict[int, str] = field(default_factory=dict)  # answer index -> "up" / "down"
    selected: int | None = None  # the answer a reader rated or chose, for comments
    left_out: set[int] = field(default_factory=set)  # answers unticked for the notes
    charts: dict[int, Any] = field(default_factory=dict)  # answer index -> drawn chart
    briefs: dict[str, Path] = field(default_factory=dict)  # ".md" / ".docx" -> exported note
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _folder: Path | None = field(default=None, repr=False, compare=False)

    def __deepcopy__(self, memo: dict) -> ChatSession:
        """Gradio copies a session's initial value: a copy is a new session."""
        return ChatSession(
            conversation=self.conversation,
            report=self.report,
            answers=list(self.answers),
            ratings=dict(self.ratings),
            selected=self.selected,
        )

    def ask(self, engine: Any, question: str, language: str | None = None) -> Answer:
        """Answer ``question`` in this chat's context and keep the answer.

        The kept answer carries the question as typed (the engine's copy is normalised),
        since that is what the chat shows, notes quote and feedback records.
        """
        with self.lock:
            if self.conversation is None:
                self.conversation = engine.conversation(report=self.report)
            answer = self.conversation.ask(question, language)
            self.answers.append(replace(answer, question=question.strip() or answer.question))
            return answer

    def choose_report(self, symbol: str | None) -> None:
        """Answer the next questions from this report (the turns so far are kept)."""
        with self.lock:
            self.report = symbol or None
            if self.conversation is not None:
                self.conversation.report = self.report

    def current(self) -> int | None:
        """The index of the selected answer, else of the latest one (None before any)."""
        if self.selected is not None and 0 <= self.selected < len(self.answers):
            return self.selected
        return len(self.answers) - 1 if self.answers else None

    def folder(self) -> Path:
        """A private temporary folder for this session's exported files."""
        if self._folder is None or not self._folder.is_dir():
            self._folder = Path(tempfile.mkdtemp(prefix="report-assistant-"))
        return self._folder

    def close(self) -> None:
        """Remove the session's exported files."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
