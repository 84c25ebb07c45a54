"""A generated suite of paraphrases: every table cell asked in many ways, with noise.

For every numeric cell a user could ask about, questions are built from templates
(``paraphrase_words``) filled with the names the tables themselves give the table, its
column and its row (labels and aliases, in both languages), then made noisy the way people
type: typos, Traditional characters, full-width digits, polite preambles, casual lowercase.
Derived questions (share of the total, difference, ratio, sum of two rows), follow-up
conversations and questions about measures no table holds complete the suite. Every
expected figure is computed from the table's values, never written by hand.

The cases use the suite format of ``suite.py`` (``suite_yaml`` writes them), with tags
``kind:<template kind>``, ``noise:<noise kind>`` and ``table:<table id>`` so that pass
rates can be read per kind. Everything is deterministic given the seed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from random import Random
from typing import Any

import yaml

from assistant.evaluation import paraphrase_words as words
from ingest.tables import Column, Row, Table, load_tables

LANGUAGES = ("en", "zh")
NOISES = ("clean", "typo", "traditional", "fullwidth", "preamble", "casual")
KINDS = (
    "lookup",
    "lookup-table",
    "total",
    "share",
    "difference",
    "ratio",
    "sum",
    "followup",
    "refusal",
)
SIZES = {"small": 200, "large": None}  # None: every generated case
ASKABLE_UNITS = ("count", "percent", "days", "score", "ratio")
SHARE_TOL, RATIO_TOL = 0.1, 0.06  # one decimal of a percentage, two of a ratio
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Generated:
    """One generated case: its questions with what each answer must state, and its kinds."""

    id: str
    kind: str
    noise: str
    language: str
    table: str | None
    turns: tuple[tuple[str, dict[str, Any]], ...]  # (question, expect) in the suite format

    @property
    def tags(self) -> tuple[str, ...]:
        tags = (f"kind:{self.kind}", f"noise:{self.noise}", f"lang:{self.language}")
        return (*tags, f"table:{self.table}") if self.table else tags

    def as_suite_item(self) -> dict[str, Any]:
        """The case as a suite file writes it."""
        item: dict[str, Any] = {"id": self.id, "tags": list(self.tags)}
        if len(self.turns) == 1:
            question, expect = self.turns[0]
            return item | {"q": question, "expect": expect}
        return item | {"turns": [{"q": q, "expect": e} for q, e in self.turns]}


def generate_suite(corpus_dir: Path, size: str = "small", seed: int = 0) -> list[Generated]:
    """The generated cases of one size: ``small`` (about 200, for CI) or ``large`` (all)."""
    if size not in SIZES:
        raise ValueError(f"size should be one of {', '.join(SIZES)} (got {size!r})")
    cases = generate_all(corpus_dir, seed)
    limit = SIZES[size]
    return cases if limit is None else sample(cases, limit, seed)


def generate_all(corpus_dir: Path, seed: int = 0) -> list[Generated]:
    """Every case the tables give, each base question clean and with every noise that fits."""
    tables = load_tables(corpus_dir)
    report = _report_facts(corpus_dir)
    names = _Names(tables)
    year = report["year"]
    bases: list[_Base] = []
    for table in tables:
        bases.extend(_lookups(table, names, year))
        bases.extend(_totals(table, names, year))
        bases.extend(_derived(table, names))
        bases.extend(_follow_ups(table, names, year))
    bases.extend(_refusals(tables, names, report))
    return [case for base in bases for case in _with_noise(base, seed)]


def sample(cases: Sequence[Generated], size: int, seed: int = 0) -> list[Generated]:
    """About ``size`` cases: every table, kind, noise and language, then evenly by kind."""
    shuffled = list(cases)
    Random(seed).shuffle(shuffled)
    chosen: dict[str, Generated] = {}
    for key in ("table", "kind", "noise", "language"):
        for value in sorted({getattr(c, key) or "" for c in shuffled}):
            first = next(c for c in shuffled if (getattr(c, key) or "") == value)
            chosen.setdefault(first.id, first)
    groups: dict[tuple[str, str, str], list[Generated]] = defaultdict(list)
    for case in shuffled:
        groups[(case.kind, case.noise, case.language)].append(case)
    queues = [iter(groups[key]) for key in sorted(groups)]
    while len(chosen) < size and queues:
        for queue in list(queues):
            case = next(queue, None)
            if case is None:
                queues.remove(queue)
            elif len(chosen) < size:
                chosen.setdefault(case.id, case)
    order = {c.id: i for i, c in enumerate(cases)}
    return sorted(chosen.values(), key=lambda c: order[c.id])


def suite_yaml(cases: Sequence[Generated]) -> str:
    """The cases as a suite file (YAML, readable Chinese)."""
    items = [c.as_suite_item() for c in cases]
    return yaml.safe_dump({"cases": items}, allow_unicode=True, sort_keys=False, width=100)


def cell_values(table: Table) -> Iterator[tuple[Row, Column, int | float]]:
    """Every numeric cell a user could ask about: each measure of each row with a value."""
    for row in table.rows:
        for column in table.measures:
            value = row.values.get(column.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if table.unit_of(row, column) in ASKABLE_UNITS:
                yield row, column, value


# --- the questions ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Base:
    """A question (or conversation) before noise."""

    id: str
    kind: str
    language: str
    table: str | None
    turns: tuple[tuple[str, dict[str, Any]], ...]


def _lookups(table: Table, names: _Names, year: int) -> Iterator[_Base]:
    for row, column, value in cell_values(table):
        if row.total and not _indicator(column):
            continue  # asked as a total
        unit = "count" if table.unit_of(row, column) == "count" else "other"
        for lang in LANGUAGES:
            expect = _expect(lang, value)
            pairs = names.pairs(table, row, column, lang)
            if not pairs:
                continue
            if _indicator(column) or _rows_name_measure(table):
                templates = words.INDICATOR[lang][unit]
                in_table = words.INDICATOR_IN_TABLE[lang]
            else:
                templates = words.CELL[lang][unit]
                in_table = words.CELL_IN_TABLE[lang]
            if _YEAR.search(row.label[lang]):
                templates = tuple(t for t in templates if "{year}" not in t) or templates[-1:]
            stem = f"{table.id}.{row.key}.{column.name}.{lang}"
            for number, (row_name, column_name) in enumerate(pairs):
                template = templates[number % len(templates)]
                text = _fill(template, row=row_name, column=column_name, year=year)
                yield _Base(f"lookup.{stem}.{number}", "lookup", lang, table.id, ((text, expect),))
            # One name of the table per cell, each name in turn across the cells.
            table_names = names.of_table(table, lang)
            number = sum(map(ord, stem)) % len(table_names)
            row_name, column_name = pairs[number % len(pairs)]
            template = in_table[number % len(in_table)]
            text = _fill(template, row=row_name, column=column_name, table=table_names[number])
            base_id = f"lookup-table.{stem}.{number}"
            yield _Base(base_id, "lookup-table", lang, table.id, ((text, expect),))


def _totals(table: Table, names: _Names, year: int) -> Iterator[_Base]:
    total = table.total_row
    if total is None:
        return
    for row, column, value in cell_values(table):
        if row is not total or _indicator(column):
            continue
        unit = "count" if table.unit_of(row, column) == "count" else "other"
        for lang in LANGUAGES:
            templates = words.TOTAL[lang][unit]
            for number, column_name in enumerate(names.of_column(column, lang)):
                template = templates[number % len(templates)]
                text = _fill(template, column=column_name, year=year)
                base_id = f"total.{table.id}.{column.name}.{lang}.{number}"
                yield _Base(base_id, "total", lang, table.id, ((text, _expect(lang, value)),))


def _derived(table: Table, names: _Names) -> Iterator[_Base]:
    """Share of the total, difference, ratio and sum over rows of one count column."""
    total = table.total_row
    for column in table.measures:
        if _indicator(column) or _rows_name_measure(table) or column.unit != "count":
            continue
        rows = _sibling_rows(table, column)
        for lang in LANGUAGES:
            column_name = names.of_column(column, lang)[0]
            stem = f"{table.id}.{column.name}.{lang}"
            if total is not None and _number(total, column):
                for row in rows:
                    if row.parent != total.key:
                        continue
                    part, whole = _number(row, column), _number(total, column)
                    share = round(100 * part / whole, 1)
                    for number, template in enumerate(words.DERIVED["share"][lang]):
                        text = _fill(template, row=row.label[lang], column=column_name)
                        expect = _expect(lang, share, SHARE_TOL, (part, whole))
                        base_id = f"share.{stem}.{row.key}.{number}"
                        yield _Base(base_id, "share", lang, table.id, ((text, expect),))
            for a, b in _pairs(rows, column):
                high, low = _number(a, column), _number(b, column)
                computed = {
                    "difference": (high - low, None),
                    "ratio": (round(high / low, 2) if low else None, RATIO_TOL),
                    "sum": (high + low, None),
                }
                for kind, (value, tol) in computed.items():
                    if value is None or (kind == "difference" and value == 0):
                        continue
                    for number, template in enumerate(words.DERIVED[kind][lang]):
                        text = _fill(template, a=a.label[lang], b=b.label[lang], column=column_name)
                        expect = _expect(lang, value, tol, (high, low))
                        base_id = f"{kind}.{stem}.{a.key}.{b.key}.{number}"
                        yield _Base(base_id, kind, lang, table.id, ((text, expect),))


def _follow_ups(table: Table, names: _Names, year: int) -> Iterator[_Base]:
    """A lookup, then "And {other row}?" with the same measure, then its share of the total."""
    total = table.total_row
    for column in table.measures:
        if _indicator(column) or _rows_name_measure(table) or column.unit not in ASKABLE_UNITS:
            continue
        rows = _sibling_rows(table, column)
        for a, b in pairwise(rows):
            for lang in LANGUAGES:
                unit = "count" if column.unit == "count" else "other"
                template = words.CELL[lang][unit][0]
                column_name = names.of_column(column, lang)[0]
                first = _fill(template, row=a.label[lang], column=column_name, year=year)
                again, share = words.FOLLOW_UP[lang]
                turns = [
                    (first, _expect(lang, _number(a, column))),
                    (_fill(again, row=b.label[lang]), _expect(lang, _number(b, column))),
                ]
                if total is not None and column.unit == "count" and _number(total, column):
                    part, whole = _number(b, column), _number(total, column)
                    ratio = round(100 * part / whole, 1)
                    turns.append((share, _expect(lang, ratio, SHARE_TOL, (part, whole))))
                base_id = f"followup.{table.id}.{column.name}.{a.key}.{b.key}.{lang}"
                yield _Base(base_id, "followup", lang, table.id, tuple(turns))


def _refusals(tables: list[Table], names: _Names, report: dict[str, Any]) -> Iterator[_Base]:
    """Measures no table holds and the report never names, asked of a row or in general."""
    rows = [
        row.label
        for table in tables
        for row in table.rows
        if not row.total and any(not _indicator(c) for c in table.measures)
    ]
    for lang in LANGUAGES:
        measures = [m for m in words.ABSENT_MEASURES[lang] if _absent(m, report, names)]
        expect = {"status": "not_in_report", "lang": lang}
        for number, measure in enumerate(measures):
            row = rows[(number * 7) % len(rows)][lang]
            for variant, template in enumerate(words.REFUSAL[lang]):
                text = _fill(template, row=row, measure=measure, year=report["year"])
                base_id = f"refusal.{lang}.{number}.{variant}"
                yield _Base(base_id, "refusal", lang, None, ((text, expect),))


# --- names ------------------------------------------------------------------------------


class _Names:
    """The names the tables give their tables, columns and rows, without ambiguous ones.

    A (row name, column name) pair that reaches two cells of different values (an alias
    shared by two rows) is left out: the question would have no single right answer.
    """

    def __init__(self, tables: list[Table]) -> None:
        self._values: dict[tuple[str, str, str], set[float]] = defaultdict(set)
        for table in tables:
            for row, column, value in cell_values(table):
                for lang in LANGUAGES:
                    for r in self.of_row(row, lang):
                        for c in self._column_names(table, column, lang):
                            self._add(lang, r, c, value)
                    if row.total:  # a measure named alone is asked for its total
                        for c in self.of_column(column, lang):
                            self._add(lang, c, "", value)

    def _add(self, lang: str, row_name: str, column_name: str, value: float) -> None:
        self._values[(lang, row_name.casefold(), column_name.casefold())].add(float(value))

    def pairs(self, table: Table, row: Row, column: Column, lang: str) -> list[tuple[str, str]]:
        """(row name, column name) pairs, the labels first, the others in turn."""
        rows = self.of_row(row, lang)
        columns = self._column_names(table, column, lang)
        count = max(len(rows), len(columns))
        pairs = [(rows[i % len(rows)], columns[i % len(columns)]) for i in range(count)]
        return [
            (r, c) for r, c in pairs if len(self._values[(lang, r.casefold(), c.casefold())]) == 1
        ]

    @staticmethod
    def of_row(row: Row, lang: str) -> tuple[str, ...]:
        return _distinct((row.label[lang], *row.aliases.get(lang, ())))

    @staticmethod
    def of_column(column: Column, lang: str) -> tuple[str, ...]:
        return _distinct((column.label[lang], *column.aliases.get(lang, ())))

    @staticmethod
    def of_table(table: Table, lang: str) -> tuple[str, ...]:
        return _distinct((table.title[lang], *table.aliases.get(lang, ())))

    def _column_names(self, table: Table, column: Column, lang: str) -> tuple[str, ...]:
        """The column's names; none when the row names the measure."""
        if _indicator(column) or _rows_name_measure(table):
            return ("",)
        return self.of_column(column, lang)

    def all_names(self, lang: str) -> set[str]:
        return {name for (language, r, c) in self._values if language == lang for name in (r, c)}


