"""`report-assistant tables` lists the data tables; `report-assistant table NAME` prints one
with its sources, notes and discrepancies, as text, JSON or the stored CSV."""

from __future__ import annotations

import json

from click.testing import CliRunner

from assistant.settings import PROJECT_ROOT
from ui.cli import cli

TABLES = PROJECT_ROOT / "corpus" / "tables"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_tables_lists_every_table_with_both_titles_and_its_size():
    result = run("tables")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(list(TABLES.glob("*.yaml")))
    region = next(line for line in lines if line.startswith("recruitment-by-region "))
    assert "10×10" in region
    assert "按申请者区域分列的征聘情况 / Recruitment by applicant region" in region


def test_tables_json_gives_one_object_per_table():
    result = run("tables", "--json")
    rows = [json.loads(line) for line in result.output.splitlines()]
    pipeline = next(r for r in rows if r["id"] == "recruitment-pipeline")
    assert pipeline == {
        "id": "recruitment-pipeline",
        "report": "WO/CC/86/INF/1",
        "title": {"zh": "2025年征聘管道", "en": "Recruitment pipeline 2025"},
        "rows": 4,
        "columns": 2,
    }


def test_table_prints_rows_sources_notes_and_discrepancies_in_english():
    result = run("table", "recruitment-by-region", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Africa | 3,944 | 3.0% | 43.7% | 50.0% | 14 | 53.8% | 119 | 52 | 26" in out
    assert "Total | 15,921 | 5.2% | 54.9% | 49.3% | 86 | 38.6% | 823 | 452 | 223" in out
    assert "shortlisted* | interviewed* | recommended*" in out and "* derived" in out
    assert "Africa / applications: ¶72 “非洲（3,944人）”" in out
    assert "Notes:" in out and "Discrepancies:" in out
    assert (
        "[eececa-2025-shortlisted-11]" in out
        and "¶76 “尽管2025年进入候选名单的人数小幅调至11人”" in out
    )


def test_table_prints_chinese_by_default_and_accepts_a_title():
    result = run("table", "按申请者区域分列的征聘情况")
    assert result.exit_code == 0, result.output
    assert "非洲 | 3,944 | 3.0%" in result.output
    assert "来源:" in result.output and "不一致之处:" in result.output


def test_table_json_holds_values_displays_and_sources():
    result = run("table", "engagement-survey", "--json", "--lang", "en")
    data = json.loads(result.output)
    esat = next(r for r in data["rows"] if r["key"] == "esat")
    assert esat["values"] == {"indicator": "esat", "value": 76}
    assert esat["display"]["value"] == "76%"
    assert [s["unit_id"] for s in esat["sources"]["value"]] == [
        "wo-cc-86-inf-1:panel-2",
        "wo-cc-86-inf-1:panel-13",
    ]
    assert data["discrepancies"][0]["id"] == "esat-76-vs-79"


def test_table_csv_is_the_stored_file():
    result = run("table", "women-d1-share", "--csv")
    assert result.exit_code == 0
    assert result.output == (TABLES / "women-d1-share.csv").read_text(encoding="utf-8")


def test_an_unknown_table_is_a_clear_error_without_traceback():
    result = run("table", "salaries")
    assert result.exit_code == 1
    assert "No table 'salaries'" in result.output and "recruitment-by-region" in result.output
    assert "report-assistant tables" in result.output
    assert "Traceback" not in result.output


def test_json_and_csv_together_is_a_usage_error():
    result = run("table", "women-d1-share", "--json", "--csv")
    assert result.exit_code == 2 and "not both" in result.output
