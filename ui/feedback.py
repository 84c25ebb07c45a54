"""Readers' ratings and comments, appended to a JSON Lines log evaluators can mine."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from assistant.model import Answer

RATINGS = ("up", "down", None)
MAX_COMMENT_CHARS = 4000

_write_lock = threading.Lock()


def record_feedback(
    path: Path,
    answer: Answer,
    rating: str | None,
    comment: str = "",
) -> dict:
    """Append one feedback record (question, answer, rating, comment, timestamp); return it."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be 'up', 'down' or None, not {rating!r}")
    record = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "question": answer.question,
        "language": answer.language,
        "status": answer.status,
        "answer": answer.answer,
        "rating": rating,
        "comment": comment.strip()[:MAX_COMMENT_CHARS],
        "citations": [c.ref for c in answer.citations],
    }
    line = json.dumps(record, ensure_ascii=False)
    with _write_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(line + "\n")
    return record


def read_feedback(path: Path) -> list[dict]:
    """Every record in the log, oldest first (none if there is no log yet)."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
