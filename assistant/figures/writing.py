"""From a reading to what the user sees: the figures computed, the sentence, the
citations (a table's row quoted readably, an English answer's English sentence) and the
chart's rows.

A mixin of ``FigureAnswerer``: it reads ``self.engine``, ``self.tables``, ``self.report``
and ``self.units`` (unit id → Unit, by language).
"""

from __future__ import annotations

from assistant.figures.engine import Ref
from assistant.figures.phrasing import sentence
from assistant.language.terms import sentences
from assistant.model import Citation, Figure, FigureIntent, Source
from ingest.errors import TableError


class FigureWriter:
    """Computing a reading's figures and writing them for the reader."""

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

    def _refs(self, figures: list[Figure], language: str) -> str:
        """The paragraphs and tables the figures come from, each once, in order."""
        sep = "、" if language == "zh" else ", "
        refs = (self._ref(s, language) for f in figures for s in f.sources)
        return sep.join(dict.fromkeys(refs))

    def _ref(self, source: Source, language: str) -> str:
        """¶N, or the title of the graphic or table the value is printed in."""
        if source.paragraph is not None:
            return f"¶{source.paragraph}"
        unit = self._unit(source.unit_id, language)
        return unit.ref if unit else source.unit_id

    def _unit(self, unit_id: str, language: str):
        """A unit in ``language``, else in whichever edition the report has."""
        for units in (self.units.get(language, {}), *self.units.values()):
            if unit_id in units:
                return units[unit_id]
        return None

    def citations(self, figures: list[Figure], language: str) -> list[Citation]:
        seen: dict[str, Citation] = {}
        for figure in figures:
            for source in figure.sources:
                if source.unit_id in seen:
                    continue
                seen[source.unit_id] = self._citation(source, language)
        return list(seen.values())

    def _citation(self, source: Source, language: str) -> Citation:
        table = self.tables.get(source.table)
        quoted = table.quote_language if table else language  # the edition quotes come from
        unit = self.units.get(language, {}).get(source.unit_id)
        if source.paragraph is None and table is not None:
            # a value printed in a table or graphic: its row, readably, under the table's title
            quote = self._row_quote(source, language)
        elif language == quoted or unit is None:
            quote = source.quote  # exact, from the edition the table quotes
        else:
            quote = _aligned(unit.text, source, self.engine, language)
        shown = unit or self._unit(source.unit_id, quoted)
        others = [lang for lang in self.units if lang != (language if unit else quoted)]
        other_unit = self.units[others[0]].get(source.unit_id) if others else None
        return Citation(
            ref=self._ref(source, language),
            paragraph=source.paragraph,
            section=" · ".join(shown.section) if shown else "",
            language=language if unit else quoted,
            quote=quote,
            unit_id=source.unit_id,
            other_language_quote=other_unit.text if other_unit else "",
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
