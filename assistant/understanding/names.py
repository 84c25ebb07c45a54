"""Understanding a figure question: which operation, over which table cells.

Names are matched through the tables' bilingual labels and aliases: exact and
fuzzy (rapidfuzz) matching for English, substring matching over normalised text
for Chinese. Nothing here knows any particular question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import jieba
from rapidfuzz import fuzz, process

from assistant.language.lexicon import current_own_names
from assistant.language.terms import EN_STOP, LEXICON, tokens

# operation cues, in both languages
CUES = LEXICON.operations
GENERIC_NAME = LEXICON.pattern("generic_name")
FIGURE_CUE = LEXICON.pattern("figure")
CUE_PATTERNS = (*CUES.values(), FIGURE_CUE, LEXICON.pattern("top_k"), LEXICON.pattern("times"))


# who is counted: nearly every table counts people, so these words alone name no cells
PEOPLE = frozenset(tokens(LEXICON.people))


@dataclass(frozen=True)
class Name:
    """One name an entity goes by, in one language."""

    text: str
    language: str


@dataclass(frozen=True)
class Entity:
    """Something a question can name: a table, a dimension, a column (measure) or a row."""

    kind: str  # "table" | "dimension" | "column" | "row"
    table: str
    key: str  # the column name or row key (the table id for tables)
    names: tuple[Name, ...]
    unit: str = ""  # a column's unit (count, percent, date, text, ...)


@dataclass(frozen=True)
class Mention:
    entity: Entity
    score: float  # 0..100, times how specific the name is (see `specificity`)
    start: int  # where in the normalised question it was found (for order)
    length: int


def build_entities(tables) -> list[Entity]:
    """Every table, column and row as something a question can name."""
    entities = []
    for table in tables:
        entities.append(Entity("table", table.id, table.id, _names(table.title, table.aliases)))
        for column in table.columns:
            kind = "column" if column.kind == "measure" else "dimension"
            names = _names(column.label, column.aliases)
            entities.append(Entity(kind, table.id, column.name, names, column.unit))
        for row in table.rows:
            entities.append(Entity("row", table.id, row.key, _names(row.label, row.aliases)))
    return entities


def _names(label: dict[str, str], aliases: dict[str, list[str]] | None) -> tuple[Name, ...]:
    names = [Name(text, lang) for lang, text in label.items() if text]
    for lang, texts in (aliases or {}).items():
        names += [Name(text, lang) for text in texts if text]
    return tuple(names)


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text)


class NameFinder:
    """Finds the entities a question names, over names prepared once.

    Most of some 1,500 names cannot match a given question; those that can are found
    without looking at each in Python: names written in the question (a substring test),
    names sharing a word with it (an index from word to names) and long English names
    close to a part of it (one rapidfuzz pass over all of them).
    """

    def __init__(self, entities: list[Entity], common: frozenset[str] = frozenset()) -> None:
        self.entities = entities
        self.common = common
        # (the entity's place, the entity, the name as written), in the entities' order
        self._names = [
            (place, entity, name.text)
            for place, entity in enumerate(entities)
            for name in entity.names
        ]
        self._texts = [normalise(text) for _, _, text in self._names]
        self._acronyms = frozenset(
            i for i, (_, _, text) in enumerate(self._names) if _ACRONYM.fullmatch(text)
        )
        self._by_word: dict[str, list[int]] = {}
        for i, (_, _, text) in enumerate(self._names):
            for word in _name_tokens(text):
                self._by_word.setdefault(word, []).append(i)
        # long English names: they may be found fuzzily (misspelt)
        self._long = [
            i for i, text in enumerate(self._texts) if len(text) >= 7 and not _is_chinese(text)
        ]
        self._long_texts = [self._texts[i] for i in self._long]

    def find(self, question: str, threshold: float = 70) -> list[Mention]:
        """Entities the question names, best first: exactly, by most of a name's words, or
        fuzzily (a misspelt English name). Words in ``common`` (found in many names:
        "select", "women") do not make a name found by themselves."""
        q = normalise(question)
        q_tokens = frozenset(tokens(question))
        own_tokens = q_tokens - self.common
        best: dict[int, Mention] = {}
        for i in self._candidates(q, q_tokens):
            place, entity, text = self._names[i]
            if i in self._acronyms:
                # "IT" is the department, not the "it" of "made it to"
                hit = _acronym_pattern(text).search(question)
                mention = Mention(entity, 100.0, hit.start(), len(text)) if hit else None
                loose = _loose_acronym(text)
                hit = loose.search(question) if mention is None and loose else None
                if hit:  # "lac", "APACs": written casually, or with a plural or possessive
                    mention = Mention(entity, 95.0, hit.start(), len(text))
            else:
                mention = _match(q, own_tokens, entity, text, q_tokens)
            keep = mention and mention.score >= threshold
            if keep and (place not in best or _better(mention, best[place])):
                best[place] = mention
        found = [best[place] for place in sorted(best)]
        found = [m for m in found if not _inside_longer(m, found)]
        found.sort(key=lambda m: (-m.score, -m.length))
        return found

    def _candidates(self, q: str, q_tokens: frozenset[str]) -> list[int]:
        """The names that could match, in the entities' order (a tie goes to the first):
        written in the question, sharing a word with it (in any form), or misspelt."""
        reachable = q_tokens | _prefixes(q_tokens)
        found = {i for i, text in enumerate(self._texts) if text in q}
        found |= self._acronyms
        for word in reachable:
            found.update(self._by_word.get(word, ()))
        # as close as _match's fuzzy test asks (a part of the question at 90 or more)
        near = process.extract(
            q, self._long_texts, scorer=fuzz.partial_ratio, score_cutoff=90, limit=None
        )
        found.update(self._long[k] for _, _, k in near if len(self._long_texts[k]) <= len(q))
        return sorted(found)


def _inside_longer(m: Mention, others: list[Mention]) -> bool:
    """A name found inside a longer name of another table ("参与度" in "员工参与度调查"),
    or a row's name inside another row's ("Asia" in "Central Asia")."""
    return any(
        (o.entity.table != m.entity.table or o.entity.kind == m.entity.kind == "row")
        and o.entity != m.entity
        and o.score >= 99
        and o.length > m.length
        and o.start <= m.start
        and m.start + m.length <= o.start + o.length
        for o in others
    )


@cache
def specificity(name: str) -> float:
    """How much a name says: 'how many' or a bare year says little about which table."""
    text = normalise(name).strip()
    if GENERIC_NAME.fullmatch(text):
        return 0.15
    if re.fullmatch(r"(19|20)\d\d年?|this year|last year|今年|去年", text):
        return 0.3
    return 1.0


def _better(a: Mention, b: Mention) -> bool:
    return (a.score, a.length) > (b.score, b.length)


_ACRONYM = re.compile(r"[A-Z]{2,4}")
_PER = LEXICON.pattern("per_name")


@cache
def _acronym_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])")


@cache
def _loose_acronym(name: str) -> re.Pattern[str] | None:
    """An acronym of three or more letters in any case, with an "s" or "'s" after it; not
    one that is also a word ("WHO", "IT")."""
    if len(name) < 3 or name.lower() in EN_STOP or name.lower() in LEXICON.casual:
        return None
    return re.compile(
        r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?:'?s)?(?![A-Za-z0-9])", re.IGNORECASE
    )


def common_tokens(entities: list[Entity], most: int = 8) -> frozenset[str]:
    """Words found in the names of more than ``most`` entities: they say little alone."""
    counts: dict[str, int] = {}
    for entity in entities:
        for token in {t for name in entity.names for t in _name_tokens(name.text)}:
            counts[token] = counts.get(token, 0) + 1
    return frozenset(t for t, n in counts.items() if n > most)


@cache
def _is_chinese(name: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", name))


def _match(
    q: str,
    q_tokens: frozenset[str],
    entity: Entity,
    raw_name: str,
    all_tokens: frozenset[str] | None = None,
) -> Mention | None:
    name = normalise(raw_name)
    if len(name) < 2:
        return None
    weight = specificity(raw_name)
    chinese = _is_chinese(name)
    if chinese:
        index = _find_on_word_boundaries(q, name) if name in q else -1
        if index >= 0:
            return Mention(entity, 100.0 * weight, index, len(name))
    elif name in q:
        hit = _word_pattern(name).search(q)
        if hit:
            return Mention(entity, 100.0 * weight, hit.start(), len(name))
    # as written but for its punctuation: "eastern europe central europe and central asia"
    # is "Eastern Europe, Central Europe and Central Asia"
    punctuated = not chinese and _NAME_PUNCTUATION.search(name)
    hit = _punctuation_free_pattern(name).search(q) if punctuated else None
    if hit:
        return Mention(entity, 100.0 * weight, hit.start(), hit.end() - hit.start())
    # most of a longer name's words, in any order: "women were appointed" ~ "women appointed"
    name_tokens = _name_tokens(raw_name)
    if len(name_tokens) == 1 and name.isascii() and len(name) >= 5 and " " not in name:
        # one word, in another form: "African" names "Africa", "European" "Europe"
        (stem,) = name_tokens
        if len(stem) >= 5 and stem in _prefixes(q_tokens):
            token = next(t for t in q_tokens if t.startswith(stem))
            return Mention(entity, 92.0 * weight, _first(q, {token}), len(name))
    if len(name_tokens) >= 2 and _PER.search(name) and not _PER.search(q):
        return None  # "applicants per vacancy" is not found in "applied for jobs"
    if len(name_tokens) >= 2:
        every = all_tokens if all_tokens is not None else q_tokens
        # a word in another form counts ("Europeans" ~ "Europe"); so does a common word
        present = {t for t in name_tokens if t in every or _extends(t, every)}
        if len(present) * 2 < len(name_tokens):
            present = set()
        coverage = len(present) / len(name_tokens)
        # in part, a name must be found by a word of its own, not only by common ones
        own = {t for t in present if t in q_tokens or _extends(t, q_tokens)} - PEOPLE
        if coverage == 1.0 or (coverage >= 0.5 and own):
            return Mention(entity, (70 + 25 * coverage) * weight, _first(q, name_tokens), len(name))
    if len(name) < 7 or len(name) > len(q) or chinese:
        return None  # short names (P5, D1, CEBS) and Chinese names must match as written
    alignment = fuzz.partial_ratio_alignment(name, q)
    if alignment is None or alignment.score < 90:
        return None
    return Mention(entity, alignment.score * 0.9 * weight, alignment.dest_start, len(name))


@cache
def _punctuation_free_pattern(name: str) -> re.Pattern[str]:
    """A name as a whole, its words apart by spaces or punctuation (commas, 、, periods)."""
    words = _NAME_PUNCTUATION.sub(" ", name).split()
    gap = r"[\s,，、.;；]+"
    return re.compile(r"(?<![a-z0-9])" + gap.join(map(re.escape, words)) + r"(?![a-z0-9])")


_NAME_PUNCTUATION = re.compile(r"[,，、.;；]")


def _extends(stem: str, words: frozenset[str]) -> bool:
    """Whether a word of the question is a longer form of ``stem`` ("european", "europ")."""
    return len(stem) >= 4 and stem in _prefixes(words)


@lru_cache(maxsize=1024)
def _prefixes(words: frozenset[str]) -> frozenset[str]:
    """Every beginning of four or more letters of the question's English words."""
    return frozenset(w[:k] for w in words if w.isascii() for k in range(4, len(w) + 1))


