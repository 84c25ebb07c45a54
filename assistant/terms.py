"""Words and sentences, in Chinese and English: the shared vocabulary of matching."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import snowballstemmer

from assistant.synonyms import CANONICAL

jieba.setLogLevel(logging.WARNING)

ZH_STOP = set(
    "的 了 是 在 和 与 及 或 有 为 对 中 把 被 就 都 也 还 又 从 到 向 以 于 其 这 那 个 些 "
    "吗 呢 吧 啊 什么 哪些 哪个 哪 多少 几 如何 怎么 怎样 为什么 是否 有没有 "
    "请问 请 告诉 我 我们 你 您 他们 谁 何时 什么时候 哪里 哪儿 多久 是谁 引用 引述 讲了 "
    "这份 这些 那些 哪段 哪天 哪年 哪一 哪几 哪几个 哪几位 哪几项 一共 总共 "
    "大概 大约 目前 现在 具体 分别 "
    "得 过 呀 嘛 啦 么样 怎么样 全部 各 各是 分别是 里 百分 百分之 百分点 几个 "
    "既然 如果 假如 假设 由于 因为 所以 全称 全名 "
    "一下 关于 有关 情况 方面 信息图 图表 概览 报告 本报告 年度 "
    "产权组织 产权 组织 人力资源 说 讲 提到 提及 介绍 "
    "呢 么 吗 ？ ? ， , 。 、 ： : “ ” （ ） ( ) 《 》".split()
)
EN_STOP = set(
    """a an the of in on at to for from by with about and or is are was were be been being do does
    did how what which who whom whose when where why many much there their its it this that these
    those as into than then so such can could would should will shall may might please tell me us
    our we you your i wipo wipos organization organisation report annual hr human resources say says
    said mention mentioned give list any some all per according describe explain quote quoted
    quotes got get gets last end typical typically ultimately each were there
    through went go goes gone going into onto out up over after before during still just
    also only actually really exactly roughly approximately around past several various under
    numerous few multiple infographic infographics graphic graphics chart overview
    since given assuming suppose supposing because stand stands full name""".split()
)
# the report's own organisation: named everywhere, so it says nothing about a question
OWN_NAMES = {"wipo", "ompi"}
SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+(?=[A-Z“\"(‘'0-9])")
_GRADE = re.compile(r"[A-Za-z]\d+-|.*-[A-Za-z]\d+\b")  # P5-and-above, D1-level, level-P4
WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*|\d+(?:[.,]\d+)*%?")


def tokens(text: str, language: str | None = None) -> list[str]:
    """Lower-case content words: jieba words for Chinese, simple stems for English."""
    out: list[str] = []
    for piece in re.split(r"([\u4e00-\u9fff]+)", text):
        if not piece:
            continue
        if re.match(r"[\u4e00-\u9fff]", piece):
            out += [CANONICAL.get(w, w) for w in _cut(piece) if w not in ZH_STOP and w.strip()]
        else:
            # a grade compound splits ("P5-and-above"); "short-listed" stays one word
            found = WORD.findall(piece)
            found = [p for w in found for p in (w.split("-") if _GRADE.match(w) else [w]) if p]
            words = [w for w in found if len(w) > 1 or w.isdigit()]
            # an acronym (IT, HR) is kept even where its lower case is a stop word
            stems = [
                _stem(w.lower())
                for w in words
                if w.lower() not in EN_STOP or (w.isupper() and w.lower() not in OWN_NAMES)
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
# plurals the Snowball stemmer leaves apart
_IRREGULAR = {
    "women": "woman",
    "men": "man",
    "staff": "staff",
    "people": "person",
    "apply": "applic",
    "applied": "applic",
    "applies": "applic",
    "applying": "applic",
}


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
