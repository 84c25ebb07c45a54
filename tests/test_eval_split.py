"""The tuning / held-out split of the public suite: fair in every language and tag, and fixed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluation.split import HELDOUT, TUNING, case_language, split_suite
from assistant.evaluation.suite import Case, load_suites

ROOT = Path(__file__).resolve().parent.parent
QA = ROOT / "tests" / "qa"
PRINT_HELDOUT = (
    "import json, sys; from pathlib import Path;"
    "from assistant.evaluation.split import split_suite;"
    "from assistant.evaluation.suite import load_suites;"
    "print(json.dumps(sorted(split_suite(load_suites([Path(sys.argv[1])])).heldout)))"
)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_suites([QA])


def held_out_share(cases: list[Case], in_group) -> tuple[int, int]:
    heldout = split_suite(cases).heldout
    group = [c for c in cases if in_group(c)]
    return sum(c.id in heldout for c in group), len(group)


def test_at_least_a_third_of_the_public_suite_is_held_out(cases):
    held, total = held_out_share(cases, lambda c: True)
    assert 3 * held >= total
    assert held < total / 2  # most cases are left to tune on


@pytest.mark.parametrize("language", ["zh", "en"])
def test_at_least_a_third_of_each_language_is_held_out(cases, language):
    held, total = held_out_share(cases, lambda c: case_language(c) == language)
    assert total >= 100 and 3 * held >= total


def test_every_tag_has_at_least_a_third_of_its_cases_held_out(cases):
    tags = Counter(t for c in cases for t in c.tags)
    heldout = split_suite(cases).heldout
    held = Counter(t for c in cases if c.id in heldout for t in c.tags)
    short = {t: f"{held[t]}/{n}" for t, n in tags.items() if 3 * held[t] < n}
    assert not short, short


def test_every_tag_keeps_cases_to_tune_on_when_it_has_more_than_one(cases):
    heldout = split_suite(cases).heldout
    tuning = Counter(t for c in cases if c.id not in heldout for t in c.tags)
    tags = Counter(t for c in cases for t in c.tags)
    assert all(tuning[t] >= 1 for t, n in tags.items() if n >= 2)


def test_the_two_parts_cover_the_suite_without_overlap(cases):
    split = split_suite(cases)
    tuning, heldout = split.select(cases, TUNING), split.select(cases, HELDOUT)
    assert len(tuning) + len(heldout) == len(cases)
    assert not {c.id for c in tuning} & {c.id for c in heldout}


def test_the_split_does_not_depend_on_the_order_of_the_files_or_cases(cases):
    assert split_suite(list(reversed(cases))) == split_suite(cases)


def test_the_split_is_the_same_in_processes_with_different_hash_seeds(cases):
    expected = sorted(split_suite(cases).heldout)
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", PRINT_HELDOUT, str(QA)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        assert json.loads(out.stdout) == expected, f"PYTHONHASHSEED={seed}"


def test_an_unknown_part_is_refused(cases):
    with pytest.raises(ValueError, match="tuning, heldout"):
        split_suite(cases).select(cases, "test")
