"""Data tables extracted from the report: schema and values, with a source for every value.

Each table is two files in ``corpus/tables/``: ``<id>.yaml`` says what the table means
(title, key column, columns with units and aliases, rows with labels, which rows are
totals or parts of other rows, notes, discrepancies) and ``<id>.csv`` holds the values.
Every CSV row ends with its provenance: ``unit_id``, ``paragraph`` and ``quote`` (an exact
substring of that unit's text in the edition the table quotes, ``quote_language``: the
Chinese text for ``corpus/tables/``, the report's source text for a table kept in a report
folder's ``tables/``) and ``sources``, a JSON
object giving, for any column whose value comes from elsewhere, a list of
``{"unit_id", "paragraph", "quote"}`` (the first is the primary source). Derived columns
(``derived: true``) hold values computed from the row's published values; they have no
quote of their own and are traced to the columns they are derived from.

Titles, labels, notes and methods are given in the table's languages (``languages:``,
by default those of ``corpus/tables/``, zh and en, or those of the report whose folder
holds the table); an English-only report's table needs no Chinese label.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Protocol

import yaml

from ingest.errors import TableError
from ingest.yamlio import load_yaml

TABLES_DIR = "tables"
REPORTS_DIR = "reports"
LANGUAGES = ("zh", "en")  # the languages of corpus/tables/ and what it quotes by default
QUOTE_LANGUAGE = "zh"
log = logging.getLogger(__name__)
PROVENANCE_COLUMNS = ("unit_id", "paragraph", "quote", "sources")
DIMENSION, MEASURE = "dimension", "measure"
NUMERIC_UNITS = ("count", "percent", "days", "score", "ratio", "year")
ADDITIVE_UNITS = ("count", "days")
UNITS = (*NUMERIC_UNITS, "date", "text", "by_row")
# How a value is qualified in the report: "100多" (more than), "约80" (about), ...
QUALIFIERS = ("more_than", "about", "nearly", "minus", "early", "mid")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

Value = int | float | str | None


class Texts(dict):
    """A text by language. Asked for a language it lacks, it gives the text it has
    (the table's first language), so an English-only table still reads in a Chinese
    interface rather than failing."""

    def __missing__(self, language: str) -> str:
        return next(iter(self.values()), "")


# the languages every text of the table being loaded must have (set by load_table)
_REQUIRED: ContextVar[tuple[str, ...]] = ContextVar("table_languages", default=LANGUAGES)


@dataclass(frozen=True)
class Provenance:
    """Where a value is written in the report: a unit, its paragraph number, a quote."""

    unit_id: str
    paragraph: int | None
    quote: str


@dataclass(frozen=True)
class Definition:
    """A rate column's definition: numerator ÷ denominator, optionally of another row."""

    numerator: str
    denominator: str
    denominator_row: str = "same"  # "same", "parent" or "total"


@dataclass(frozen=True)
class Column:
    """One column: its meaning, unit and the words people use for it."""

    name: str
    kind: str  # "dimension" or "measure"
    unit: str
    label: dict[str, str]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    derived: bool = False
    # inputs of a derived column: a column of the same row, or "total:<column>" or
    # "parent:<column>" for a cell of the total row or of the row's parent
    derived_from: tuple[str, ...] = ()
    method: dict[str, str] | None = None  # how a derived column is computed, by language
    definition: Definition | None = None

    @property
    def numeric(self) -> bool:
        return self.kind == MEASURE and self.unit not in ("date", "text")


@dataclass(frozen=True)
class Row:
    """One row: typed values, the source of each value, and what the row is part of."""

    key: str
    label: dict[str, str]
    values: dict[str, Value]
    sources: dict[str, tuple[Provenance, ...]]  # stored columns only; derived ones are traced
    decimals: dict[str, int]  # decimals as printed in the report
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    parent: str | None = None
    total: bool = False
    parts: str = "complete"  # whether the rows under this one add up to it, or only part
    unit: str | None = None  # the unit of this row's values, when the column's is "by_row"
    qualifier: str | None = None
    ambiguous: tuple[str, ...] = ()  # columns whose reading of the layout is uncertain
    note: dict[str, str] | None = None  # said with every figure from an ambiguous cell
    provenance: Provenance | None = None  # the row's own source (its CSV columns)


@dataclass(frozen=True)
class Claim:
    """What one place in the report says about a disputed value."""

    unit_id: str
    paragraph: int | None
    quote: str
    value: float | None  # None for a statement that is not a number ("above average")
    says: dict[str, str]


@dataclass(frozen=True)
class Discrepancy:
    """Two places in the report that do not agree, kept side by side."""

    id: str
    kind: str  # "conflict", "rounding", "narrative", "mapping"
    cells: tuple[tuple[str, str], ...]  # (row, column) of this table
    claims: tuple[Claim, ...]
    note: dict[str, str]


@dataclass(frozen=True)
class Table:
    """A table of the report, loaded and checked against its schema."""

    id: str
    report: str
    title: dict[str, str]
    description: dict[str, str]
    key: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[dict[str, str], ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    path: Path | None = None
    languages: tuple[str, ...] = LANGUAGES  # the languages of its labels and notes
    quote_language: str = QUOTE_LANGUAGE  # the edition its quotes are taken from
    # tables of other reports that publish the same measure (compared across reports)
    same_as: tuple[str, ...] = ()

    @property
    def measures(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind == MEASURE)

    @property
    def total_row(self) -> Row | None:
        return next((r for r in self.rows if r.total), None)

    def column(self, name: str) -> Column:
        """A column by name, label or alias (exact, case-insensitive)."""
        for col in self.columns:
            if _matches(name, col.name, col.label, col.aliases):
                return col
        names = ", ".join(c.name for c in self.columns)
        raise TableError(f"Table '{self.id}' has no column '{name}'. Columns: {names}.")

    def row(self, name: str) -> Row:
        """A row by key, label or alias (exact, case-insensitive)."""
        for row in self.rows:
            if _matches(name, row.key, row.label, row.aliases):
                return row
        keys = ", ".join(r.key for r in self.rows)
        raise TableError(f"Table '{self.id}' has no row '{name}'. Rows: {keys}.")

    def children(self, key: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.parent == key)

    def unit_of(self, row: Row, column: Column) -> str:
        """The unit of one cell: the column's, or the row's when the column says by_row."""
        return (row.unit or "text") if column.unit == "by_row" else column.unit

    def cell_sources(self, row: Row, column: str) -> tuple[tuple[str, str, Provenance], ...]:
        """Every (row, column, source) behind one cell; a derived cell is traced to its inputs."""
        col = self.column(column)
        if not col.derived:
            return tuple((row.key, col.name, p) for p in row.sources.get(col.name, ()))
        seen: list[tuple[str, str, Provenance]] = []
        for ref in col.derived_from:
            source_row, name = self.input_cell(row, ref)
            for item in self.cell_sources(source_row, name):
                if item not in seen:
                    seen.append(item)
        return tuple(seen)

    def input_cell(self, row: Row, ref: str) -> tuple[Row, str]:
        """The cell a derived column's input names: 'col', 'total:col' or 'parent:col'."""
        where, _, name = ref.rpartition(":")
        if where == "total":
            target = self.total_row
        elif where == "parent":
            target = self.row(row.parent) if row.parent else None
        else:
            target = row
        if target is None:
            raise TableError(f"Table '{self.id}', row '{row.key}': input '{ref}' has no row.")
        return target, name

    def discrepancies_for(self, row: str, column: str) -> tuple[Discrepancy, ...]:
        return tuple(d for d in self.discrepancies if (row, column) in d.cells)


class UnitText(Protocol):
    text: str
    paragraph: int | None


# --- loading ------------------------------------------------------------------------------


def load_tables(corpus_dir: Path) -> list[Table]:
    """Every table of the corpus, checked against its schema: ``corpus_dir/tables`` in id
    order, then each report folder's ``tables/`` (a report folder whose tables cannot be
    read is named in a warning and its tables left out)."""
    folder = Path(corpus_dir) / TABLES_DIR
    in_reports = report_table_folders(Path(corpus_dir))
    if not folder.is_dir() and not in_reports:
        raise TableError(f"No tables folder at {folder}: the corpus needs corpus/tables/.")
    tables = load_table_folder(folder) if folder.is_dir() else []
    for report_folder, tables_folder in in_reports:
        try:
            tables += load_table_folder(tables_folder, *report_context(report_folder))
        except TableError as exc:
            log.warning("Skipped the tables of report folder '%s': %s", report_folder.name, exc)
    return tables


def load_table_folder(
    folder: Path, languages: tuple[str, ...] = LANGUAGES, quote_language: str = QUOTE_LANGUAGE
) -> list[Table]:
    """The tables of one folder (schema ``<id>.yaml`` beside ``<id>.csv``), in id order."""
    schemas = sorted(folder.glob("*.yaml"))
    if not schemas:
        raise TableError(f"No table schemas (*.yaml) in {folder}.")
    tables = [load_table(path, languages, quote_language) for path in schemas]
    orphans = sorted({p.stem for p in folder.glob("*.csv")} - {t.id for t in tables})
    if orphans:
        raise TableError(f"{folder} has CSV files without a schema: {', '.join(orphans)}.")
    return tables


def report_table_folders(corpus_dir: Path) -> list[tuple[Path, Path]]:
    """(report folder, its tables folder) for every report folder that has tables."""
    reports = corpus_dir / REPORTS_DIR
    if not reports.is_dir():
        return []
    return [
        (p, p / TABLES_DIR)
        for p in sorted(reports.iterdir())
        if (p / TABLES_DIR).is_dir() and (p / "report.yaml").is_file()
    ]


def report_context(report_folder: Path) -> tuple[tuple[str, ...], str]:
    """The languages of a report folder's editions and the language of its source text,
    read from the file names (``source.<lang>.txt``, ``edition.<lang>.jsonl``)."""
    sources = [p.name.split(".")[1] for p in sorted(report_folder.glob("source.*.txt"))]
    editions = [p.name.split(".")[1] for p in sorted(report_folder.glob("edition.*.jsonl"))]
    languages = tuple(dict.fromkeys([*sources, *editions]))
    if not sources:
        raise TableError(f"{report_folder} has no source.<lang>.txt for its tables to quote.")
    return languages, sources[0]


def find_table(tables: Sequence[Table], name: str) -> Table:
    """A table by id, title or alias (exact, case-insensitive)."""
    for table in tables:
        if _matches(name, table.id, table.title, table.aliases):
            return table
    ids = ", ".join(t.id for t in tables)
    raise TableError(f"No table '{name}'. Tables: {ids} ('report-assistant tables' lists them).")


def load_table(
    schema_path: Path, languages: tuple[str, ...] = LANGUAGES, quote_language: str = QUOTE_LANGUAGE
) -> Table:
    """One table: ``<id>.yaml`` and the ``<id>.csv`` beside it.

    Its texts must be given in ``languages`` (or the schema's own ``languages:``); its
    quotes are read from the ``quote_language`` edition (or the schema's ``quote_language:``).
    """
    where = str(schema_path)
    try:
        schema = load_yaml(schema_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TableError(f"{where} is not valid YAML: {exc}") from exc
    if not isinstance(schema, dict):
        raise TableError(f"{where} should hold a mapping (id, title, columns, rows, ...).")
    for name in ("id", "report", "title", "description", "key", "columns", "rows"):
        if name not in schema:
            raise TableError(f"{where}: missing '{name}'.")
    if schema["id"] != schema_path.stem:
        raise TableError(f"{where}: id '{schema['id']}' should be the file name.")
    languages = tuple(schema.get("languages") or languages)
    _REQUIRED.set(languages)  # what every text of this table is checked against
    columns = tuple(_column(c, where) for c in schema["columns"])
    names = [c.name for c in columns]
    _unique(names, f"{where}: column", "column names")
    key = schema["key"]
    if key not in names or columns[names.index(key)].kind != DIMENSION:
        raise TableError(f"{where}: key '{key}' must be a dimension column ({', '.join(names)}).")
    for col in columns:
        inputs = (ref.rpartition(":")[2] for ref in col.derived_from)
        for name in (*inputs, *_definition_columns(col)):
            if name not in names:
                raise TableError(f"{where}: column '{col.name}' refers to unknown '{name}'.")
    specs = {r["key"]: r for r in schema["rows"] if isinstance(r, dict) and "key" in r}
    if len(specs) != len(schema["rows"]):
        raise TableError(f"{where}: every entry under rows needs a unique 'key'.")
    csv_path = schema_path.with_suffix(".csv")
    records = _read_csv(csv_path, names)
    csv_keys = [rec[key] for rec in records]
    _unique(csv_keys, f"{csv_path}: row", "row keys")
    if csv_keys != list(specs):
        raise TableError(
            f"{csv_path}: rows {csv_keys} differ from the schema's rows {list(specs)}; "
            "list the same keys in the same order in both files."
        )
    rows = tuple(
        _row(rec, specs[rec[key]], columns, key, f"{csv_path}, row '{rec[key]}'") for rec in records
    )
    table = Table(
        id=schema["id"],
        report=schema["report"],
        title=_bilingual(schema["title"], f"{where}: title"),
        description=_bilingual(schema["description"], f"{where}: description"),
        key=key,
        columns=columns,
        rows=rows,
        aliases=_aliases(schema.get("aliases"), f"{where}: aliases"),
        notes=tuple(_bilingual(n, f"{where}: notes") for n in schema.get("notes") or ()),
        discrepancies=tuple(_discrepancy(d, where) for d in schema.get("discrepancies") or ()),
        path=csv_path,
        languages=languages,
        quote_language=str(schema.get("quote_language") or quote_language),
        same_as=_same_as(schema.get("same_as"), where),
    )
    _check_structure(table, where)
    return table


def _column(spec: Any, where: str) -> Column:
    if not isinstance(spec, dict) or "name" not in spec:
        raise TableError(f"{where}: every column needs a 'name'.")
    here = f"{where}: column '{spec['name']}'"
    kind, unit = spec.get("kind"), spec.get("unit")
    if kind not in (DIMENSION, MEASURE):
        raise TableError(f"{here}: kind must be dimension or measure, not {kind!r}.")
    if unit not in UNITS:
        raise TableError(f"{here}: unit must be one of {', '.join(UNITS)}, not {unit!r}.")
    derived = bool(spec.get("derived", False))
    derived_from = tuple(spec.get("derived_from") or ())
    if derived and not (derived_from and spec.get("method")):
        raise TableError(f"{here}: a derived column needs derived_from and method.")
    definition = None
    if spec.get("definition"):
        d = spec["definition"]
        definition = Definition(d["numerator"], d["denominator"], d.get("denominator_row", "same"))
        if definition.denominator_row not in ("same", "parent", "total"):
            raise TableError(f"{here}: denominator_row must be same, parent or total.")
    return Column(
        name=spec["name"],
        kind=kind,
        unit=unit,
        label=_bilingual(spec.get("label"), f"{here}: label"),
        aliases=_aliases(spec.get("aliases"), f"{here}: aliases"),
        derived=derived,
        derived_from=derived_from,
        method=_bilingual(spec["method"], f"{here}: method") if spec.get("method") else None,
        definition=definition,
    )


def _definition_columns(col: Column) -> tuple[str, ...]:
    return (col.definition.numerator, col.definition.denominator) if col.definition else ()


def _read_csv(path: Path, names: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise TableError(f"Missing {path}: every table schema needs a CSV beside it.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = [*names, *PROVENANCE_COLUMNS]
        if reader.fieldnames != expected:
            raise TableError(
                f"{path}: header is {reader.fieldnames}; it should be {expected} "
                "(the schema's columns, then the provenance columns)."
            )
        records = []
        for rec in reader:
            if None in rec.values() or None in rec:  # too few or too many cells
                raise TableError(
                    f"{path}:{reader.line_num}: {len([v for v in rec.values() if v is not None])}"
                    f" cells where the header has {len(expected)}: fill every cell "
                    "(an empty one is no value)."
                )
            records.append(dict(rec))
        return records


def _row(rec: dict[str, str], spec: dict, columns: tuple[Column, ...], key: str, where: str) -> Row:
    unit = spec.get("unit")
    qualifier = spec.get("qualifier")
    if unit is not None and unit not in UNITS:
        raise TableError(f"{where}: unit must be one of {', '.join(UNITS)}, not {unit!r}.")
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise TableError(f"{where}: qualifier must be one of {', '.join(QUALIFIERS)}.")
    values: dict[str, Value] = {}
    decimals: dict[str, int] = {}
    for col in columns:
        cell_unit = (unit or "") if col.unit == "by_row" else col.unit
        if col.unit == "by_row" and not unit:
            raise TableError(f"{where}: column '{col.name}' is by_row, so the row needs a unit.")
        values[col.name], decimals[col.name] = _parse(rec[col.name], cell_unit, col, where)
    row_source = None
    if rec["unit_id"].strip():
        row_source = Provenance(
            rec["unit_id"].strip(), _paragraph(rec["paragraph"], where), rec["quote"]
        )
    extra = _sources(rec["sources"], where, row_source)
    sources: dict[str, tuple[Provenance, ...]] = {}
    for col in columns:
        if col.kind != MEASURE or col.derived or values[col.name] is None:
            continue
        if col.name in extra:
            sources[col.name] = extra.pop(col.name)
        elif row_source and row_source.quote:
            sources[col.name] = (row_source,)
        else:
            raise TableError(
                f"{where}: column '{col.name}' has a value but no source; fill unit_id, "
                "paragraph and quote, or give it under 'sources'."
            )
    if extra:
        raise TableError(f"{where}: 'sources' names columns without a value: {sorted(extra)}.")
    for col in columns:
        if col.derived and values[col.name] is not None:
            missing = [n for n in col.derived_from if ":" not in n and values[n] is None]
            if missing:
                raise TableError(f"{where}: derived '{col.name}' lacks inputs {missing}.")
    note = spec.get("note")
    return Row(
        key=rec[key],
        label=_bilingual(spec.get("label"), f"{where}: label"),
        values=values,
        sources=sources,
        decimals=decimals,
        aliases=_aliases(spec.get("aliases"), f"{where}: aliases"),
        parent=spec.get("parent"),
        total=bool(spec.get("total", False)),
        parts=spec.get("parts", "complete"),
        unit=unit,
        qualifier=qualifier,
        ambiguous=_ambiguous(spec.get("ambiguous"), columns, where),
        note=_bilingual(note, f"{where}: note") if note else None,
        provenance=row_source,
    )


def _parse(raw: str, unit: str, col: Column, where: str) -> tuple[Value, int]:
    text = raw.strip()
    if text == "":
        return None, 0
    if col.kind == DIMENSION or unit == "text":
        return text, 0
    if unit == "date":
        if not DATE.match(text):
            raise TableError(f"{where}: '{col.name}' = {text!r} should be a date YYYY or YYYY-MM.")
        return text, 0
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        raise TableError(
            f"{where}: '{col.name}' = {text!r} is not a number; write digits only "
            "(no thousands separators or % signs: the unit says what it is)."
        )
    if unit in ("count", "days") and text.startswith("-"):
        raise TableError(f"{where}: '{col.name}' = {text} is negative: a {unit} is at least 0.")
    if "." in text:
        if unit == "count":
            raise TableError(f"{where}: '{col.name}' = {text!r} is a count: write a whole number.")
        return float(text), len(text.split(".")[1])
    return int(text), 0


def _paragraph(raw: str, where: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise TableError(f"{where}: paragraph {raw!r} should be a number or empty.")
    return int(raw)


def _sources(
    raw: str, where: str, row_source: Provenance | None
) -> dict[str, tuple[Provenance, ...]]:
    """Parse the ``sources`` JSON: a bare string is a quote in the row's own unit."""
    if not (raw or "").strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise TableError(f"{where}: 'sources' is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise TableError(f"{where}: 'sources' should map column names to lists of sources.")
    out: dict[str, tuple[Provenance, ...]] = {}
    for column, items in data.items():
        items = items if isinstance(items, list) else [items]
        parsed = []
        for item in items:
            if isinstance(item, str) and row_source is not None:
                parsed.append(Provenance(row_source.unit_id, row_source.paragraph, item))
            elif isinstance(item, dict) and "unit_id" in item and "quote" in item:
                parsed.append(Provenance(item["unit_id"], item.get("paragraph"), item["quote"]))
            else:
                raise TableError(
                    f"{where}: each source of '{column}' should be a quote (in the row's unit) "
                    f"or an object with unit_id, paragraph and quote, not {item!r}."
                )
        out[column] = tuple(parsed)
    return out


def _discrepancy(spec: dict, where: str) -> Discrepancy:
    here = f"{where}: discrepancy '{spec.get('id')}'"
    try:
        claims = tuple(
            Claim(
                unit_id=c["unit_id"],
                paragraph=c.get("paragraph"),
                quote=c["quote"],
                value=c.get("value"),
                says=_bilingual(c["says"], f"{here}: says"),
            )
            for c in spec["claims"]
        )
        cells = tuple((c["row"], c["column"]) for c in spec["cells"])
        return Discrepancy(
            id=spec["id"],
            kind=spec["kind"],
            cells=cells,
            claims=claims,
            note=_bilingual(spec["note"], f"{here}: note"),
        )
    except (KeyError, TypeError) as exc:
        raise TableError(
            f"{here} needs id, kind, cells (row, column), claims (unit_id, paragraph, "
            f"quote, value, says) and note: missing {exc}."
        ) from exc


def _check_structure(table: Table, where: str) -> None:
    keys = {r.key for r in table.rows}
    names = {c.name for c in table.columns}
    for row in table.rows:
        if row.parent is not None and row.parent not in keys:
            raise TableError(f"{where}: row '{row.key}' has unknown parent '{row.parent}'.")
        if row.parts not in ("complete", "partial"):
            raise TableError(f"{where}: row '{row.key}': parts must be complete or partial.")
    if sum(r.total for r in table.rows) > 1:
        raise TableError(f"{where}: at most one row may be the total.")
    for col in table.columns:
        for row in table.rows:
            if not col.derived or row.values.get(col.name) is None:
                continue
            for ref in col.derived_from:
                source_row, name = table.input_cell(row, ref)
                if source_row.values.get(name) is None:
                    raise TableError(
                        f"{where}: derived '{col.name}' of row '{row.key}' needs '{ref}', "
                        "which has no value."
                    )
    for d in table.discrepancies:
        for row, column in d.cells:
            if row not in keys or column not in names:
                raise TableError(
                    f"{where}: discrepancy '{d.id}' names unknown cell {row}/{column}."
                )


def _ambiguous(value: Any, columns: tuple[Column, ...], where: str) -> tuple[str, ...]:
    """``ambiguous: true`` (every value of the row) or a list of column names."""
    measures = tuple(c.name for c in columns if c.kind == MEASURE)
    if not value:
        return ()
    if value is True:
        return measures
    names = tuple(value) if isinstance(value, list) else ()
    if not names or any(n not in measures for n in names):
        raise TableError(f"{where}: ambiguous should be true or a list of measure columns.")
    return names


def _bilingual(value: Any, where: str) -> Texts:
    """A text in each of the table's languages (zh and en unless the table says others)."""
    required = _REQUIRED.get()
    if not isinstance(value, dict) or any(not value.get(lang) for lang in required):
        wanted = " and ".join(required)
        raise TableError(f"{where} needs text in {'both ' if len(required) == 2 else ''}{wanted}.")
    ordered = [*required, *(lang for lang in value if lang not in required)]
    return Texts((lang, str(value[lang])) for lang in ordered if value.get(lang))


def _same_as(value: object, where: str) -> tuple[str, ...]:
    """``same_as``: the ids of other reports' tables of the same measure (a list, or one id)."""
    items = [value] if isinstance(value, str) else value or []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise TableError(f"{where}: 'same_as' should list table ids of other reports.")
    return tuple(items)


def _aliases(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TableError(f"{where} should map a language to a list of words.")
    return {lang: tuple(str(w) for w in words or ()) for lang, words in value.items()}


def _unique(items: list[str], where: str, what: str) -> None:
    dupes = sorted({i for i in items if items.count(i) > 1})
    if dupes:
        raise TableError(f"{where}: duplicate {what}: {', '.join(dupes)}.")


def _matches(name: str, key: str, label: dict[str, str], aliases: dict) -> bool:
    wanted = name.strip().casefold()
    words = [key, *label.values(), *(w for ws in aliases.values() for w in ws)]
    return any(wanted == w.casefold() for w in words)


# --- checking against the report ----------------------------------------------------------


def verify_sources(tables: Iterable[Table], units: Mapping[str, UnitText]) -> None:
    """Every quote is in its unit's text, and every value can be read out of its quote."""
    problems = [p for table in tables for p in source_problems(table, units)]
    if problems:
        listed = "\n  ".join(problems[:20])
        raise TableError(f"{len(problems)} source problem(s):\n  {listed}")


class ReportEditions(Protocol):
    symbol: str
    editions: Mapping[str, Any]


def quoted_edition(table: Table, reports: Iterable[ReportEditions]) -> Mapping[str, UnitText]:
    """The units (by id) of the edition a table quotes: its report's ``quote_language`` text."""
    report = next((r for r in reports if r.symbol == table.report), None)
    if report is None:
        raise TableError(f"Table '{table.id}' belongs to {table.report}, which the corpus lacks.")
    edition = report.editions.get(table.quote_language)
    if edition is None:
        raise TableError(
            f"Table '{table.id}' quotes the '{table.quote_language}' edition of {table.report}, "
            f"which the corpus lacks (editions: {', '.join(report.editions)})."
        )
    return edition.by_id()


def report_source_problems(table: Table, reports: Iterable[ReportEditions]) -> list[str]:
    """What is wrong with a table's sources, checked against the edition it quotes."""
    try:
        units = quoted_edition(table, reports)
    except TableError as exc:
        return [str(exc)]
    return source_problems(table, units)


@dataclass(frozen=True)
class Quoted:
    """One value and one place that states it: what a source check looks at."""

    where: str  # "table/row/column", or "table: discrepancy id"
    source: Provenance | Claim
    value: Value  # None for a row's own source and for a claim that is not a number
    unit: str


def quoted_values(table: Table) -> list[Quoted]:
    """Every stored value with each of its sources, every row's source, every claim."""
    out: list[Quoted] = []
    for row in table.rows:
        for column, items in row.sources.items():
            unit = table.unit_of(row, table.column(column))
            value = row.values[column]
            out += [Quoted(f"{table.id}/{row.key}/{column}", s, value, unit) for s in items]
        if row.provenance and row.provenance.quote:
            out.append(Quoted(f"{table.id}/{row.key}", row.provenance, None, "text"))
    for d in table.discrepancies:
        out += [Quoted(f"{table.id}: discrepancy {d.id}", c, c.value, "count") for c in d.claims]
    return out


def quote_problem(item: Quoted, units: Mapping[str, UnitText]) -> str | None:
    """What is wrong with one quoted value, or None: unit, paragraph, quote, value."""
    source = item.source
    unit = units.get(source.unit_id)
    if unit is None:
        return f"{item.where}: no unit '{source.unit_id}'"
    if source.paragraph is not None and unit.paragraph != source.paragraph:
        return f"{item.where}: {source.unit_id} is not paragraph {source.paragraph}"
    if source.quote not in unit.text:
        return f"{item.where}: quote {source.quote!r} is not in {source.unit_id}"
    if item.value is not None and not value_in_quote(item.value, item.unit, source.quote):
        return f"{item.where}: {item.value!r} cannot be read out of {source.quote!r}"
    return None


def source_problems(table: Table, units: Mapping[str, UnitText]) -> list[str]:
    """What is wrong with one table's sources, one line per problem (empty if nothing)."""
    return [p for item in quoted_values(table) if (p := quote_problem(item, units))]


def value_in_quote(value: Value, unit: str, quote: str) -> bool:
    """Whether ``value`` is written in ``quote`` (digits, 1,234, 3.0%, Chinese numerals, dates)."""
    found = numbers_in(quote)
    if unit == "date" and isinstance(value, str):
        return all(Decimal(int(part)) in found for part in value.split("-"))
    if isinstance(value, str):
        return value in quote
    if Decimal(str(value)).normalize() in {n.normalize() for n in found}:
        return True
    if unit == "percent" and any(w in quote and v == value for w, v in SHARE_WORDS.items()):
        return True  # "后者占所有活动的一半": a half is 50%
    if value in _number_words(quote):
        return True  # "nine are related to HR"
    return _in_joined_run(value, quote)


# shares the report writes in words
SHARE_WORDS = {"一半": 50, "半数": 50, "half": 50, "四分之三": 75, "three quarters": 75}
# small counts an English text writes in words
NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}


def _number_words(quote: str) -> set[int]:
    return {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", quote.lower()) if w in NUMBER_WORDS}


def _in_joined_run(value: float | int, quote: str) -> bool:
    """Two numbers of one width that extraction ran together: '8281' holds 82 and 81."""
    digits = str(value)
    width = len(digits)
    for run in re.findall(r"\d+", quote):
        if len(run) == 2 * width and digits in (run[:width], run[width:]):
            return True
    return False


_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_CHINESE = re.compile(r"[零一二两三四五六七八九十百千]+")
_DIGITS = {**{c: i for i, c in enumerate("零一二三四五六七八九")}, "两": 2}
_POWERS = {"十": 10, "百": 100, "千": 1000}


def numbers_in(text: str) -> list[Decimal]:
    """Every number written in ``text``: 15,921, 3.0, 2026, 五, 三十 ..."""
    found = [Decimal(m.replace(",", "")) for m in _ARABIC.findall(text)]
    found += [Decimal(_chinese_number(m)) for m in _CHINESE.findall(text)]
    return found


def _chinese_number(text: str) -> int:
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _POWERS[char]
            digit = None
    return total + (digit or 0)


def arithmetic_problems(table: Table) -> list[str]:
    """Rates that do not follow from their definition, parts that do not add up to a whole.

    Cells named in a discrepancy are reported too; callers decide what is explained.
    """
    problems: list[str] = []
    by_key = {r.key: r for r in table.rows}
    for row in table.rows:
        for col in table.columns:
            if col.definition is None or row.values.get(col.name) is None:
                continue
            d = col.definition
            if d.denominator_row == "same":
                base = row
            elif d.denominator_row == "total":
                base = table.total_row
            else:
                base = by_key.get(row.parent or "")
            num = row.values.get(d.numerator)
            den = base.values.get(d.denominator) if base else None
            if num is None or den is None or not den:
                continue
            computed = round_half_up(
                Decimal(str(num)) * 100 / Decimal(str(den)), row.decimals[col.name]
            )
            stored = round_half_up(Decimal(str(row.values[col.name])), row.decimals[col.name])
            if computed != stored:
                problems.append(
                    f"{table.id}/{row.key}/{col.name}: {num} ÷ {den} = {computed}%, "
                    f"the table says {stored}%"
                )
    for parent in table.rows:
        kids = table.children(parent.key)
        if not kids:
            continue
        for col in table.measures:
            if table.unit_of(parent, col) not in ADDITIVE_UNITS:
                continue
            if parent.values.get(col.name) is None:
                continue
            parts = [k.values.get(col.name) for k in kids]
            if any(p is None for p in parts):
                continue
            whole = parent.values[col.name]
            added = sum(parts)  # type: ignore[arg-type]
            if (parent.parts == "complete" and added != whole) or added > whole:
                names = " + ".join(k.key for k in kids)
                problems.append(
                    f"{table.id}/{parent.key}/{col.name}: {names} = {added}, the table says {whole}"
                )
    return problems


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round as the report does: halves away from zero."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# --- rendering ----------------------------------------------------------------------------

_QUALIFIED = {
    "more_than": {"zh": "{}多", "en": "more than {}"},
    "about": {"zh": "约{}", "en": "about {}"},
    "nearly": {"zh": "近{}", "en": "nearly {}"},
    "minus": {"zh": "{}-", "en": "{}-"},
}
_MONTHS = (
    "January February March April May June July August September October November December".split()
)


def format_number(value: float | int | Decimal, decimals: int = 0) -> str:
    """1234.5 -> '1,234.5' with exactly ``decimals`` places, rounded half up."""
    rounded = round_half_up(Decimal(str(value)), decimals)
    return f"{rounded:,.{decimals}f}"


def format_value(
    value: Value,
    unit: str,
    language: str,
    decimals: int = 0,
    qualifier: str | None = None,
) -> str:
    """A value written as the report writes it: 15,921 · 3.0% · 2026年4月中旬 · 100多."""
    if value is None:
        return "—"
    if unit == "date" and isinstance(value, str):
        return format_date(value, language, qualifier)
    if isinstance(value, str):
        return value
    text = str(int(value)) if unit == "year" else format_number(value, decimals)
    if unit == "percent":
        text += "%"
    if qualifier in _QUALIFIED:
        text = _QUALIFIED[qualifier][language].format(text)
    return text


def format_date(value: str, language: str, qualifier: str | None = None) -> str:
    """'2026-04' -> '2026年4月' / 'April 2026'; with 'mid' or 'early' as the report says."""
    year, month, day = ([*value.split("-"), "", ""])[:3]
    if language == "zh":
        text = f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")
        return text + {"mid": "中旬", "early": "初"}.get(qualifier or "", "")
    text = " ".join(
        p
        for p in (str(int(day)) if day else "", _MONTHS[int(month) - 1] if month else "", year)
        if p
    )
    return {"mid": f"mid-{text}", "early": f"early {text}"}.get(qualifier or "", text)


def cell_display(table: Table, row: Row, column: str, language: str) -> str:
    """One stored cell, formatted as the report prints it."""
    col = table.column(column)
    return format_value(
        row.values[col.name],
        table.unit_of(row, col),
        language,
        row.decimals.get(col.name, 0),
        row.qualifier if col.kind == MEASURE else None,
    )


_DERIVED_MARK = {"zh": "（推算）", "en": " (derived)"}


def row_text(table: Table, row: Row | str, language: str) -> str:
    """One row as a line of text for the search index: 'Title — Row: column value; ...'."""
    row = table.row(row) if isinstance(row, str) else row
    lang = language if language in LANGUAGES else "en"
    parts = []
    for col in table.columns:
        if col.name == table.key or row.values.get(col.name) is None:
            continue
        text = cell_display(table, row, col.name, lang)
        mark = _DERIVED_MARK[lang] if col.derived else ""
        if col.unit == "by_row":  # a one-value-per-row table: the row label says it all
            parts.append(f"{text}{mark}")
        else:
            space = "" if lang == "zh" else " "
            parts.append(f"{col.label[lang]}{space}{text}{mark}")
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    return f"{table.title[lang]} — {row.label[lang]}{colon}{sep.join(parts)}"


# --- serializing --------------------------------------------------------------------------


def table_as_dict(table: Table, language: str = "zh") -> dict:
    """The whole table as plain data: schema, values (and their display), sources, notes."""

    def source(p: Provenance | Claim) -> dict:
        return {"unit_id": p.unit_id, "paragraph": p.paragraph, "quote": p.quote}

    return {
        "id": table.id,
        "report": table.report,
        "title": table.title,
        "description": table.description,
        "aliases": {k: list(v) for k, v in table.aliases.items()},
        "key": table.key,
        "columns": [
            {
                "name": c.name,
                "kind": c.kind,
                "unit": c.unit,
                "label": c.label,
                "aliases": {k: list(v) for k, v in c.aliases.items()},
                "derived": c.derived,
                "derived_from": list(c.derived_from),
                "method": c.method,
                "definition": c.definition.__dict__ if c.definition else None,
            }
            for c in table.columns
        ],
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "aliases": {k: list(v) for k, v in r.aliases.items()},
                "parent": r.parent,
                "total": r.total,
                "unit": r.unit,
                "qualifier": r.qualifier,
                "ambiguous": list(r.ambiguous),
                "note": r.note,
                "values": r.values,
                "display": {
                    c.name: cell_display(table, r, c.name, language)
                    for c in table.columns
                    if r.values.get(c.name) is not None
                },
                "sources": {
                    c.name: [
                        {"row": row_key, "column": col, **source(p)}
                        for row_key, col, p in table.cell_sources(r, c.name)
                    ]
                    for c in table.measures
                    if r.values.get(c.name) is not None
                },
            }
            for r in table.rows
        ],
        "notes": list(table.notes),
        "discrepancies": [
            {
                "id": d.id,
                "kind": d.kind,
                "cells": [{"row": row, "column": col} for row, col in d.cells],
                "claims": [{**source(c), "value": c.value, "says": c.says} for c in d.claims],
                "note": d.note,
            }
            for d in table.discrepancies
        ],
    }


def table_as_csv(table: Table) -> str:
    """The table's CSV file as stored: values, then unit_id, paragraph, quote, sources."""
    if table.path is None or not table.path.is_file():
        raise TableError(f"Table '{table.id}' was not loaded from a CSV file.")
    return table.path.read_text(encoding="utf-8")
