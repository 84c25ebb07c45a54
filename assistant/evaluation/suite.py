"""Q&A suites: the YAML/JSONL format, validated completely before anything runs.

A suite file is outside input, so every case is validated with pydantic and every
problem is reported with its file, line, case id and field, all at once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from assistant.model import ANSWERED
from ingest.errors import SuiteError

SUFFIXES = (".yaml", ".yml", ".jsonl")
Number = StrictInt | StrictFloat
Text = Annotated[StrictStr, Field(min_length=1)]
DEFAULT_TOL = 0.05
# Expectations about what an answer says; with any of them and no status, status is answered.
CONTENT_KEYS = ("figures", "paragraphs", "contains_all", "contains_any")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _listify(value: Any) -> Any:
    """A single string is accepted where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


class Expectations(_Strict):
    """What a right answer looks like; every key is optional."""

    status: Literal["answered", "not_in_report", "invalid_input"] | None = None
    lang: Literal["zh", "en"] | None = None
    figures: tuple[Number, ...] = ()
    tol: Annotated[Number, Field(ge=0)] = DEFAULT_TOL
    paragraphs: tuple[Annotated[StrictInt, Field(ge=1)], ...] = ()
    contains_all: tuple[Text, ...] = ()
    contains_any: tuple[Text, ...] = ()
    regex: Text | None = None
    not_figures: tuple[Number, ...] = ()
    not_contains: tuple[Text, ...] = ()
    # The numbers a computed figure is worked out from: an answer that states them and not
    # the figure fails, but is counted as incomplete rather than as giving a wrong figure.
    inputs: tuple[Number, ...] = ()
    # The symbol of the report every citation must come from ("WO/CC/66/1").
    from_report: StrictStr | None = None

    @field_validator("contains_all", "contains_any", "not_contains", mode="before")
    @classmethod
    def _text_lists(cls, value: Any) -> Any:
        return _listify(value)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression ({exc})") from None
        return value

    @property
    def expected_status(self) -> str | None:
        """The status to check: the one given, else ``answered`` if content is expected."""
        if self.status is not None:
            return self.status
        return ANSWERED if any(getattr(self, key) for key in CONTENT_KEYS) else None

    def is_empty(self) -> bool:
        """Whether nothing at all would be checked."""
        return not self.model_fields_set - {"tol", "inputs"}


class Alternative(Expectations):
    """One alternative of ``any_of``: laid over the keys of the expectation around it."""


class Expect(Expectations):
    """Expectations, plus alternatives of which at least one must hold."""

    any_of: tuple[Alternative, ...] = ()

    def alternatives(self) -> tuple[Expectations, ...]:
        """The expectations to try: this one, or each alternative merged over the rest."""
        if not self.any_of:
            return (self,)
        base = self.model_dump(exclude={"any_of"}, exclude_unset=True)
        return tuple(
            Expectations(**(base | alt.model_dump(exclude_unset=True))) for alt in self.any_of
        )

    def expected_paragraphs(self) -> tuple[int, ...]:
        """Every paragraph any alternative accepts."""
        return tuple(sorted({p for alt in self.alternatives() for p in alt.paragraphs}))

    def is_empty(self) -> bool:
        return super().is_empty() and not self.any_of


class Repeat(_Strict):
    """A long question written compactly: ``{repeat: "text", times: N}``."""

    repeat: Text
    times: Annotated[StrictInt, Field(ge=1, le=1_000_000)]


Question = StrictStr | Repeat


def question_text(q: Question) -> str:
    return q if isinstance(q, str) else q.repeat * q.times


class TurnModel(_Strict):
    q: Question
    expect: Expect = Expect()


