"""Answering figure questions from the tables, through the figures engine.

The question is understood into an operation over table cells (assistant.understanding.names);
the figures engine computes it; the answer states the figures with their formula and
cites the source rows. Returns None when the tables do not answer the question, so
the engine falls back to quoting the report's text.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.figures.choice import TableChoice
from assistant.figures.facts import TableFacts
from assistant.figures.weights import EXACT, GOOD, MENTIONED, PERIOD, RETRIEVED_ROWS
from assistant.figures.writing import FigureWriter
from assistant.language.terms import LEXICON, tokens
from assistant.model import ANSWERED, Answer, FigureIntent
from assistant.understanding.names import (
    PEOPLE,
    Entity,
    Mention,
    build_entities,
    common_tokens,
)
from assistant.understanding.query import Query
from ingest.errors import TableError
from ingest.model import Report

# "per vacancy", "每个空缺职位": what the count is divided by comes right after
PER = LEXICON.pattern("per")


class FigureAnswerer(TableFacts, TableChoice, FigureWriter):
    """Understands figure questions and answers them with computed, sourced figures."""

    def __init__(self, engine, tables, report: Report) -> None:
        self.engine = engine  # assistant.figures engine over the tables
        self.tables = {t.id: t for t in tables}
        self.report = report
        self.entities = build_entities(tables)
        self.common = common_tokens(self.entities)
        # the words of every name in each table
        self._table_words = {
            t.id: {w for e in self.entities if e.table == t.id for w in self.name_words(e)}
            for t in tables
        }
        self.units = {lang: ed.by_id() for lang, ed in report.editions.items()}
        # tables of figures per something (applicants per vacancy): their rows are read
        self._per_tables = {e.table for e in self.entities if e.kind != "row" and _per_names(e)}

    @classmethod
    def over(cls, tables, report: Report) -> FigureAnswerer | None:
        """The figures of ``report``'s own tables (None if it has none)."""
        from assistant.figures.engine import FiguresEngine

        own = [t for t in tables if t.report == report.symbol]
        if not own:
            return None
        return cls(FiguresEngine(own), own, report)

    def answer(
        self,
        query: Query,
        history: list | None = None,
        retrieved: list[tuple[str, str]] | None = None,
    ) -> tuple[Answer, FigureIntent] | None:
        """An answer from the tables, or None if they do not answer this question.

        ``history`` is the conversation's earlier turns: a follow-up ("And Western
        Europe?", "the difference between the two?") carries over their measure and rows.
        """
        earlier = [t.intent for t in history or [] if getattr(t, "intent", None)]
        intent = self.understand(query, earlier, retrieved)
        if intent is None:
            return None
        language = query.language
        try:
            figures = self.compute(intent)
        except TableError:
            # the row has no published count: its derived one, with how it is derived
            intent = self._derived_instead(intent)
            if intent is None:
                return None
            try:
                figures = self.compute(intent)
            except TableError:
                return None
        if not figures:
            return None
        if intent.operation in ("max", "min") and figures[0].sources:
            # "what was its shortlisting rate?" asks about the row this answer names
            intent = replace(intent, rows=(figures[0].sources[0].row,))
        text = self.render(intent, figures, language)
        return (
            Answer(
                question=query.asked,
                language=language,
                status=ANSWERED,
                answer=text,
                citations=tuple(self.citations(figures, language)),
                figures=tuple(figures),
                notes=tuple(
                    dict.fromkeys(
                        n for f in figures if f.note for n in [f.note.get(language, "")] if n
                    )
                ),
                chart=self.chart(intent, language),
            ),
            intent,
        )

    def crossed(self, query: Query) -> list[Mention]:
        """The measures by which the question crosses breakdowns the tables keep apart: a
        row of one table ("Africa") with a measure only another table has ("women")."""
        mentions = [m for m in query.mentions if m.score >= GOOD]
        rows = [
            m
            for m in mentions
            if m.entity.kind == "row"
            and self._is_dimension_value(m)
            and not self.tables[m.entity.table].row(m.entity.key).total
        ]
        asked = set(query.words) - self.common - PEOPLE
        crossing = []
        for c in (m for m in mentions if m.entity.kind == "column"):
            if not self._is_count(c.entity.table, c.entity.key) or any(
                m.entity.kind == "row" and m.entity.table == c.entity.table for m in mentions
            ):
                continue
            words = self.name_words(c.entity) & asked
            if words and any(
                r.entity.table != c.entity.table and words - self._table_words[r.entity.table]
                for r in rows
            ):
                crossing.append(c)
        return crossing

    def name_words(self, entity: Entity) -> set[str]:
        """The words of all of an entity's names, in both languages."""
        return set(tokens(" ".join(n.text for n in entity.names)))

    # --- understanding ----------------------------------------------------------------

    def understand(
        self,
        query: Query,
        earlier: list[FigureIntent],
        retrieved: list[tuple[str, str]] | None = None,
    ) -> FigureIntent | None:
        """The operation and cells a question asks for, or None if the tables don't answer it.

        ``retrieved`` is the retriever's ranking of table rows for the question: it backs
        names that matched only in part, and finds the row when the question names none.
        """
        ops = set(query.operations)
        if query.ratio:
            ops = ops - {"difference"} | {"ratio"}  # "how many times more": a ratio
        if query.negated:
            ops |= {"remainder"}  # "how many were not selected": the whole less the part
        previous = earlier[-1] if earlier and query.follow_up else None
        shows = self._shown_table(query)
        if not query.asks_figure and previous is None and shows is None:
            return None
        retrieved = retrieved or []
        mentions = [m for m in query.mentions if m.score >= MENTIONED]
        columns = [m for m in mentions if m.entity.kind == "column"]
        rows = [m for m in mentions if m.entity.kind == "row"]
        others = [m for m in mentions if m.entity.kind in ("table", "dimension")]
        if shows is not None and not query.asks_figure:
            # "what did the sentiment analysis show?": the table's rows, all of them
            column = self._default_column(shows, set())
            keys = tuple(r.key for r in self.tables[shows].rows if not r.total)
            return FigureIntent("lookup", shows, column, keys) if column else None
        per = self._per(query, [*rows, *columns]) if previous is None else None
        if per is not None:
            return per
        extremes = [m for m in rows if m.score >= 90 and self._names_extreme(m)]
        ranks_a_dimension = query.which or any(
            m.entity.kind == "dimension" and m.score >= GOOD for m in others
        )
        if ops & {"max", "min"} and extremes and previous is None and not ranks_a_dimension:
            # "the fewest and the most applicants per vacancy": rows the report publishes
            first = extremes[0].entity.table
            keys = _in_order([m for m in extremes if m.entity.table == first])
            column = self._default_column(first, set())
            return FigureIntent("lookup", first, column, keys) if column else None
        carried = self._same_measure_elsewhere(previous, rows, columns) if previous else None
        if carried is not None and not ops - {"total"}:
            return carried  # "那非洲呢？" after the applications: Africa's applications
        # a ranking names a measure, not a row, and so does a total ("最终选定人数总数"):
        # the rows the retriever finds say little
        ranking = bool(ops & {"max", "min", "rank"})
        whole_asked = "total" in ops and not any(m.score >= GOOD for m in rows)
        table = self._choose_table(
            columns,
            rows,
            others,
            previous,
            [] if ranking or whole_asked else retrieved,
            query.asks_rate,
            "change" in ops,
            self._weakly_named(query, retrieved),
            query,
        )
        if table is None:
            return None
        rows = rows + self._years_in_table(query, table, rows)
        in_table, column = self._measure(query, table, columns)
        table_named = any(
            m.entity.kind == "table" and m.entity.table == table and m.score >= EXACT
            for m in others
        )
        row_keys, grounded = self._rows(table, rows, retrieved, table_named)
        if previous is not None and previous.table == table:
            grounded = True
            column = column or previous.column
            row_keys = row_keys or self._earlier_period(query, table, previous)
            total = self.tables[table].total_row
            if not row_keys and query.of_whole and total is not None and previous.rows:
                # "what share of the total is that?": the last row's share of the total
                return FigureIntent("share", table, column, (previous.rows[-1],))
            if not row_keys and query.asks_rate and self._is_count(table, column):
                # "what percentage is that?": the last count as a share of the one before
                pair = _last_two_rows(earlier, table, column)
                if len(pair) == 2:
                    part, whole = self._by_value(table, pair, lambda row: (row, column))
                    return FigureIntent("share", table, column, (part, whole))
            row_keys = row_keys or self._carried_over(
                query, ops, previous, table, column, retrieved
            )
        if query.asks_rate and previous is None and not query.several:
            # "what share of those short-listed were interviewed": two counts, one rate
            pair = self._stage_rate(table, columns, rows, row_keys)
            if pair is not None:
                return pair
        if column is None:
            column = self._default_column(table, ops)
        if column is None:
            return None
        if not query.asks_rate and not ops & {"max", "min", "rank"}:
            at = row_keys or self._whole(table)
            column = self._predicate_count(query, column, in_table, at)
        of_whole = query.of_whole and "share" in ops and self.tables[table].total_row is not None
        if query.asks_rate and not of_whole:
            # "what proportion were shortlisted": the rate the table publishes for the count
            # (but "what share of all selections" is a share of the total, not that rate)
            column = self._rate_of(table, column)
        total = self.tables[table].total_row
        if "share" in ops and total is not None and total.key in row_keys and len(row_keys) == 2:
            row_keys = tuple(r for r in row_keys if r != total.key)  # "of all applications"
        if "remainder" in ops:
            # the whole and the part done: both rows, the whole first
            row_keys = self._with_backed(table, rows, retrieved, row_keys)
            if len(row_keys) > 2:  # a rate named beside the counts is not one of them
                row_keys = tuple(r for r in row_keys if self._row_unit(table, r, column) == "count")
            if len(row_keys) == 2:
                part, whole = self._by_value(table, row_keys, lambda row: (row, column))
                row_keys, ops = (whole, part), ops | {"difference"}
            else:
                # or two counts of one row: "applicants from Africa who were not selected"
                remainder = self._column_remainder(query, table, in_table, row_keys)
                if remainder is not None:
                    return remainder
        operation = self._operation(ops, row_keys, previous)
        if operation == "share" and (
            self._is_percent(table, column) or self._rows_are_percent(table, row_keys)
        ):
            operation = "lookup"  # the share asked for is a published rate
        if operation in ("max", "min", "rank"):
            return self._ranking(
                query, ops, operation, table, column, columns, others, grounded, previous
            )
        operation, row_keys = self._change_rows(query, operation, table, column, row_keys)
        if operation == "difference" and previous is None and "remainder" not in ops:
            # a comparison is computed only between rows the question names in full
            # ("compared with the public sector average" is not "with the peer group")
            named_fully = {
                m.entity.key for m in rows if m.entity.table == table and m.score >= GOOD
            }
            if not set(row_keys) <= named_fully:
                return None
        if operation == "difference" and len(row_keys) < 2:
            row_keys = _last_two_rows(earlier, table, column)
            if len(row_keys) < 2:
                return None
            grounded = True
        if operation in ("lookup", "share") and not row_keys:
            row_keys, grounded = self._rows_unnamed(
                operation, table, columns, others, retrieved, previous, grounded
            )
        if not row_keys or not grounded:
            return None
        both = sum(m.score >= EXACT for m in in_table) >= 2 and query.joins
        if operation == "lookup" and (query.several or both):
            row_keys = self._several_rows(table, rows, retrieved, row_keys)
            several = self._several_columns(table, in_table) or self._measures_like(table, column)
            also = tuple(c for c in several if c != column)
            return FigureIntent(operation, table, column, row_keys, also=also)
        remainder = operation == "difference" and "remainder" in ops
        return FigureIntent(operation, table, column, row_keys, remainder=remainder)

    def _years_in_table(self, query: Query, table: str, rows: list[Mention]) -> list[Mention]:
        """Rows of the chosen table a year alone names ("2024年", "2025年呢？")."""
        named = {(m.entity.table, m.entity.key) for m in rows}
        return [
            m
            for m in query.mentions
            if m.entity.kind == "row"
            and m.entity.table == table
            and (m.entity.table, m.entity.key) not in named
            and PERIOD.search(m.entity.key)
        ]

    def _measure(
        self, query: Query, table: str, columns: list[Mention]
    ) -> tuple[list[Mention], str | None]:
        """The measures of ``table`` the question names, and the one it asks for."""
        in_table = [m for m in columns if m.entity.table == table]
        if query.asks_rate:
            # "what share was filled from outside": a rate named outright beats a count
            named_rates = [
                m for m in in_table if m.score >= 90 and self._is_percent(table, m.entity.key)
            ]
            # "most likely to make the shortlist": a count whose rate the table publishes
            with_rate = [m for m in in_table if self._rate_of(table, m.entity.key) != m.entity.key]
            in_table = named_rates or with_rate or in_table
        else:
            # "how many of those selected were P5 or above": a count, not a share
            counts = [m for m in in_table if self._is_count(table, m.entity.key)]
            in_table = counts or in_table
        return in_table, _nearest_to_cue(query, in_table)

    def _earlier_period(self, query: Query, table: str, previous: FigureIntent) -> tuple[str, ...]:
        """ "And the cycle before?": the earlier period of what was just asked."""
        if not query.earlier:
            return ()
        older = [self._periods_of(table, row)[:1] for row in previous.rows]
        return tuple(o[0] for o in older if o and o[0] not in previous.rows)

    def _carried_over(
        self,
        query: Query,
        ops: set[str],
        previous: FigureIntent,
        table: str,
        column: str | None,
        retrieved: list[tuple[str, str]],
    ) -> tuple[str, ...]:
        """The rows a follow-up that names none reads: another row of the last answer's
        table that it asks about plainly ("他们每年处理多少件申请？"), else the last answer's
        rows ("what was its shortlisting rate?", "how big a rise?")."""
        found = [r for t, r in retrieved[:1] if t == table and r not in previous.rows]
        asks_plainly = not ops - {"total"}
        if column == previous.column and found and query.names_something and asks_plainly:
            return tuple(found)
        return previous.rows if "difference" not in ops else ()

    def _ranking(
        self,
        query: Query,
        ops: set[str],
        operation: str,
        table: str,
        column: str,
        columns: list[Mention],
        others: list[Mention],
        grounded: bool,
        previous: FigureIntent | None,
    ) -> FigureIntent | None:
        """A ranking needs the measure named as written, not a row (or in full, in any
        form, when the question also names what is ranked: 哪个区域); a follow-up ("and the
        fewest?") ranks the measure of the last answer."""
        dimension = any(
            m.entity.kind == "dimension" and m.score >= EXACT and m.entity.table == table
            for m in others
        )
        least = GOOD if dimension else EXACT
        exact_column = any(m.score >= least and m.entity.table == table for m in columns)
        if not (exact_column or (grounded and previous is not None)):
            return None
        k = query.top_k
        if operation == "max" and k > 1 and ("share" in ops or query.asks_rate):
            # "what share did the top three send": the top k, added up, of the total
            return FigureIntent("top_share", table, column, (), k=k)
        if operation == "max" and "total" in ops and k > 1:
            # "the three biggest regions, taken together": the top k, added up
            return FigureIntent("top_sum", table, column, (), k=k)
        return FigureIntent(operation, table, column, ())

    def _change_rows(
        self, query: Query, operation: str, table: str, column: str, row_keys: tuple[str, ...]
    ) -> tuple[str, tuple[str, ...]]:
        """A change is read between two periods of a row, or of the table; without two,
        it is a lookup; a change of a count asked in percent is a growth rate."""
        if operation != "change":
            return operation, row_keys
        if len(row_keys) == 1:
            row_keys = self._periods_of(table, row_keys[0]) or row_keys
        if len(row_keys) < 2:
            row_keys = self._two_periods(table) or row_keys
        if len(row_keys) < 2:
            return "lookup", row_keys
        if query.growth and not self._is_percent(table, column):
            return "growth", row_keys
        return operation, row_keys

    def _rows_unnamed(
        self,
        operation: str,
        table: str,
        columns: list[Mention],
        others: list[Mention],
        retrieved: list[tuple[str, str]],
        previous: FigureIntent | None,
        grounded: bool,
    ) -> tuple[tuple[str, ...], bool]:
        """The rows a lookup reads when the question names none: the whole table's row if
        its measure or name is written out, or if a measure of a table with a total is named
        at all (a row the question does not name is never its subject: "有多少人被推荐" is
        everyone recommended, not the region the retriever ranks first); every category of a
        table of categories named; else the row the retriever ranks first in the table."""
        exact = any(m.score >= EXACT and m.entity.table == table for m in [*columns, *others])
        measure_named = any(m.entity.table == table for m in columns)
        total = self.tables[table].total_row is not None
        row_keys = self._whole(table) if exact or (measure_named and total) else ()
        grounded = grounded or bool(row_keys)
        if row_keys or previous is not None:
            return row_keys, grounded
        if operation == "lookup" and self._categories(table):
            # "how many applicants per vacancy" gives IT, managerial and P2 posts, not one
            named = any(
                m.score >= GOOD and m.entity.table == table and m.entity.kind == "table"
                for m in others
            )
            row_keys = tuple(r.key for r in self.tables[table].rows if not r.total) if named else ()
            grounded = bool(row_keys)
        if not row_keys and not any(m.entity.table == table for m in columns):
            # the row the retriever ranks first, only when the question names no measure of
            # the table: a measure named with no row asks for a whole the table does not have
            row_keys = tuple(r for t, r in retrieved[:1] if t == table)
            grounded = bool(row_keys)
        return row_keys, grounded

    def _several_rows(self, table, rows, retrieved, row_keys) -> tuple[str, ...]:
        """Every row the question names well (as written, or in part and found by the
        retriever too): "how many roles were identified, and how many people matched"."""
        top = {row for t, row in retrieved[:RETRIEVED_ROWS] if t == table}
        named = [
            m
            for m in rows
            if m.entity.table == table
            and (m.score >= EXACT or (m.score >= 85 and m.entity.key in top))
        ]
        return tuple(dict.fromkeys([*row_keys, *_in_order(named)]))

    def _measures_like(self, table: str, column: str) -> list[str]:
        """Every measure of the table in the unit of ``column`` ("男女人数各是多少")."""
        unit = next(c.unit for c in self.tables[table].columns if c.name == column)
        return [
            c.name
            for c in self.tables[table].columns
            if c.kind == "measure" and c.unit == unit and not c.derived
        ]

    def _several_columns(self, table: str, named: list[Mention]) -> list[str]:
        """The measures named in full, of one kind: "the men and the women", "what share
        of applicants, and what share of appointments"."""
        full = [m for m in named if m.score >= 85]
        return list(dict.fromkeys(m.entity.key for m in sorted(full, key=lambda m: m.start)))

    def _with_backed(self, table, rows, retrieved, row_keys) -> tuple[str, ...]:
        """The rows named, and those named in part that the retriever also finds."""
        top = {row for t, row in retrieved[:RETRIEVED_ROWS] if t == table}
        backed = [m for m in rows if m.entity.table == table and m.entity.key in top]
        return tuple(dict.fromkeys([*row_keys, *_in_order(backed)]))

    def _rows(
        self,
        table: str,
        rows: list[Mention],
        retrieved: list[tuple[str, str]],
        table_named: bool = False,
    ) -> tuple[tuple[str, ...], bool]:
        """The rows of ``table`` the question means, and whether that reading is grounded:
        named exactly, or among the rows the retriever ranks first."""
        in_table = [m for m in rows if m.entity.table == table]
        exact = [m for m in in_table if m.score >= GOOD]
        if exact:
            return _in_order(exact), True
        top_rows = [row for t, row in retrieved[:RETRIEVED_ROWS] if t == table]
        backed = [m for m in in_table if m.entity.key in top_rows]
        if backed:
            return _in_order(backed), True
        best = [m for m in in_table if m.score >= 85]
        if table_named and len(best) == 1:
            return _in_order(best), True  # the table named as written, and one row of it
        return _in_order(in_table), not in_table

    def _stage_rate(
        self,
        table: str,
        columns: list[Mention],
        rows: list[Mention],
        row_keys: tuple[str, ...],
    ) -> FigureIntent | None:
        """Two counts named in one table, and a rate asked for: the smaller as a share of
        the larger (a later stage of an earlier one), or the table's published rate of them."""
        named_rows = _in_order([m for m in rows if m.entity.table == table and m.score >= 95])
        count = self._count_column(table)
        if len(named_rows) == 2 and count is not None:
            part, whole = self._by_value(table, named_rows, lambda row: (row, count))
            return FigureIntent("share", table, count, (part, whole))
        named_columns = [
            m.entity.key
            for m in columns
            if m.entity.table == table and m.score >= 95 and self._is_count(table, m.entity.key)
        ]
        named_columns = list(dict.fromkeys(named_columns))
        at = row_keys[:1] or self._whole(table)
        if len(named_columns) != 2 or not at:
            return None
        part, whole = self._by_value(table, named_columns, lambda column: (at[0], column))
        for c in self.tables[table].columns:
            d = c.definition
            if d is not None and (d.numerator, d.denominator) == (part, whole):
                return FigureIntent("lookup", table, c.name, at)  # the report's own rate
        return FigureIntent("rate", table, part, at, denominator=whole)

    def _predicate_count(
        self, query: Query, column: str, named: list[Mention], row_keys: tuple[str, ...]
    ) -> str:
        """Of two counts named, the part the question says something of: "how many
        applicants made it to an interview", "how many of the appointments went to women"
        (but "how many men were selected" asks for the men, not for everyone selected)."""
        counts = [
            m for m in named if m.score >= 90 and self._is_count(m.entity.table, m.entity.key)
        ]
        said = {m.entity.key for m in counts if m.start in query.predicated}
        if len({m.entity.key for m in counts}) < 2 or len(said) != 1 or not row_keys:
            return column
        (other,) = said
        table = counts[0].entity.table
        part, _ = self._by_value(table, [other, column], lambda c: (row_keys[0], c))
        return other if part == other else column

    def _column_remainder(
        self, query: Query, table: str, named: list[Mention], row_keys: tuple[str, ...]
    ) -> FigureIntent | None:
        """Two counts of one row, the part negated: the larger less the smaller."""
        counts = [m.entity.key for m in named if self._is_count(table, m.entity.key)]
        # a count named in another table's terms ("申请人" as a pipeline stage) is the
        # measure of the same key here
        keys = {m.entity.key for m in query.mentions if m.score >= MENTIONED}
        columns = [c.name for c in self.tables[table].columns if c.name in keys]
        counts = list(dict.fromkeys([*counts, *(c for c in columns if self._is_count(table, c))]))
        at = row_keys[:1] or self._whole(table)
        if len(counts) != 2 or not at:
            return None
        part, whole = self._by_value(table, counts, lambda column: (at[0], column))
        return FigureIntent("column_difference", table, whole, at, denominator=part)

    def _same_measure_elsewhere(
        self, previous: FigureIntent, rows: list[Mention], columns: list[Mention]
    ) -> FigureIntent | None:
        """A follow-up that names a new row and no measure keeps the measure it follows,
        in the table that has both: "那非洲呢？" after the year's applications."""
        measure = self.measure_of(previous)
        named = [m for m in rows if m.score >= GOOD and m.entity.table != previous.table]
        if measure is None or not named or any(m.score >= GOOD for m in columns):
            return None
        for mention in sorted(named, key=lambda m: (-m.score, m.start, m.entity.table)):
            table = self.tables[mention.entity.table]
            if any(c.name == measure and c.kind == "measure" for c in table.columns):
                keys = _in_order([m for m in named if m.entity.table == table.id])
                return FigureIntent("lookup", table.id, measure, keys)
        return None

    def _derived_instead(self, intent: FigureIntent) -> FigureIntent | None:
        """The same reading of a derived measure in the unit of the one asked for, or a
        rate the table defines but does not publish for the row, computed from its parts."""
        columns = self.tables[intent.table].columns
        asked = next((c for c in columns if c.name == intent.column), None)
        if intent.operation == "lookup" and asked is not None and asked.definition is not None:
            d = asked.definition
            if d.denominator_row == "same":
                return replace(
                    intent, operation="rate", column=d.numerator, denominator=d.denominator
                )
        unit = next((c.unit for c in columns if c.name == intent.column), None)
        derived = [c.name for c in columns if c.derived and c.unit == unit and c.kind == "measure"]
        if intent.operation != "lookup" or len(derived) != 1 or derived[0] == intent.column:
            return None
        return replace(intent, column=derived[0], also=())

    def _per(self, query: Query, named: list[Mention]) -> FigureIntent | None:
        """ "平均每个空缺职位收到多少份申请", "applications per vacancy": one count over
        another, which may stand in other tables; None when a table gives it per row."""
        if query.per_at < 0 or any(
            m.score >= GOOD and (_per_names(m.entity) or m.entity.table in self._per_tables)
            for m in query.mentions
        ):
            return None  # a figure the report gives per vacancy, per person: read, not computed
        counts = [m for m in named if m.score >= GOOD and self._cell_of(m) is not None]
        over = [m for m in counts if query.per_at <= m.start <= query.per_at + 8]
        if not over:
            return None
        over_cell = self._cell_of(over[0])
        counted = [m for m in counts if self._cell_of(m) != over_cell]
        if not counted:
            return None
        table, row, column = self._cell_of(counted[0])
        try:
            count, divisor = (
                self.engine.lookup(*cell).value for cell in ((table, row, column), over_cell)
            )
        except TableError:
            return None
        if not 0 < divisor < count:
            return None  # "applications per region" is not 15,921 ÷ 15,921
        return FigureIntent("per", table, column, (row,), per=over_cell)

    def _cell_of(self, mention: Mention) -> tuple[str, str, str] | None:
        """The count cell a mention stands for: a row's count, or a measure's total."""
        table = mention.entity.table
        if mention.entity.kind == "column":
            whole = self._whole(table)
            if not whole or not self._is_count(table, mention.entity.key):
                return None
            return (table, whole[0], mention.entity.key)
        column = self._default_column(table, set())
        row = self.tables[table].row(mention.entity.key)
        unit = getattr(row, "unit", None) or next(
            (c.unit for c in self.tables[table].columns if c.name == column), None
        )
        return (table, mention.entity.key, column) if column and unit == "count" else None

    def _shown_table(self, query: Query) -> str | None:
        """The table a question names as written and asks to see ("what did X show?")."""
        if not query.shows:
            return None
        named = [
            m.entity.table for m in query.mentions if m.entity.kind == "table" and m.score >= EXACT
        ]
        return named[0] if len(set(named)) == 1 else None

    def _operation(self, ops: set[str], rows: tuple[str, ...], previous) -> str:
        if "ratio" in ops and len(rows) >= 2:
            return "ratio"
        if "max" in ops:
            return "max"
        if "min" in ops:
            return "min"
        if "rank" in ops:
            return "rank"
        if "share" in ops and len(rows) == 1:
            return "share"
        if "difference" in ops and len(rows) >= 2:
            return "difference"
        if "difference" in ops and previous is not None and not rows:
            return "difference"
        if "difference" in ops and len(rows) == 1:
            return "change"  # "比上一周期多了多少": one measure against its earlier period
        if "change" in ops:
            return "change"
        if "total" in ops and len(rows) >= 2:
            return "sum"  # "how many in total did the review cover" over the rows named
        return "lookup"

    def names_of(self, intent: FigureIntent) -> str:
        """Every name of the table, measure and rows an intent reads, in all languages."""
        wanted = {("table", intent.table), ("column", intent.column), ("dimension", intent.column)}
        wanted.add(("column", intent.denominator))
        wanted |= {("column", column) for column in intent.also}
        wanted |= {("row", row) for row in intent.rows}
        return " ".join(
            name.text
            for e in self.entities
            if e.table == intent.table
            and ((e.kind, e.key) in wanted or e.kind in ("table", "dimension"))
            for name in e.names
        )


def _per_names(entity: Entity) -> bool:
    return any(PER.search(n.text) for n in entity.names)


def _nearest_to_cue(query: Query, columns: list[Mention]) -> str | None:
    """Of several measures named, the one asked for: nearest the "how many" / "多少"."""
    if not columns:
        return None
    if query.cue_at < 0:
        return columns[0].entity.key
    return min(
        columns, key=lambda m: (m.score < EXACT, abs(m.start - query.cue_at), -m.score)
    ).entity.key


def _in_order(mentions: list[Mention]) -> tuple[str, ...]:
    """Row keys in the order the question names them, each once."""
    return tuple(dict.fromkeys(m.entity.key for m in sorted(mentions, key=lambda m: m.start)))


def _last_two_rows(earlier: list[FigureIntent], table: str, column: str | None) -> tuple:
    """The two rows most recently asked about with this measure ("the two")."""
    rows: list[str] = []
    for intent in reversed(earlier):
        if intent.table == table and intent.column == column:
            rows += [r for r in reversed(intent.rows) if r not in rows]
        if len(rows) >= 2:
            break
    return tuple(reversed(rows[:2]))
