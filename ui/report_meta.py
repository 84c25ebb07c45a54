"""What the chat and the briefing note say about the report: symbol, title, date, editions."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.settings import Settings
from ingest.corpus import load_corpus, select_report
from ingest.model import Report


@dataclass(frozen=True)
class ReportMeta:
    """The report's metadata plus its editions, for headers and full source passages."""

    report: Report

    @classmethod
    def load(cls, settings: Settings) -> ReportMeta:
        """The report the assistant answers about (the newest in the corpus)."""
        return cls(select_report(load_corpus(settings.corpus_dir)))

    @property
    def symbol(self) -> str:
        return self.report.symbol

    @property
    def date(self) -> str:
        return str(self.report.metadata.get("document_date", ""))

    def title(self, language: str) -> str:
        """The report's title in ``language``."""
        return self.report.title(language)

    def translation_note(self, language: str) -> str:
        """What the report.yaml says about the unofficial edition, in ``language`` ('' if none)."""
        for meta in self.report.metadata.get("editions", {}).values():
            if meta.get("official") is False:
                note = meta.get("note", {})
                return note.get(language) or note.get("en", "") if isinstance(note, dict) else ""
        return ""

    def passage(self, unit_id: str, language: str) -> str:
        """The full text of a unit in one edition ('' if that edition or unit is missing)."""
        edition = self.report.editions.get(language)
        if edition is None or not unit_id:
            return ""
        unit = edition.by_id().get(unit_id)
        return unit.text if unit else ""
