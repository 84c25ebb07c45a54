"""The figures engine: every number an answer states, looked up or computed from the tables.

Each operation returns ``Figure``s carrying the value, the value written as the report
writes it, the formula in Chinese and English, and the source of every input cell. A
number that cannot be traced to a quote is never returned: unknown names, empty cells,
text columns, approximate values ("100多") in arithmetic and division by zero raise
``TableError`` with a message listing what is valid.

Operations on one table take ``(table, row, column)`` names (ids, labels or aliases);
operations across tables take ``Ref``s. See docs/figures.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from assistant.model import Figure, Source
from ingest.errors import TableError
from ingest.tables import (
    ADDITIVE_UNITS,
    DIMENSION,
    Column,
    Row,
    Table,
    find_table,
    format_number,
    format_value,
    load_tables,
)

LANGS = ("zh", "en")
PERCENT, PP, POINTS, RATIO, RANK = "percent", "pp", "points", "ratio", "rank"
APPROXIMATE = ("more_than", "about", "nearly", "minus", "early", "mid")


@dataclass(frozen=True)
class Ref:
    """One cell of one table, named by table id, row key and column name."""

    table: str
    row: str
    column: str


@dataclass(frozen=True)
class Fact:
    """A stored value that is not a number to compute with: a date or a text."""

    label: dict[str, str]
    value: str
    unit: str
    display: dict[str, str]
    sources: tuple[Source, ...]
    note: dict[str, str] | None = None


@dataclass(frozen=True)
class _Cell:
    """A resolved numeric cell: what the operations compute with."""

    table: Table
    row: Row
    column: Column
    value: Decimal
    unit: str
    decimals: int
    qualifier: str | None
    sources: tuple[Source, ...]
    notes: tuple[tuple[str, dict[str, str]], ...]  # (kind, note by language)

    def label(self, lang: str) -> str:
        return _cell_label(self.row, self.column, lang)

    def display(self, lang: str) -> str:
        return format_value(self.value, self.unit, lang, self.decimals, self.qualifier)


class FiguresEngine:
    """Look up and compute figures over the loaded tables."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self._tables = list(tables)
        self.tables = {t.id: t for t in self._tables}
        # every name a table goes by (case-insensitive), the first table's where two share one
        self._by_name: dict[str, Table] = {}
        for table in self._tables:
            aliases = [a for names in table.aliases.values() for a in names]
            for name in (table.id, *table.title.values(), *aliases):
                self._by_name.setdefault(name.casefold(), table)

    @classmethod
    def from_corpus(cls, corpus_dir: Path) -> FiguresEngine:
        """An engine over every table in ``corpus_dir/tables``."""
        return cls(load_tables(corpus_dir))

    def table(self, name: str) -> Table:
        """A table by id, title or alias (exact, case-insensitive, as ``find_table``)."""
        return self._by_name.get(name.strip().casefold()) or find_table(self._tables, name)

    def catalog(self) -> Catalog:
        """Every table's, column's and row's names, for matching question words."""
        return catalog(self._tables)

    # --- stored values ------------------------------------------------------------------

    def lookup(self, table: str, row: str, column: str) -> Figure:
        """One stored (or derived) value, as the report prints it, with its sources."""
        cell = self._cell(table, row, column, for_arithmetic=False)
        return Figure(
            label={lang: cell.label(lang) for lang in LANGS},
            value=float(cell.value),
            unit=cell.unit,
            display={lang: cell.display(lang) for lang in LANGS},
            sources=cell.sources,
            formula=_derived_formula(cell),
            operation="lookup",
            note=_notes([cell]),
        )

    def fact(self, table: str, row: str, column: str) -> Fact:
        """Any stored cell, including dates and texts, written as the report writes it."""
        t = self.table(table)
        r, c = t.row(row), t.column(column)
        value = r.values.get(c.name)
        if value is None:
            raise TableError(_empty_message(t, r, c))
        unit = t.unit_of(r, c)
        qualifier = r.qualifier if c.kind != DIMENSION else None
        sources = _sources(t, r, c)
        if not sources:
            raise TableError(f"'{t.id}/{r.key}/{c.name}' has no source; it cannot be stated.")
        label = {lang: _cell_label(r, c, lang) for lang in LANGS}
        display = {
            lang: format_value(value, unit, lang, r.decimals.get(c.name, 0), qualifier)
            for lang in LANGS
        }
        return Fact(label, str(value), unit, display, sources, _join(_cell_notes(t, r, c)))

    # --- arithmetic over one table -------------------------------------------------------

    def sum(self, table: str, column: str, rows: Sequence[str] | None = None) -> Figure:
        """The sum of a count column over ``rows`` (default: the top-level rows)."""
        cells = self._peers(table, column, rows)
        _require_additive(cells, "add up")
        total = sum((c.value for c in cells), Decimal(0))
        decimals = max(c.decimals for c in cells)
        shown = {lang: format_number(total, decimals) for lang in LANGS}
        col = cells[0].column
        names = {lang: " + ".join(c.row.label[lang] for c in cells) for lang in LANGS}
        return Figure(
            label={
                "zh": f"{col.label['zh']}合计（{names['zh']}）",
                "en": f"{col.label['en']}, total of {names['en']}",
            },
            value=float(total),
            unit=cells[0].unit,
            display=shown,
            sources=_all_sources(cells),
            formula={
                lang: " + ".join(c.display(lang) for c in cells) + f" = {shown[lang]}"
                for lang in LANGS
            },
            operation="sum",
            note=_notes(cells),
        )

    def share(
        self, table: str, row: str, column: str, of: str | Ref | tuple[str, str, str] | None = None
    ) -> Figure:
        """``row``'s share of the total row (or of row ``of``, or of the cell ``of``)."""
        part = self._cell(table, row, column)
        if of is None:
            total_row = part.table.total_row
            if total_row is None:
                keys = ", ".join(r.key for r in part.table.rows)
                raise TableError(
                    f"Table '{part.table.id}' has no total row: say which row it is a share "
                    f"of (of=<row>; rows: {keys})."
                )
            whole = self._cell(part.table.id, total_row.key, part.column.name)
        elif isinstance(of, str):
            whole = self._cell(part.table.id, of, part.column.name)
        else:
            whole = self._cell(*_ref(of))
        _require_additive([part, whole], "take a share of")
        label = {
            "zh": f"{part.row.label['zh']}占{whole.row.label['zh']}的比例"
            f"（{part.column.label['zh']}）",
            "en": f"{part.row.label['en']} as a share of {whole.row.label['en']} "
            f"({part.column.label['en']})",
        }
        shown = {lang: part.display(lang) for lang in LANGS}
        return _percent_figure(label, _divide(part, whole) * 100, shown, whole, [part], "share")

    def share_of_sum(self, table: str, column: str, rows: Sequence[str]) -> Figure:
        """Several rows taken together as a share of the total row ("the top three's share")."""
        cells = self._peers(table, column, rows)
        t = cells[0].table
        if t.total_row is None:
            raise TableError(f"Table '{t.id}' has no total row to take a share of.")
        whole = self._cell(t.id, t.total_row.key, column)
        _require_additive([*cells, whole], "take a share of")
        part = sum((c.value for c in cells), Decimal(0))
        names = {lang: " + ".join(c.row.label[lang] for c in cells) for lang in LANGS}
        col = cells[0].column
        label = {
            "zh": f"{names['zh']}合计占{whole.row.label['zh']}的比例（{col.label['zh']}）",
            "en": f"{names['en']} together as a share of {whole.row.label['en']} "
            f"({col.label['en']})",
        }
        shown = {lang: "(" + " + ".join(c.display(lang) for c in cells) + ")" for lang in LANGS}
        return _percent_figure(label, part / _nonzero(whole) * 100, shown, whole, cells, "share")

    def rate(self, table: str, row: str, numerator: str, denominator: str) -> Figure:
        """One row's numerator ÷ denominator as a percentage, e.g. selections per application."""
        num = self._cell(table, row, numerator)
        den = self._cell(table, row, denominator)
        r = num.row
        label = {
            "zh": f"{r.label['zh']}：{num.column.label['zh']}占{den.column.label['zh']}的比例",
            "en": f"{r.label['en']}: {num.column.label['en']} per {den.column.label['en']}",
        }
        shown = {lang: num.display(lang) for lang in LANGS}
        return _percent_figure(label, _divide(num, den) * 100, shown, den, [num], "rate")

    def difference(self, table: str, row_a: str, row_b: str, column: str) -> Figure:
        """``row_a`` minus ``row_b`` in one column (percentages give percentage points)."""
        return self.combine("difference", Ref(table, row_a, column), Ref(table, row_b, column))

    def ratio(self, table: str, row_a: str, row_b: str, column: str) -> Figure:
        """``row_a`` ÷ ``row_b`` in one column."""
        return self.combine("ratio", Ref(table, row_a, column), Ref(table, row_b, column))

    def pp_change(self, table: str, old_row: str, new_row: str, column: str) -> Figure:
        """Percentage-point change of a percentage from ``old_row`` to ``new_row``."""
        return self.combine("pp_change", Ref(table, old_row, column), Ref(table, new_row, column))

    def growth(self, table: str, old_row: str, new_row: str, column: str) -> Figure:
        """Growth rate from ``old_row`` to ``new_row``: (new − old) ÷ old."""
        return self.combine("growth", Ref(table, old_row, column), Ref(table, new_row, column))

    def combine(
        self, operation: str, a: Ref | tuple[str, str, str], b: Ref | tuple[str, str, str]
    ) -> Figure:
        """difference (a − b), ratio (a ÷ b), pp_change or growth (from a to b), across tables."""
        ops = ("difference", "ratio", "pp_change", "growth")
        if operation not in ops:
            raise TableError(f"Unknown operation '{operation}': use one of {', '.join(ops)}.")
        x, y = self._cell(*_ref(a)), self._cell(*_ref(b))
        if operation == "ratio":
            value, unit = _divide(x, y), RATIO
            shown = {lang: _ratio(value) for lang in LANGS}
            formula = {
                lang: f"{x.display(lang)} ÷ {y.display(lang)} = {shown[lang]}" for lang in LANGS
            }
            label = {
                "zh": f"{x.label('zh')}与{y.label('zh')}之比",
                "en": f"ratio of {x.label('en')} to {y.label('en')}",
            }
        elif operation == "growth":
            _require_same_unit(x, y)
            value, unit = (y.value - x.value) / _nonzero(x) * 100, PERCENT
            shown = {lang: _percent(value) for lang in LANGS}
            formula = {
                lang: f"({y.display(lang)} − {x.display(lang)}) ÷ {x.display(lang)} = {shown[lang]}"
                for lang in LANGS
            }
            label = {
                "zh": f"从{x.label('zh')}到{y.label('zh')}的增长率",
                "en": f"growth from {x.label('en')} to {y.label('en')}",
            }
        else:
            if operation == "pp_change" and not (x.unit == y.unit == PERCENT):
                raise TableError(
                    f"A percentage-point change needs two percentages; {_name(x)} is {x.unit} and "
                    f"{_name(y)} is {y.unit}. Use difference or growth."
                )
            first, second = (y, x) if operation == "pp_change" else (x, y)
            unit = _difference_unit(first, second)
            value = first.value - second.value
            shown = {lang: _difference_display(value, unit, first, second, lang) for lang in LANGS}
            formula = {
                lang: f"{first.display(lang)} − {second.display(lang)} = {shown[lang]}"
                for lang in LANGS
            }
            if operation == "pp_change":
                label = {
                    "zh": f"从{x.label('zh')}到{y.label('zh')}的变化",
                    "en": f"change from {x.label('en')} to {y.label('en')}",
                }
            else:
                label = {
                    "zh": f"{x.label('zh')}与{y.label('zh')}之差",
                    "en": f"{x.label('en')} minus {y.label('en')}",
                }
        return Figure(
            label=label,
            value=float(value),
            unit=unit,
            display=shown,
            sources=_all_sources([x, y]),
            formula=formula,
            operation=operation,
            note=_notes([x, y]),
        )

    # --- order ---------------------------------------------------------------------------

    def rank(
        self,
        table: str,
        column: str,
        row: str,
        descending: bool = True,
        rows: Sequence[str] | None = None,
    ) -> Figure:
        """Where ``row`` stands among its peers by ``column`` (1 = highest unless ascending)."""
        cells = self._ordered(table, column, rows, descending)
        target = self.table(table).row(row)
        if target.key not in [c.row.key for c in cells]:
            peers = ", ".join(c.row.key for c in cells)
            raise TableError(f"Row '{target.key}' is not among the rows ranked ({peers}).")
        position = _positions(cells)[target.key]
        me = next(c for c in cells if c.row.key == target.key)
        listing = {lang: _listing(cells, descending, lang) for lang in LANGS}
        n = len(cells)
        return Figure(
            label={
                "zh": f"{me.row.label['zh']}按{me.column.label['zh']}的排名",
                "en": f"rank of {me.row.label['en']} by {me.column.label['en']}",
            },
            value=float(position),
            unit=RANK,
            display={"zh": f"第{position}位（共{n}个）", "en": f"{position} of {n}"},
            sources=_all_sources(cells),
            formula={
                "zh": f"{listing['zh']} → {me.row.label['zh']}第{position}位（共{n}个）",
                "en": f"{listing['en']} → {me.row.label['en']} ranks {position} of {n}",
            },
            operation="rank",
            note=_notes(cells, chosen=[me]),
        )

    def top_k(
        self,
        table: str,
        column: str,
        k: int = 3,
        descending: bool = True,
        rows: Sequence[str] | None = None,
    ) -> tuple[Figure, ...]:
        """The ``k`` highest (or lowest) rows by ``column``, each with its own value and sources."""
        if k < 1:
            raise TableError(f"k must be at least 1, not {k}.")
        cells = self._ordered(table, column, rows, descending)
        positions = _positions(cells)
        n = len(cells)
        order_zh = "从高到低" if descending else "从低到高"
        figures = []
        for cell in cells[:k]:
            p = positions[cell.row.key]
            figures.append(
                Figure(
                    label={lang: cell.label(lang) for lang in LANGS},
                    value=float(cell.value),
                    unit=cell.unit,
                    display={lang: cell.display(lang) for lang in LANGS},
                    sources=cell.sources,
                    formula={
                        "zh": f"按{cell.column.label['zh']}{order_zh}第{p}位（共{n}个）",
                        "en": f"rank {p} of {n} by {cell.column.label['en']}"
                        f"{'' if descending else ' (lowest first)'}",
                    },
                    operation="top_k",
                    note=_notes([cell]),
                )
            )
        return tuple(figures)

    def max(self, table: str, column: str, rows: Sequence[str] | None = None) -> Figure:
        """The row with the highest value in ``column``, among its peers."""
        return self._extreme(table, column, rows, highest=True)

    def min(self, table: str, column: str, rows: Sequence[str] | None = None) -> Figure:
        """The row with the lowest value in ``column``, among its peers."""
        return self._extreme(table, column, rows, highest=False)

    def _extreme(
        self, table: str, column: str, rows: Sequence[str] | None, highest: bool
    ) -> Figure:
        cells = self._ordered(table, column, rows, descending=highest)
        best = [c for c in cells if c.value == cells[0].value]
        names = {
            "zh": "、".join(c.row.label["zh"] for c in best),
            "en": ", ".join(c.row.label["en"] for c in best),
        }
        col = cells[0].column
        word = {"zh": "最高" if highest else "最低", "en": "highest" if highest else "lowest"}
        return Figure(
            label={
                "zh": f"{col.label['zh']}{word['zh']}：{names['zh']}",
                "en": f"{word['en']} {col.label['en']}: {names['en']}",
            },
            value=float(cells[0].value),
            unit=cells[0].unit,
            display={lang: cells[0].display(lang) for lang in LANGS},
            sources=_all_sources(cells),
            formula={lang: _listing(cells, highest, lang) for lang in LANGS},
            operation="max" if highest else "min",
            note=_notes(cells, chosen=best),
        )

    # --- cells ---------------------------------------------------------------------------

    def _cell(self, table: str, row: str, column: str, for_arithmetic: bool = True) -> _Cell:
        t = self.table(table)
        r, c = t.row(row), t.column(column)
        if c.kind == DIMENSION or t.unit_of(r, c) == "text":
            measures = ", ".join(m.name for m in t.measures)
            raise TableError(
                f"'{t.id}/{c.name}' holds text, not numbers; use a measure column ({measures})."
            )
        unit = t.unit_of(r, c)
        if unit == "date":
            raise TableError(
                f"'{t.id}/{r.key}/{c.name}' is a date: state it with fact(), it cannot be computed."
            )
        value = r.values.get(c.name)
        if value is None:
            raise TableError(_empty_message(t, r, c))
        if for_arithmetic and r.qualifier in APPROXIMATE:
            shown = format_value(value, unit, "en", r.decimals.get(c.name, 0), r.qualifier)
            raise TableError(
                f"'{t.id}/{r.key}' is approximate in the report ('{shown}'): it can be stated "
                "with lookup() but not computed with."
            )
        sources = _sources(t, r, c)
        if not sources:
            raise TableError(f"'{t.id}/{r.key}/{c.name}' has no source; it cannot be stated.")
        return _Cell(
            table=t,
            row=r,
            column=c,
            value=Decimal(str(value)),
            unit=unit,
            decimals=r.decimals.get(c.name, 0),
            qualifier=r.qualifier,
            sources=sources,
            notes=_cell_notes(t, r, c),
        )

    def _peers(self, table: str, column: str, rows: Sequence[str] | None) -> list[_Cell]:
        t = self.table(table)
        chosen = [t.row(r) for r in rows] if rows is not None else _top_level(t)
        col = t.column(column)
        cells = [
            self._cell(t.id, r.key, col.name) for r in chosen if r.values.get(col.name) is not None
        ]
        if not cells:
            raise TableError(f"No row of '{t.id}' has a value in '{col.name}'.")
        units = {c.unit for c in cells}
        if len(units) > 1:
            raise TableError(
                f"The rows of '{t.id}' are in different units ({', '.join(sorted(units))}); "
                "name rows of one unit (rows=[...])."
            )
        return cells

    def _ordered(
        self, table: str, column: str, rows: Sequence[str] | None, descending: bool
    ) -> list[_Cell]:
        cells = self._peers(table, column, rows)
        order = {c.row.key: i for i, c in enumerate(cells)}
        return sorted(cells, key=lambda c: (-c.value if descending else c.value, order[c.row.key]))


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """What something is called: its key, its label and the other words people use."""

    key: str
    label: dict[str, str]
    aliases: dict[str, tuple[str, ...]]

    def words(self, language: str | None = None) -> tuple[str, ...]:
        """The label and aliases, in one language or in all."""
        langs = [language] if language else list(self.label)
        out = [self.label[lang] for lang in langs if lang in self.label]
        out += [w for lang in langs for w in self.aliases.get(lang, ())]
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class ColumnNames(Names):
    kind: str = ""
    unit: str = ""
    derived: bool = False


