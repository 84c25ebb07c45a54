"""The vocabulary of questions, loaded from data into one typed value.

General words (how questions ask, stop words, synonyms) are in ``vocabulary/general.yaml``
beside this module; a report's own names (its organisation, which every page names and so
say nothing about a question) are in its folder's ``vocabulary.yaml`` and are added when
the report answers (``speaking_of``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

VOCABULARY_DIR = Path(__file__).resolve().parent / "vocabulary"


@dataclass(frozen=True)
class Lexicon:
    """Every word list and phrasing pattern the understanding of a question uses."""

    stop_words: dict[str, frozenset[str]]  # by language
    stems: dict[str, str]  # irregular English forms and their stems
    synonyms: tuple[tuple[str, ...], ...]  # each group read as its first word
    ordinals: dict[str, str]  # "second" → "2", "第三" → "3"
    people: str  # words for who is counted (text, tokenised by the caller)
    asking_words: str  # words that ask how much without naming what
    figure_words: str  # words that ask for a figure without naming what is measured
    irregular_verbs: frozenset[str]
    top_k_numbers: dict[str, int]
    operations: dict[str, re.Pattern[str]]  # operation → the phrasings that ask for it
    patterns: dict[str, re.Pattern[str]]  # named phrasings (rate, several, per, ...)
    casual: dict[str, str]  # chat shorthand → the word it stands for ("ppl" → "people")
    # shorthand a following word makes clear ("no. of" → "number of"), as (phrasing, words)
    casual_phrases: tuple[tuple[re.Pattern[str], str], ...]
    preambles: tuple[re.Pattern[str], ...]  # lead-ins that carry no question
    report_references: dict[str, re.Pattern[str]]  # year | previous | latest → phrasings
    report_comparison: re.Pattern[str]  # words that set two reports side by side

    def pattern(self, name: str) -> re.Pattern[str]:
        return self.patterns[name]


@cache
def lexicon() -> Lexicon:
    """The general lexicon (read once)."""
    data = yaml.safe_load((VOCABULARY_DIR / "general.yaml").read_text(encoding="utf-8"))
    return Lexicon(
        stop_words={lang: frozenset(text.split()) for lang, text in data["stop_words"].items()},
        stems=dict(data["stems"]),
        synonyms=tuple(tuple(group) for group in data["synonyms"]),
        ordinals={str(k): str(v) for k, v in data["ordinals"].items()},
        people=data["people"],
        asking_words=data["asking_words"],
        figure_words=data["figure_words"],
        irregular_verbs=frozenset(data["irregular_verbs"].split()),
        top_k_numbers={str(k): int(v) for k, v in data["top_k_numbers"].items()},
        operations={op: _compile(spec) for op, spec in data["operations"].items()},
        patterns={name: _compile(spec) for name, spec in data["patterns"].items()},
        casual={str(k): str(v) for k, v in (data.get("casual") or {}).items()},
        casual_phrases=tuple(
            (re.compile(str(k), re.IGNORECASE), str(v))
            for k, v in (data.get("casual_phrases") or {}).items()
        ),
        preambles=tuple(_compile(spec) for spec in data.get("preambles") or ()),
        report_references={k: _compile(v) for k, v in data["report_references"].items()},
        report_comparison=_compile(data["report_comparison"]),
    )


def _compile(spec: dict) -> re.Pattern[str]:
    flags = re.IGNORECASE if spec.get("ignore_case") else 0
    return re.compile("|".join(spec["any_of"]), flags)


# The own names of the report being asked: stop words while it answers (see module
# docstring). Each report answers with its own (``speaking_of``), so that one report's
# names never silence a word in another's questions.
# Outside a report's answering (a reader or guard called on its own), the names of every
# report loaded (``register_report``).
_ASKED: ContextVar[frozenset[str] | None] = ContextVar("own_names", default=None)
_LOADED: set[str] = set()


def current_own_names() -> frozenset[str]:
    """The own names questions are read with now."""
    asked = _ASKED.get()
    return asked if asked is not None else frozenset(_LOADED)


def register_report(report) -> None:
    """Add a loaded report's own names to those read outside any report's answering."""
    _LOADED.update(own_names(report))


def own_names(report) -> frozenset[str]:
    """A report's own names (ingest.model.Report), lower-cased: its organisation's one-word
    names and the words its vocabulary declares its own."""
    vocabulary = report.vocabulary
    single = [w for ws in vocabulary.organization.values() for w in ws if " " not in w]
    return frozenset(w.lower() for w in (*vocabulary.own_names, *single))


@contextmanager
def speaking_of(names: frozenset[str]) -> Iterator[None]:
    """Within this block, ``names`` are the own names questions are read with."""
    token = _ASKED.set(names)
    try:
        yield
    finally:
        _ASKED.reset(token)
