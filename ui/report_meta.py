"""What the chat and the briefing note say about the report: symbol, title, date, editions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.settings import Settings
from ingest.corpus import corpus_hash, load_corpus, select_report
from ingest.errors import TableError
from ingest.model import Report, Unit
from ingest.tables import Table, load_tables


@dataclass(frozen=True)
class Example:
    """A starter question of the chat; a follow-up is asked after the one before it."""

    question: str
    follow_up: bool = False


@dataclass(frozen=True)
class ReportMeta:
    """The report's metadata plus its editions, for headers and full source passages."""

    report: Report
    corpus_hash: str = ""  # of the corpus the engine reads: which version of the data
    tables: dict[str, Table] = field(default_factory=dict, compare=False, repr=False)
    _by_id: dict[str, dict[str, Unit]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, settings: Settings, name: str | None = None) -> ReportMeta:
        """The report named (symbol, folder or year), else the newest in the corpus."""
        corpus = load_corpus(settings.corpus_dir)
        tables = {t.id: t for t in load_tables(Path(settings.corpus_dir))}
        chosen = select_report(corpus, name or settings.report)
        return cls(chosen, corpus_hash(settings.corpus_dir), tables)

    @property
    def symbol(self) -> str:
        return self.report.symbol

    @property
    def date(self) -> str:
        return str(self.report.metadata.get("document_date", ""))

    def version(self) -> dict[str, str]:
        """The report and corpus version an answer was given under, for feedback records."""
        return {"symbol": self.symbol, "corpus_hash": self.corpus_hash}

    def ui_text(self, key: str, language: str, **values: str) -> str:
        """A text the report folder gives the interface ("title", "intro", "brief_caveat":
        its vocabulary.yaml, else report.yaml's ``ui:``), with {title}, {symbol} and {date}
        filled in ('' when the report gives none). ``values`` replace those (escaped ones)."""
        texts = (self.report.metadata.get("ui") or {}).get(key) or {}
        text = self.report.vocabulary.text(key, language) or str(
            texts.get(language) or texts.get("en") or ""
        )
        filled = {"title": self.title(language), "symbol": self.symbol, "date": self.date}
        return text.format(**{**filled, **values})

    def examples(self, language: str) -> list[Example]:
        """The starter questions the report folder gives for one interface language."""
        lists = (self.report.metadata.get("ui") or {}).get("examples") or {}
        return [
            Example(str(item["question"]), bool(item.get("follow_up")))
            for item in lists.get(language) or []
            if isinstance(item, dict) and item.get("question")
        ]

    def title(self, language: str) -> str:
        """The report's title in ``language``."""
        return self.report.title(language)

    def example_questions(self, language: str) -> tuple[str, ...]:
        """The starter questions' texts, in ``language``."""
        return tuple(example.question for example in self.examples(language))

    def organization(self, language: str) -> str:
        """The organization's first name in ``language`` (its short name), or ''."""
        names = self.report.vocabulary.organization
        return next(iter(names.get(language) or names.get("en") or ()), "")

    def translation_note(self, language: str) -> str:
        """What the report.yaml says about the unofficial edition, in ``language`` ('' if none)."""
        for meta in self.report.metadata.get("editions", {}).values():
            if meta.get("official") is False:
                note = meta.get("note", {})
                return note.get(language) or note.get("en", "") if isinstance(note, dict) else ""
        return ""

    def passage(self, unit_id: str, language: str) -> str:
        """The full text of a unit in one edition ('' if that edition or unit is missing)."""
        unit = self._unit(unit_id, language)
        return unit.text if unit else ""

    def unit_ref(self, unit_id: str, language: str) -> str:
        """How the report names a unit: ¶69, or its section and title ('' if unknown)."""
        unit = self._unit(unit_id, language)
        if unit is None:
            return ""
        return unit.title if unit.paragraph is None and unit.title else unit.ref

    def table_title(self, table_id: str, language: str) -> str:
        """A table's title as the report names it ('' for an unknown table)."""
        table = self.tables.get(table_id)
        return table.title.get(language, "") if table else ""

    def cell_label(self, table_id: str, row: str, column: str, language: str) -> str:
        """A table cell named by its labels ("Africa — applications"), never by its ids."""
        table = self.tables.get(table_id)
        if table is None:
            return ""
        names = []
        for find, key in ((table.row, row), (table.column, column)):
            try:
                names.append(find(key).label.get(language, "") if key else "")
            except TableError:
                continue
        return " — ".join(n for n in names if n)

    def _unit(self, unit_id: str, language: str) -> Unit | None:
        edition = self.report.editions.get(language)
        if edition is None or not unit_id:
            return None
        if language not in self._by_id:
            self._by_id[language] = edition.by_id()
        return self._by_id[language].get(unit_id)
