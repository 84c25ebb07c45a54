"""Words and sentences, in Chinese and English: the shared vocabulary of matching."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import snowballstemmer

from assistant.language.lexicon import current_own_names, lexicon

jieba.setLogLevel(logging.WARNING)

LEXICON = lexicon()
ZH_STOP = LEXICON.stop_words["zh"]
EN_STOP = LEXICON.stop_words["en"]
CANONICAL: dict[str, str] = {
    word: group[0] for group in LEXICON.synonyms for word in group
} | LEXICON.ordinals
SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+(?=[A-Z“\"(‘'0-9])")
_GRADE = re.compile(r"[A-Za-z]\d+-|.*-[A-Za-z]\d+\b")  # P5-and-above, D1-level, level-P4
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b|(19\d\d|20\d\d)年")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*|\d+(?:[.,]\d+)*%?")


def tokens(text: str, language: str | None = None) -> list[str]:
    """Lower-case content words: jieba words for Chinese, simple stems for English."""
    out: list[str] = []
    own = current_own_names()
    for piece in re.split(r"([\u4e00-\u9fff]+)", text):
        if not piece:
            continue
        if re.match(r"[\u4e00-\u9fff]", piece):
            out += [
                CANONICAL.get(w, w)
                for w in _cut(piece)
                if w not in ZH_STOP and w not in own and w.strip()
            ]
        else:
            # a grade compound splits ("P5-and-above"); "short-listed" stays one word
            found = WORD.findall(piece)
            found = [p for w in found for p in (w.split("-") if _GRADE.match(w) else [w]) if p]
            words = [w for w in found if len(w) > 1 or w.isdigit()]
            # an acronym (IT, HR) is kept even where its lower case is a stop word
            stems = [
                _stem(w.lower())
                for w in words
                if w.lower() not in own and (w.lower() not in EN_STOP or w.isupper())
            ]
            out += [CANONICAL.get(w, w) for w in stems]
    return out


def names(text: str) -> set[str]:
    """Tokens of the names a question uses (iPerform, GameShifter, PCT, Madrid): they
    say what the question is about, so they weigh more than ordinary words."""
    return {t for word in name_words(text) for t in tokens(word)}


def name_words(text: str) -> list[str]:
    """The words of a text that are names, as written: a capital inside (eMadrid), a
    capital not at the start, or an acronym."""
    found = []
    for i, word in enumerate(WORD.findall(text)):
        inner_capital = any(c.isupper() for c in word[1:])
        if inner_capital or (i > 0 and word[0].isupper()) or (word.isupper() and len(word) > 1):
            found.append(word)
    return found


@lru_cache(maxsize=4096)
def _cut(piece: str) -> tuple[str, ...]:
    # no HMM guessing of new words: it glues question words into strays ("人里", "挂出")
    return tuple(jieba.lcut_for_search(piece, HMM=False))


_STEMMER = snowballstemmer.stemmer("english")
_IRREGULAR = LEXICON.stems  # plurals the Snowball stemmer leaves apart


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    """The Snowball stem, so that 'appointed' and 'appointments' meet at 'appoint'."""
    if word[0].isdigit():
        return word
    return _IRREGULAR.get(word) or _STEMMER.stemWord(word.replace("-", ""))


def sentences(text: str) -> list[str]:
    """Split a passage into sentences (Chinese and English punctuation); lines stay apart."""
    out: list[str] = []
    for line in text.split("\n"):
        out += [s.strip() for s in SENTENCE_END.split(line) if s and s.strip()]
    return out


def tag_words(text: str) -> list:
    """jieba's words with their part-of-speech tags, for Chinese text (empty otherwise;
    the tagger's model is loaded the first time Chinese is tagged)."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return []
    import jieba.posseg

    return jieba.posseg.lcut(text)


def years_in(text: str) -> set[str]:
    """The years a text names ("2024", "2025年")."""
    return {a or b for a, b in YEAR.findall(text)}
