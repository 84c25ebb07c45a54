"""Deciding that the report does not answer a question.

A confident wrong answer is the worst outcome and a refusal of a question the report
answers the second worst; the thresholds below were calibrated on the labelled
questions in tests/qa (see docs/answers.md).
"""

from __future__ import annotations

import re

from assistant.language.lexicon import lexicon
from assistant.language.terms import names, tag_words, tokens, years_in
from assistant.text.narrative import Excerpt, Vocabulary

FIGURE_WORDS = frozenset(tokens(lexicon().figure_words))  # words that ask for a figure

MIN_COVERAGE = 0.1  # share (idf-weighted) of the question's words the best passage holds
MIN_COVERAGE_WITH_UNKNOWN = 0.7  # when words the report never uses weigh this much:
UNKNOWN_SHARE = 0.5
# a figure question that the tables did not answer needs a passage that holds it well
UNKNOWN_SHARE_FIGURE = 0.2
MIN_COVERAGE_FIGURE = 0.7
NAME_TAGS = ("ns", "nr", "nt", "nz", "eng")  # jieba tags of places, people, bodies, names


def unknown_share(question: str, vocab: Vocabulary) -> float:
    """The idf-weighted share of the question's words that the report never uses."""
    # numbers are not words: a year is judged apart, and a number in a question
    # ("since there were 50,000 applications") says nothing about the topic
    # nor are the words that ask for a figure ("share", "number"): they name no topic
    terms = {t for t in tokens(question) if not t[0].isdigit() and t not in FIGURE_WORDS}
    if not terms:
        return 0.0
    unknown = [t for t in terms if not vocab.known(t)]
    return sum(vocab.idf(t) for t in sorted(unknown)) / sum(vocab.idf(t) for t in sorted(terms))


def unknown_names(question: str, vocab: Vocabulary) -> list[str]:
    """Names the question uses that the report never does (India, WHO, 中国, D2)."""
    found = [t for t in names(question) if not vocab.known_name(t) and not t[0].isdigit()]
    for word, tag in tag_words(question):
        chinese = re.search(r"[\u4e00-\u9fff]", word)
        if tag in NAME_TAGS and chinese and not any(vocab.known(t) for t in tokens(word)):
            found.append(word)
    return found


def out_of_scope(
    question: str,
    language: str,
    passages: list[Excerpt],
    vocab: Vocabulary,
    figure_question: bool = False,
    asked: str | None = None,
    covered_year: str = "",
) -> str | None:
    """Why the report cannot answer this, or None if the best passage answers it."""
    terms = tokens(question)
    if not terms:
        return "no_terms"
    if not passages:
        return "no_passage"
    coverage = passages[0].coverage
    years = years_in(asked or question)  # the years the asker named, not earlier turns
    if any(not vocab.known(y) and not vocab.known(y + "年") for y in years):
        return "other_year"
    if figure_question and years and not any(y in " ".join(passages[0].sentences) for y in years):
        return "other_year"  # a figure for a year the best passage does not speak of
    other_years = years - {covered_year}
    if other_years and not any(y in passages[0].hit.text for y in other_years):
        return "other_year"  # "the 2022-2023 biennium": the best passage speaks of other years
    if unknown_names(question, vocab):
        return "unknown_terms"
    share = unknown_share(asked or question, vocab)
    if figure_question and share >= UNKNOWN_SHARE_FIGURE and coverage < MIN_COVERAGE_FIGURE:
        return "unknown_terms"
    if share >= UNKNOWN_SHARE and coverage < MIN_COVERAGE_WITH_UNKNOWN:
        return "unknown_terms"
    if coverage < MIN_COVERAGE:
        return "low_coverage"
    return None
