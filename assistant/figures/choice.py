"""Which table a question is about: every name it uses, weighed, and the rows the
retriever ranks first.

A mixin of ``FigureAnswerer``: it reads ``self.tables``, ``self.common`` and
``self._table_words`` and the table-shape helpers of ``TableFacts``.
"""

from __future__ import annotations

from assistant.figures.weights import (
    CLOSE,
    EXACT,
    GOOD,
    MIN_TABLE_SCORE,
    PERIOD_BONUS,
    RATE_BONUS,
    RETRIEVAL_WEIGHT,
    RETRIEVED_ROWS,
    UNNAMED_ROW,
    WHOLE_BONUS,
)
from assistant.model import FigureIntent
from assistant.understanding.names import PEOPLE, Mention
from assistant.understanding.query import Query


class TableChoice:
    """Choosing the table a question's names point to."""

    def _choose_table(
        self,
        columns: list[Mention],
        rows: list[Mention],
        others: list[Mention],
        previous: FigureIntent | None,
        retrieved: list[tuple[str, str]],
        wants_rate: bool = False,
        wants_change: bool = False,
        weakly_named: frozenset[tuple[str, str]] = frozenset(),
        query: Query | None = None,
    ) -> str | None:
        score: dict[str, float] = {}
        if wants_rate:
            # a table that publishes the rate asked for: named, or the rate of a count named
            rated = {
                m.entity.table
                for m in columns
                if self._rate_of(m.entity.table, m.entity.key) != m.entity.key
                or (m.score >= 90 and self._is_percent(m.entity.table, m.entity.key))
            }
            for table in sorted(rated):
                score[table] = score.get(table, 0) + RATE_BONUS
        named_rows = {(m.entity.table, m.entity.key) for m in rows} | weakly_named
        for rank, (table, row) in enumerate(retrieved[:RETRIEVED_ROWS]):
            # a row the retriever finds but the question does not name says less
            # (but in a follow-up, the rows found in the last answer's table are its subject)
            kept = (table, row) in named_rows or (previous is not None and table == previous.table)
            weight = RETRIEVAL_WEIGHT * (1.0 if kept else UNNAMED_ROW)
            score[table] = score.get(table, 0) + weight / (rank + 1)
        for table in sorted({m.entity.table for m in [*columns, *rows, *others]}):
            col = [m.score for m in columns if m.entity.table == table]
            # a row named in part counts for less than one named as written
            row = sorted(
                (
                    m.score * (1.0 if m.score >= GOOD else 0.6)
                    for m in rows
                    if m.entity.table == table
                ),
                reverse=True,
            )
            named = [
                m.score * (2.0 if m.score >= EXACT else 1.0)
                for m in others
                if m.entity.table == table
            ]
            score[table] = (
                score.get(table, 0)
                + max(col, default=0)
                + (row[0] * 0.9 if row else 0)
                + 0.3 * sum(row[1:])
                + 0.6 * max(named, default=0)
            )
        top = set(retrieved[:RETRIEVED_ROWS])
        found_row = any((m.entity.table, m.entity.key) in top for m in rows if m.score >= 90)
        for table in sorted({m.entity.table for m in [*columns, *others] if m.score >= EXACT}):
            # a measure named and no row: the question is about the whole, if there is one
            if (
                not found_row
                and not any(m.entity.table == table for m in rows)
                and self._whole(table)
            ):
                score[table] += WHOLE_BONUS
        if wants_change:
            # "by how many points did it rise": only a table of two periods can say
            for table in score:
                if self._has_periods(table):
                    score[table] += PERIOD_BONUS
            # or one that publishes the change itself ("growth in applications over three years")
            for table in sorted({m.entity.table for m in rows if self._names_change(m)}):
                score[table] += PERIOD_BONUS
        if previous is not None:
            # a follow-up stays with the table of the last answer unless it names another
            score[previous.table] = score.get(previous.table, 0) + MIN_TABLE_SCORE + 5
        if not score:
            return None
        # ties go to the first table by name, whatever order the scores were summed in
        best = max(sorted(score), key=lambda t: score[t])
        if score[best] < MIN_TABLE_SCORE:
            return None
        return best if previous is not None or query is None else self._covering(query, best, score)

    def _covering(self, query: Query, best: str, score: dict[str, float]) -> str:
        """Of the tables nearly as likely as ``best``, the one whose names account for every
        row and table the question names in full ("appointments at P5 and above that went
        to external candidates" is a question for the table that has both)."""
        asked = set(query.words) - PEOPLE - self.common
        words = set()
        for m in query.mentions:
            named = m.score >= GOOD if m.entity.kind == "row" else m.score >= EXACT
            if named and m.entity.kind in ("row", "table"):
                words |= self.name_words(m.entity) & asked
        close = [t for t, v in score.items() if v >= max(MIN_TABLE_SCORE, CLOSE * score[best])]
        return min(close, key=lambda t: (len(words - self._table_words[t]), -score[t]))

    def _weakly_named(self, query: Query, retrieved: list[tuple[str, str]]) -> frozenset:
        """The retrieved rows the question names even by a year alone ("2024年")."""
        wanted = set(retrieved[:RETRIEVED_ROWS])
        return frozenset(
            (m.entity.table, m.entity.key)
            for m in query.mentions
            if m.entity.kind == "row" and (m.entity.table, m.entity.key) in wanted
        )