@dataclass(frozen=True)
class RowNames(Names):
    parent: str | None = None
    total: bool = False
    ambiguous: bool = False


@dataclass(frozen=True)
class TableNames(Names):
    key_column: str = ""
    columns: tuple[ColumnNames, ...] = ()
    rows: tuple[RowNames, ...] = ()


@dataclass(frozen=True)
class Term:
    """One word or phrase and the table, column or row it names."""

    text: str
    language: str
    table: str
    column: str | None = None
    row: str | None = None


@dataclass(frozen=True)
class Catalog:
    """Every table's, column's and row's bilingual names: plain data for matching questions."""

    tables: tuple[TableNames, ...]

    def table(self, table_id: str) -> TableNames:
        for t in self.tables:
            if t.key == table_id:
                return t
        raise TableError(f"No table '{table_id}'. Tables: {', '.join(t.key for t in self.tables)}.")

    def terms(self) -> tuple[Term, ...]:
        """Every label and alias, each with what it names."""
        out: list[Term] = []
        for t in self.tables:
            out += [Term(w, lang, t.key) for lang in LANGS for w in t.words(lang)]
            for c in t.columns:
                out += [Term(w, lang, t.key, column=c.key) for lang in LANGS for w in c.words(lang)]
            for r in t.rows:
                out += [Term(w, lang, t.key, row=r.key) for lang in LANGS for w in r.words(lang)]
        return tuple(out)


