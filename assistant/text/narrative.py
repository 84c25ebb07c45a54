"""Extractive answers: the best sentences of the best passages, quoted exactly."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.language.lexicon import current_own_names
from assistant.language.terms import LEXICON, names, sentences, tokens
from assistant.model import Citation, Hit
from ingest.model import HEADING

MAX_SENTENCES = 4
FILL_SENTENCES = 3  # a short answer is filled up to this many sentences ...
FILL_CHARS = 240  # ... while it is shorter than this (characters; Chinese counts double)
YES_NO = LEXICON.pattern("yes_no")
SUMMARY = LEXICON.pattern("summary")
ATTRIBUTION = re.compile(r"^\s*[—–-]{1,2}\s*\S")
WHO = LEXICON.pattern("who")
CONTEXT_CHARS = 220  # a best sentence and the next one together, at most
RANK_PRIOR = 0.25
NAME_WEIGHT = 2.5  # a name in the question (GameShifter, PCT) outweighs ordinary words
MAX_CHARS = {"zh": 320, "en": 800}
# a sentence that announces a list the next sentences give: "rests on three pillars",
# "遵循两项原则", "as follows:"
ANNOUNCES = LEXICON.pattern("announces_list")
LIST_CHARS = {"zh": 300, "en": 750}  # what the sentences that give the list may add


@dataclass(frozen=True)
class Excerpt:
    """Sentences chosen from one unit, with how well they match the question."""

    hit: Hit
    sentences: tuple[str, ...]
    coverage: float  # idf-weighted share of the question's words these sentences contain
    rank: int = 0  # the unit's place in the retriever's ranking
    found: frozenset[str] = frozenset()  # the question's words these sentences hold
    continues: bool = False  # it gives the list the passage before it announces
    best: str = ""  # the one sentence that answers best (what a passage adds after the lead)


class Vocabulary:
    """Inverse document frequencies over every sentence of every edition."""

    def __init__(self, texts: list[str]) -> None:
        self.df: Counter[str] = Counter()
        self.docs = 0
        for text in texts:
            for sentence in passage_sentences(text):
                self.df.update(sentence_terms(sentence))
                self.docs += 1
        self._prefixes = {t[:5] for t in self.df if len(t) >= 5 and t.isascii()}

    def idf(self, term: str) -> float:
        return math.log((self.docs + 1) / (self.df.get(term, 0) + 0.5))

    def known(self, term: str) -> bool:
        return term in self.df

    def known_name(self, term: str) -> bool:
        """A name is known if the report uses it or a form of it (America ~ American)."""
        if term in self.df:
            return True
        if len(term) < 6 or not term.isascii():
            return False
        return term[:5] in self._prefixes


@lru_cache(maxsize=4096)
def passage_sentences(text: str) -> tuple[str, ...]:
    """A passage's sentences (the same passages come back question after question)."""
    return tuple(sentences(text))


def sentence_terms(sentence: str) -> frozenset[str]:
    return _terms(sentence, current_own_names())  # a report's own names are not its terms


@lru_cache(maxsize=32768)
def _terms(sentence: str, own: frozenset[str]) -> frozenset[str]:
    return frozenset(tokens(sentence))