class CaseModel(_Strict):
    """One case as written: a question with its expectations, or a conversation of turns."""

    id: Annotated[StrictStr, Field(pattern=r"^\S+$")]
    tags: tuple[Annotated[StrictStr, Field(pattern=r"^\S+$")], ...] = ()
    report: StrictStr | None = None  # the report chosen to ask (symbol, folder or year)
    q: Question | None = None
    expect: Expect | None = None
    turns: tuple[TurnModel, ...] | None = None

    @field_validator("tags", mode="before")
    @classmethod
    def _tag_list(cls, value: Any) -> Any:
        return _listify(value)

    @model_validator(mode="after")
    def _question_or_turns(self) -> CaseModel:
        if "q" in self.model_fields_set and self.q is None:
            raise ValueError('q: is empty; write q: "" to ask an empty question')
        if self.q is not None and self.turns is not None:
            raise ValueError("q/turns: give q (one question) or turns (a conversation), not both")
        if self.q is None and self.turns is None:
            raise ValueError("q/turns: give q (one question) or turns (a conversation)")
        if self.turns is not None:
            if not self.turns:
                raise ValueError("turns: is empty; give at least one {q, expect}")
            if self.expect is not None:
                raise ValueError("expect: belongs inside each turn when the case has turns")
            if all(t.expect.is_empty() for t in self.turns):
                raise ValueError("turns: no turn says what a right answer looks like (expect)")
        elif self.expect is None or self.expect.is_empty():
            raise ValueError("expect: missing or empty; say what a right answer looks like")
        return self


@dataclass(frozen=True)
class Turn:
    """One question of a case and what its answer must satisfy."""

    question: str
    expect: Expect


@dataclass(frozen=True)
class Case:
    """A validated case, with where it was written."""

    id: str
    file: str
    line: int | None
    tags: tuple[str, ...]
    turns: tuple[Turn, ...]
    conversation: bool  # True: asked in one conversation; False: a single question
    report: str | None = None  # the report chosen to ask (None: the engine's default)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def load_suites(paths: list[Path]) -> list[Case]:
    """Every case of every suite file (folders are searched); all problems raised together."""
    problems: list[str] = []
    cases: list[Case] = []
    for path in _suite_files(paths, problems):
        cases.extend(_load_file(path, problems))
    seen: dict[str, Case] = {}
    for case in cases:
        if case.id in seen:
            first = seen[case.id].where
            problems.append(
                f"{case.where}: case '{case.id}': id: duplicate (first used at {first})"
            )
        else:
            seen[case.id] = case
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise SuiteError(f"The suite has {count}; nothing was run:\n" + "\n".join(problems))
    if not cases:
        raise SuiteError(f"No cases in {', '.join(str(p) for p in paths)}.")
    return cases


def select(cases: list[Case], tags: list[str]) -> list[Case]:
    """The cases that carry at least one of ``tags`` (all cases when no tags are given)."""
    wanted = {t.strip() for tag in tags for t in tag.split(",") if t.strip()}
    return [c for c in cases if not wanted or wanted & set(c.tags)]


def _suite_files(paths: list[Path], problems: list[str]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not found:
                problems.append(f"{path}: no suite files ({', '.join(SUFFIXES)}) in this folder")
            files.extend(found)
        elif not path.is_file():
            problems.append(f"{path}: no such file")
        elif path.suffix not in SUFFIXES:
            problems.append(f"{path}: a suite file ends in {', '.join(SUFFIXES)}")
        else:
            files.append(path)
    return files


def _load_file(path: Path, problems: list[str]) -> list[Case]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc})")
        return []
    raw = (
        _read_jsonl(path, text, problems)
        if path.suffix == ".jsonl"
        else _read_yaml(path, text, problems)
    )
    cases: list[Case] = []
    for index, (line, item) in enumerate(raw):
        case = _validate_case(path, index, line, item, problems)
        if case is not None:
            cases.append(case)
    return cases