def catalog(tables: Iterable[Table]) -> Catalog:
    """The names of every table, column and row."""
    return Catalog(
        tuple(
            TableNames(
                key=t.id,
                label=t.title,
                aliases=t.aliases,
                key_column=t.key,
                columns=tuple(
                    ColumnNames(c.name, c.label, c.aliases, c.kind, c.unit, c.derived)
                    for c in t.columns
                ),
                rows=tuple(
                    RowNames(r.key, r.label, r.aliases, r.parent, r.total, bool(r.ambiguous))
                    for r in t.rows
                ),
            )
            for t in tables
        )
    )


# --- helpers ----------------------------------------------------------------------------------


def _ref(ref: Ref | tuple[str, str, str]) -> tuple[str, str, str]:
    if isinstance(ref, Ref):
        return ref.table, ref.row, ref.column
    if isinstance(ref, tuple) and len(ref) == 3:
        return ref
    raise TableError(f"A cell is named by (table, row, column), not {ref!r}.")


def _sources(t: Table, r: Row, c: Column) -> tuple[Source, ...]:
    return tuple(
        Source(t.id, row_key, column, p.unit_id, p.paragraph, p.quote)
        for row_key, column, p in t.cell_sources(r, c.name)
    )


def _cell_label(r: Row, c: Column, lang: str) -> str:
    """'Africa — applications'; just the row's label where the row says what the value is."""
    if c.unit in ("by_row", "date"):
        return r.label[lang]
    return f"{r.label[lang]} — {c.label[lang]}"


