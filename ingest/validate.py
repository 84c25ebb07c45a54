"""Validate every corpus file before anything is built from it.

Each file is checked for what would otherwise surface later as a traceback or a wrong
answer: its encoding (UTF-8, no control characters), its syntax (YAML, CSV, JSON Lines),
duplicate keys, and, for a table's CSV, the schema beside it: the header, a cell for every
column, numbers where numbers belong, counts of at least zero and percentage shares from
0 to 100, unique row keys. Every problem names the file, the line and the column, so a
corpus that does not validate is refused with a list of what to fix.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.errors import CorpusInvalidError
from ingest.tables import DATE, DIMENSION, MEASURE, PROVENANCE_COLUMNS, TABLES_DIR, UNITS
from ingest.yamlio import SafeLoader

# control characters no corpus text has a use for (tab, newline and carriage return pass)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
NON_NEGATIVE_UNITS = ("count", "days")
SHARE_UNITS = ("percent",)
MAX_LISTED = 30


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a corpus file, where it is."""

    path: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{where}: {self.message}"


def validate_corpus(corpus_dir: Path) -> None:
    """Raise CorpusInvalidError listing every problem (file:line:column) of the corpus."""
    problems = corpus_problems(corpus_dir)
    if problems:
        listed = "\n  ".join(str(p) for p in problems[:MAX_LISTED])
        more = f"\n  … and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        raise CorpusInvalidError(
            f"The corpus at {corpus_dir} has {len(problems)} problem(s); nothing was built and "
            f"the index in use is unchanged. Fix them and run 'report-assistant ingest' "
            f"again:\n  {listed}{more}"
        )


def corpus_problems(corpus_dir: Path) -> list[Problem]:
    """Every problem of every YAML, CSV, JSON Lines and text file under ``corpus_dir``."""
    problems: list[Problem] = []
    for path in corpus_files(corpus_dir):
        problems += file_problems(path, corpus_dir)
    return problems


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The corpus files, work files (names starting with a dot) left out."""
    return sorted(
        p
        for p in corpus_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
    )


def file_problems(path: Path, corpus_dir: Path) -> list[Problem]:
    """The problems of one file, by its kind."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Problem(path, None, None, f"cannot be read ({exc.strerror})")]
    text, problems = decoded(path, data)
    if text is None:
        return problems
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        problems += yaml_problems(path, text)
    elif suffix == ".csv":
        schema = path.with_suffix(".yaml")
        if path.parent.name == TABLES_DIR and schema.is_file():
            problems += table_csv_problems(path, text, schema)
        else:
            problems += csv_shape_problems(path, text)
    elif suffix == ".jsonl":
        problems += jsonl_problems(path, text)
    return problems


# --- encoding ---------------------------------------------------------------------------------


