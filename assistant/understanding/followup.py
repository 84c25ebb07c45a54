"""Follow-up questions: "And Western Europe?", "那亚洲及太平洋呢？", "its next activity"."""

from __future__ import annotations

import re

from assistant.language.terms import LEXICON, name_words, tokens
from assistant.model import Turn
from assistant.understanding.names import without_cues

EN_CUE = LEXICON.pattern("follow_up_en")
ZH_CUE = LEXICON.pattern("follow_up_zh")


def resolve(question: str, history: list[Turn]) -> str:
    """The question as retrieval should read it.

    A question with a follow-up cue ("and ...", "its", "那…呢") or with no subject of its
    own is read together with the previous question. (The figures path reads the whole
    history itself, to carry over what earlier answers measured.)
    """
    if history and is_follow_up(question):
        return f"{history[-1].question} {question}"
    return question


def is_follow_up(question: str) -> bool:
    """A question that points back ("its", "那…呢") or names nothing of its own
    ("提高了多少个百分点？", "how big was the increase?")."""
    # "IT" is the department, not the pronoun
    text = re.sub(r"\bIT\b", "I.T.", question)
    return bool(EN_CUE.search(text) or ZH_CUE.search(text) or not own_words(question))


def own_words(question: str) -> set[str]:
    """The question's words once those that only ask (how many, rise, 多少, 提高) are gone."""
    return {t for t in tokens(without_cues(question)) if len(t) > 1 or t.isascii()} - ASKING


# words that ask how much without naming what
ASKING = set(tokens(LEXICON.asking_words))


def named_in(question: str) -> str:
    """The names a question uses (eMadrid, GameShifter, PCT), as written: what a
    follow-up's "it" most likely stands for."""
    return " ".join(dict.fromkeys(name_words(question)))