# Kinds of note that could change which row comes first; the others stay with their cell.


def _cell_notes(t: Table, r: Row, c: Column) -> tuple[tuple[str, dict[str, str]], ...]:
    """What must be said with a cell: derived, uncertain layout, row note, discrepancies."""
    notes: list[tuple[str, dict[str, str]]] = []
    if c.derived and c.method:
        notes.append(
            (
                "derived",
                {
                    "zh": f"“{c.label['zh']}”是由公布的比率推算的数值，"
                    f"报告中没有直接给出：{c.method['zh']}",
                    "en": f"'{c.label['en']}' is derived from published rates, not stated in the "
                    f"report: {c.method['en']}",
                },
            )
        )
    if c.name in r.ambiguous and r.note:
        notes.append(
            (
                "ambiguous",
                {
                    "zh": f"版面对应不确定：{r.note['zh']}",
                    "en": f"Uncertain reading of the layout: {r.note['en']}",
                },
            )
        )
    elif r.note and c.kind != DIMENSION:
        notes.append(("row", dict(r.note)))
    for d in t.discrepancies_for(r.key, c.name):
        opening = {
            "narrative": ("报告正文与表格不一致：", "The report's text and table differ here: ")
        }
        zh, en = opening.get(d.kind, ("报告前后不一致：", "The report is inconsistent here: "))
        notes.append((d.kind, {"zh": zh + d.note["zh"], "en": en + d.note["en"]}))
    return tuple(notes)


