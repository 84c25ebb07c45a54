"""The document model: the plain data that every later layer reads."""

from __future__ import annotations

from dataclasses import dataclass, field

# Unit kinds, in the vocabulary the report itself uses.
PARAGRAPH = "paragraph"  # a numbered report paragraph (1-89)
COVER_NOTE = "cover_note"  # a paragraph of a cover note (numbered within that note)
COVER_HEADER = "cover_header"  # symbol, dates, committee, title of a cover note
HEADING = "heading"
PANEL = "panel"  # text of an infographic panel
CASE_STUDY = "case_study"
STAFF_QUOTE = "staff_quote"
PILLAR = "pillar"
TABLE_FRAGMENT = "table_fragment"  # a table whose labels and values came out as separate runs

KINDS = (
    PARAGRAPH,
    COVER_NOTE,
    COVER_HEADER,
    HEADING,
    PANEL,
    CASE_STUDY,
    STAFF_QUOTE,
    PILLAR,
    TABLE_FRAGMENT,
)


@dataclass(frozen=True)
class Unit:
    """One citable piece of one edition of a report."""

    id: str  # "<report-slug>:<local id>", identical across editions
    report: str  # the report's symbol, e.g. "WO/CC/86/INF/1"
    language: str  # edition language code: "zh", "en", ...
    kind: str
    order: int  # reading order within the report
    text: str
    section: tuple[str, ...] = ()  # chapter and section titles, in this edition's language
    paragraph: int | None = None  # the report's own paragraph number, body paragraphs only
    title: str | None = None  # a short label for units that are not numbered paragraphs

    @property
    def ref(self) -> str:
        """How an answer cites this unit: ¶69, a graphic by its section, or the unit's title.

        The chapter and section travel apart (``section``), so a ref stays short.
        """
        if self.paragraph is not None:
            return f"¶{self.paragraph}"
        if self.kind == PANEL and self.section:
            return f"{self.section[-1]} · {'信息图' if self.language == 'zh' else 'infographic'}"
        return self.title or (self.section[-1] if self.section else self.id)


@dataclass(frozen=True)
class Edition:
    """All units of a report in one language."""

    language: str
    units: tuple[Unit, ...]
    official: bool  # False for a working translation
    note: str = ""  # what this edition is, e.g. "unofficial working translation"

    def by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    def paragraph(self, number: int) -> Unit | None:
        return next((u for u in self.units if u.paragraph == number), None)


@dataclass(frozen=True)
class Vocabulary:
    """A report's own words, by language (its ``vocabulary.yaml`` and ``report.yaml``):
    the names no code may spell out, and the wording the interface and prompts use."""

    organization: dict[str, tuple[str, ...]] = field(default_factory=dict)  # its names
    bodies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # committees it goes to
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # programmes, systems
    example_questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ui: dict[str, dict[str, str]] = field(default_factory=dict)  # "title", "intro" by language
    prompt: dict[str, str] = field(default_factory=dict)  # a chat model's instructions
    # the organization's names as a question's words: they say nothing about what is asked
    own_names: tuple[str, ...] = ()

    def words(self) -> tuple[str, ...]:
        """Every name of the organization, its bodies and the report's own names, once."""
        groups = (self.organization, self.bodies, self.names)
        return tuple(dict.fromkeys(w for g in groups for ws in g.values() for w in ws))

    def text(self, part: str, language: str) -> str:
        """One interface text ("title", "intro") in ``language`` ('' if the report has none)."""
        texts = self.ui.get(part, {})
        return texts.get(language) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Report:
    """A report with its metadata and every edition the corpus holds."""

    symbol: str
    slug: str
    metadata: dict
    editions: dict[str, Edition] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.editions)

    def edition(self, language: str) -> Edition:
        from ingest.errors import CorpusError

        try:
            return self.editions[language]
        except KeyError:
            have = ", ".join(self.editions) or "none"
            raise CorpusError(
                f"{self.symbol} has no '{language}' edition (editions: {have})."
            ) from None

    def title(self, language: str) -> str:
        titles = self.metadata.get("title") or {}
        if isinstance(titles, str):
            return titles
        return titles.get(language) or titles.get(self.original_language) or self.symbol

    @property
    def date(self) -> str:
        """The document's date as written in report.yaml (ISO, "2026-05-21"), or ''."""
        return str(self.metadata.get("document_date") or "")

    @property
    def year_covered(self) -> int | None:
        """The year the report covers, or None when report.yaml does not say."""
        year = self.metadata.get("year_covered")
        return int(year) if str(year or "").isdigit() else None

    @property
    def original_language(self) -> str:
        """The language the report was written in (report.yaml), else its first edition's."""
        return str(self.metadata.get("original_language") or next(iter(self.editions), "en"))

    def default_language(self) -> str:
        """The edition to show when none is asked for: the original's if the corpus holds it."""
        if self.original_language in self.editions:
            return self.original_language
        return next(iter(self.editions), self.original_language)
