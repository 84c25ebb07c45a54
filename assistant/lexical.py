"""Lexical matching: word tokens for Chinese (jieba) and English, and a BM25 index over them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

import bm25s
import jieba
import numpy as np

jieba.setLogLevel(logging.WARNING)

_CJK_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]+)")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*|\d+(?:[.,]\d+)*")
ZH_STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 有 为 对 中 把 被 就 都 也 还 又 从 到 向 以 于 其 这 那 个 些 "
    "吗 呢 吧 啊 什么 哪些 哪个 哪 多少 几 如何 怎么 怎样 为什么 是否 有没有 "
    "请问 请 告诉 我 我们 你 您 他们 一下 关于 有关 情况 方面 "
    "之 等 并 而 但 将 已 该 各 此 每 所 得 地 着 过".split()
)
EN_STOPWORDS = frozenset(
    """a an the of in on at to for from by with about and or is are was were be been being
    do does did how what which who whom whose when where why there their its it this that
    these those as into than then so such can could would should will shall may might please
    tell me us our we you your i they them he she his her not no any some all per via also
    has have had s""".split()
)


class Tokenizer:
    """Content-word tokens for mixed Chinese/English text, the same for passages and queries."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = _own_dictionary()
        for word in words:  # glossary terms stay whole
            if _CJK_RUN.fullmatch(word):
                self._jieba.add_word(word, freq=20000)
        self._jieba.initialize()
        self.tokens = lru_cache(maxsize=4096)(self._tokens)

    def _tokens(self, text: str) -> tuple[str, ...]:
        out: list[str] = []
        for piece in _CJK_RUN.split(text.lower()):
            if not piece:
                continue
            if _CJK_RUN.fullmatch(piece):
                out += [w for w in self._jieba.cut_for_search(piece) if w not in ZH_STOPWORDS]
            else:
                out += [t for w in _LATIN_WORD.findall(piece) for t in latin_tokens(w)]
        return tuple(out)


def _own_dictionary() -> jieba.Tokenizer:
    """A jieba tokenizer of its own (the glossary's words go into it, not into the shared
    one), started from the shared dictionary so that it is not read from disk twice."""
    jieba.dt.check_initialized()
    own = jieba.Tokenizer()
    own.FREQ, own.total = dict(jieba.dt.FREQ), jieba.dt.total
    own.initialized = True
    return own


def latin_tokens(word: str) -> list[str]:
    """A word's token; a hyphenated word also gives its parts ('private-sector', 'private')."""
    if word in EN_STOPWORDS:
        return []
    parts = [p for p in re.split(r"[-']", word) if p and p not in EN_STOPWORDS]
    whole = latin_token(word)
    return [whole] if len(parts) < 2 else [whole, *(latin_token(p) for p in parts)]


def latin_token(word: str) -> str:
    """A light stem for English words; numbers without thousands separators."""
    if word[0].isdigit():
        return re.sub(r"(?<=\d),(?=\d{3})", "", word)
    return stem(word)


def stem(word: str) -> str:
    """Strip common inflections so 'applications' meets 'application', 'trained' 'training'."""
    if len(word) <= 3:
        return word
    for suffix, keep in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("sses", "ss"),
    ("ings", ""),
    ("ing", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
)


# Length normalisation is kept mild: infographic panels are long lists of short claims,
# and full normalisation (b=0.75) buries the one line of a panel that answers.
K1, B = 1.2, 0.5


def tokenise_all(texts: list[str], tokenizer: Tokenizer) -> list[list[str]]:
    """Every passage's tokens (an empty passage gets one empty token, as BM25 needs)."""
    return [list(tokenizer.tokens(t)) or [""] for t in texts]


class LexicalIndex:
    """BM25 over tokenised passages; scores for every passage at once."""

    def __init__(
        self, texts: list[str], tokenizer: Tokenizer, tokenised: list[list[str]] | None = None
    ) -> None:
        self.tokenizer = tokenizer
        self._bm25 = bm25s.BM25(k1=K1, b=B)
        corpus = tokenised if tokenised is not None else tokenise_all(texts, tokenizer)
        self._bm25.index(corpus, show_progress=False)
        self._vocab = self._bm25.vocab_dict
        self.size = len(texts)

    def scores(self, tokens: Iterable[str]) -> np.ndarray:
        """BM25 score of every passage for these query tokens (zeros if none is known)."""
        known = [t for t in tokens if t and t in self._vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return self._bm25.get_scores(known)

    def weighted_scores(self, weights: dict[str, float]) -> np.ndarray:
        """The sum of each token's BM25 scores times its weight."""
        total = np.zeros(self.size, dtype=np.float32)
        for token, weight in weights.items():
            if token in self._vocab:
                total += weight * self._bm25.get_scores([token])
        return total
