"""Check that a translated unit keeps the figures and the vocabulary of its source.

Two checks, both cheap enough to run on every unit of every edition:

* ``numbers_in`` reads the figures of a text in either language and normalises them, so
  that a faithful translation has exactly the same multiset of figures as its source:
  ``15,921`` = ``15 921`` = ``15921``; ``3. 0%`` = ``3.0%`` = ``3.0 per cent``;
  ``2025年9月`` = ``September 2025``; ``第八十六届`` = ``eighty-sixth`` = ``86th``;
  ``三大支柱`` = ``three pillars``; ``一半`` = ``half``.
* ``glossary_problems`` lists the glossary terms of a Chinese unit whose English term (or
  one of its English aliases) is missing from the translation.

What counts as a figure is a choice, and the rules are the same on both sides:

* Digits always count, with a percent sign, a ratio (``50:50``) or a trailing minus
  (the score ``3-``) kept as part of the figure. Months count as ``month:N``.
* Chinese number words count (``三`` = 3, ``两`` = 2, ``十`` = 10, ``八十六`` = 86), except
  a lone ``一``: in Chinese it is mostly an article or part of a word (一个明确信号 "a
  clear signal", 一致, 统一), so English ``one`` never counts either. ``一`` does count
  inside a larger numeral (十一, 一百), after ``第`` (第一章 = Chapter 1), and in ``一半``.
* "First" counts: ``第一`` and ``首次``/``首个``/``首期``/``首年``/``首先``... on the Chinese
  side, ``first`` on the English side (but not ``first aid``); ``首选`` ("preferred") is
  not a figure.
* A few set phrases whose numerals are not figures are skipped: 合二为一 ("as one"),
  一对一 ("one-to-one"), 二者/两者/这两 ("both": they point back to two things already
  counted), 两年期 ("biennium"), 十分 ("very")...
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import cn2an
import yaml

from ingest.errors import CorpusError
from ingest.yamlio import load_yaml

# --- figures written with digits (both languages) ----------------------------------------

_GROUPED_EN = r"\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)"
# PDF extraction splits "15,921" after its comma: "15, 921".
_GROUPED_ZH = r"\d{1,3}(?:, ?\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)"
_DECIMAL = r"(?:\.\d+|\.\s\d+(?=\s?[%％]))"  # "3. 0%" is an extraction split of "3.0%"
_PERCENT = r"\s?(?:%|％|\s?per\s?cent\b|\s?percent\b)"
_SCORE_MINUS = r"-(?=[\s,.;:)\]，。；：、）]|$)"  # the score "3-", not a range "2026-2027"


def _figure_pattern(grouped: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\d.])(?:(?P<ratio>\d+(?::\d+)+)"
        rf"|(?P<number>(?:{grouped}|\d+){_DECIMAL}?)(?P<percent>{_PERCENT})?(?P<minus>{_SCORE_MINUS})?)"
    )


_FIGURE_EN = _figure_pattern(_GROUPED_EN)
_FIGURE_ZH = _figure_pattern(_GROUPED_ZH)

# --- English words ------------------------------------------------------------------------

_UNITS = "zero one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_UNITS = "zeroth first second third fourth fifth sixth seventh eighth ninth".split()
_ORDINAL_TEENS = (
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth"
).split()
_ORDINAL_TENS = [t[:-1] + "ieth" for t in _TENS]  # twentieth ... ninetieth

_WORD_VALUES: dict[str, int] = {}
for _n, _w in enumerate(_UNITS):
    _WORD_VALUES[_w] = _n
for _n, _w in enumerate(_ORDINAL_UNITS):
    _WORD_VALUES[_w] = _n
for _n, _w in enumerate(_TEENS + _ORDINAL_TEENS):
    _WORD_VALUES[_w] = 10 + _n % 10
for _n, _w in enumerate(_TENS + _ORDINAL_TENS):
    _WORD_VALUES[_w] = 20 + 10 * (_n % 8)
_WORD_VALUES.pop("zeroth")

_UNIT_WORD = "|".join(_UNITS[1:] + _ORDINAL_UNITS[1:])
_NUMBER_WORD = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:-(?P<unit>{_UNIT_WORD}))?"
    rf"|(?P<word>{'|'.join(_UNITS + _TEENS + _ORDINAL_UNITS[1:] + _ORDINAL_TEENS + _ORDINAL_TENS)})"
    rf"(?:[\s-]+(?P<scale>hundred|thousand)\b)?"
    rf"|(?P<half>half))\b",
    re.IGNORECASE,
)
_NOT_FIGURES_EN = re.compile(r"\bfirst[\s-]+aid\b|\bfirst-hand\b", re.IGNORECASE)

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH_EN = re.compile(
    rf"(?P<day>\b\d{{1,2}}(?:st|nd|rd|th)?\s+)?\b(?P<month>{'|'.join(_MONTHS)})\b"
    r"(?P<after>,?\s+\d{1,4}\b)?"
)

# --- Chinese words ------------------------------------------------------------------------

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CN_NUMERAL = re.compile(
    rf"(?P<percent>百分之)(?P<pvalue>[{_CN_DIGITS}]+)"
    rf"|(?P<half>一半|半数)"
    rf"|第(?P<ordinal>[{_CN_DIGITS}]+)"
    r"|(?P<first>首)(?=[次个届批期年位先])"
    rf"|(?P<run>[{_CN_DIGITS}]+)"
)
# Set phrases whose numerals are not figures (see the module docstring).
_NOT_FIGURES_ZH = (
    "合二为一",
    "一对一",
    "二者",
    "两者",
    "这两",
    "两年期",
    "十分",
    "万一",
    "独一无二",
    "一五一十",
    "千方百计",
    "四面八方",
    "三思",
)
_PERCENT_ZH = re.compile(r"百分之\s?(\d+(?:\.\d+)?)")  # 百分之50 -> 50%
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def numbers_in(text: str, language: str) -> Counter[str]:
    """The normalised figures of ``text`` (``language`` "zh" or "en"), as a multiset.

    Numbers lose their thousands separators (``15921``), keep their decimals as written
    (``3.0%``), ratios stay whole (``50:50``), months become ``month:9``, halves ``1/2``.
    """
    if language.lower().startswith("zh"):
        return _zh_numbers(text)
    return _en_numbers(text)


def _digit_figures(text: str, pattern: re.Pattern[str], chinese: bool) -> Counter[str]:
    """Figures written with digits; in Chinese, ``9月`` is a month and ``1.5万`` is 15000."""
    found: Counter[str] = Counter()
    for m in pattern.finditer(text):
        if m["ratio"]:
            found[m["ratio"]] += 1
            continue
        number = re.sub(r"[,\s\u00a0\u202f\u2009]", "", m["number"])
        after = text[m.end() :].lstrip(" ")
        if chinese and not m["percent"] and after[:1] in ("万", "亿"):
            number = _scaled(number, 10_000 if after[0] == "万" else 100_000_000)
        elif chinese and not m["percent"] and after[:1] == "月" and 1 <= _int(number) <= 12:
            number = f"month:{int(number)}"
        if m["percent"]:
            number += "%"
        if m["minus"]:
            number += "-"
        found[number] += 1
    return found


def _en_numbers(text: str) -> Counter[str]:
    """Digits, number words (two ... ninety-ninth, half) and months next to a date."""
    found = _digit_figures(text, _FIGURE_EN, chinese=False)
    words = _NOT_FIGURES_EN.sub(" ", text)
    for m in _NUMBER_WORD.finditer(words):
        if m["half"]:
            found["1/2"] += 1
        elif m["tens"]:
            value = _WORD_VALUES[m["tens"].lower()]
            found[str(value + (_WORD_VALUES[m["unit"].lower()] if m["unit"] else 0))] += 1
        else:
            word = m["word"].lower()
            if word == "one" and not m["scale"]:
                continue  # "one" is an article more often than a figure; so is 一
            value = _WORD_VALUES[word]
            if m["scale"]:
                value *= 100 if m["scale"].lower() == "hundred" else 1000
            found[str(value)] += 1
    for m in _MONTH_EN.finditer(text):
        if m["day"] or m["after"]:  # a month name next to a day or a year, not "May we"
            found[f"month:{_MONTHS.index(m['month']) + 1}"] += 1
    return found


def _zh_numbers(text: str) -> Counter[str]:
    """Digits, then Chinese numerals outside the set phrases that are not figures."""
    text = _PERCENT_ZH.sub(r"\1%", text.translate(_FULLWIDTH_DIGITS))
    found = _digit_figures(text, _FIGURE_ZH, chinese=True)
    for phrase in _NOT_FIGURES_ZH:
        text = text.replace(phrase, "·" * len(phrase))
    for m in _CN_NUMERAL.finditer(text):
        if m["percent"] and (value := _cn_value(m["pvalue"])) is not None:
            found[f"{value}%"] += 1
        elif m["half"]:
            found["1/2"] += 1
        elif m["ordinal"] and (value := _cn_value(m["ordinal"])) is not None:
            found[str(value)] += 1
        elif m["first"]:
            found["1"] += 1
        elif m["run"]:
            run = m["run"]
            following = text[m.end() : m.end() + 1]
            if following == "月" and 1 <= (_cn_value(run) or 0) <= 12:
                found[f"month:{_cn_value(run)}"] += 1
            elif set(run) <= set("一") or set(run) <= set("百千万亿"):
                continue  # 一 alone is not a figure; nor is 万 in 万物
            elif (value := _cn_value(run)) is not None:
                found[str(value)] += 1
    return found


def _cn_value(numeral: str) -> int | None:
    """The value of a Chinese numeral (八十六 -> 86), or None if cn2an cannot read it."""
    try:
        value = cn2an.cn2an(numeral.replace("〇", "零"), "smart")
    except (ValueError, KeyError):
        return None
    return int(value) if float(value).is_integer() else None


def _int(number: str) -> int:
    return int(number) if number.isdigit() else -1


def _scaled(number: str, factor: int) -> str:
    value = float(number) * factor
    return str(int(value)) if value.is_integer() else str(value)


# --- glossary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryTerm:
    """A Chinese term, the English term a translation uses, and the other names of both."""

    zh: str
    en: str
    aliases_zh: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()

    @property
    def zh_forms(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases_zh)

    @property
    def en_forms(self) -> tuple[str, ...]:
        return (self.en, *self.aliases_en)


def load_glossary(path: Path) -> list[GlossaryTerm]:
    """The terms of a glossary file (``terms: [{zh, en, aliases_zh, aliases_en}]``)."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise CorpusError(f"Missing {path}.") from None
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path} is not valid YAML: {exc}") from exc
    terms = []
    for n, entry in enumerate(data.get("terms") or [], 1):
        if not isinstance(entry, dict) or not entry.get("zh") or not entry.get("en"):
            raise CorpusError(f"{path}: term {n} needs a 'zh' and an 'en'.")
        terms.append(
            GlossaryTerm(
                zh=str(entry["zh"]),
                en=str(entry["en"]),
                aliases_zh=tuple(str(a) for a in entry.get("aliases_zh") or ()),
                aliases_en=tuple(str(a) for a in entry.get("aliases_en") or ()),
            )
        )
    return terms


def glossary_problems(zh_text: str, en_text: str, glossary: list[GlossaryTerm]) -> list[str]:
    """One line per glossary term found in ``zh_text`` whose English is not in ``en_text``.

    Matching ignores case; an English name matches as whole words, with a plural ``s``
    allowed and a space or hyphen between its words ("client advisor" = "client-advisors").
    """
    source = zh_text.casefold()
    problems = []
    for term in glossary:
        if not any(form.casefold() in source for form in term.zh_forms):
            continue
        if not any(_english_pattern(form).search(en_text) for form in term.en_forms):
            names = " / ".join(term.en_forms)
            problems.append(f"{term.zh}: the translation lacks {names}")
    return problems


def _english_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in re.split(r"[\s-]+", name.strip()) if w]
    return re.compile(
        r"(?<![0-9A-Za-z])" + r"[\s-]+".join(words) + r"(?:s|es)?(?![0-9A-Za-z])",
        re.IGNORECASE,
    )