def best_excerpts(question: str, hits: list[Hit], vocab: Vocabulary, top: int = 5) -> list[Excerpt]:
    """For each of the top hits, the sentences that answer the question best."""
    terms = set(tokens(question))
    # a name (GameShifter, PCT), or the number of a numbered part ("the second pillar")
    named = names(question) | {t for t in terms if t.isdigit() and len(t) == 1}
    weight = {t: vocab.idf(t) * (NAME_WEIGHT if t in named else 1.0) for t in terms}
    total = _weight(weight, terms) or 1.0
    passages = []
    for rank, hit in enumerate(h for h in hits if h.kind != HEADING and not h.table):
        if rank >= top:
            break
        scored = []
        candidates = list(passage_sentences(hit.text))
        if any(not is_label(c) for c in candidates):
            candidates = [c for c in candidates if not is_label(c)]
        for i, sentence in enumerate(candidates):
            found = terms & sentence_terms(sentence)
            scored.append((_weight(weight, found), -i, sentence, found))
        if not scored:
            continue
        # words of the unit's own title or section count as found: "the Translation
        # Division case study" is answered by the case study of that name
        titled = terms & set(tokens(short_ref(hit) + " " + " ".join(hit.section[1:])))
        scored = [(sc + _weight(weight, titled - f), i, s, f | titled) for sc, i, s, f in scored]
        scored.sort(reverse=True)
        chosen = [scored[0]]
        for candidate in scored[1:]:
            if len(chosen) >= MAX_SENTENCES - 1 or candidate[0] <= 0:
                break
            if candidate[3] - set().union(*(c[3] for c in chosen)):  # adds a new question word
                chosen.append(candidate)
        found_all = set().union(*(c[3] for c in chosen))
        if len(chosen) == 1:
            # a lone sentence reads better with the one after it, which usually goes on
            following = [c for c in scored if c[1] == chosen[0][1] - 1]
            if following and len(chosen[0][2]) + len(following[0][2]) <= CONTEXT_CHARS:
                chosen.append(following[0])
        if SUMMARY.search(question):
            # "summarise the case study": the passage's opening sentences, in order
            chosen = sorted(scored, key=lambda c: -c[1])[:MAX_SENTENCES]
        elif len(passages) == 0 and YES_NO.search(question):
            # "did it cost jobs?": the evidence either way is in the passage's other
            # sentences that hold the question's words, so a short answer takes them too
            for candidate in scored:
                if len(chosen) >= FILL_SENTENCES or _width(c[2] for c in chosen) >= FILL_CHARS:
                    break
                if candidate not in chosen and candidate[0] > 0:
                    chosen.append(candidate)
        if WHO.search(question):
            # a "who" question about a quote is answered by its attribution line
            speaker = [c for c in scored if ATTRIBUTION.match(c[2]) and c not in chosen]
            chosen += speaker[:1]
        ordered = tuple(c[2] for c in sorted(chosen, key=lambda c: -c[1]))
        coverage = _weight(weight, found_all) / total
        passages.append(
            Excerpt(hit, ordered, coverage, rank, frozenset(found_all), best=scored[0][2])
        )
    # the retriever's order breaks near-ties; how much of the question a passage holds decides
    return sorted(passages, key=lambda p: p.coverage + RANK_PRIOR / (p.rank + 1), reverse=True)


def complete_list(
    passages: list[Excerpt], language: str, next_unit: Callable[[Hit], Hit | None]
) -> list[Excerpt]:
    """When the best passage announces a list ("three pillars", "两项原则"), add the
    sentences that give it: the rest of its unit, or the start of the unit that follows."""
    if not passages:
        return passages
    lead, rest = passages[0], passages[1:]
    announcing = [s for s in lead.sentences if ANNOUNCES.search(s)]
    if not announcing:
        return passages
    sentences_of_unit = list(passage_sentences(lead.hit.text))
    after = sentences_of_unit[sentences_of_unit.index(announcing[-1]) + 1 :]
    budget = LIST_CHARS.get(language, 600)
    if after:
        added = _within(after, budget, skip=lead.sentences)
        keep = set(lead.sentences) | set(added)
        ordered = tuple(s for s in sentences_of_unit if s in keep)
        return [replace(lead, sentences=ordered), *rest]
    following = next_unit(lead.hit)
    if following is None or following.section != lead.hit.section:
        return passages  # a list is given where it is announced, not in another section
    given = _within(list(passage_sentences(following.text)), budget, most=5)
    if not given:
        return passages
    extra = Excerpt(following, tuple(given), lead.coverage, lead.rank, lead.found, continues=True)
    return [lead, extra, *[p for p in rest if p.hit.unit_id != following.unit_id]]


def _within(sentences: list[str], budget: int, skip=(), most: int = 3) -> list[str]:
    """The first sentences (at most ``most``) that fit in ``budget`` characters."""
    taken: list[str] = []
    for sentence in sentences:
        if sentence in skip:
            continue
        if len(sentence) > budget or len(taken) == most:
            break
        taken.append(sentence)
        budget -= len(sentence)
    return taken


NUMBERED = re.compile(r"^(?P<word>[^\d:：]{1,30}?)\s*(?P<number>\d{1,2})\s*[:：]")
LIST_ASK = LEXICON.pattern("asks_list")


