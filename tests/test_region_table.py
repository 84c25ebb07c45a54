"""The region table came out of the PDF as runs of labels and values; these tests rebuild it
from the extracted text and prove every step of the reconstruction stored in
corpus/tables/recruitment-by-region."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from assistant.settings import PROJECT_ROOT
from ingest.corpus import load_report
from ingest.tables import load_tables, round_half_up

CORPUS = PROJECT_ROOT / "corpus"
REPORT = CORPUS / "reports" / "wo-cc-86-inf-1"
# The order of the ten values in every run (see the table's notes for the evidence).
ORDER = [
    "africa", "asia-pacific", "eececa", "caceec", "cebs", "latin-america-caribbean",
    "middle-east", "north-america", "western-europe", "total",
]  # fmt: skip
RUNS = [
    "applications", "shortlisting_rate", "interview_rate", "recommendation_rate", "selections",
    "conversion_rate",
]  # fmt: skip
REGIONS = [k for k in ORDER if k not in ("caceec", "cebs", "total")]
NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d)?%?$")


@pytest.fixture(scope="module")
def table():
    return next(t for t in load_tables(CORPUS) if t.id == "recruitment-by-region")


@pytest.fixture(scope="module")
def rows(table):
    return {r.key: r.values for r in table.rows}


@pytest.fixture(scope="module")
def zh():
    return load_report(REPORT).edition("zh")


def raw_runs() -> tuple[list[str], list[list[str]]]:
    """Labels and the six runs of ten values, as the PDF extraction printed them."""
    raw = (REPORT / "source.zh.txt").read_text(encoding="utf-8")
    start = raw.index("申请者区域")
    end = raw.index("转化率", start)
    lines = [re.sub(r"\s+", "", line) for line in raw[start:end].splitlines() if line.strip()]
    values = [line for line in lines if NUMBER.match(line)]
    labels = [line for line in lines if not NUMBER.match(line)]
    return labels, [values[i : i + 10] for i in range(0, len(values), 10)]


def number(text: str) -> Decimal:
    return Decimal(text.rstrip("%").replace(",", ""))


def pct(numerator: int, denominator: int) -> Decimal:
    return round_half_up(Decimal(numerator) * 100 / Decimal(denominator), 1)


# --- the layout -------------------------------------------------------------------------------


def test_the_extraction_has_six_runs_of_ten_values_and_the_stage_header():
    labels, runs = raw_runs()
    assert [len(run) for run in runs] == [10] * 6
    assert [all(v.endswith("%") for v in run) for run in runs] == [
        False, True, True, True, False, True,
    ]  # fmt: skip
    assert all("." not in v for v in runs[4])  # the fifth run holds whole numbers
    raw = (REPORT / "source.zh.txt").read_text(encoding="utf-8")
    assert "选名单 参加面试 获得推荐 最终选定 转化率" in raw
    assert labels[1:8] == [
        "非洲", "亚洲及太平洋", "东欧、中欧和中亚", "拉丁美洲和加勒比地区", "中东", "北美", "西欧",
    ]  # fmt: skip


def test_the_stored_table_is_the_runs_read_in_the_documented_order(rows):
    _, runs = raw_runs()
    for column, run in zip(RUNS, runs, strict=True):
        for key, text in zip(ORDER, run, strict=True):
            assert Decimal(str(rows[key][column])) == number(text), (key, column)


def test_the_unit_text_holds_every_run_but_the_selections_in_the_same_order(zh):
    text = zh.by_id()["wo-cc-86-inf-1:table-recruitment-by-region"].text
    _, runs = raw_runs()
    for i, run in enumerate(runs):
        if i != 4:  # see test_tables_integrity: the parser drops one- and two-digit lines
            assert "\n".join(run) in text


# --- why this order ------------------------------------------------------------------------------


def test_the_first_nine_applications_count_eececa_twice_through_its_two_groups():
    _, runs = raw_runs()
    applications = [int(number(v)) for v in runs[0]]
    assert sum(applications[:9]) == applications[9] + applications[2]  # 17,639 = 15,921 + 1,718
    assert applications[3] + applications[4] == applications[2]  # 649 + 1,069 = 1,718
    selections = [int(v) for v in runs[4]]
    assert selections[3] + selections[4] == selections[2]  # 9 + 2 = 11


def test_the_seven_regions_add_up_to_the_total_row(rows):
    for column in ("applications", "selections", "shortlisted", "interviewed", "recommended"):
        assert sum(rows[k][column] for k in REGIONS) == rows["total"][column], column


def test_the_two_country_groups_add_up_to_their_region(rows):
    for column in ("applications", "selections", "shortlisted", "interviewed", "recommended"):
        assert rows["caceec"][column] + rows["cebs"][column] == rows["eececa"][column], column


def test_the_totals_match_the_text(zh, rows):
    text = {u.id.split(":")[1]: u.text for u in zh.units}
    assert "已从15,921份申请中选拔出86人" in text["p69"]
    assert (rows["total"]["applications"], rows["total"]["selections"]) == (15921, 86)
    pipeline = text["table-recruitment-pipeline"]
    for figure in ("15,921人", "823人", "452人", "86人"):
        assert figure in pipeline
    assert (rows["total"]["shortlisted"], rows["total"]["interviewed"]) == (823, 452)


def test_paragraph_72_and_74_confirm_their_rows(zh, rows):
    p72, p74 = zh.paragraph(72).text, zh.paragraph(74).text
    assert "非洲（3,944人）、亚太（3,764人）和西欧（3,555人）" in p72
    assert [rows[k]["applications"] for k in ("africa", "asia-pacific", "western-europe")] == [
        3944, 3764, 3555,
    ]  # fmt: skip
    assert "共有来自12个不同国家的14名候选人得到最终选定" in p74
    assert rows["africa"]["selections"] == 14
    # ¶74: "Africa remains the largest single source of applications"
    assert max(REGIONS, key=lambda k: rows[k]["applications"]) == "africa"


def test_paragraph_76s_eleven_is_the_regions_selections_and_is_recorded_as_a_discrepancy(
    zh, table, rows
):
    assert "2025年进入候选名单的人数小幅调至11人" in zh.paragraph(76).text
    assert rows["eececa"]["selections"] == 11 and rows["eececa"]["shortlisted"] == 104
    discrepancy = next(d for d in table.discrepancies if d.id == "eececa-2025-shortlisted-11")
    assert ("eececa", "shortlisted") in discrepancy.cells
    assert {c.paragraph for c in discrepancy.claims} == {76, None}


# --- what the columns mean -----------------------------------------------------------------------


def test_stage_to_stage_definitions_reproduce_the_total_row(rows):
    total = rows["total"]
    assert pct(823, 15921) == Decimal("5.2") == Decimal(str(total["shortlisting_rate"]))
    assert pct(452, 823) == Decimal("54.9") == Decimal(str(total["interview_rate"]))
    assert pct(86, 223) == Decimal("38.6") == Decimal(str(total["conversion_rate"]))
    assert pct(14, 26) == Decimal("53.8") == Decimal(str(rows["africa"]["conversion_rate"]))


def test_definitions_against_applications_do_not_reproduce_it(rows):
    total = rows["total"]
    assert pct(452, 15921) != Decimal(str(total["interview_rate"]))  # 2.8%, not 54.9%
    assert pct(86, 452) != Decimal(str(total["conversion_rate"]))  # 19.0%, not 38.6%


# --- the derived head-counts ---------------------------------------------------------------------


def consistent_counts(values: dict) -> list[tuple[int, int, int]]:
    """Every (shortlisted, interviewed, recommended) that reproduces the row's published rates."""
    rates = [Decimal(str(values[c])) for c in RUNS if c.endswith("rate")]
    shortlisting, interview, recommendation, conversion = rates
    found = []
    for s in range(1, values["applications"] + 1):
        if pct(s, values["applications"]) != shortlisting:
            continue
        for i in range(s + 1):
            if i == 0 or pct(i, s) != interview:
                continue
            for r in range(1, i + 1):
                if pct(r, i) == recommendation and pct(values["selections"], r) == conversion:
                    found.append((s, i, r))
    return found


