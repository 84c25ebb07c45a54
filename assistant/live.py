"""An engine that follows the index: a running app picks up a rebuild without a restart.

``LiveEngine`` answers like an ``Engine``. Before each question it looks (at most every
``poll_s`` seconds, without opening Chroma) whether an ingest switched the active
pointer to another build. If so, a new Engine is loaded in the background while the old
one keeps answering; when it is ready it takes over for the next question. The old
engine's copy of the store is let go only once no question is still using it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.index import active_collection, current_copy, open_index, release_copy
from assistant.settings import Settings
from ingest.errors import AssistantError

log = logging.getLogger(__name__)
POLL_S = 1.0


@dataclass
class _Generation:
    """One loaded engine, the copy of the store it reads, and the questions it is answering."""

    engine: Any
    collection: str
    copy: Path | None
    busy: int = 0
    retired: bool = False


class LiveEngine:
    """The answer engine over whichever build the active pointer names now."""

    def __init__(
        self,
        settings: Settings,
        engine: Any,
        loader: Callable[[Settings], Any] | None = None,
        poll_s: float = POLL_S,
    ) -> None:
        self.settings = settings
        self.poll_s = poll_s
        self._loader = loader or _load_engine
        self._lock = threading.Lock()
        self._current = _Generation(engine, _collection_of(engine), current_copy(settings))
        self._checked = time.monotonic()
        self._loading = False

    @classmethod
    def load(cls, settings: Settings, poll_s: float = POLL_S) -> LiveEngine:
        """Load the engine (building the index if there is none) and follow the pointer."""
        return cls(settings, _load_engine(settings), poll_s=poll_s)

    # --- what an Engine offers ---------------------------------------------------------------

    def ask(self, question: str, language: str | None = None, report: str | None = None) -> Any:
        with self._using() as engine:
            return engine.ask(question, language, report)

    def conversation(self, report: str | None = None) -> LiveConversation:
        return LiveConversation(self, report=report)

    @property
    def engine(self) -> Any:
        """The engine that answers the next question."""
        self.refresh()
        return self._current.engine

    @property
    def collection(self) -> str:
        """The build answering now."""
        return self._current.collection

    def __getattr__(self, name: str) -> Any:  # report, retriever, other_edition, ...
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.engine, name)

    # --- following the pointer ---------------------------------------------------------------

    def refresh(self) -> None:
        """Start loading the build the pointer names, if it is another one."""
        now = time.monotonic()
        if now - self._checked < self.poll_s:
            return
        self._checked = now
        active = active_collection(self.settings)
        if not active or active == self._current.collection:
            return
        with self._lock:
            if self._loading:
                return
            self._loading = True
        threading.Thread(target=self._switch, args=(active,), daemon=True).start()

    def _switch(self, active: str) -> None:
        try:
            _, info = open_index(self.settings)  # only a complete build that fits is taken
            if info.collection != active or info.collection == self._current.collection:
                return
            engine = self._loader(self.settings)
            fresh = _Generation(engine, _collection_of(engine), current_copy(self.settings))
        except AssistantError as exc:  # e.g. the corpus changed and the ingest is not done
            log.info("staying on %s: %s", self._current.collection, exc)
            return
        except Exception:
            log.exception("could not load the new index; staying on the old one")
            return
        finally:
            with self._lock:
                self._loading = False
        with self._lock:
            old, self._current = self._current, fresh
            old.retired = True
            idle = old.busy == 0
        log.warning("now answering from %s (was %s)", fresh.collection, old.collection)
        if idle:
            self._let_go(old)

    @contextlib.contextmanager
    def _using(self) -> Iterator[Any]:
        self.refresh()
        with self._lock:
            generation = self._current
            generation.busy += 1
        try:
            yield generation.engine
        finally:
            with self._lock:
                generation.busy -= 1
                done = generation.retired and generation.busy == 0
            if done:
                self._let_go(generation)

    def _let_go(self, generation: _Generation) -> None:
        if generation.copy != self._current.copy:
            release_copy(self.settings, generation.copy)


@dataclass
class LiveConversation:
    """A conversation whose turns outlive a switch of index: each question goes to the
    engine answering now, with the turns so far."""

    live: LiveEngine
    turns: list = field(default_factory=list)
    report: str | None = None  # the report the user chose (None: the engine's default)

    def ask(self, question: str, language: str | None = None) -> Any:
        from assistant.engine import Conversation

        with self.live._using() as engine:
            return Conversation(engine, self.turns, self.report).ask(question, language)


def _load_engine(settings: Settings) -> Any:
    from assistant.engine import Engine

    return Engine.load(settings)


def _collection_of(engine: Any) -> str:
    info = getattr(getattr(engine, "retriever", None), "info", None)
    return getattr(info, "collection", "")
