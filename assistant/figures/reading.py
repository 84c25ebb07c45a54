"""Answering figure questions from the tables, through the figures engine.

The question is understood into an operation over table cells (assistant.understanding.names);
the figures engine computes it; the answer states the figures with their formula and
cites the source rows. Returns None when the tables do not answer the question, so
the engine falls back to quoting the report's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.figures.engine import Ref
from assistant.figures.phrasing import sentence
from assistant.language.terms import LEXICON, sentences, tokens
from assistant.model import ANSWERED, Answer, Citation, Figure, Source
from assistant.understanding.names import (
    CUES,
    PEOPLE,
    Entity,
    Mention,
    Name,
    common_tokens,
    rows_are_measures,
)
from assistant.understanding.query import Query
from ingest.errors import TableError
from ingest.model import Report

RATE_CUE = LEXICON.pattern("rate")
# a question that asks for several figures at once
SEVERAL = LEXICON.pattern("several")
# what comes before the measure a question asks about: "were interviewed", "went to women"
PREDICATE = LEXICON.pattern("predicate")
EARLIER = LEXICON.pattern("earlier")
SHOW = LEXICON.pattern("show")
# "per vacancy", "每个空缺职位": what the count is divided by comes right after
PER = LEXICON.pattern("per")
TOP_K = LEXICON.pattern("top_k")
TOP_K_NUMBERS = LEXICON.top_k_numbers
WHICH = LEXICON.pattern("which")
AND = LEXICON.pattern("and")
GROWTH_CUE = LEXICON.pattern("growth")
PERIOD = re.compile(r"(19|20)\d\d|previous|prior|current")  # a row key that names a period
WEAK = 25.0  # a bare year ("2024年") names a row only this much, but within its table, enough
MENTIONED = 70.0  # less than this and a name is not taken as found
GOOD = 95.0  # every word of a name found, in any order or form: a row named
EXACT = 99.0  # a mention score this high means the name was found as written
MIN_TABLE_SCORE = 85.0  # less than this and the tables are not what the question is about
RETRIEVED_ROWS = 3  # how many of the retriever's top table rows back a reading
WHOLE_BONUS = 25.0  # what a total row adds when a question names a measure and no row
RATE_BONUS = 40.0  # what publishing the rate a question asks for adds to a table's score
CLOSE = 0.7  # a table scoring this share of the best one is weighed by what it accounts for
PERIOD_BONUS = 40.0  # what two periods add to a table's score for a question about change
UNNAMED_ROW = 0.25  # how much of that weight a retrieved row keeps when the question names it not
RETRIEVAL_WEIGHT = 45.0  # what the retriever's first row adds to its table's score


@dataclass(frozen=True)
class FigureIntent:
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


class FigureAnswerer:
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
    def load(cls, settings, report: Report) -> FigureAnswerer | None:
        from assistant.figures.engine import FiguresEngine
        from ingest.tables import load_tables

        tables = load_tables(settings.corpus_dir)
        if not tables:
            return None
        return cls(FiguresEngine(tables), tables, report)

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

    def _is_dimension_value(self, mention: Mention) -> bool:
        """A row that is one value of a breakdown (a region, a grade), not an indicator."""
        table = self.tables[mention.entity.table]
        key_column = next((c for c in table.columns if c.kind == "dimension"), None)
        return key_column is not None and key_column.unit == "text" and table.total_row is not None

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

    def _weakly_named(self, query: Query, retrieved: list[tuple[str, str]]) -> frozenset:
        """The retrieved rows the question names even by a year alone ("2024年")."""
        wanted = set(retrieved[:RETRIEVED_ROWS])
        return frozenset(
            (m.entity.table, m.entity.key)
            for m in query.mentions
            if m.entity.kind == "row" and (m.entity.table, m.entity.key) in wanted
        )

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

    def _by_value(self, table: str, keys, cell) -> tuple[str, str]:
        """Two rows or columns, the smaller value first."""
        try:
            values = {key: self.engine.lookup(table, *cell(key)).value for key in keys}
        except TableError:
            return keys[0], keys[1]
        part, whole = sorted(keys, key=lambda k: values[k])
        return part, whole

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

    def measure_of(self, intent: FigureIntent) -> str | None:
        """What a reading measures, by key: its column, or its row in a table whose rows
        are the measures (the pipeline's stages: one count column, no breakdown)."""
        if rows_are_measures(self.tables[intent.table]) and len(intent.rows) == 1:
            return intent.rows[0]
        return intent.column

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

    def _count_column(self, table: str) -> str | None:
        counts = [
            c.name for c in self.tables[table].columns if c.kind == "measure" and c.unit == "count"
        ]
        return counts[0] if len(counts) == 1 else None

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

    def _categories(self, table: str) -> bool:
        """A table whose rows are categories of one thing (regions, job families), not
        separate indicators, and that has no total row."""
        t = self.tables[table]
        return t.key not in ("indicator", "entry", "event") and t.total_row is None

    def _names_extreme(self, mention: Mention) -> bool:
        label = self.tables[mention.entity.table].row(mention.entity.key).label
        return any(CUES["max"].search(text) or CUES["min"].search(text) for text in label.values())

    def _shown_table(self, query: Query) -> str | None:
        """The table a question names as written and asks to see ("what did X show?")."""
        if not query.shows:
            return None
        named = [
            m.entity.table for m in query.mentions if m.entity.kind == "table" and m.score >= EXACT
        ]
        return named[0] if len(set(named)) == 1 else None

    def _names_change(self, mention: Mention) -> bool:
        label = self.tables[mention.entity.table].row(mention.entity.key).label
        return any(CUES["change"].search(text) for text in label.values())

    def _has_periods(self, table: str) -> bool:
        """Whether a change can be read in the table: rows of two periods of one thing."""
        return bool(self._two_periods(table)) or any(
            "previous" in r.key for r in self.tables[table].rows
        )

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

    def _default_column(self, table: str, ops: set[str]) -> str | None:
        """The measure a question means when it names none: the only one, or by its kind."""
        measures = [c for c in self.tables[table].columns if c.kind == "measure"]
        if len(measures) == 1:
            return measures[0].name
        wanted = "percent" if ops & {"share", "change"} else "count"
        return next((c.name for c in measures if c.unit == wanted), None)

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

    # --- computing ----------------------------------------------------------------------

    def compute(self, intent: FigureIntent) -> list[Figure]:
        e, t, c, rows = self.engine, intent.table, intent.column, intent.rows
        if intent.operation == "per" and intent.per is not None:
            count, over = e.lookup(t, rows[0], c), e.lookup(*intent.per)
            return [count, over, e.combine("ratio", Ref(t, rows[0], c), Ref(*intent.per))]
        if intent.operation in ("top_sum", "top_share"):
            top = list(e.top_k(t, c, k=intent.k))
            rows = [f.sources[0].row for f in top]
            together = e.sum(t, c, rows)
            if intent.operation == "top_sum":
                return [*top, together]
            return [*top, together, e.share_of_sum(t, c, rows)]
        if intent.operation == "max":
            return [e.max(t, c)]
        if intent.operation == "min":
            return [e.min(t, c)]
        if intent.operation == "rank":
            return list(e.top_k(t, c, k=len(self.tables[t].rows)))
        if intent.operation == "share" and len(rows) == 2:
            part, whole = rows
            return [e.lookup(t, part, c), e.lookup(t, whole, c), e.share(t, part, c, of=whole)]
        if intent.operation == "share":
            return [e.lookup(t, rows[0], c), e.share(t, rows[0], c)]
        if intent.operation == "rate":
            d = intent.denominator
            return [e.lookup(t, rows[0], c), e.lookup(t, rows[0], d), e.rate(t, rows[0], c, d)]
        if intent.operation == "difference":
            # the larger less the smaller: "how much lower" asks for a gap, not a sign
            a, b = self._by_value(t, rows[:2], lambda row: (row, c))[::-1]
            return [e.lookup(t, a, c), e.lookup(t, b, c), e.difference(t, a, b, c)]
        if intent.operation == "ratio":
            a, b = rows[0], rows[1]
            return [e.lookup(t, a, c), e.lookup(t, b, c), e.ratio(t, a, b, c)]
        if intent.operation == "column_difference":
            row, part = rows[0], intent.denominator
            moved = e.combine("difference", Ref(t, row, c), Ref(t, row, part))
            return [e.lookup(t, row, c), e.lookup(t, row, part), moved]
        if intent.operation == "sum":
            return [*(e.lookup(t, row, c) for row in rows), e.sum(t, c, list(rows))]
        if intent.operation == "growth":
            old, new = rows[0], rows[1]
            return [e.lookup(t, old, c), e.lookup(t, new, c), e.growth(t, old, new, c)]
        if intent.operation == "change":
            old, new = rows[0], rows[1]
            column = next(col for col in self.tables[t].columns if col.name == c)
            change = e.pp_change if column.unit == "percent" else e.difference
            moved = change(t, old, new, c) if change == e.pp_change else change(t, new, old, c)
            return [e.lookup(t, old, c), e.lookup(t, new, c), moved]
        return [e.lookup(t, row, col) for row in rows for col in (c, *intent.also)]

    # --- rendering ------------------------------------------------------------------------

    def render(self, intent: FigureIntent, figures: list[Figure], language: str) -> str:
        """One sentence in the question's language (templates in data); a reading no
        template fits is given figure by figure."""
        year = str(self.report.metadata.get("year_covered", ""))
        text = sentence(
            intent,
            figures,
            language,
            self.tables[intent.table],
            year,
            lambda shown: self._refs(shown, language),
        )
        if text:
            return text
        lines = []
        for figure in figures:
            label = figure.label.get(language) or figure.label.get("en", "")
            value = figure.display.get(language) or figure.display.get("en", "")
            sep = "、" if language == "zh" else ", "
            refs = sep.join(dict.fromkeys(self._ref(s, language) for s in figure.sources))
            formula = (figure.formula or {}).get(language)
            if language == "zh":
                line = f"{label}：{value}"
                if formula:
                    line += f"（计算：{formula}）"
                line += f"（来源：{refs}）。"
            else:
                line = f"{label}: {value}"
                if formula:
                    line += f" (computed: {formula})"
                line += f" (source: {refs})."
            lines.append(line)
        return "\n".join(lines)

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

    def _refs(self, figures: list[Figure], language: str) -> str:
        """The paragraphs and tables the figures come from, each once, in order."""
        sep = "、" if language == "zh" else ", "
        refs = (self._ref(s, language) for f in figures for s in f.sources)
        return sep.join(dict.fromkeys(refs))

    def _ref(self, source: Source, language: str) -> str:
        """¶N, or the title of the graphic or table the value is printed in."""
        if source.paragraph is not None:
            return f"¶{source.paragraph}"
        unit = self.units.get(language, {}).get(source.unit_id) or self.units["zh"].get(
            source.unit_id
        )
        return unit.ref if unit else source.unit_id

    def citations(self, figures: list[Figure], language: str) -> list[Citation]:
        seen: dict[str, Citation] = {}
        for figure in figures:
            for source in figure.sources:
                if source.unit_id in seen:
                    continue
                seen[source.unit_id] = self._citation(source, language)
        return list(seen.values())

    def _citation(self, source: Source, language: str) -> Citation:
        unit = self.units.get(language, {}).get(source.unit_id) or self.units["zh"].get(
            source.unit_id
        )
        other = "en" if language == "zh" else "zh"
        other_unit = self.units.get(other, {}).get(source.unit_id)
        zh_unit = self.units["zh"].get(source.unit_id)
        if source.paragraph is None and source.table in self.tables:
            # a value printed in a table or graphic: its row, readably, under the table's title
            quote = self._row_quote(source, language)
        elif language == "zh" or unit is None:
            quote = source.quote  # exact, from the Chinese edition
        else:
            quote = _aligned(unit.text, source, self.engine, language)
        return Citation(
            ref=self._ref(source, language),
            paragraph=source.paragraph,
            section=" · ".join(unit.section) if unit else "",
            language=language if unit else "zh",
            quote=quote,
            unit_id=source.unit_id,
            other_language_quote=(other_unit.text if other_unit else "")
            if language == "zh"
            else (zh_unit.text if zh_unit else ""),
        )

    def _row_quote(self, source: Source, language: str) -> str:
        """ "Recruitment by applicant region — Africa: applications 3,944; shortlisted 119; …"
        (the row's published values, in the answer's language)."""
        table = self.tables[source.table]
        row = table.row(source.row)
        values = []
        for column in table.columns:
            if column.kind != "measure" or column.derived:
                continue
            try:
                shown = self.engine.lookup(table.id, row.key, column.name).display
            except TableError:
                continue
            values.append(f"{_label(column.label, language)} {_label(shown, language)}")
        sep = "；" if language == "zh" else "; "
        title, name = _label(table.title, language), _label(row.label, language)
        colon = "：" if language == "zh" else ": "
        return f"{title} — {name}{colon}{sep.join(values)}"

    def chart(self, intent: FigureIntent, language: str) -> dict | None:
        table = self.tables[intent.table]
        if len(table.rows) < 3 or intent.column is None:
            return None
        try:
            ranked = self.engine.top_k(intent.table, intent.column, k=len(table.rows))
        except TableError:
            return None
        column = next(c for c in table.columns if c.name == intent.column)
        title = table.title.get(language, table.id)
        return {
            "title": f"{title} — {column.label.get(language, column.name)}",
            "unit": column.unit,
            "rows": [
                {
                    "label": table.row(f.sources[0].row).label.get(language, "")
                    if f.sources
                    else f.label.get(language, ""),
                    "value": f.value,
                    "highlight": any(s.row in intent.rows for s in f.sources),
                }
                for f in ranked
            ],
        }


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


def build_entities(tables) -> list[Entity]:
    """Every table, column and row as something a question can name."""
    entities = []
    for table in tables:
        entities.append(Entity("table", table.id, table.id, _names(table.title, table.aliases)))
        for column in table.columns:
            kind = "column" if column.kind == "measure" else "dimension"
            names = _names(column.label, column.aliases)
            entities.append(Entity(kind, table.id, column.name, names, column.unit))
        for row in table.rows:
            entities.append(Entity("row", table.id, row.key, _names(row.label, row.aliases)))
    return entities


def _names(label: dict[str, str], aliases: dict[str, list[str]] | None) -> tuple[Name, ...]:
    names = [Name(text, lang) for lang, text in label.items() if text]
    for lang, texts in (aliases or {}).items():
        names += [Name(text, lang) for text in texts if text]
    return tuple(names)


def _label(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def _aligned(text: str, source: Source, engine, language: str) -> str:
    """The sentences of a unit in the answer's edition that state the cell's value (the
    sentence aligned with the Chinese quote), else the whole unit."""
    try:
        shown = engine.lookup(source.table, source.row, source.column).display
    except (TableError, KeyError):
        return text
    value = _label(shown, language)
    found = [s for s in sentences(text) if value and value.rstrip("%") in s]
    return " ".join(found) if found else text