def _distinct(names: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


# --- noise ------------------------------------------------------------------------------


def _with_noise(base: _Base, seed: int) -> Iterator[Generated]:
    """The question clean, then with every kind of noise that applies to its language."""
    for noise in NOISES:
        rng = Random(f"{seed}:{base.id}:{noise}")
        turns = []
        for question, expect in base.turns:
            noisy = add_noise(question, noise, base.language, rng)
            if noisy is None:
                break
            turns.append((noisy, expect))
        else:
            case_id = f"{base.id}.{noise}"
            yield Generated(case_id, base.kind, noise, base.language, base.table, tuple(turns))


def add_noise(question: str, noise: str, language: str, rng: Random) -> str | None:
    """The question with one kind of noise, or None when that noise does not apply to it."""
    if noise == "clean":
        return question
    if noise == "typo":
        return _typo(question, rng) if language == "en" else None
    if noise == "traditional":
        return _traditional(question) if language == "zh" else None
    if noise == "fullwidth":
        return question.translate(_FULLWIDTH) if re.search(r"\d", question) else None
    if noise == "preamble":
        preamble = rng.choice(words.PREAMBLES[language])
        if language == "en" and question[:2].istitle():
            question = question[0].lower() + question[1:]
        return preamble + question
    if noise == "casual":
        return _casual(question, language)
    raise ValueError(f"unknown noise {noise!r} (known: {', '.join(NOISES)})")


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_TYPO_WORD = re.compile(r"[A-Za-z]{5,}")


def _typo(question: str, rng: Random) -> str | None:
    """One word of five letters or more with two inner letters swapped, or one dropped."""
    found = list(_TYPO_WORD.finditer(question))
    if not found:
        return None
    match = rng.choice(found)
    word = match.group()
    at = rng.randrange(1, len(word) - 2)
    swapped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if swapped == word or rng.random() < 0.5:
        swapped = word[:at] + word[at + 1 :]
    return question[: match.start()] + swapped + question[match.end() :]


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _traditional(question: str) -> str | None:
    converted = _converter().convert(question)
    return converted if converted != question else None


_PUNCTUATION = re.compile(r"[?!.,:;'\"？！。，、：；“”‘’（）()]")


def _casual(question: str, language: str) -> str:
    if language == "zh":
        return _PUNCTUATION.sub("", question) + words.CASUAL_ZH_ENDING
    text = question.lower()
    for phrase in sorted(words.SHORTHAND, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(phrase)}\b", words.SHORTHAND[phrase], text)
    return re.sub(r"\s+", " ", _PUNCTUATION.sub("", text)).strip()


# --- helpers ------------------------------------------------------------------------------


def _indicator(column: Column) -> bool:
    """A column whose unit is given by the row: each row names its own measure."""
    return column.unit == "by_row"


def _rows_name_measure(table: Table) -> bool:
    """A table of one count without a total: each row names what is counted (stages...)."""
    measures = table.measures
    return len(measures) == 1 and measures[0].unit == "count" and table.total_row is None


def _number(row: Row, column: Column) -> int | float:
    value = row.values.get(column.name)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _sibling_rows(table: Table, column: Column) -> list[Row]:
    """Rows with a value that are parts of one whole (same parent), not the total."""
    rows = [r for r in table.rows if not r.total and _number(r, column)]
    parents = defaultdict(list)
    for row in rows:
        parents[row.parent].append(row)
    return max(parents.values(), key=len, default=[])


def _pairs(rows: list[Row], column: Column) -> Iterator[tuple[Row, Row]]:
    """Each row with the next two, the larger value first."""
    for i, a in enumerate(rows):
        for b in rows[i + 1 : i + 3]:
            yield (a, b) if _number(a, column) >= _number(b, column) else (b, a)


def _expect(
    lang: str, value: int | float, tol: float | None = None, inputs: Sequence[float] = ()
) -> dict[str, Any]:
    expect: dict[str, Any] = {"status": "answered", "lang": lang, "figures": [value]}
    if tol is not None:
        expect["tol"] = tol
    if inputs:
        expect["inputs"] = list(inputs)
    return expect


def _fill(template: str, **names: Any) -> str:
    text = template.format(**names)
    return re.sub(r"\s+", " ", text.replace(" ?", "?")).strip()


def _report_facts(corpus_dir: Path) -> dict[str, Any]:
    """The year the report covers and its text in both languages (to check refusals)."""
    folders = sorted((Path(corpus_dir) / "reports").glob("*/report.yaml"))
    if not folders:
        raise FileNotFoundError(f"No report.yaml under {corpus_dir}/reports.")
    folder = folders[0].parent
    meta = yaml.safe_load(folders[0].read_text(encoding="utf-8"))
    texts = {
        lang: "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob(f"*.{lang}.*")))
        for lang in LANGUAGES
    }
    return {"year": int(meta["year_covered"]), "text": texts}


def _absent(measure: str, report: dict[str, Any], names: _Names) -> bool:
    """Whether neither the report's text nor any table name mentions the measure."""
    folded = measure.casefold()
    text = report["text"]["zh"] + report["text"]["en"]
    if folded in text.casefold():
        return False
    return all(folded not in name for lang in LANGUAGES for name in names.all_names(lang))
