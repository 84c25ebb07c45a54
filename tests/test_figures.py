"""The figures engine answers computed questions with checked values, formulas in both
languages, and the source of every input; what it cannot trace, it refuses."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.figures.engine import FiguresEngine, Ref, catalog
from assistant.settings import PROJECT_ROOT
from ingest.corpus import load_report
from ingest.errors import TableError

CORPUS = PROJECT_ROOT / "corpus"
REGION = "recruitment-by-region"


@pytest.fixture(scope="module")
def engine():
    return FiguresEngine.from_corpus(CORPUS)


@pytest.fixture(scope="module")
def units():
    return load_report(CORPUS / "reports" / "wo-cc-86-inf-1").edition("zh").by_id()


def cited(figure) -> set[tuple[str, str, str]]:
    return {(s.table, s.row, s.column) for s in figure.sources}


# --- a dozen questions ------------------------------------------------------------------------


def test_what_share_of_applications_came_from_africa(engine):
    f = engine.share(REGION, "Africa", "applications")
    assert f.display == {"zh": "24.8%", "en": "24.8%"} and f.unit == "percent"
    assert f.formula == {"zh": "3,944 ÷ 15,921 = 24.8%", "en": "3,944 ÷ 15,921 = 24.8%"}
    assert cited(f) == {(REGION, "africa", "applications"), (REGION, "total", "applications")}
    assert {s.paragraph for s in f.sources} >= {72, 69}


def test_what_share_of_those_selected_came_from_africa(engine):
    f = engine.share(REGION, "africa", "selections")
    assert f.display["en"] == "16.3%" and f.formula["en"] == "14 ÷ 86 = 16.3%"
    assert 74 in {s.paragraph for s in f.sources}


def test_how_much_the_share_of_women_at_d1_rose(engine):
    f = engine.pp_change("women-d1-share", "2024", "2025", "women_share")
    assert f.value == pytest.approx(8.0) and f.unit == "pp"
    assert f.formula == {
        "zh": "42.6% − 34.6% = 8.0个百分点",
        "en": "42.6% − 34.6% = 8.0 percentage points",
    }
    assert {s.paragraph for s in f.sources} == {85}


def test_how_fast_bilateral_consultations_grew(engine):
    f = engine.growth(
        "member-state-engagement",
        "bilateral-consultations-previous",
        "bilateral-consultations",
        "value",
    )
    assert f.display["en"] == "111.1%"
    assert f.formula["zh"] == "(38 − 18) ÷ 18 = 111.1%"


def test_how_many_applications_per_vacancy_across_tables(engine):
    f = engine.combine(
        "ratio",
        Ref("recruitment-pipeline", "applications", "count"),
        ("recruitment-overview", "vacancies", "value"),
    )
    assert f.display["en"] == "147.4" and f.unit == "ratio"
    assert f.formula["en"] == "15,921 ÷ 108 = 147.4"
    assert ("recruitment-overview", "vacancies", "value") in cited(f)


def test_where_western_europe_ranks_by_applications(engine):
    f = engine.rank(REGION, "applications", "Western Europe")
    assert f.value == 3 and f.display == {"zh": "第3位（共7个）", "en": "3 of 7"}
    assert f.formula["en"].startswith("by applications: Africa 3,944 > Asia and the Pacific 3,764")
    assert "CACEEC" not in f.formula["en"]  # country groups are not ranked against regions


def test_which_region_converts_best_and_which_shortlists_least(engine):
    best = engine.max(REGION, "conversion_rate")
    assert (
        best.label["en"] == "highest conversion rate: Middle East"
        and best.display["en"] == "100.0%"
    )
    worst = engine.min(REGION, "shortlisting_rate")
    assert worst.label["zh"] == "进入候选名单比率最低：中东" and worst.display["zh"] == "1.7%"
    assert len({s.row for s in worst.sources}) == 7  # every compared row is cited


def test_the_three_regions_with_most_selections(engine):
    top = engine.top_k(REGION, "selections", k=3)
    assert [(f.label["en"], f.display["en"]) for f in top] == [
        ("Asia and the Pacific — selections", "29"),
        ("Western Europe — selections", "17"),
        ("Africa — selections", "14"),
    ]
    assert [f.formula["en"] for f in top] == [f"rank {i} of 7 by selections" for i in (1, 2, 3)]
    # each figure cites its own row only, so a chart can highlight it
    assert [{s.row for s in f.sources} for f in top] == [
        {"asia-pacific"}, {"western-europe"}, {"africa"},
    ]  # fmt: skip


def test_how_many_africans_were_recommended_says_it_is_derived(engine):
    f = engine.lookup(REGION, "africa", "recommended")
    assert f.value == 26 and f.display["zh"] == "26"
    assert "derived" in f.note["en"] and "推算" in f.note["zh"]
    assert f.formula is not None and "the only whole number" in f.formula["en"]
    columns = {s.column for s in f.sources}
    assert {"applications", "shortlisting_rate", "conversion_rate", "selections"} <= columns


def test_selections_per_application_in_africa(engine):
    f = engine.rate(REGION, "africa", "selections", "applications")
    assert f.display["en"] == "0.35%" and f.formula["en"] == "14 ÷ 3,944 = 0.35%"


def test_interviewed_over_shortlisted_recomputes_the_published_rate(engine):
    f = engine.rate(REGION, "total", "interviewed", "shortlisted")
    published = engine.lookup(REGION, "total", "interview_rate")
    assert f.display["en"] == published.display["en"] == "54.9%"
    assert "derived" in f.note["en"]


def test_the_regions_add_up_to_the_published_total(engine):
    f = engine.sum(REGION, "applications")
    assert (
        f.display["en"] == "15,921" == engine.lookup(REGION, "total", "applications").display["en"]
    )
    assert f.formula["en"] == "3,944 + 3,764 + 1,718 + 1,353 + 815 + 772 + 3,555 = 15,921"


def test_the_gap_between_external_and_internal_appointments(engine):
    f = engine.difference("appointments-by-origin", "external", "internal", "share")
    assert f.display["en"] == "9.4 percentage points" and f.display["zh"] == "9.4个百分点"
    assert {s.paragraph for s in f.sources} == {82}


def test_how_far_esat_is_above_the_benchmark_carries_the_76_79_discrepancy(engine):
    f = engine.difference("engagement-survey", "esat", "global-benchmark", "value")
    assert f.display["en"] == "2 points" and f.formula["en"] == "76% − 74 = 2 points"
    assert "79%" in f.note["en"] and "79%" in f.note["zh"]


def test_growth_of_eececa_selections_from_2022_to_2024(engine):
    f = engine.growth("regional-selections-history", "eececa-2022", "eececa-2024", "selections")
    assert f.display["en"] == "55.6%" and f.formula["en"] == "(14 − 9) ÷ 9 = 55.6%"


def test_share_of_women_among_everyone_selected(engine):
    f = engine.share(
        "appointments-by-gender",
        "all",
        "women",
        of=("appointments-by-gender", "all", "appointments"),
    )
    assert f.display["en"] == "50.0%" and f.formula["zh"] == "43 ÷ 86 = 50.0%"


# --- stated values ----------------------------------------------------------------------------


def test_a_lookup_is_displayed_as_the_report_prints_it(engine):
    assert engine.lookup(REGION, "APAC", "shortlisting_rate").display["en"] == "8.5%"
    assert engine.lookup("engagement-survey", "response-rate", "value").display["en"] == "67%"
    assert engine.lookup("recruitment-pipeline", "applications", "count").display["zh"] == "15,921"
    courses = engine.lookup("learning", "courses-available", "value")
    assert courses.display == {"zh": "400多", "en": "more than 400"}
    assert engine.lookup("hr-maturity", "wipo-score", "value").display["en"] == "3-"


def test_uncertain_layout_readings_travel_with_the_figure(engine):
    f = engine.lookup(REGION, "CACEEC", "applications")
    assert f.display["en"] == "649" and "Uncertain reading" in f.note["en"]
    assert "版面对应不确定" in engine.lookup("learning-pillars", "technical", "share").note["zh"]


def test_dates_are_stated_as_facts(engine):
    fact = engine.fact("milestones", "selection-cutoff", "date")
    assert fact.display == {"zh": "2026年4月中旬", "en": "mid-April 2026"}
    assert fact.sources[0].paragraph == 69
    mobility = engine.fact("milestones", "mobility-programme", "date")
    assert mobility.display["en"] == "2027" and "2026" in mobility.note["en"]


def test_every_figure_cites_quotes_that_are_in_the_report(engine, units):
    figures = [
        engine.share(REGION, "africa", "applications"),
        engine.pp_change("women-d1-share", "2024", "2025", "women_share"),
        engine.lookup("talent-review", "staff-assessed", "value"),
        engine.lookup("it-transformation", "emadrid-registration-share", "value"),
        engine.rank(REGION, "applications", "africa"),
    ]
    for figure in figures:
        assert figure.sources
        for source in figure.sources:
            assert source.quote in units[source.unit_id].text, source.key()


# --- refusals ---------------------------------------------------------------------------------


def test_unknown_names_are_refused_with_the_valid_ones(engine):
    with pytest.raises(TableError, match=r"No table 'regions'.*recruitment-by-region"):
        engine.lookup("regions", "africa", "applications")
    with pytest.raises(TableError, match=r"no row 'Europe'.*western-europe"):
        engine.lookup(REGION, "Europe", "applications")
    with pytest.raises(TableError, match=r"no column 'salary'.*applications"):
        engine.lookup(REGION, "africa", "salary")


def test_text_and_date_columns_are_not_numbers(engine):
    with pytest.raises(TableError, match=r"holds text.*applications"):
        engine.lookup(REGION, "africa", "region")
    with pytest.raises(TableError, match=r"is a date.*fact"):
        engine.lookup("milestones", "emadrid-launch", "date")


def test_an_empty_cell_says_which_cells_have_values(engine):
    with pytest.raises(TableError, match=r"no value.*rows with a 'men' value: all"):
        engine.lookup("appointments-by-gender", "senior", "men")


def test_approximate_values_are_stated_but_not_computed_with(engine):
    with pytest.raises(TableError, match=r"approximate.*more than 400"):
        engine.combine(
            "ratio", ("learning", "courses-available", "value"), ("learning", "enrolments", "value")
        )


def test_shares_and_sums_need_counts(engine):
    with pytest.raises(TableError, match=r"not a count"):
        engine.share(REGION, "africa", "conversion_rate")
    with pytest.raises(TableError, match=r"not a count"):
        engine.sum(REGION, "conversion_rate")
    with pytest.raises(TableError, match=r"two percentages"):
        engine.pp_change("recruitment-pipeline", "shortlisted", "interviewed", "count")


def test_division_by_zero_is_refused(engine):
    table = engine.table("women-d1-share")
    row = table.row("2024")
    zero = dataclasses.replace(row, values={**row.values, "women_share": 0})
    broken = dataclasses.replace(table, rows=(zero, table.row("2025")))
    with pytest.raises(TableError, match=r"divide by .* zero"):
        FiguresEngine([broken]).growth("women-d1-share", "2024", "2025", "women_share")


# --- names ------------------------------------------------------------------------------------


def test_the_catalog_maps_the_words_people_use_to_tables_columns_and_rows(engine):
    terms = {(t.text, t.table, t.column, t.row) for t in catalog(engine.tables.values()).terms()}
    assert ("APAC", REGION, None, "asia-pacific") in terms
    assert ("亚太", REGION, None, "asia-pacific") in terms
    assert ("入围", REGION, "shortlisted", None) in terms
    assert ("short-listed", REGION, "shortlisted", None) in terms
    assert ("Western Europe", REGION, None, "western-europe") in terms
    assert ("eSat", "engagement-survey", None, "esat") in terms
    names = engine.catalog().table(REGION)
    assert names.label["zh"] == "按申请者区域分列的征聘情况"
    assert [c.key for c in names.columns if c.derived] == [
        "shortlisted",
        "interviewed",
        "recommended",
    ]
