"""Every value in corpus/tables is traceable: its quote is in the report and holds the value,
every total and published rate recomputes from the rows, and the tables agree with each other."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from ingest.corpus import load_report
from ingest.errors import TableError
from ingest.tables import (
    LANGUAGES,
    MEASURE,
    arithmetic_problems,
    load_tables,
    quote_problem,
    quoted_values,
    round_half_up,
)

CORPUS = PROJECT_ROOT / "corpus"
REPORT = CORPUS / "reports" / "wo-cc-86-inf-1"
FRAGMENT = "wo-cc-86-inf-1:table-recruitment-by-region"


@pytest.fixture(scope="module")
def tables():
    return {t.id: t for t in load_tables(CORPUS)}


@pytest.fixture(scope="module")
def units():
    return load_report(REPORT).edition("zh").by_id()


def value(tables, table: str, row: str, column: str = "value"):
    return tables[table].row(row).values[column]


# --- sources ------------------------------------------------------------------------------


def test_the_corpus_holds_the_tables_a_delegate_asks_about(tables):
    expected = {
        "recruitment-pipeline", "recruitment-by-region", "recruitment-overview",
        "applicants-per-vacancy", "appointments-by-grade", "appointments-by-origin",
        "appointments-by-gender", "women-d1-share", "regional-selections-history",
        "engagement-survey", "engagement-dimensions", "survey-sentiment", "culture-initiatives",
        "wellbeing", "learning", "learning-pillars", "leadership-and-mobility", "talent-review",
        "ict-talent-review", "it-transformation", "hr-maturity", "member-state-engagement",
        "performance-management", "milestones",
    }  # fmt: skip
    assert expected <= set(tables)
    assert {t.report for t in tables.values()} == {"WO/CC/86/INF/1"}


def test_every_stored_value_has_at_least_one_source(tables):
    for table in tables.values():
        for row in table.rows:
            for column in table.measures:
                if row.values[column.name] is None:
                    continue
                assert table.cell_sources(row, column.name), f"{table.id}/{row.key}/{column.name}"


def test_every_quote_is_in_its_units_text_and_the_value_reads_out_of_it(tables, units):
    problems = [
        problem
        for table in tables.values()
        for item in quoted_values(table)
        if (problem := quote_problem(item, units))
    ]
    assert problems == []


def test_quotes_in_the_region_fragment_are_whole_lines_of_it(tables, units):
    lines = set(units[FRAGMENT].text.splitlines())
    for table in tables.values():
        for item in quoted_values(table):
            if item.source.unit_id == FRAGMENT:
                assert item.source.quote in lines, item.where


def test_the_region_fragment_keeps_its_selections_run(units):
    text = units[FRAGMENT].text
    assert "\n14\n29\n11\n9\n2\n9\n2\n4\n17\n86\n" in text


def test_quotes_that_name_a_paragraph_come_from_that_paragraph(tables, units):
    for table in tables.values():
        for item in quoted_values(table):
            if item.source.paragraph is not None:
                assert units[item.source.unit_id].paragraph == item.source.paragraph, item.where


# --- arithmetic -----------------------------------------------------------------------------


def test_rates_recompute_and_parts_add_up_except_where_a_discrepancy_is_declared(tables):
    for table in tables.values():
        declared = {f"{table.id}/{row}/{col}" for d in table.discrepancies for row, col in d.cells}
        unexplained = [p for p in arithmetic_problems(table) if p.split(":")[0] not in declared]
        assert unexplained == []


def test_the_one_rounding_slip_is_real_and_declared(tables):
    problems = arithmetic_problems(tables["appointments-by-grade"])
    assert problems == [
        "appointments-by-grade/p5-above/share: 10 ÷ 86 = 11.6%, the table says 11.5%"
    ]
    kinds = {d.id: d.kind for d in tables["appointments-by-grade"].discrepancies}
    assert kinds == {"p5-share-11-5": "rounding"}


@pytest.mark.parametrize(
    ("table", "rows", "column"),
    [
        ("survey-sentiment", ["favourable", "neutral", "unfavourable"], "share"),
        ("learning-pillars", ["behavioural-leadership", "foundational", "technical"], "share"),
        ("appointments-by-origin", ["internal", "external"], "share"),
        ("performance-management", ["culture-goal-weight", "business-goal-weight"], "value"),
    ],
)
def test_shares_that_split_a_whole_add_up_to_100(tables, table, rows, column):
    assert sum(Decimal(str(value(tables, table, r, column))) for r in rows) == 100


def test_derived_appointments_reproduce_the_published_shares(tables):
    for table, total in (("appointments-by-origin", 86), ("appointments-by-grade", 86)):
        for row in tables[table].rows:
            derived, share = row.values.get("derived_appointments"), row.values.get("share")
            if derived is None:
                continue
            decimals = row.decimals["share"]
            computed = round_half_up(Decimal(derived) * 100 / total, decimals)
            assert computed == round_half_up(Decimal(str(share)), decimals), row.key
    assert (
        value(tables, "appointments-by-origin", "internal", "derived_appointments")
        + value(tables, "appointments-by-origin", "external", "derived_appointments")
        == 86
    )
    grade = tables["appointments-by-grade"].row("p5-above").values
    assert grade["external_appointments"] * 100 / grade["appointments"] == grade["external_share"]


def test_the_tables_agree_with_each_other(tables):
    region_total = tables["recruitment-by-region"].row("total").values
    pipeline = {r.key: r.values["count"] for r in tables["recruitment-pipeline"].rows}
    assert pipeline == {
        "applications": region_total["applications"],
        "shortlisted": region_total["shortlisted"],
        "interviewed": region_total["interviewed"],
        "selected": region_total["selections"],
    }
    assert value(tables, "appointments-by-grade", "total", "appointments") == pipeline["selected"]
    assert value(tables, "appointments-by-origin", "total", "appointments") == pipeline["selected"]
    gender = tables["appointments-by-gender"].row("all").values
    assert gender["women"] + gender["men"] == gender["appointments"] == pipeline["selected"]
    assert value(tables, "regional-selections-history", "africa-2025", "selections") == value(
        tables, "recruitment-by-region", "africa", "selections"
    )
    assert value(tables, "regional-selections-history", "eececa-2025", "selections") == value(
        tables, "recruitment-by-region", "eececa", "selections"
    )


def test_the_response_rate_is_respondents_over_population(tables):
    survey = {r.key: r.values["value"] for r in tables["engagement-survey"].rows}
    rate = round_half_up(Decimal(survey["respondents"]) * 100 / survey["population"], 0)
    assert rate == survey["response-rate"] == 67


def test_the_talent_review_matches_its_parts(tables):
    talent = {r.key: r.values["value"] for r in tables["talent-review"].rows}
    assert talent["staff-matched"] <= talent["staff-assessed"]
    assert talent["awareness-events"] == 2 * talent["sectors"]  # "two per sector"


# --- schema ---------------------------------------------------------------------------------


def test_every_table_row_and_column_is_named_in_both_languages(tables):
    for table in tables.values():
        for names in (table.title, table.description):
            assert set(names) == set(LANGUAGES) and all(names.values())
        for item in (*table.columns, *table.rows):
            assert all(item.label[lang] for lang in LANGUAGES), f"{table.id}/{item}"


def test_derived_columns_say_how_and_from_what(tables):
    derived = [(t, c) for t in tables.values() for c in t.columns if c.derived]
    assert {t.id for t, _ in derived} >= {"recruitment-by-region", "appointments-by-origin"}
    for _table, column in derived:
        assert column.kind == MEASURE and column.derived_from and column.method
        assert all(column.method[lang] for lang in LANGUAGES)


def test_uncertain_readings_of_the_layout_are_flagged_and_explained(tables):
    flagged = {(t.id, r.key) for t in tables.values() for r in t.rows if r.ambiguous}
    assert {
        ("recruitment-by-region", "caceec"), ("recruitment-by-region", "cebs"),
        ("engagement-dimensions", "psychological-safety"), ("engagement-dimensions", "purpose"),
        ("learning-pillars", "foundational"), ("learning-pillars", "technical"),
        ("ict-talent-review", "key-criteria"), ("talent-review", "experiential-learning-share"),
    } <= flagged  # fmt: skip
    for table in tables.values():
        for row in table.rows:
            if row.ambiguous:
                assert row.note and all(row.note[lang] for lang in LANGUAGES), row.key


def test_every_discrepancy_keeps_both_sides_with_their_sources(tables):
    found = {d.id for t in tables.values() for d in t.discrepancies}
    assert {
        "esat-76-vs-79", "departments-4-vs-5", "eececa-2025-shortlisted-11", "p5-share-11-5",
        "mobility-programme-2026-vs-2027", "rotations-18-percent", "retirements-scope",
    } <= found  # fmt: skip
    for table in tables.values():
        for d in table.discrepancies:
            assert len(d.claims) >= 2 and len({c.unit_id + c.quote for c in d.claims}) >= 2
            assert all(d.note[lang] for lang in LANGUAGES)


def test_esat_is_76_with_the_79_kept_as_a_discrepancy(tables):
    assert value(tables, "engagement-survey", "esat") == 76
    d = next(d for d in tables["engagement-survey"].discrepancies if d.id == "esat-76-vs-79")
    assert sorted(c.value for c in d.claims) == [76, 76, 79]
    assert value(tables, "survey-sentiment", "favourable", "share") == 79


# --- loading errors -------------------------------------------------------------------------


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    shutil.copytree(CORPUS / "tables", tmp_path / "tables")
    return tmp_path


def test_a_malformed_value_names_the_file_row_and_column(scratch):
    path = scratch / "tables" / "women-d1-share.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("34.6", "34.6%"), encoding="utf-8")
    with pytest.raises(TableError) as err:
        load_tables(scratch)
    message = str(err.value)
    assert "women-d1-share.csv" in message and "'2024'" in message and "women_share" in message
    assert "digits only" in message


def test_a_value_without_a_source_is_refused(scratch):
    path = scratch / "tables" / "women-d1-share.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = "2024,34.6,,,,"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TableError, match="has a value but no source"):
        load_tables(scratch)


def test_a_csv_that_disagrees_with_its_schema_is_refused(scratch):
    path = scratch / "tables" / "survey-sentiment.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sentiment,share,", "sentiment,percent,", 1), encoding="utf-8")
    with pytest.raises(TableError, match="header"):
        load_tables(scratch)


def test_a_missing_tables_folder_says_where_it_looked(tmp_path):
    with pytest.raises(TableError, match="No tables folder"):
        load_tables(tmp_path)
