"""What the chat and the briefing note say about the report: symbol, title, date, editions."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.settings import Settings
from ingest.corpus import load_corpus, select_report
from ingest.model import Report, Unit


@dataclass(frozen=True)
class ReportMeta:
    """The report's metadata plus its editions, for headers and full source passages."""

    report: Report
    _by_id: dict[str, dict[str, Unit]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, settings: Settings, name: str | None = None) -> ReportMeta:
        """The report named (symbol, folder or year), else the newest in the corpus."""
        return cls(select_report(load_corpus(settings.corpus_dir), name))

    @property
    def symbol(self) -> str:
        return self.report.symbol

    @property
    def date(self) -> str:
        return str(self.report.metadata.get("document_date", ""))

    def title(self, language: str) -> str:
        """The report's title in ``language``."""
        return self.report.title(language)

    def ui_text(self, part: str, language: str) -> str:
        """The report's own interface text ("title", "intro" of its vocabulary.yaml), with its
        {title}, {symbol} and {date} filled in ('' when the report gives none)."""
        text = self.report.vocabulary.text(part, language)
        return text.format(title=self.title(language), symbol=self.symbol, date=self.date)

    def example_questions(self, language: str) -> tuple[str, ...]:
        """The questions the report's vocabulary.yaml offers as examples, in ``language``."""
        return self.report.vocabulary.example_questions.get(language, ())

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

    def _unit(self, unit_id: str, language: str) -> Unit | None:
        edition = self.report.editions.get(language)
        if edition is None or not unit_id:
            return None
        if language not in self._by_id:
            self._by_id[language] = edition.by_id()
        return self._by_id[language].get(unit_id)