def decoded(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    """The file's text, or None with the place of its first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _place(data, exc.start)
        byte = data[exc.start : exc.start + 1].hex()
        return None, [
            Problem(path, line, column, f"not UTF-8 (byte 0x{byte}): save the file as UTF-8")
        ]
    problems = []
    for match in CONTROL.finditer(text):
        line, column = _text_place(text, match.start())
        code = f"U+{ord(match.group()):04X}"
        problems.append(Problem(path, line, column, f"control character {code}: remove it"))
        if len(problems) >= 5:
            break
    return text.removeprefix("\ufeff"), problems


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset, the column counted in characters."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def _text_place(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- YAML -------------------------------------------------------------------------------------


def yaml_problems(path: Path, text: str) -> list[Problem]:
    """Syntax, duplicate keys, a mapping at the top; a table schema's columns and rows."""
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        return [Problem(path, line, column, f"not valid YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return [Problem(path, None, None, f"not valid YAML: {exc}")]
    if root is None:
        return [Problem(path, 1, 1, "is empty: it should hold a mapping")]
    problems = list(duplicate_keys(path, root))
    if not isinstance(root, yaml.MappingNode):
        problems.append(Problem(path, *_mark(root), "should hold a mapping (key: value)"))
        return problems
    if problems:
        return problems
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:  # a tag or value that composes but does not load
        return [Problem(path, None, None, f"not valid YAML: {exc}")]
    if path.parent.name == TABLES_DIR:
        problems += schema_problems(path, root, data)
    return problems


def duplicate_keys(path: Path, node: yaml.Node) -> Iterator[Problem]:
    """Every key given twice in one mapping (YAML keeps the last silently)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    yield Problem(path, *_mark(key), f"duplicate key '{key.value}'")
                seen.add(key.value)
            yield from duplicate_keys(path, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from duplicate_keys(path, item)


def schema_problems(path: Path, root: yaml.MappingNode, data: dict) -> list[Problem]:
    """A table schema: its required keys, its columns' kinds and units, unique row keys."""
    problems = []
    for name in ("id", "title", "key", "columns", "rows"):
        if name not in data:
            problems.append(Problem(path, *_mark(root), f"missing '{name}'"))
    columns = _child(root, "columns")
    for node in columns.value if isinstance(columns, yaml.SequenceNode) else ():
        spec = _scalars(node)
        where = f"column '{spec.get('name', '?')}'"
        if "name" not in spec:
            problems.append(Problem(path, *_mark(node), "a column needs a 'name'"))
        if spec.get("kind") not in (DIMENSION, MEASURE):
            problems.append(
                Problem(path, *_mark(node), f"{where}: kind should be dimension or measure")
            )
        if spec.get("unit") not in UNITS:
            problems.append(
                Problem(path, *_mark(node), f"{where}: unit should be one of {', '.join(UNITS)}")
            )
    rows = _child(root, "rows")
    keys: set[str] = set()
    for node in rows.value if isinstance(rows, yaml.SequenceNode) else ():
        key = _scalars(node).get("key")
        if key is None:
            problems.append(Problem(path, *_mark(node), "a row needs a 'key'"))
        elif key in keys:
            problems.append(Problem(path, *_mark(node), f"duplicate row key '{key}'"))
        keys.add(key or "")
    return problems


def _child(node: yaml.MappingNode, name: str) -> yaml.Node | None:
    return next((v for k, v in node.value if getattr(k, "value", None) == name), None)


def _scalars(node: yaml.Node) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        k.value: v.value
        for k, v in node.value
        if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
    }


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# --- CSV --------------------------------------------------------------------------------------


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def csv_records(path: Path, text: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """A CSV's records with their line numbers, or why it cannot be read (no header)."""
    try:
        records = list(csv_rows(text))
    except csv.Error as exc:
        return [], [Problem(path, None, None, f"not valid CSV: {exc}")]
    if not records:
        return [], [Problem(path, 1, 1, "is empty: it needs a header line")]
    return records, []


def csv_shape_problems(path: Path, text: str) -> list[Problem]:
    """A CSV without a schema: every record has as many cells as the header."""
    records, problems = csv_records(path, text)
    if problems:
        return problems
    width = len(records[0][1])
    return [
        Problem(path, line, len(cells) + 1, f"{len(cells)} cells, the header has {width}")
        for line, cells in records[1:]
        if cells and len(cells) != width
    ]


def table_csv_problems(path: Path, text: str, schema_path: Path) -> list[Problem]:
    """A table's values against its schema: header, missing cells, types, ranges, keys."""
    try:
        schema = yaml.load(schema_path.read_text(encoding="utf-8"), Loader=SafeLoader)
        columns = [c for c in schema["columns"] if isinstance(c, dict) and "name" in c]
        key = schema["key"]
        row_units = {r["key"]: r.get("unit") for r in schema["rows"] if isinstance(r, dict)}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError):
        return []  # the schema's own problems are reported with the schema
    records, problems = csv_records(path, text)
    if problems:
        return problems
    expected = [c["name"] for c in columns] + list(PROVENANCE_COLUMNS)
    header = records[0][1]
    if header != expected:
        return [
            Problem(
                path,
                1,
                _first_difference(header, expected),
                f"header should be {','.join(expected)} (the schema's columns, then provenance)",
            )
        ]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    key_index = expected.index(key) if key in expected else 0
    for line, cells in records[1:]:
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) < len(expected):
            missing = ", ".join(expected[len(cells) :])
            problems.append(Problem(path, line, len(cells) + 1, f"missing cell(s) for {missing}"))
            continue
        if len(cells) > len(expected):
            problems.append(
                Problem(
                    path,
                    line,
                    len(expected) + 1,
                    f"{len(cells)} cells, the header has {len(expected)}",
                )
            )
            continue
        row_key = cells[key_index].strip()
        if row_key in seen:
            problems.append(
                Problem(
                    path,
                    line,
                    key_index + 1,
                    f"duplicate row key '{row_key}' (first on line {seen[row_key]})",
                )
            )
        seen.setdefault(row_key, line)
        for index, column in enumerate(columns):
            unit = row_units.get(row_key) if column.get("unit") == "by_row" else column.get("unit")
            message = cell_problem(cells[index], column, unit)
            if message:
                problems.append(
                    Problem(path, line, index + 1, f"column '{column['name']}': {message}")
                )
        sources = cells[expected.index("sources")].strip()
        if sources:
            try:
                json.loads(sources)
            except json.JSONDecodeError as exc:
                problems.append(
                    Problem(
                        path, line, expected.index("sources") + 1, f"'sources' is not JSON ({exc})"
                    )
                )
    return problems


def cell_problem(raw: str, column: dict[str, Any], unit: str | None) -> str | None:
    """What is wrong with one stored value (None when it is fine; an empty cell is no value)."""
    text = raw.strip()
    if not text or column.get("kind") != MEASURE or unit in (None, "text"):
        return None
    if unit == "date":
        return None if DATE.match(text) else f"{text!r} should be a date YYYY or YYYY-MM"
    if not NUMBER.fullmatch(text):
        return f"{text!r} is not a number (digits only: no separators, no % sign)"
    value = float(text)
    if unit == "count" and "." in text:
        return f"{text!r} is a count: write a whole number"
    if unit in NON_NEGATIVE_UNITS and value < 0:
        return f"{text} is negative: a {unit} is at least 0"
    if unit in SHARE_UNITS and not 0 <= value <= 100 and not column.get("derived_from"):
        return f"{text} is outside 0–100 for a percentage share"
    return None


def _first_difference(found: list[str], expected: list[str]) -> int:
    for index, (a, b) in enumerate(zip(found, expected, strict=False), 1):
        if a != b:
            return index
    return min(len(found), len(expected)) + 1


# --- JSON Lines -------------------------------------------------------------------------------


def jsonl_problems(path: Path, text: str) -> list[Problem]:
    """One JSON object per line, each with a string 'id' (unique) and a string 'text'."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(path, number, exc.colno, f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(path, number, 1, "should be a JSON object"))
            continue
        for name in ("id", "text"):
            if not isinstance(record.get(name), str):
                problems.append(Problem(path, number, 1, f"'{name}' should be a string"))
        unit_id = record.get("id")
        if isinstance(unit_id, str):
            if unit_id in seen:
                problems.append(
                    Problem(
                        path, number, 1, f"duplicate id '{unit_id}' (first on line {seen[unit_id]})"
                    )
                )
            seen.setdefault(unit_id, number)
    return problems
