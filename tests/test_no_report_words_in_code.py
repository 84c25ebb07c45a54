"""A report's own words live in its folder, never in code.

The words are every name a report folder declares: its organization (report.yaml and
vocabulary.yaml), the committees it goes to, the programmes and systems it names, and its
title. None may appear in a Python string literal of assistant/, ingest/ or ui/ (docstrings
and comments are prose and may name an example).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from assistant.language.lexicon import lexicon
from assistant.settings import PROJECT_ROOT
from ingest.corpus import load_report

CODE_DIRS = ("assistant", "ingest", "ui")
ENGLISH_WORDS = lexicon().stop_words["en"]
REPORT_FOLDERS = [
    *sorted((PROJECT_ROOT / "corpus" / "reports").iterdir()),
    *sorted((Path(__file__).resolve().parent / "fixtures" / "reports").iterdir()),
]


def report_words() -> set[str]:
    """Every name declared by every report folder, and every report's title."""
    words: set[str] = set()
    for folder in REPORT_FOLDERS:
        report = load_report(folder)
        words |= set(report.vocabulary.words())
        words |= {t for t in (report.metadata.get("title") or {}).values() if isinstance(t, str)}
    return {w for w in words if len(w) >= 2}


def string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal in a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
        and isinstance(node.body[0].value.value, str)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def holds(literal: str, word: str) -> bool:
    """A Latin-script word as a whole word in any case (WIPO, wipo; not WIPOX), except an
    acronym that is also an English word or two letters long, in capitals only (IT is not
    "it", WHO is not "who"); any other word as written."""
    if word.isascii():
        common = word.isupper() and (len(word) <= 2 or word.lower() in ENGLISH_WORDS)
        flags = 0 if common else re.I
        pattern = rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])"
        return re.search(pattern, literal, flags) is not None
    return word in literal


def report_words_in_code() -> dict[str, list[str]]:
    """'file:line' -> the report words its string literals hold."""
    words = sorted(report_words(), key=len, reverse=True)
    found: dict[str, list[str]] = {}
    for folder in CODE_DIRS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            name = str(path.relative_to(PROJECT_ROOT))
            for line, literal in string_literals(path):
                hits = [w for w in words if holds(literal, w)]
                if hits:
                    found.setdefault(f"{name}:{line}", []).extend(hits)
    return found


def test_the_report_folders_declare_their_words():
    words = report_words()
    assert {"WIPO", "产权组织", "Coordination Committee", "iPerform", "GDAP"} <= words
    assert "World Intellectual Property Organization" in words  # from the 2012 report too


def test_the_words_check_reads_literals_not_comments_or_docstrings(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""About WIPO."""\n# WIPO\nX = "the WIPO report"\nY = "WIPOX"\n')
    literals = string_literals(module)
    assert literals == [(3, "the WIPO report"), (4, "WIPOX")]
    assert holds(literals[0][1], "WIPO") and not holds(literals[1][1], "WIPO")
    assert holds('{"wipo", "ompi"}', "WIPO") and holds("GDAP's pillars", "GDAP")
    assert holds("an IT team", "IT") and not holds("what it says", "IT")
    assert holds("WHO's staff", "WHO") and not holds("anyone who asks", "WHO")


def test_no_report_word_in_any_string_literal_of_the_code():
    assert report_words_in_code() == {}
