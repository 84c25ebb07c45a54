"""The sentence of a figure answer, written from its reading and figures.

The wording is data (``assistant/language/vocabulary/phrasing.yaml``), one template per
language and operation; this module only fills the slots from the tables' own labels and
the figures the engine computed, so every number in the sentence is a figure's display.
"""

from __future__ import annotations

from functools import cache

import yaml

from assistant.language.lexicon import VOCABULARY_DIR
from assistant.model import Figure
from assistant.understanding.names import rows_are_measures
from ingest.errors import TableError


@cache
def templates() -> dict[str, dict[str, str]]:
    return yaml.safe_load((VOCABULARY_DIR / "phrasing.yaml").read_text(encoding="utf-8"))


def sentence(reading, figures: list[Figure], language: str, table, year: str, refs) -> str | None:
    """The answer as one sentence in ``language``, or None for a reading no template fits.

    ``table`` is the reading's table; ``refs(figures)`` gives the paragraphs or tables the
    figures come from, joined as the language writes a list.
    """
    words = templates().get(language) or templates()["en"]
    slots = _Slots(reading, figures, language, table, year, refs(figures))
    template, values = slots.fill()
    if template is None or template not in words:
        return None
    return words[template].format(**values)


class _Slots:
    """The words a template's slots take, from one reading."""

    def __init__(self, reading, figures: list[Figure], language: str, table, year, refs: str):
        self.reading, self.figures, self.language = reading, figures, language
        self.table, self.year, self.refs = table, year, refs
        self.sep = (templates().get(language) or templates()["en"])["separator"]

    def fill(self) -> tuple[str | None, dict[str, str]]:
        op = self.reading.operation
        filler = getattr(self, f"_{op}", None)
        if filler is None:
            return None, {}
        template, values = filler()
        base = {"year": self.year, "refs": self.refs, "value": self.shown(self.figures[-1])}
        formula = (self.figures[-1].formula or {}).get(self.language, "")
        return template, {**base, "formula": formula, "measure": self.measure(), **values}

    # --- the operations ----------------------------------------------------------------

    def _lookup(self) -> tuple[str, dict]:
        if len(self.figures) > 1:
            items = self.sep.join(f"{self.label(f)} {self.shown(f)}" for f in self.figures)
            return "several", {"items": items}
        row = self.reading.rows[0] if self.reading.rows else None
        if row is not None and self.stages():
            return "lookup_stage", {}
        if row is None or self.is_whole(row):
            return "lookup_whole", {}
        return "lookup_row", {"row": self.row(row)}

    def _max(self) -> tuple[str, dict]:
        return "max", {"row": self.row(self.figures[0].sources[0].row)}

    def _min(self) -> tuple[str, dict]:
        return "min", {"row": self.row(self.figures[0].sources[0].row)}

    def _rank(self) -> tuple[str, dict]:
        items = self.sep.join(f"{self.row(f.sources[0].row)} {self.shown(f)}" for f in self.figures)
        return "rank", {"items": items}

    def _top_sum(self) -> tuple[str, dict]:
        top = self.figures[: self.reading.k]
        names = self.sep.join(self.row(f.sources[0].row) for f in top)
        return "top_sum", {"k": str(self.reading.k), "names": names}

    def _top_share(self) -> tuple[str, dict]:
        _, values = self._top_sum()
        return "top_share", {**values, "sum": self.shown(self.figures[-2])}

    def _share(self) -> tuple[str, dict]:
        rows = self.reading.rows
        if len(rows) == 2 and not self.is_whole(rows[1]):
            return "share", {"row": self.row(rows[0]), "whole": self.row(rows[1])}
        return "share_of_total", {"row": self.row(rows[0])}

    def _rate(self) -> tuple[str, dict]:
        return "rate", {"row": self.row(self.reading.rows[0])}

    def _difference(self) -> tuple[str, dict]:
        a, b = (f.sources[0].row for f in self.figures[:2])
        if getattr(self.reading, "remainder", False):
            whole, part = self.figures[0], self.figures[1]
            return "remainder", {
                "whole": self.row(whole.sources[0].row) if self.stages() else self.measure(),
                "whole_value": self.shown(whole),
                "part": self.row(part.sources[0].row) if self.stages() else self.measure(),
                "part_value": self.shown(part),
            }
        if self.stages():
            return "difference_stages", {"a": self.row(a), "b": self.row(b)}
        template = "difference_rate" if self.figures[0].unit == "percent" else "difference"
        return template, {"a": self.row(a), "b": self.row(b)}

    def _column_difference(self) -> tuple[str, dict]:
        whole, part = self.figures[0], self.figures[1]
        row = self.reading.rows[0]
        where = "" if self.is_whole(row) else self.row(row)
        return "remainder", {
            "whole": self.column(self.reading.column, where),
            "whole_value": self.shown(whole),
            "part": self.column(self.reading.denominator, ""),
            "part_value": self.shown(part),
        }

    def _ratio(self) -> tuple[str, dict]:
        a, b = self.reading.rows[:2]
        return "ratio", {"a": self.row(a), "b": self.row(b)}

    def _sum(self) -> tuple[str, dict]:
        return "sum", {"names": self.sep.join(self.row(r) for r in self.reading.rows)}

    def _change(self) -> tuple[str, dict]:
        old, new = self.figures[0], self.figures[1]
        return "change", {
            "old": self.shown(old),
            "new": self.shown(new),
            "from": self.row(old.sources[0].row),
            "to": self.row(new.sources[0].row),
        }

    def _growth(self) -> tuple[str, dict]:
        return "growth", self._change()[1]

    def _per(self) -> tuple[str, dict]:
        return "per", {"per": self.label(self.figures[1])}

    # --- words ----------------------------------------------------------------------------

    def measure(self) -> str:
        """What is measured: the column's label, or the row's where rows are the measures."""
        if self.stages() and self.reading.rows and self.reading.operation in ("lookup", "per"):
            return self.row(self.reading.rows[0])
        return self.column(self.reading.column, "")

    def column(self, name: str | None, where: str) -> str:
        column = next((c for c in self.table.columns if c.name == name), None)
        text = _in(column.label, self.language) if column else ""
        text = _lower_first(text) if self.language == "en" else text
        if not where:
            return text
        return f"{text} for {where}" if self.language == "en" else f"{where}的{text}"

    def row(self, key: str) -> str:
        try:
            return _in(self.table.row(key).label, self.language)
        except TableError:  # a row of another table (a 'per' divisor)
            return key

    def label(self, figure: Figure) -> str:
        return _in(figure.label, self.language)

    def shown(self, figure: Figure) -> str:
        return _in(figure.display, self.language)

    def stages(self) -> bool:
        """A table whose rows are the measures: its one measure column is named only by a
        generic word ("count", "value", "人数")."""
        return rows_are_measures(self.table)

    def is_whole(self, key: str) -> bool:
        total = self.table.total_row
        return total is not None and total.key == key


def _in(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def _lower_first(text: str) -> str:
    """'Applications' → 'applications', but 'UN scorecard' and 'IT posts' stay."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