def _read_jsonl(path: Path, text: str, problems: list[str]) -> list[tuple[int | None, Any]]:
    items: list[tuple[int | None, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not a JSON object ({exc.msg})")
    return items


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' is written twice", key_node.start_mark
                )
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path, text: str, problems: list[str]) -> list[tuple[int | None, Any]]:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        problems.append(f"{path}: not valid YAML: {' '.join(str(exc).split())}")
        return []
    if not isinstance(data, dict) or "cases" not in data:
        problems.append(f"{path}: a suite file holds a mapping with one key, 'cases'")
        return []
    extra = sorted(str(k) for k in data if k != "cases")
    if extra:
        problems.append(f"{path}: unknown top-level key(s) {', '.join(extra)} (only 'cases')")
    if not isinstance(data["cases"], list):
        problems.append(f"{path}: 'cases' should be a list of cases")
        return []
    lines = _case_lines(root)
    return [(lines[i] if i < len(lines) else None, item) for i, item in enumerate(data["cases"])]


def _case_lines(root: yaml.Node | None) -> list[int]:
    """The line on which each item of the 'cases' list starts."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "cases" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _validate_case(
    path: Path, index: int, line: int | None, item: Any, problems: list[str]
) -> Case | None:
    where = f"{path}:{line}" if line else str(path)
    if not isinstance(item, dict):
        problems.append(f"{where}: case #{index + 1}: a case is a mapping (id, q, expect, ...)")
        return None
    case_id = item.get("id")
    name = f"case '{case_id}'" if isinstance(case_id, str) and case_id else f"case #{index + 1}"
    try:
        model = CaseModel.model_validate(item)
    except ValidationError as exc:
        problems.extend(f"{where}: {name}: {line}" for line in _describe_all(exc.errors()))
        return None
    if model.turns is None:
        turns = (Turn(question_text(model.q), model.expect),)  # type: ignore[arg-type]
    else:
        turns = tuple(Turn(question_text(t.q), t.expect) for t in model.turns)
    conversation = model.turns is not None
    return Case(model.id, str(path), line, model.tags, turns, conversation, model.report)


_UNION_MEMBERS = ("str", "Repeat", "int", "float")


def _describe_all(errors: list[dict[str, Any]]) -> list[str]:
    """Pydantic errors as 'field: what is wrong (got ...)', one line per field."""
    lines: dict[str, str] = {}
    for error in errors:
        members = [part for part in error["loc"] if part in _UNION_MEMBERS]
        if members and members[-1] == "str" and any("Repeat" in e["loc"] for e in errors):
            continue  # q was a mapping: what is wrong inside it is the useful part
        if members and members[-1] == "Repeat" and error["type"] == "model_type":
            continue  # q was neither a string nor a mapping: the string error says so
        path = _field_path(error["loc"])
        if path in lines:
            continue
        if members and members[-1] in ("int", "float"):
            lines[path] = f"{path}: should be a number (got {_shown(error.get('input'))})"
        else:
            lines[path] = _describe(error, path)
    return list(lines.values())


def _describe(error: dict[str, Any], path: str) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        parent = _model_at(error["loc"][:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        return f"{path}: unknown key" + (f" (allowed: {allowed})" if allowed else "")
    if kind == "missing":
        return f"{path}: required"
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
        return f"{path}: {message}" if path else message
    if kind == "string_pattern_mismatch":
        message = "should be one word, without spaces"
    elif kind == "string_type" and path.endswith("q"):
        message = 'should be a string, or {repeat: "text", times: N}'
    else:
        message = message.removeprefix("Input ").removeprefix("String ")
    return f"{path or 'case'}: {message} (got {_shown(error.get('input'))})"


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_path(loc: tuple[Any, ...]) -> str:
    """('turns', 1, 'expect', 'figures', 0) -> 'turns[1].expect.figures[0]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _UNION_MEMBERS:
            continue  # pydantic names the member of a union it tried; the field is enough
        else:
            out += f".{part}" if out else str(part)
    return out


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class a location points into, to list its allowed keys."""
    model: type[BaseModel] = CaseModel
    for part in loc:
        if isinstance(part, int):
            continue
        if part == "expect":
            model = Expect
        elif part == "any_of":
            model = Alternative
        elif part == "turns":
            model = TurnModel
        elif part == "Repeat":
            model = Repeat
        elif part in ("q", "str"):
            continue
        else:
            return None
    return model