def _join(notes: Iterable[tuple[str, dict[str, str]]]) -> dict[str, str] | None:
    seen: list[dict[str, str]] = []
    for _, note in notes:
        if note not in seen:
            seen.append(note)
    if not seen:
        return None
    zh = "".join(n["zh"] if n["zh"].endswith("。") else n["zh"] + "。" for n in seen)
    return {"zh": zh, "en": " ".join(n["en"] for n in seen)}


def _notes(cells: Iterable[_Cell], chosen: Iterable[_Cell] | None = None) -> dict[str, str] | None:
    """Every note of the cells computed with; of cells only compared, the notes of those
    the answer gives (a note bears on a figure stated, not on the rows ranked past)."""
    cells = list(cells)
    if chosen is None:
        return _join(n for c in cells for n in c.notes)
    picked = {c.row.key for c in chosen}
    return _join(n for c in cells for n in c.notes if c.row.key in picked)


def _percent_figure(
    label: dict[str, str],
    value: Decimal,
    shown_part: dict[str, str],
    whole: _Cell,
    parts: list[_Cell],
    operation: str,
) -> Figure:
    """A percentage of ``whole``: ``shown_part`` (the numerator as written) ÷ the whole."""
    shown = _percent(value)
    cells = [*parts, whole]
    return Figure(
        label=label,
        value=float(value),
        unit=PERCENT,
        display={lang: shown for lang in LANGS},
        sources=_all_sources(cells),
        formula={lang: f"{shown_part[lang]} ÷ {whole.display(lang)} = {shown}" for lang in LANGS},
        operation=operation,
        note=_notes(cells),
    )


