"""A second, real report beside the 2025 one: the English original of WIPO's Annual Report
on Human Resources 2012 (WO/CC/66/1), as an excerpt in tests/fixtures/reports/wo-cc-66-1.

It is only files (report.yaml, source.en.txt, one table): no layout, no Chinese, no code.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.settings import PROJECT_ROOT
from ingest.corpus import load_corpus, load_report, select_report
from ingest.errors import CorpusError, TableError
from ingest.model import COVER_HEADER, PARAGRAPH
from ingest.tables import load_table, load_tables, report_source_problems
from ui.cli import cli

CORPUS = PROJECT_ROOT / "corpus"
WIPO_2025 = CORPUS / "reports" / "wo-cc-86-inf-1"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "reports" / "wo-cc-66-1"
TABLE = FIXTURE / "tables" / "srp-reform-initiatives.yaml"


@pytest.fixture(scope="module")
def report_2012():
    return load_report(FIXTURE)


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Path:
    """A corpus of the 2025 report and its tables, plus the 2012 report in a folder that
    sorts after it (folder names say nothing of which report is newer)."""
    root = tmp_path_factory.mktemp("two-reports") / "corpus"
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(FIXTURE, root / "reports" / "zz-hr-report-2012")
    return root


def add_folder(corpus: Path, name: str) -> Path:
    folder = corpus / "reports" / name
    shutil.copytree(FIXTURE, folder)
    return folder


# --- the report on its own ----------------------------------------------------------------


def test_the_fixture_is_only_metadata_source_text_and_a_table():
    files = sorted(str(p.relative_to(FIXTURE)) for p in FIXTURE.rglob("*") if p.is_file())
    assert files == [
        "report.yaml",
        "source.en.txt",
        "tables/srp-reform-initiatives.csv",
        "tables/srp-reform-initiatives.yaml",
    ]


def test_the_2012_report_parses_into_its_numbered_paragraphs(report_2012):
    assert report_2012.symbol == "WO/CC/66/1"
    assert report_2012.languages == ("en",)
    assert report_2012.original_language == "en" and report_2012.default_language() == "en"
    english = report_2012.edition("en")
    assert [u.paragraph for u in english.units if u.kind == PARAGRAPH] == [1, 2]
    assert english.paragraph(1).text.startswith("This document reports on various human")
    assert "Out of the 19 reform initiatives composing the SRP" in english.paragraph(2).text


def test_its_cover_lines_are_a_cover_header_one_fact_a_line(report_2012):
    header = report_2012.edition("en").units[0]
    assert header.kind == COVER_HEADER
    assert header.text.split("\n")[:3] == [
        "WO/CC/66/1",
        "ORIGINAL: ENGLISH",
        "DATE: AUGUST 1, 2012",
    ]


def test_its_english_original_is_official_and_carries_no_translation_note(report_2012):
    english = report_2012.edition("en")
    assert english.official and english.note == ""


def test_its_table_loads_with_english_labels_only():
    tables = load_tables(FIXTURE.parent.parent)  # a corpus of the fixtures' reports
    table = next(t for t in tables if t.report == "WO/CC/66/1")
    assert table.id == "srp-reform-initiatives" and table.report == "WO/CC/66/1"
    assert table.languages == ("en",) and table.quote_language == "en"
    assert table.row("all").values["count"] == 19
    assert table.row("hr-related").values["count"] == 9
    assert set(table.row("hr-related").label) == {"en"}
    # asked for a language it lacks, a label gives the one it has
    assert table.row("hr-related").label["zh"] == "SRP initiatives related to HR"


def test_its_quotes_are_checked_against_its_english_text(report_2012):
    tables = load_tables(FIXTURE.parent.parent)
    table = next(t for t in tables if t.report == "WO/CC/66/1")
    assert report_source_problems(table, [report_2012]) == []


def test_every_fixture_reports_table_quotes_its_own_text():
    from ingest.corpus import load_corpus

    reports = load_corpus(FIXTURE.parent.parent)
    tables = load_tables(FIXTURE.parent.parent)
    assert {t.report for t in tables} == {"WO/CC/66/1", "A66/36", "EB120/24 Add.1"}
    assert [p for t in tables for p in report_source_problems(t, reports)] == []


def test_a_quote_not_in_the_english_text_is_reported(report_2012, tmp_path):
    folder = add_folder(tmp_path / "corpus", "wo-cc-66-1")
    csv = folder / "tables" / "srp-reform-initiatives.csv"
    csv.write_text(csv.read_text().replace("nine are related to HR", "九项与人力资源有关"))
    table = load_tables(tmp_path / "corpus")[0]
    problems = report_source_problems(table, [report_2012])
    assert problems and all("'九项与人力资源有关' is not in wo-cc-66-1:p2" in p for p in problems)


def test_a_table_of_an_english_only_report_still_needs_its_english_labels(tmp_path):
    folder = add_folder(tmp_path / "corpus", "wo-cc-66-1")
    schema = folder / "tables" / "srp-reform-initiatives.yaml"
    schema.write_text(schema.read_text().replace("    en: number of initiatives", "    fr: x"))
    with pytest.raises(TableError, match="needs text in en"):
        load_table(schema, ("en",), "en")


# --- side by side with the 2025 report -----------------------------------------------------


def test_a_corpus_with_both_reports_loads_both(both):
    reports = load_corpus(both)
    assert sorted(r.symbol for r in reports) == ["WO/CC/66/1", "WO/CC/86/INF/1"]


def test_the_newest_report_is_chosen_by_its_date_not_its_folder_name(both):
    reports = load_corpus(both)
    assert reports[-1].symbol == "WO/CC/66/1"  # its folder sorts last
    assert select_report(reports).symbol == "WO/CC/86/INF/1"


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("WO/CC/66/1", "WO/CC/66/1"),
        ("wo/cc/66/1", "WO/CC/66/1"),
        ("wo-cc-66-1", "WO/CC/66/1"),
        ("2012", "WO/CC/66/1"),
        ("WO/CC/86/INF/1", "WO/CC/86/INF/1"),
        ("2025", "WO/CC/86/INF/1"),
        ("2026", "WO/CC/86/INF/1"),  # the year it is dated
    ],
)
def test_a_report_is_named_by_symbol_folder_or_year(both, name, symbol):
    assert select_report(load_corpus(both), name).symbol == symbol


def test_an_unknown_report_name_lists_the_reports_there_are(both):
    with pytest.raises(CorpusError, match=r"No report '2019'.*WO/CC/66/1 \(2012\)"):
        select_report(load_corpus(both), "2019")


def test_the_tables_of_both_reports_load_each_checked_against_its_own_report(both):
    reports = load_corpus(both)
    tables = load_tables(both)
    assert {t.report for t in tables} == {"WO/CC/66/1", "WO/CC/86/INF/1"}
    mine = next(t for t in tables if t.id == "srp-reform-initiatives")
    assert report_source_problems(mine, reports) == []
    recruitment = next(t for t in tables if t.id == "recruitment-by-region")
    assert recruitment.quote_language == "zh" and report_source_problems(recruitment, reports) == []


def test_the_2025_report_is_unchanged_beside_the_2012_one(both):
    alone = load_report(WIPO_2025)
    beside = next(r for r in load_corpus(both) if r.symbol == "WO/CC/86/INF/1")
    for language in ("zh", "en"):
        assert beside.edition(language).units == alone.edition(language).units
    numbers = [u.paragraph for u in beside.edition("zh").units if u.kind == PARAGRAPH]
    assert numbers == list(range(1, 90))


# --- a broken folder is named and skipped -------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda f: (f / "source.en.txt").unlink(), "exactly one source"),
        (lambda f: (f / "report.yaml").write_text("title: {en: no symbol}\n"), "no 'symbol'"),
        (lambda f: (f / "report.yaml").write_text("symbol: [unclosed\n"), "not valid YAML"),
        (lambda f: (f / "source.en.txt").write_text("No numbered paragraph.\n"), "paragraph 1"),
        (lambda f: (f / "layout.yaml").write_text("sections: [{path: []}]\n"), "malformed"),
    ],
)
def test_a_broken_third_folder_is_named_in_a_warning_and_skipped(
    both, tmp_path, caplog, damage, says
):
    corpus = tmp_path / "corpus"
    shutil.copytree(both, corpus)
    damage(add_folder(corpus, "broken-report"))
    with caplog.at_level(logging.WARNING):
        reports = load_corpus(corpus)
    assert sorted(r.symbol for r in reports) == ["WO/CC/66/1", "WO/CC/86/INF/1"]
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "broken-report" in warning and says in warning


def test_a_folder_with_nothing_but_report_yaml_is_skipped(both, tmp_path, caplog):
    corpus = tmp_path / "corpus"
    shutil.copytree(both, corpus)
    (corpus / "reports" / "partial").mkdir()
    (corpus / "reports" / "partial" / "report.yaml").write_text("symbol: X/1\n")
    with caplog.at_level(logging.WARNING):
        assert len(load_corpus(corpus)) == 2
    assert "partial" in caplog.text


def test_a_corpus_of_broken_folders_only_is_one_clear_error(tmp_path):
    folder = add_folder(tmp_path / "corpus", "only")
    (folder / "source.en.txt").unlink()
    with pytest.raises(CorpusError, match=r"No readable report folder.*only: .*source"):
        load_corpus(tmp_path / "corpus")


# --- the report's own words are its data ---------------------------------------------------


def test_the_2012_reports_names_come_from_its_report_yaml(report_2012):
    vocabulary = report_2012.vocabulary
    assert vocabulary.organization == {"en": ("World Intellectual Property Organization", "WIPO")}
    assert vocabulary.bodies == {"en": ("WIPO Coordination Committee",)}
    assert vocabulary.prompt == {} and vocabulary.example_questions == {}


def test_the_2025_reports_interface_texts_and_prompt_come_from_its_folder():
    from assistant.generative import system_prompt
    from ui.i18n import STRINGS
    from ui.report_meta import ReportMeta

    meta = ReportMeta(load_report(WIPO_2025))
    for language in ("zh", "en"):
        title = meta.ui_text("title", language)
        assert title and title != STRINGS["app_title"][language]  # the report's own title
        intro = meta.ui_text("intro", language)
        assert meta.symbol in intro and meta.title(language) in intro and "{" not in intro
    assert meta.example_questions("en")[0] == "How many applications were received in 2025?"
    assert meta.organization("zh") == "产权组织"
    assert system_prompt("en", meta.report).startswith("You answer questions about WIPO's")


def test_a_report_without_a_prompt_is_named_by_its_title_and_symbol(report_2012):
    from assistant.generative import system_prompt

    prompt = system_prompt("en", report_2012)
    assert "Annual Report on Human Resources (WO/CC/66/1)" in prompt and "2025" not in prompt
    assert "《Annual Report on Human Resources》（WO/CC/66/1）" in system_prompt("zh", report_2012)


def test_a_malformed_vocabulary_skips_its_folder_with_a_warning(both, tmp_path, caplog):
    corpus = tmp_path / "corpus"
    shutil.copytree(both, corpus)
    folder = add_folder(corpus, "bad-words")
    (folder / "vocabulary.yaml").write_text("names: {en: {nested: 1}}\n")
    with caplog.at_level(logging.WARNING):
        assert len(load_corpus(corpus)) == 2
    assert "bad-words" in caplog.text and "names.en" in caplog.text


def test_the_2012_cover_answers_what_its_symbol_and_date_are(report_2012):
    from assistant.document_facts import answer_about_document

    symbol = answer_about_document("What is the symbol of this document?", "en", report_2012)
    assert symbol is not None and symbol.citations[0].quote == "WO/CC/66/1"
    dated = answer_about_document("这份文件的日期是哪天？", "zh", report_2012)
    assert dated is not None and dated.citations[0].quote == "DATE: AUGUST 1, 2012"


# --- the CLI on the English-only report ---------------------------------------------------


def run(corpus: Path, *args: str):
    return CliRunner().invoke(cli, ["--corpus", str(corpus), *args])


def test_show_and_units_default_to_the_english_original_of_an_english_only_report(both):
    shown = run(both, "show", "2", "--report", "2012", "--json")
    assert shown.exit_code == 0, shown.output
    unit = json.loads(shown.output)
    assert unit["language"] == "en" and unit["id"] == "wo-cc-66-1:p2"
    listed = run(both, "units", "--report", "WO/CC/66/1")
    assert listed.exit_code == 0 and "wo-cc-66-1:p1" in listed.output
    assert "Traceback" not in shown.output + listed.output


def test_show_still_defaults_to_chinese_for_the_2025_report(both):
    shown = run(both, "show", "69", "--json")
    assert shown.exit_code == 0 and json.loads(shown.output)["language"] == "zh"


def test_asking_an_english_only_report_for_chinese_is_a_clear_error(both):
    result = run(both, "show", "1", "--report", "2012", "--lang", "zh")
    assert result.exit_code == 1 and "has no 'zh' edition (editions: en)" in result.output


def test_the_corpus_guide_that_errors_point_to_describes_every_file():
    guide = (CORPUS / "README.md").read_text(encoding="utf-8")
    for name in ("report.yaml", "source.<lang>.txt", "edition.<lang>.jsonl", "layout.yaml"):
        assert name in guide, name
    for name in ("vocabulary.yaml", "tables/", "--report", "document_date", "original_language"):
        assert name in guide, name


def test_a_hidden_folder_beside_the_reports_is_not_a_report(both, tmp_path, caplog):
    corpus = tmp_path / "corpus"
    shutil.copytree(both, corpus)
    (corpus / "reports" / ".cache").mkdir()
    with caplog.at_level(logging.WARNING):
        assert len(load_corpus(corpus)) == 2
    assert caplog.text == ""
