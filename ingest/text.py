"""Text repair for what PDF extraction does to Chinese and English text."""

from __future__ import annotations

import re

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{CJK}])[ \t\u00a0]+(?=[{CJK}])")
_CJK_DIGIT_GAP = re.compile(rf"(?<=[{CJK}])[ \t\u00a0]+(?=[\d%])|(?<=[\d%])[ \t\u00a0]+(?=[{CJK}])")
# "15, 921" -> "15,921": a thousands group split after its comma (never a year and the
# number after it: "In 2010, 250 staff").
_SPLIT_THOUSANDS = re.compile(r"(?<!\d{4})(?<=\d),[ \t]+(?=\d{3}(?!\d))")
# "3. 0%" -> "3.0%": a decimal split after its point (never a list number "1. text", nor
# a footnote marker after a sentence: "31 December 2009. 2 The ..." or at the end).
_SPLIT_DECIMAL = re.compile(r"(?<=\d)\.[ \t]+(?=\d++(?![ \t]*(?:[A-Z]|$)))")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")


def is_cjk(char: str) -> bool:
    return bool(re.match(rf"[{CJK}]", char))


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space between Chinese, one space between Latin words."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not is_cjk(out[-1]) and not is_cjk(line[0]) and not out.endswith("-"):
            out += " "
        out += line
    return repair(out)


def repair(text: str) -> str:
    """Undo extraction damage inside a line: spaced numbers and justified Chinese."""
    text = _SPLIT_THOUSANDS.sub(",", text)
    text = _SPLIT_DECIMAL.sub(".", text)
    text = _CJK_GAP.sub("", text)
    text = _CJK_DIGIT_GAP.sub("", text)
    return _SPACES.sub(" ", text).strip()


def language_of(text: str) -> str:
    """'zh' or 'en' by which dominates: Chinese characters or Latin words.

    A Chinese character and an English word carry about as much, so "GameShifter是什么"
    is Chinese and "What is 融合团队 in the report?" is English.
    """
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    latin_words = len(re.findall(r"[A-Za-z]+(?:['’-][A-Za-z]+)*", text))
    return "zh" if cjk > 0 and cjk >= latin_words else "en"