@pytest.mark.parametrize("key", [k for k in ORDER if k != "total"])
def test_each_rows_derived_counts_are_the_only_whole_numbers_that_fit_its_rates(rows, key):
    values = rows[key]
    stored = (values["shortlisted"], values["interviewed"], values["recommended"])
    assert consistent_counts(values) == [stored]


def test_the_total_rows_counts_are_fixed_by_its_rates_and_the_pipeline(rows):
    total = rows["total"]
    candidates = consistent_counts(total)
    assert (823, 452, 223) in candidates
    # the rates alone also allow 824 shortlisted; the pipeline graphic says 823
    assert [c for c in candidates if c[:2] == (823, 452)] == [(823, 452, 223)]
    assert (total["shortlisted"], total["interviewed"], total["recommended"]) == (823, 452, 223)


def test_derived_counts_reproduce_every_published_rate_of_every_row(rows):
    for key, v in rows.items():
        assert pct(v["shortlisted"], v["applications"]) == Decimal(str(v["shortlisting_rate"])), key
        assert pct(v["interviewed"], v["shortlisted"]) == Decimal(str(v["interview_rate"])), key
        assert pct(v["recommended"], v["interviewed"]) == Decimal(str(v["recommendation_rate"])), (
            key
        )
        assert pct(v["selections"], v["recommended"]) == Decimal(str(v["conversion_rate"])), key


def test_derived_columns_are_marked_and_stored_ones_are_not(table):
    derived = {c.name for c in table.columns if c.derived}
    assert derived == {"shortlisted", "interviewed", "recommended"}


# --- what stays uncertain -------------------------------------------------------------------------


def test_which_country_group_is_which_is_flagged_with_its_reasoning(table):
    for key in ("caceec", "cebs"):
        row = table.row(key)
        assert row.ambiguous and row.parent == "eececa"
        assert "649" in row.note["en"] and "1,069" in row.note["en"] and "CACEEC" in row.note["zh"]
    notes = " ".join(n["en"] for n in table.notes)
    assert "no number in the text confirms these three rows" in notes
