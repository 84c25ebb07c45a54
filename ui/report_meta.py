"""What the chat and the briefing note say about the report: symbol, title, date, editions."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.settings import Settings
from ingest.corpus import corpus_hash, load_corpus, select_report
from ingest.model import Report, Unit


@dataclass(frozen=True)
class ReportMeta:
    """The report's metadata plus its editions, for headers and full source passages."""

    report: Report
    corpus_hash: str = ""  # of the corpus the engine reads: which version of the data
    _by_id: dict[str, dict[str, Unit]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, settings: Settings) -> ReportMeta:
        """The report the assistant answers about (the newest in the corpus)."""
        corpus = load_corpus(settings.corpus_dir)
        return cls(select_report(corpus), corpus_hash(settings.corpus_dir))

    @property
    def symbol(self) -> str:
        return self.report.symbol

    @property
    def date(self) -> str:
        return str(self.report.metadata.get("document_date", ""))

    def version(self) -> dict[str, str]:
        """The report and corpus version an answer was given under, for feedback records."""
        return {"symbol": self.symbol, "corpus_hash": self.corpus_hash}

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