def numbered_parts(question: str, hits: list[Hit], units, lead: Excerpt | None) -> list:
    """When the question asks which are the report's numbered parts of something ("the
    three pillars", "有哪三大支柱") and the retriever finds one in the chapter of the
    best passage: all the parts, in order.

    ``units`` are the edition's units; a part is a unit titled "<word> <n>: <title>".
    """
    if lead is None or not LIST_ASK.search(question):
        return []
    asked = set(tokens(question))
    if any(t.isdigit() and len(t) == 1 for t in asked):
        return []  # "the second pillar" asks about one part
    for hit in hits:
        found = NUMBERED.match(hit.ref)
        if found is None or not set(tokens(found["word"])) & asked:
            continue
        word = found["word"].strip()
        parts = [
            (int(m["number"]), u)
            for u in units
            if u.title and (m := NUMBERED.match(u.title)) and m["word"].strip() == word
        ]
        chapter = lead.hit.section[:1]
        if len(parts) >= 2 and all(u.section[:1] == chapter for _, u in parts):
            return [u for _, u in sorted(parts, key=lambda p: p[0])]
    return []


def compose_parts(parts, language: str) -> tuple[str, list[Citation]]:
    """The parts' titles, each cited with the opening of its text."""
    separator = "；" if language == "zh" else "; "
    text = separator.join(u.title for u in parts) + ("。" if language == "zh" else ".")
    citations = [
        Citation(
            ref=u.ref,
            paragraph=u.paragraph,
            section=" · ".join(u.section),
            language=u.language,
            quote=passage_sentences(u.text)[0] if u.text else u.title,
            unit_id=u.id,
        )
        for u in parts
    ]
    return text, citations


def compose(passages: list[Excerpt], language: str) -> tuple[str, list[Citation]]:
    """One to four sentences, in the asker's language, each passage followed by its ref."""
    if not passages:
        return "", []
    lead = passages[0]
    parts = [(lead, list(lead.sentences))]
    budget = MAX_CHARS.get(language, 600) - sum(len(s) for s in lead.sentences)
    for extra in passages[1:3]:
        if extra.continues:
            parts.append((extra, list(extra.sentences)))
            budget -= sum(len(s) for s in extra.sentences)
            continue
        # another passage when it holds question words the first lacks, or is nearly as good
        first = extra.best or extra.sentences[0]
        text_len = len(first)
        adds = extra.found - lead.found
        close = extra.coverage >= max(0.6, 0.85 * lead.coverage)
        if (adds or close) and extra.coverage >= 0.5 and text_len <= budget:
            parts.append((extra, [first]))
            budget -= text_len
    pieces, citations = [], []
    for passage, chosen in parts:
        quote = ("" if language == "zh" else " ").join(chosen)
        ref = short_ref(passage.hit)
        pieces.append(f"{quote}（{ref}）" if language == "zh" else f"{quote} ({ref})")
        citations.append(citation_for(passage.hit, quote))
    return ("" if language == "zh" else " ").join(pieces), citations


def _weight(weight: dict[str, float], words) -> float:
    """The summed weight of some of the question's words, added in one fixed order, so
    that equal sets of words always score exactly alike (set order varies by process)."""
    return sum(weight[t] for t in sorted(words))


def _width(sentences) -> int:
    """Characters, a Chinese one counting as two (it says about as much as a word)."""
    return sum(len(s) + sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff") for s in sentences)


def is_label(sentence: str) -> bool:
    """A title, caption or bare value from a graphic, not a sentence that can answer."""
    if ATTRIBUTION.match(sentence):
        return False  # "——Fabio Scappaticci, …": who is speaking is an answer
    cjk = sum(1 for c in sentence if "\u4e00" <= c <= "\u9fff")
    ended = sentence.rstrip("”\"’'）) ").endswith(tuple("。！？.!?；;"))
    if cjk:
        return cjk < 10 or (not ended and cjk < 40)
    words = len(sentence.split())
    return words < 5 or (not ended and words < 14)


def short_ref(hit: Hit) -> str:
    """¶N for a numbered paragraph, else the unit's own title (not its chapter)."""
    return f"¶{hit.paragraph}" if hit.paragraph is not None else hit.ref


def citation_for(hit: Hit, quote: str, other_language_quote: str = "") -> Citation:
    return Citation(
        ref=hit.ref,
        paragraph=hit.paragraph,
        section=" · ".join(hit.section),
        language=hit.language,
        quote=quote,
        unit_id=hit.unit_id,
        other_language_quote=other_language_quote,
    )