@cache
def _word_pattern(name: str) -> re.Pattern[str]:
    """A name as a whole word (compiled once: there are some 1,500 names)."""
    return re.compile(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])")


def _name_tokens(name: str) -> frozenset[str]:
    return _tokens_of(name, current_own_names())


@cache
def _tokens_of(name: str, own: frozenset[str]) -> frozenset[str]:
    return frozenset(tokens(name))


def _find_on_word_boundaries(q: str, name: str) -> int:
    """Where a Chinese name stands in q as whole words ("参与" is not in "参与度调查")."""
    bounds = _word_bounds(q)
    start = q.find(name)
    while start >= 0:
        if start in bounds and start + len(name) in bounds:
            return start
        start = q.find(name, start + 1)
    return -1


@lru_cache(maxsize=2048)
def _word_bounds(q: str) -> frozenset[int]:
    spans = jieba.tokenize(q)
    return frozenset(i for _, a, b in spans for i in (a, b))


def _first(q: str, words: set[str]) -> int:
    positions = [q.find(w) for w in words if q.find(w) >= 0]
    return min(positions) if positions else len(q)


def cue_words(question: str) -> list[str]:
    """The words of a question that ask for a figure or an operation ("how many", "最多")."""
    return [m.group(0) for p in CUE_PATTERNS for m in p.finditer(question)]


def without_cues(question: str) -> str:
    """The question with the words that only ask taken out."""
    for pattern in CUE_PATTERNS:
        question = pattern.sub(" ", question)
    return question


def operations(question: str) -> set[str]:
    """Operation cues the question carries (max, min, share, difference, change, ...)."""
    return {op for op, pattern in CUES.items() if pattern.search(question)}


def asks_for_figure(question: str) -> bool:
    return bool(FIGURE_CUE.search(question) or operations(question) - {"total"})


def rows_are_measures(table) -> bool:
    """Whether a table's rows are the things measured (the pipeline's stages, a survey's
    indicators): its one measure column is named only by a generic word ("count", "人数")."""
    measures = [c for c in table.columns if c.kind == "measure"]
    if len(measures) != 1:
        return False
    return all(GENERIC_NAME.fullmatch(normalise(n).strip()) for n in measures[0].label.values())
