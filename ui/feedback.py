"""Readers' ratings and comments, in a JSON Lines log evaluators can replay.

Each record holds the judged turn, the turns it follows (so "那非洲呢？" can be asked
again in its conversation), the answer's full JSON reading and the report version it
was given under. The log is rotated by size (``RotatingFileHandler``: the current file
plus ``BACKUPS`` older ones), and every text in a record is capped, so neither long
answers nor a reader toggling a thumb many times can grow it without bound. A turn
has an id; a reader of the log keeps the latest rating of each turn
(``latest_judgements``), so a like taken back is a record with ``rating: null``.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.model import Answer

RATINGS = ("up", "down", None)
MAX_COMMENT_CHARS = 4000
MAX_TEXT_CHARS = 2000  # a question or an answer
MAX_CONTEXT_CHARS = 600  # each earlier question or answer
MAX_CONTEXT_TURNS = 4  # the turns before the judged one that are kept
MAX_FIELD_CHARS = 1000  # any string inside the stored reading
MAX_LIST_ITEMS = 20  # any list inside the stored reading
MAX_LOG_BYTES = 5_000_000
BACKUPS = 3

_loggers_lock = threading.Lock()
_loggers: dict[Path, logging.Logger] = {}


@dataclass(frozen=True)
class BadLine:
    """A line of the log that is not a JSON object: where it is and why."""

    path: Path
    line: int
    error: str


def record_feedback(
    path: Path,
    answer: Answer,
    rating: str | None,
    comment: str = "",
    *,
    earlier: Sequence[Answer] = (),
    turn: str = "",
    report: dict[str, str] | None = None,
) -> dict:
    """Append one record (the judged turn, the turns before it, rating, comment); return it.

    ``earlier`` are the conversation's turns before ``answer``, oldest first; ``turn``
    names the judged turn (session and index) so later ratings of it replace earlier
    ones; ``report`` is the report version (symbol and corpus hash).
    """
    if rating not in RATINGS:
        raise ValueError(f"rating must be 'up', 'down' or None, not {rating!r}")
    record = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "turn": turn,
        "question": _cut(answer.question, MAX_TEXT_CHARS),
        "language": answer.language,
        "status": answer.status,
        "answer": _cut(answer.answer, MAX_TEXT_CHARS),
        "rating": rating,
        "comment": comment.strip()[:MAX_COMMENT_CHARS],
        "citations": [c.ref for c in answer.citations][:MAX_LIST_ITEMS],
        "context": [
            {
                "question": _cut(a.question, MAX_CONTEXT_CHARS),
                "answer": _cut(a.answer, MAX_CONTEXT_CHARS),
            }
            for a in list(earlier)[-MAX_CONTEXT_TURNS:]
        ],
        "reading": _capped(answer.as_json()),
        "report": dict(report or {}),
    }
    _logger(path).info(json.dumps(record, ensure_ascii=False))
    return record


def read_feedback(path: Path, problems: list[BadLine] | None = None) -> list[dict]:
    """Every record in the log and its rotated copies, oldest first (none if no log yet).

    Records are split on newlines only (JSON escapes those inside strings, while
    U+2028 and its kind may stand in them as typed); a line that is not a JSON object
    is skipped and, if ``problems`` is given, reported there.
    """
    records: list[dict] = []
    for file in reversed(log_files(path)):
        text = file.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                record, error = None, str(exc)
            else:
                error = "" if isinstance(record, dict) else "not a JSON object"
            if error:
                if problems is not None:
                    problems.append(BadLine(file, number, error))
                continue
            records.append(record)
    return records


def latest_judgements(records: Sequence[dict]) -> list[dict]:
    """One record per judged turn, its latest rating and comment winning (turnless kept)."""
    latest: dict[str, dict] = {}
    loose: list[dict] = []
    for record in records:
        turn = record.get("turn")
        if not turn:
            loose.append(record)
            continue
        kept = latest.pop(turn, None)
        if kept and not record.get("comment"):
            record = {**record, "comment": kept.get("comment", "")}
        latest[turn] = record
    return loose + list(latest.values())


def log_files(path: Path) -> list[Path]:
    """The log and its rotated copies that exist, newest first."""
    files = [path] + [path.with_name(f"{path.name}.{n}") for n in range(1, BACKUPS + 1)]
    return [f for f in files if f.is_file()]


def _logger(path: Path) -> logging.Logger:
    """One logger per log file, writing bare lines through a size-rotating handler."""
    path = path.resolve()
    with _loggers_lock:
        logger = _loggers.get(path)
        if logger is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_LOG_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
            handler.setFormatter(logging.Formatter("%(message)s"))
            logger = logging.getLogger(f"report_assistant.feedback.{len(_loggers)}")
            logger.setLevel(logging.INFO)
            logger.propagate = False
            logger.addHandler(handler)
            _loggers[path] = logger
        elif not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
        return logger


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _capped(value: Any) -> Any:
    """A JSON value with every string and list cut to the record's limits."""
    if isinstance(value, str):
        return _cut(value, MAX_FIELD_CHARS)
    if isinstance(value, dict):
        return {str(k): _capped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_capped(v) for v in list(value)[:MAX_LIST_ITEMS]]
    return value
