"""A question parsed once into a typed ``Query``; every later step reads the Query.

    cleaned text → mend (Simplified script, shorthand, spelling, lead-in) → cues → names
                 → operation → follow-up

Each reader fills one slot from the mended text. Nothing here knows a particular
question: the words come from the lexicon (data) and the tables' names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant.language.terms import LEXICON, tokens, years_in
from assistant.model import Turn
from assistant.understanding.followup import is_follow_up, own_words
from assistant.understanding.meaning import NameMeaning
from assistant.understanding.names import (
    CUES,
    FIGURE_CUE,
    Entity,
    Mention,
    NameFinder,
    asks_for_figure,
    normalise,
    operations,
)

WEAK = 25.0  # a bare year ("2024年") names a row only this much
ENGLISH_WORD = re.compile(r"[A-Za-z][a-z]+")
TEXTUAL = ("text", "date", "")  # units of columns that hold no number to ask for
LEAD_JOIN = re.compile(r"^(but|so|well)\b\s*|^(但是|不过)(?=.)", re.I)
CLAUSE = re.compile(r"(?<=[,，;；:：])\s*")


@dataclass(frozen=True)
class Query:
    """What a question asks, as one value: measure, rows, period, operation, language."""

    asked: str  # the cleaned question, as the user wrote it
    text: str  # as read: Simplified script, shorthand and spelling mended, lead-in dropped
    language: str
    operation: str  # the main operation (see ``main_operation``)
    operations: frozenset[str]  # every operation cue found
    asks_figure: bool  # it asks for a number (how many, 多少, what share)
    asks_rate: bool  # it asks for a rate or share, not a count
    asks_count: bool  # "how many", "多少人": a number of things
    of_whole: bool  # "of all", "占总数": a share of the whole
    several: bool  # several figures at once ("each", "各是多少")
    which: bool  # "which region": a ranking of what it names
    shows: bool  # "what did X show": the whole table
    earlier: bool  # "the cycle before"
    growth: bool  # a change asked in percent
    threshold: bool  # the bar figures cleared ("above what")
    top_k: int  # "the three biggest": how many
    ratio: bool  # "how many times", "几倍"
    negated: frozenset[int]  # where a name follows "not", "没有": the rest is asked
    years: tuple[str, ...]
    follow_up: bool  # it points back or names nothing of its own
    names_something: bool  # it has words of its own beyond those that ask
    joins: bool  # it joins two names ("and", "和")
    words: frozenset[str] = frozenset()  # its content words (tokens)
    cue_at: int = -1  # where "how many" / "多少" stands in the normalised text
    per_at: int = -1  # where a "per" / "每" cue ends (what is divided by comes next)
    predicated: frozenset[int] = frozenset()  # where a name follows "were", "进入", "got"
    mentions: tuple[Mention, ...] = field(default=(), compare=False)
    mended: tuple[tuple[str, str], ...] = ()  # (as written, as read) for each mended word
    lead_in: str = ""  # the clause dropped before the question proper

    @property
    def measures(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.entity.kind == "column")

    @property
    def rows(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.entity.kind == "row")

    def as_json(self) -> dict:
        """What the question was read as (for --explain and the JSON output)."""
        # field by field: the mentions (entities and all their names) are not copied
        left_out = ("mentions", "words", "predicated")
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in left_out}
        data["negated"] = sorted(self.negated)
        data["operations"] = sorted(self.operations)
        data["years"] = list(self.years)
        data["mended"] = [list(pair) for pair in self.mended]
        data["names"] = [
            {
                "kind": m.entity.kind,
                "table": m.entity.table,
                "key": m.entity.key,
                "score": round(m.score, 1),
            }
            for m in self.mentions
            if m.score >= 70
        ]
        return data


class QueryReader:
    """Parses questions against the tables' names and the report's vocabulary."""

    def __init__(
        self,
        entities: list[Entity],
        known_words: set[str],
        common=frozenset(),
        meaning: NameMeaning | None = None,
    ):
        self.entities = entities
        self.meaning = meaning  # names found by meaning, when their vectors are at hand
        self.common = common
        self.names = NameFinder(entities, common)
        # the words spelling is mended towards: the report's, its tables' names, the lexicon's
        self.known = frozenset(w.lower() for w in known_words if w.isascii() and len(w) >= 3)
        self._candidates = sorted(w for w in self.known if len(w) >= 4)
        self._mentions = lru_cache(maxsize=512)(self._find_mentions)

    def parse(self, cleaned: str, language: str, history: list[Turn] | None = None) -> Query:
        history = history or []
        text, mended = self.mend(cleaned)
        text, lead_in = drop_lead_in(text)
        ops = frozenset(operations(text))
        mentions = tuple(self.mentions(text))
        normal = normalise(text)
        return Query(
            asked=cleaned,
            text=text,
            language=language,
            operation=main_operation(text, ops),
            operations=ops,
            asks_figure=asks_for_figure(text) or names_a_cell(mentions),
            asks_rate=bool(LEXICON.pattern("rate").search(text)),
            asks_count=bool(LEXICON.pattern("countable").search(text)),
            of_whole=bool(LEXICON.pattern("of_whole").search(text)),
            several=asks_several(text),
            which=bool(LEXICON.pattern("which").search(text)),
            shows=bool(LEXICON.pattern("show").search(text)),
            earlier=bool(LEXICON.pattern("earlier").search(text)),
            growth=bool(LEXICON.pattern("growth").search(text)),
            threshold=bool(LEXICON.pattern("threshold").search(text)),
            top_k=how_many_top(text),
            ratio=bool(LEXICON.pattern("times").search(text)),
            negated=frozenset(
                m.start for m in mentions if LEXICON.pattern("negated").search(normal[: m.start])
            ),
            years=tuple(sorted(years_in(text))),
            follow_up=bool(history) and is_follow_up(text),
            names_something=bool(own_words(text)),
            joins=bool(LEXICON.pattern("and").search(text)),
            words=frozenset(tokens(text)),
            cue_at=_start(FIGURE_CUE.search(normal)),
            per_at=_end(LEXICON.pattern("per").search(normal)),
            predicated=frozenset(
                m.start for m in mentions if LEXICON.pattern("predicate").search(normal[: m.start])
            ),
            mentions=mentions,
            mended=mended,
            lead_in=lead_in,
        )

    def with_meaning(self, query: Query, vector) -> Query:
        """The query with the measure or row its meaning points to, where its words name
        none (a paraphrase, the other language, a synonym no alias has). ``vector`` is the
        one retrieval made for the question's text."""
        if self.meaning is None or not query.asks_figure or query.follow_up:
            return query
        proposed = self.meaning.propose(vector, query.text, list(query.mentions))
        if not proposed:
            return query
        mentions = sorted((*query.mentions, *proposed), key=lambda m: (-m.score, -m.length))
        return replace(query, mentions=tuple(mentions))

    def mentions(self, text: str) -> list[Mention]:
        return self._mentions(text)

    def _find_mentions(self, text: str) -> list[Mention]:
        return self.names.find(text, threshold=WEAK)

    def mend(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Simplified script, chat shorthand written out, misspelt English words mended."""
        text = simplified(text)
        mended: list[tuple[str, str]] = []
        for pattern, words in LEXICON.casual_phrases:
            for found in pattern.findall(text):
                mended.append((found, words.strip()))
            text = pattern.sub(words, text)

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            better = LEXICON.casual.get(word.lower()) or self.spelling(word)
            if better and better != word:
                mended.append((word, better))
                return better
            return word

        return ENGLISH_WORD.sub(fix, text), tuple(mended)

    def spelling(self, word: str) -> str | None:
        """The known word one edit away (two for long words), if the word is unknown."""
        lower = word.lower()
        if len(lower) < 5 or lower in self.known:
            return None
        limit = 1 if len(lower) < 8 else 2
        found = process.extract(
            lower, self._candidates, scorer=OSA.distance, score_cutoff=limit, limit=5
        )
        # the same first letter, and one clear best
        close = sorted((d, w) for w, d, _ in found if w[0] == lower[0])
        if not close or (len(close) > 1 and close[0][0] == close[1][0]):
            return None
        best = close[0][1]
        return best.capitalize() if word[0].isupper() else best


def _start(match: re.Match[str] | None) -> int:
    return match.start() if match else -1


def _end(match: re.Match[str] | None) -> int:
    return match.end() if match else -1


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters in Simplified form (OpenCC)."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    return _converter().convert(text)


def drop_lead_in(text: str) -> tuple[str, str]:
    """The question without a courteous or explanatory lead-in ("Could you tell me, for a
    note I am drafting, how many …" → "how many …"): leading clauses that match a
    preamble phrasing and ask for nothing themselves."""
    clauses = CLAUSE.split(text)
    dropped: list[str] = []
    while len(clauses) > 1 and _is_lead_in(clauses[0]):
        dropped.append(clauses.pop(0))
    if not dropped:
        return text, ""
    # "Sorry to bother you, but how many …": the joining word goes with the lead-in
    rest = LEAD_JOIN.sub("", "".join(clauses).strip())
    return rest, "".join(dropped).strip()


def _is_lead_in(clause: str) -> bool:
    asks = FIGURE_CUE.search(clause) or any(p.search(clause) for p in CUES.values())
    return not asks and any(p.search(clause) for p in LEXICON.preambles)


def names_a_cell(mentions: tuple[Mention, ...]) -> bool:
    """Whether a question names a measure and a row of one table in full ("what was the
    recommended for Western Europe"): it asks for that cell, whatever its wording."""
    full = [m for m in mentions if m.score >= 95]
    numeric = [m for m in full if m.entity.kind == "column" and m.entity.unit not in TEXTUAL]
    measures = {m.entity.table for m in numeric}
    return any(m.entity.kind == "row" and m.entity.table in measures for m in full)


def asks_several(text: str) -> bool:
    """Whether it asks for several figures: "how many …, and how many …?", "各是多少"."""
    several = LEXICON.pattern("several")
    return bool(several.search(text)) or len(FIGURE_CUE.findall(normalise(text))) >= 2


def how_many_top(text: str) -> int:
    """ "The three biggest regions", "前三个区域": how many of the top rows (0 if unsaid)."""
    found = LEXICON.pattern("top_k").search(text)
    if found is None:
        return 0
    word = next(g for g in found.groups() if g and g not in ("个", "大"))
    return LEXICON.top_k_numbers.get(word.lower(), 0)


def main_operation(text: str, ops: frozenset[str]) -> str:
    """The operation a question asks for before its cells are known (the figures reader
    settles it once it knows how many rows the question names)."""
    if LEXICON.pattern("times").search(text):
        return "ratio"
    for op in ("max", "min", "rank", "remainder", "difference", "share", "change", "total"):
        if op in ops:
            return op
    return "lookup"


def known_words(texts: list[str], entities: list[Entity]) -> set[str]:
    """The English words spelling is mended towards: the report's, its tables' names and
    the lexicon's own."""
    from assistant.language.lexicon import VOCABULARY_DIR

    words = {w.lower() for text in texts for w in ENGLISH_WORD.findall(text)}
    words |= {w.lower() for e in entities for n in e.names for w in ENGLISH_WORD.findall(n.text)}
    general = (VOCABULARY_DIR / "general.yaml").read_text(encoding="utf-8")
    return words | set(re.findall(r"\b[a-z]{3,}\b", general))
