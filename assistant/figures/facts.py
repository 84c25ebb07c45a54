"""What a table's shape says: its whole, its periods, its rates, the unit of a cell.

A mixin of ``FigureAnswerer``: it reads ``self.tables`` (id → Table) and ``self.engine``
(the figures engine).
"""

from __future__ import annotations

from assistant.figures.weights import PERIOD
from assistant.model import FigureIntent
from assistant.understanding.names import CUES, Mention, rows_are_measures
from ingest.errors import TableError


class TableFacts:
    """Questions about a table's shape, answered from its schema and values."""

    def _is_dimension_value(self, mention: Mention) -> bool:
        """A row that is one value of a breakdown (a region, a grade), not an indicator."""
        table = self.tables[mention.entity.table]
        key_column = next((c for c in table.columns if c.kind == "dimension"), None)
        return key_column is not None and key_column.unit == "text" and table.total_row is not None

    def _count_column(self, table: str) -> str | None:
        counts = [
            c.name for c in self.tables[table].columns if c.kind == "measure" and c.unit == "count"
        ]
        return counts[0] if len(counts) == 1 else None

    def _row_unit(self, table: str, row: str, column: str | None) -> str | None:
        """The unit of a row's value: its own, else its column's."""
        t = self.tables[table]
        own = getattr(t.row(row), "unit", None)
        return own or next((c.unit for c in t.columns if c.name == column), None)

    def _rows_are_percent(self, table: str, rows: tuple[str, ...]) -> bool:
        t = self.tables[table]
        return bool(rows) and all(getattr(t.row(r), "unit", None) == "percent" for r in rows)

    def _is_count(self, table: str, column: str) -> bool:
        return any(c.name == column and c.unit == "count" for c in self.tables[table].columns)

    def _whole(self, table: str) -> tuple[str, ...]:
        """The row that stands for the whole table: its total, or the one all others are part of."""
        t = self.tables[table]
        if t.total_row is not None:
            return (t.total_row.key,)
        roots = [r for r in t.rows if r.parent is None]
        if len(roots) == 1 and len(t.rows) > 1:
            return (roots[0].key,)
        return ()

    def _periods_of(self, table: str, row: str) -> tuple[str, ...]:
        """A row and its earlier-period counterpart ("…-previous"), oldest first."""
        keys = [r.key for r in self.tables[table].rows]
        for key in keys:
            if key != row and (key.startswith(row) or row.startswith(key)):
                if "previous" in key or "previous" in row:
                    older, newer = (key, row) if "previous" in key else (row, key)
                else:
                    older, newer = sorted((key, row))
                return (older, newer)
        return ()

    def _rate_of(self, table: str, column: str) -> str:
        """For "what proportion were shortlisted": the published rate whose numerator is
        the count the question names, if the table has one."""
        for c in self.tables[table].columns:
            definition = c.definition
            if c.unit == "percent" and definition is not None and definition.numerator == column:
                return c.name
        return column

    def _is_percent(self, table: str, column: str | None) -> bool:
        return any(c.name == column and c.unit == "percent" for c in self.tables[table].columns)

    def _two_periods(self, table: str) -> tuple[str, ...]:
        """A table of two periods (2024, 2025): the rows to compare, oldest first."""
        keys = [r.key for r in self.tables[table].rows if not r.total]
        periods = [key for key in keys if PERIOD.search(key)]
        return tuple(keys) if len(keys) == 2 and len(periods) == 2 else ()

    def _categories(self, table: str) -> bool:
        """A table whose rows are categories of one thing (regions, job families), not
        separate indicators, and that has no total row."""
        t = self.tables[table]
        return t.key not in ("indicator", "entry", "event") and t.total_row is None

    def _names_extreme(self, mention: Mention) -> bool:
        label = self.tables[mention.entity.table].row(mention.entity.key).label
        return any(CUES["max"].search(text) or CUES["min"].search(text) for text in label.values())

    def _names_change(self, mention: Mention) -> bool:
        label = self.tables[mention.entity.table].row(mention.entity.key).label
        return any(CUES["change"].search(text) for text in label.values())

    def _has_periods(self, table: str) -> bool:
        """Whether a change can be read in the table: rows of two periods of one thing."""
        return bool(self._two_periods(table)) or any(
            "previous" in r.key for r in self.tables[table].rows
        )

    def _default_column(self, table: str, ops: set[str]) -> str | None:
        """The measure a question means when it names none: the only one, or by its kind."""
        measures = [c for c in self.tables[table].columns if c.kind == "measure"]
        if len(measures) == 1:
            return measures[0].name
        wanted = "percent" if ops & {"share", "change"} else "count"
        return next((c.name for c in measures if c.unit == wanted), None)

    def _by_value(self, table: str, keys, cell) -> tuple[str, str]:
        """Two rows or columns, the smaller value first."""
        try:
            values = {key: self.engine.lookup(table, *cell(key)).value for key in keys}
        except TableError:
            return keys[0], keys[1]
        part, whole = sorted(keys, key=lambda k: values[k])
        return part, whole

    def measure_of(self, intent: FigureIntent) -> str | None:
        """What a reading measures, by key: its column, or its row in a table whose rows
        are the measures (the pipeline's stages: one count column, no breakdown)."""
        if rows_are_measures(self.tables[intent.table]) and len(intent.rows) == 1:
            return intent.rows[0]
        return intent.column
