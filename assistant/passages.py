"""What the index holds: one passage per unit per edition, and one per table row per language."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ingest.corpus import load_corpus
from ingest.model import HEADING, Unit

TABLE_ROW = "table_row"


@dataclass(frozen=True)
class Passage:
    """One indexed text in one language, with what a hit needs to cite it."""

    unit_id: str  # a unit id, or "table:<table>:<row>"
    language: str
    kind: str
    text: str  # the exact text a hit shows
    context: str  # section and title, matched with the text (not embedded)
    ref: str
    report: str = ""
    order: int = 0
    paragraph: int | None = None
    section: tuple[str, ...] = ()
    title: str | None = None
    table: str | None = None
    row: str | None = None

    @property
    def id(self) -> str:
        """The store's record id: unit and language."""
        return f"{self.unit_id}|{self.language}"

    @property
    def searchable(self) -> str:
        """The text BM25 matches: context line (section path, title), then text."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    @property
    def embedded(self) -> str:
        """The text that is embedded: the text alone (a section path only blurs the vector)."""
        return self.text

    @property
    def digest(self) -> str:
        """A fingerprint of the embedded text, so a rebuild can reuse unchanged vectors."""
        return hashlib.sha1(self.embedded.encode("utf-8")).hexdigest()

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the store (no None values)."""
        data: dict[str, str | int | None] = {
            "unit_id": self.unit_id,
            "language": self.language,
            "kind": self.kind,
            "ref": self.ref,
            "report": self.report,
            "order": self.order,
            "context": self.context,
            "section": json.dumps(list(self.section), ensure_ascii=False),
            "paragraph": self.paragraph,
            "title": self.title,
            "table": self.table,
            "row": self.row,
            "digest": self.digest,
        }
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_record(cls, text: str, meta: dict) -> Passage:
        """A passage back from the store's document and metadata."""
        paragraph = meta.get("paragraph")
        return cls(
            unit_id=str(meta["unit_id"]),
            language=str(meta["language"]),
            kind=str(meta["kind"]),
            text=text,
            context=str(meta.get("context", "")),
            ref=str(meta.get("ref", "")),
            report=str(meta.get("report", "")),
            order=int(meta.get("order", 0)),
            paragraph=int(paragraph) if paragraph is not None else None,
            section=tuple(json.loads(str(meta.get("section", "[]")))),
            title=_optional(meta.get("title")),
            table=_optional(meta.get("table")),
            row=_optional(meta.get("row")),
        )


def corpus_passages(corpus_dir: Path) -> list[Passage]:
    """Every unit of every edition of every report, then every table row in every language."""
    passages: list[Passage] = []
    languages: list[str] = []
    for report in load_corpus(corpus_dir):
        for language, edition in report.editions.items():
            passages += [unit_passage(u) for u in edition.units]
            if language not in languages:
                languages.append(language)
    return passages + table_passages(corpus_dir, languages)


def unit_passage(unit: Unit) -> Passage:
    """A unit as a passage; its context line is its section path and title."""
    return Passage(
        unit_id=unit.id,
        language=unit.language,
        kind=unit.kind,
        text=unit.text,
        context=unit_context(unit),
        ref=unit.ref,
        report=unit.report,
        order=unit.order,
        paragraph=unit.paragraph,
        section=unit.section,
        title=unit.title,
    )


def unit_context(unit: Unit) -> str:
    """Section path, then the title when the text does not already open with it."""
    parts = list(unit.section)
    if unit.kind == HEADING:
        return " › ".join(parts[:1])
    title = (unit.title or "").strip()
    if title and title not in parts and not unit.text.startswith(title):
        parts.append(title)
    return " › ".join(parts)


def table_passages(corpus_dir: Path, languages: list[str]) -> list[Passage]:
    """One passage per table row per language, once the tables module and data exist."""
    try:
        from ingest.tables import TABLES_DIR, load_tables, row_text
    except ImportError:
        return []
    if not (corpus_dir / TABLES_DIR).is_dir():
        return []
    passages: list[Passage] = []
    for table in load_tables(corpus_dir):
        for row in table.rows:
            source = row.provenance
            paragraph = source.paragraph if source else None
            for language in languages:
                title = _in_language(table.title, language)
                label = _in_language(row.label, language)
                passages.append(
                    Passage(
                        unit_id=f"table:{table.id}:{row.key}",
                        language=language,
                        kind=TABLE_ROW,
                        text=row_text(table, row, language),
                        context="",  # the row text opens with the table title and row label
                        ref=f"¶{paragraph}" if paragraph is not None else f"{title} · {label}",
                        report=table.report,
                        paragraph=paragraph,
                        section=(title,),
                        title=label,
                        table=table.id,
                        row=row.key,
                    )
                )
    return passages


def _in_language(value: dict[str, str], language: str) -> str:
    return value.get(language) or value.get("en") or next(iter(value.values()), "")


def _optional(value: object) -> str | None:
    return None if value is None else str(value)
