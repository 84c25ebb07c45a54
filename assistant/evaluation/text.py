"""Text helpers for checks: matching that ignores incidental form, and language detection."""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_SPACE_NEXT_TO_CJK = re.compile(f"(?<=[{_CJK}])\\s+|\\s+(?=[{_CJK}])")
_DASHES = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-"})

# Identifiers are not words: unit ids (wo-cc-86-inf-1:panel-19), symbols (WO/CC/86/INF/1),
# grades joined to words (P5-and-above); and paragraph references are not figures.
_IDENTIFIER = re.compile(r"(?<![\w/.-])[A-Za-z][A-Za-z0-9]*(?:[-/:.@][A-Za-z0-9]+)+")
_PARAGRAPH_REF = re.compile(r"¶\s*\d+|第\s*\d+\s*段|\b(?:paras?|paragraphs?)\.?\s*\d+", re.I)

# A CJK character carries about as much as a short word, so a fifth of the letters being
# CJK marks a Chinese text even when it names iPerform, Oracle Fusion or WIPO Thrive.
CHINESE_SHARE = 0.2


def without_references(text: str) -> str:
    """The text without identifiers containing digits and without paragraph references."""
    text = _PARAGRAPH_REF.sub(" ", text)
    return _IDENTIFIER.sub(lambda m: " " if re.search(r"\d", m.group()) else m.group(), text)


def normalize(text: str) -> str:
    """Fold case, width and dashes; drop spaces next to CJK; collapse other whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def contains(haystack: str, needle: str) -> bool:
    """Case-insensitive substring test on normalized text."""
    return normalize(needle) in normalize(haystack)


def cjk_share(text: str) -> float | None:
    """Share of CJK characters among CJK characters and Latin letters; None without letters."""
    text = without_references(text)
    cjk = len(_CJK_CHAR.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return None if cjk + latin == 0 else cjk / (cjk + latin)


def detect_language(text: str) -> str | None:
    """``zh`` or ``en`` by the share of CJK letters; None for a text without letters."""
    share = cjk_share(text)
    if share is None:
        return None
    return "zh" if share >= CHINESE_SHARE else "en"