def _all_sources(cells: Iterable[_Cell]) -> tuple[Source, ...]:
    return tuple(dict.fromkeys(s for c in cells for s in c.sources))


def _derived_formula(cell: _Cell) -> dict[str, str] | None:
    """A derived cell's formula is its method; a stored cell has none."""
    return dict(cell.column.method) if cell.column.derived and cell.column.method else None


def _empty_message(t: Table, r: Row, c: Column) -> str:
    filled = [m.name for m in t.measures if r.values.get(m.name) is not None]
    have = [x.key for x in t.rows if x.values.get(c.name) is not None]
    return (
        f"The report gives no value for '{t.id}/{r.key}/{c.name}'. This row has values in: "
        f"{', '.join(filled) or 'none'}; rows with a '{c.name}' value: {', '.join(have) or 'none'}."
    )


def _name(cell: _Cell) -> str:
    return f"{cell.table.id}/{cell.row.key}/{cell.column.name}"


def _nonzero(cell: _Cell) -> Decimal:
    if cell.value == 0:
        raise TableError(f"Cannot divide by {_name(cell)}: it is zero.")
    return cell.value


def _divide(a: _Cell, b: _Cell) -> Decimal:
    return a.value / _nonzero(b)


def _require_additive(cells: Sequence[_Cell], what: str) -> None:
    for cell in cells:
        if cell.unit not in ADDITIVE_UNITS:
            raise TableError(
                f"Cannot {what} {_name(cell)}: it is a {cell.unit}, not a count. "
                "Use lookup, difference or pp_change for rates and scores."
            )


