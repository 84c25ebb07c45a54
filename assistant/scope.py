"""Deciding that the report does not answer a question.

A confident wrong answer is the worst outcome and a refusal of a question the report
answers the second worst; the thresholds below were calibrated on the labelled
questions in tests/qa (see docs/answers.md).
"""

from __future__ import annotations

import re

from assistant.narrative import Excerpt, Vocabulary
from assistant.terms import tokens

MIN_COVERAGE = 0.34  # share (idf-weighted) of the question's words the best passage holds
MIN_COVERAGE_WITH_UNKNOWN = 0.6  # when words the report never uses weigh this much:
UNKNOWN_SHARE = 0.3
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b|(19\d\d|20\d\d)年")


def out_of_scope(
    question: str, language: str, passages: list[Excerpt], vocab: Vocabulary
) -> str | None:
    """Why the report cannot answer this, or None if the best passage answers it."""
    terms = tokens(question)
    if not terms:
        return "no_terms"
    unknown = [t for t in set(terms) if not vocab.known(t)]
    unknown_share = sum(vocab.idf(t) for t in unknown) / sum(vocab.idf(t) for t in set(terms))
    if not passages:
        return "no_passage"
    coverage = passages[0].coverage
    years = {a or b for a, b in YEAR.findall(question)}
    if any(not vocab.known(y) and not vocab.known(y + "年") for y in years):
        return "other_year"
    if unknown_share >= UNKNOWN_SHARE and coverage < MIN_COVERAGE_WITH_UNKNOWN:
        return "unknown_terms"
    if coverage < MIN_COVERAGE:
        return "low_coverage"
    return None
