"""Plain data that crosses the answer layer: figures, citations, hits and answers."""

from __future__ import annotations

from dataclasses import dataclass, field

ANSWERED = "answered"
NOT_IN_REPORT = "not_in_report"
INVALID_INPUT = "invalid_input"
STATUSES = (ANSWERED, NOT_IN_REPORT, INVALID_INPUT)


@dataclass(frozen=True)
class Source:
    """Where a stored value comes from: a table cell and the report text behind it."""

    table: str
    row: str
    column: str
    unit_id: str
    paragraph: int | None
    quote: str

    @property
    def ref(self) -> str:
        return f"¶{self.paragraph}" if self.paragraph is not None else self.unit_id

    def key(self) -> str:
        """A short provenance string: table/row/column @ ¶N."""
        return f"{self.table}/{self.row}/{self.column} @ {self.ref}"


@dataclass(frozen=True)
class Figure:
    """A number an answer may state: a stored value, or one computed from stored values."""

    label: dict[str, str]  # by language
    value: float
    unit: str  # "count", "percent", "days", "points", "ratio", "score", ...
    display: dict[str, str]  # the value formatted as the report would, by language
    sources: tuple[Source, ...]
    formula: dict[str, str] | None = None  # by language; None for a stored value
    operation: str = "lookup"
    note: dict[str, str] | None = None  # e.g. a discrepancy the report contains

    def as_json(self, language: str) -> dict:
        return {
            "label": self.label.get(language) or self.label.get("en", ""),
            "value": self.value,
            "unit": self.unit,
            "formula": (self.formula or {}).get(language),
            "sources": [s.key() for s in self.sources],
        }


@dataclass(frozen=True)
class Hit:
    """One retrieved unit (or table row), in one language."""

    unit_id: str  # a unit id, or "table:<table>:<row>" for a table row
    score: float
    kind: str
    ref: str  # ¶69, or section · title
    language: str
    text: str
    paragraph: int | None = None
    section: tuple[str, ...] = ()
    table: str | None = None
    row: str | None = None


@dataclass(frozen=True)
class Citation:
    ref: str
    paragraph: int | None
    section: str
    language: str
    quote: str
    unit_id: str = ""
    other_language_quote: str = ""  # the same passage in the other edition
    report: str = ""  # the symbol of the report quoted
    report_year: str = ""  # the year it covers

    @property
    def where(self) -> str:
        """ "WO/CC/86/INF/1 (2025) ¶69": the report and the place in it."""
        if not self.report:
            return self.ref
        year = f" ({self.report_year})" if self.report_year else ""
        return f"{self.report}{year} {self.ref}"

    def as_json(self) -> dict:
        return {
            "report": self.report,
            "report_year": self.report_year,
            "ref": self.ref,
            "paragraph": self.paragraph,
            "section": self.section,
            "language": self.language,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    language: str
    status: str
    answer: str
    citations: tuple[Citation, ...] = ()
    figures: tuple[Figure, ...] = ()
    timing_ms: float = 0.0
    notes: tuple[str, ...] = ()  # discrepancies, translation caveats
    chart: dict | None = field(default=None, compare=False)  # rows for a chart, if any
    # how the question was read and why this answer was given (the parsed query, the
    # figures reading, each stage's decision): for --explain and the JSON output
    explanation: dict | None = field(default=None, compare=False)
    report: str = ""  # the symbol of the report answered from ("" across reports)
    report_year: str = ""

    def as_json(self) -> dict:
        """The command-line JSON contract, exactly."""
        return {
            "question": self.question,
            "report": self.report,
            "report_year": self.report_year,
            "language": self.language,
            "status": self.status,
            "answer": self.answer,
            "citations": [c.as_json() for c in self.citations],
            "figures": [f.as_json(self.language) for f in self.figures],
            "timing_ms": round(self.timing_ms, 1),
            "query": (self.explanation or {}).get("query"),
        }

    def explained(self) -> dict:
        """The JSON contract with how the question was read and why it was answered so."""
        return {**self.as_json(), "explanation": self.explanation}


@dataclass(frozen=True)
class FigureIntent:
    """A question read into table cells: the operation, the table, its measure and rows."""

    # lookup | max | min | rank | top_sum | share | rate | per | difference | change | growth | sum
    operation: str
    table: str
    column: str | None
    rows: tuple[str, ...]
    denominator: str | None = None  # for "rate": the column divided by
    also: tuple[str, ...] = ()  # further columns a lookup reads ("men and women, each")
    k: int = 0  # for "top_sum": how many of the largest rows are added up
    per: tuple[str, str, str] | None = None  # for "per": the (table, row, column) divided by
    remainder: bool = False  # a difference asked as what is left ("were not selected")


@dataclass(frozen=True)
class Turn:
    """One answered turn of a conversation, as later follow-ups read it."""

    question: str  # as resolved against earlier turns
    answer: Answer
    intent: object | None = None  # the figure reading, when tables answered
    report: str = ""  # the symbol of the report it was answered from
