"""Two reports side by side: "how did applications change since the previous report?".

Each report answers the question as a lookup from its own tables (its measure guard
decides, as for any question). Where both give one figure of the same measure — the same
table, or a table that names the other in its ``same_as`` — the change is computed by the
figures engine, its formula and sources citing both reports. Otherwise the answer says what
each report gives and that they cannot be compared; nothing is computed.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.figures.engine import FiguresEngine, Ref
from assistant.figures.phrasing import templates
from assistant.inputs import clean_question
from assistant.model import ANSWERED, Answer, Figure, FigureIntent, Turn
from assistant.understanding.reports import label
from ingest.errors import TableError


def compare_reports(older, newer, question: str, language: str | None) -> Turn:
    """The turn that sets ``older``'s figure beside ``newer``'s (two ``ReportEngine``s)."""
    clean = clean_question(question, older.settings.max_question_chars, language)
    language = clean.language
    found = {e.report.symbol: e.figure_turn(question, language) for e in (older, newer)}
    old, new = found[older.report.symbol], found[newer.report.symbol]
    words = templates().get(language) or templates()["en"]
    if old is None and new is None:
        return newer.answer_turn(question, language, [])  # neither has it: refused as usual
    if old is None or new is None:
        present, absent = (new, older) if old is None else (old, newer)
        text = words["across_one"].format(
            present=_said(present, words), absent=label(absent.report)
        )
        return _turn(question, language, text, [present])
    change = _change(older, newer, old, new)
    if change is None:
        items = " ".join(_said(t, words) for t in (old, new))
        return _turn(question, language, words["across_unlike"].format(items=items), [old, new])
    before, after = old.answer.figures[0], new.answer.figures[0]
    refs = words["refs_separator"].join(c.where for t in (old, new) for c in t.answer.citations)
    text = words["across_change"].format(
        measure=_measure(after, language),
        old=before.display.get(language) or before.display["en"],
        new=after.display.get(language) or after.display["en"],
        value=change.display.get(language) or change.display["en"],
        formula=(change.formula or {}).get(language, ""),
        refs=refs,
        **{"from": label(older.report), "to": label(newer.report)},
    )
    return _turn(question, language, text, [old, new], figures=(before, after, change))


def _change(older, newer, old: Turn, new: Turn) -> Figure | None:
    """newer − older for one measure both publish (percentage points for a rate), or None."""
    a, b = old.intent, new.intent
    if not _single(old) or not _single(new) or not _same_measure(older, newer, a, b):
        return None
    tables = [older.figures.tables[a.table], newer.figures.tables[b.table]]
    engine = FiguresEngine(tables)
    before, after = Ref(a.table, a.rows[0], a.column), Ref(b.table, b.rows[0], b.column)
    percent = old.answer.figures[0].unit == "percent"
    try:
        figure = (
            engine.combine("pp_change", before, after)
            if percent
            else engine.combine("difference", after, before)
        )
    except TableError:
        return None
    formula = {
        lang: f"{text} [{label(newer.report)} − {label(older.report)}]"
        for lang, text in (figure.formula or {}).items()
    }
    return replace(figure, formula=formula, operation="change")


def _single(turn: Turn) -> bool:
    intent = turn.intent
    return (
        isinstance(intent, FigureIntent)
        and intent.operation == "lookup"
        and len(intent.rows) == 1
        and intent.column is not None
        and len(turn.answer.figures) == 1
    )


def _same_measure(older, newer, a: FigureIntent, b: FigureIntent) -> bool:
    """The same table (by id or a declared ``same_as``), the same column and row keys."""
    ta, tb = older.figures.tables[a.table], newer.figures.tables[b.table]
    same_table = ta.id == tb.id or ta.id in tb.same_as or tb.id in ta.same_as
    return same_table and a.column == b.column and a.rows == b.rows


def _said(turn: Turn, words: dict[str, str]) -> str:
    report = f"{turn.answer.report} ({turn.answer.report_year})"  # as label() writes it
    return words["across_report"].format(report=report, answer=turn.answer.answer)


def _measure(figure: Figure, language: str) -> str:
    return figure.label.get(language) or figure.label.get("en", "")


def _turn(
    question: str,
    language: str,
    text: str,
    turns: list[Turn],
    figures: tuple[Figure, ...] = (),
) -> Turn:
    answer = Answer(
        question=question,
        language=language,
        status=ANSWERED,
        answer=text,
        citations=tuple(c for t in turns for c in t.answer.citations),
        figures=figures or tuple(f for t in turns for f in t.answer.figures),
        notes=tuple(dict.fromkeys(n for t in turns for n in t.answer.notes)),
    )
    return Turn(question, answer, None, "")