def _require_same_unit(a: _Cell, b: _Cell) -> None:
    if a.unit != b.unit:
        raise TableError(f"{_name(a)} is {a.unit} and {_name(b)} is {b.unit}: not comparable.")


def _difference_unit(a: _Cell, b: _Cell) -> str:
    if a.unit == b.unit == PERCENT:
        return PP
    if {a.unit, b.unit} <= {PERCENT, "score"}:
        return POINTS
    _require_same_unit(a, b)
    return a.unit


def _difference_display(value: Decimal, unit: str, a: _Cell, b: _Cell, lang: str) -> str:
    decimals = max(a.decimals, b.decimals, 1 if unit == PP else 0)
    number = format_number(value, decimals)
    if unit == PP:
        return f"{number}个百分点" if lang == "zh" else f"{number} percentage points"
    if unit == POINTS:
        return f"{number}分" if lang == "zh" else f"{number} points"
    return number


def _percent(value: Decimal) -> str:
    decimals = 2 if 0 < abs(value) < 1 else 1
    return f"{format_number(value, decimals)}%"


def _ratio(value: Decimal) -> str:
    return format_number(value, 1 if abs(value) >= 10 else 2)


def _top_level(t: Table) -> list[Row]:
    """The rows compared by default: not the total, and not parts of another row."""
    total = t.total_row.key if t.total_row else None
    return [r for r in t.rows if not r.total and r.parent in (None, total)]


def _positions(cells: Sequence[_Cell]) -> dict[str, int]:
    """Competition ranking over already-ordered cells: ties share a position."""
    positions: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if i and cell.value == cells[i - 1].value:
            positions[cell.row.key] = positions[cells[i - 1].row.key]
        else:
            positions[cell.row.key] = i + 1
    return positions


def _listing(cells: Sequence[_Cell], descending: bool, lang: str) -> str:
    sign = " > " if descending else " < "
    items = sign.join(f"{c.row.label[lang]} {c.display(lang)}" for c in cells)
    col = cells[0].column.label[lang]
    return f"按{col}排序：{items}" if lang == "zh" else f"by {col}: {items}"


__all__ = [
    "Catalog",
    "ColumnNames",
    "Fact",
    "FiguresEngine",
    "Names",
    "Ref",
    "RowNames",
    "TableNames",
    "Term",
    "catalog",
]
