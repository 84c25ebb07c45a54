"""A tuning part and a held-out part of a suite, fixed by the cases' ids and tags.

Changes to the answer engine are judged on the tuning part; the held-out part is only
ever run for its pass rate, so that what it measures was not tuned to. The split must
hold a fair share of every kind of case, so it is stratified: every tag and every
question language gets at least a third of its cases held out, and so does the suite.
Within a group, cases are taken in the order of the SHA-1 of their id, so the split
depends on nothing but the suite (not on the process, its hash seed or the file order).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.evaluation.suite import Case
from assistant.evaluation.text import detect_language

TUNING, HELDOUT = "tuning", "heldout"
PARTS = (TUNING, HELDOUT)
HELDOUT_SHARE = 1 / 3
_NO_LANGUAGE = "none"  # cases whose question has no letters (empty or control characters)


@dataclass(frozen=True)
class Split:
    """The ids of the held-out cases; every other case is for tuning."""

    heldout: frozenset[str]

    def part(self, case: Case) -> str:
        """``heldout`` or ``tuning``."""
        return HELDOUT if case.id in self.heldout else TUNING

    def select(self, cases: Iterable[Case], part: str) -> list[Case]:
        """The cases of one part, in the order given."""
        if part not in PARTS:
            raise ValueError(f"part should be one of {', '.join(PARTS)} (got {part!r})")
        return [c for c in cases if self.part(c) == part]


def split_suite(cases: list[Case]) -> Split:
    """Hold out at least a third of the suite, of each language and of each tag."""
    order = {c.id: _id_hash(c.id) for c in cases}
    heldout: set[str] = set()
    groups = _groups(cases)
    # The smallest groups first: they have the least choice, and larger ones are then
    # mostly filled by what the small ones already took.
    for _, members in sorted(groups.items(), key=lambda item: (len(item[1]), item[0])):
        needed = math.ceil(HELDOUT_SHARE * len(members)) - sum(m in heldout for m in members)
        for case_id in sorted((m for m in members if m not in heldout), key=order.__getitem__):
            if needed <= 0:
                break
            heldout.add(case_id)
            needed -= 1
    return Split(frozenset(heldout))


def case_language(case: Case) -> str:
    """The language of the case's first question that has letters, or ``none``."""
    found = (detect_language(t.question) for t in case.turns)
    return next((lang for lang in found if lang), _NO_LANGUAGE)


def _groups(cases: list[Case]) -> dict[str, list[str]]:
    """Every stratum: the whole suite, each language, each tag (a case is in several)."""
    groups: dict[str, list[str]] = {"suite:all": [c.id for c in cases]}
    for case in cases:
        groups.setdefault(f"lang:{case_language(case)}", []).append(case.id)
        for tag in case.tags:
            groups.setdefault(f"tag:{tag}", []).append(case.id)
    return groups


def _id_hash(case_id: str) -> str:
    return hashlib.sha1(case_id.encode("utf-8")).hexdigest()
