"""Read the numbers a text states, in any usual form.

``15,921``, ``15 921``, ``15'921``, ``24.8%``, full-width ``１５，９２１``, ``1.59万``,
Chinese numerals (``三十八``, ``百分之二十四点八``) and English number words up to
ninety-nine, cardinal or ordinal (``six``, ``eighty-sixth``). Signs are ignored: a
difference of 8.0 is stated by ``+8.0`` as well as by ``8.0``.
"""

from __future__ import annotations

import math
import re

import cn2an

from assistant.evaluation.text import without_references

Number = int | float

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_FULLWIDTH_GROUPING = re.compile(r"(?<=[０-９])，(?=[０-９]{3})")

# A grouping separator is unambiguous when it cannot also separate two numbers in a list.
_CLEAR_SEP = r"(?:,|'|’|\u2009|\u202f|\u00a0)"
_UNCLEAR_SEP = r"(?:,\x20|\x20)"
_NUMBER = re.compile(
    rf"""
    (?<![0-9A-Za-z.,'’])                             # not inside a word (P5, D1) or a number
    (?P<int>\d{{1,3}}(?:{_CLEAR_SEP}\d{{3}})+(?![0-9])    # 15,921
      |\d{{1,3}}(?:{_UNCLEAR_SEP}\d{{3}})+(?![0-9])       # 15 921, or a list "86, 452"
      |\d+)
    (?:\.(?P<frac>\d+))?
    (?:\s?(?P<scale>万|亿|thousand|million))?
    """,
    re.VERBOSE,
)
_SCALES = {"万": 10_000, "亿": 100_000_000, "thousand": 1_000, "million": 1_000_000}

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_DIGIT_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_NUMERAL = re.compile(rf"[{_CN_DIGITS}十百千万亿]+(?:点[{_CN_DIGITS}]+)?")

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_UNIT_ORDINALS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TEN_ORDINALS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
_WORD_VALUES = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: i for i, w in enumerate(_UNIT_ORDINALS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TEN_ORDINALS.split())},
    "hundred": 100,
}
_WORD = re.compile(
    r"\b(?:(?P<tens>"
    + "|".join(_TENS)
    + r")[-\s](?P<unit>"
    + "|".join(_UNITS[1:10] + _UNIT_ORDINALS[1:10])
    + r")|(?P<single>"
    + "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
    + r"))\b",
    re.IGNORECASE,
)


def read_numbers(text: str) -> list[float]:
    """Every value the text states, in reading order; ambiguous groupings give both readings.

    Paragraph references (¶69) and identifiers (wo-cc-86-inf-1:panel-19, WO/CC/86/INF/1)
    state no figure and are skipped.
    """
    text = without_references(_FULLWIDTH_GROUPING.sub(",", text).translate(_FULLWIDTH))
    values: list[float] = []
    for match in _NUMBER.finditer(text):
        values.extend(_digit_readings(match))
    values.extend(_chinese_numerals(text))
    values.extend(_number_words(text))
    return values


def states(text: str, expected: Number, tol: float) -> bool:
    """Whether the text states ``expected`` (an int exactly, a float within ``tol``)."""
    return any(matches(value, expected, tol) for value in read_numbers(text))


def matches(value: float, expected: Number, tol: float) -> bool:
    """An int matches exactly; a float matches within ``tol``; signs are ignored."""
    value, target = abs(value), abs(expected)
    if isinstance(expected, int):
        return value == target
    return math.isclose(value, target, abs_tol=tol + 1e-9)


def _digit_readings(match: re.Match[str]) -> list[float]:
    digits, frac, scale = match["int"], match["frac"], match["scale"]
    factor = _SCALES[scale.lower()] if scale else 1
    grouped = float(re.sub(r"\D", "", digits) + (f".{frac}" if frac else "")) * factor
    if not re.search(_UNCLEAR_SEP, digits):
        return [grouped]
    parts = [float(p) for p in re.split(r"\D+", digits)]
    parts[-1] = float(f"{int(parts[-1])}.{frac}") * factor if frac else parts[-1] * factor
    return [grouped, *parts]


def _chinese_numerals(text: str) -> list[float]:
    values: list[float] = []
    for match in _CN_NUMERAL.finditer(text.replace("百分之", " ")):
        run = match.group()
        if not re.search(f"[{_CN_DIGITS}十]", run):
            continue  # 百, 千万 and the like are words here, not numbers
        try:
            values.append(float(cn2an.cn2an(run, "smart")))
        except ValueError:
            if all(c in _CN_DIGIT_VALUES for c in run):  # 二〇二五, read digit by digit
                values.append(float("".join(str(_CN_DIGIT_VALUES[c]) for c in run)))
    return values


def _number_words(text: str) -> list[float]:
    values: list[float] = []
    for match in _WORD.finditer(text):
        if match["single"]:
            values.append(float(_WORD_VALUES[match["single"].lower()]))
        else:
            values.append(
                float(_WORD_VALUES[match["tens"].lower()] + _WORD_VALUES[match["unit"].lower()])
            )
    return values
