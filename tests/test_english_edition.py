"""The English edition: every unit of the Chinese edition, with its figures and its terms.

These run on the real corpus. The English edition is a working translation, so what is
checked is what a translation must never lose: each unit, each figure, each glossary term,
and the line structure of the infographic panels. An edition is data: a third language is
one more file and no code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.corpus import load_report, read_yaml
from ingest.errors import CorpusError
from ingest.fidelity import glossary_problems, load_glossary, numbers_in
from ingest.model import Unit
from ingest.parse import Layout, parse_units
from ui.cli import cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REPORT_DIR = CORPUS / "reports" / "wo-cc-86-inf-1"
EDITION = REPORT_DIR / "edition.en.jsonl"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Units made of labels and values, one a line: the translation keeps every line.
LINE_FOR_LINE = {"panel", "table_fragment", "cover_header", "case_study", "staff_quote", "pillar"}


def chinese_units() -> list[Unit]:
    """The Chinese edition, parsed straight from the source (whatever the other editions)."""
    meta = read_yaml(REPORT_DIR / "report.yaml")
    layout = Layout.from_dict(read_yaml(REPORT_DIR / "layout.yaml"))
    raw = (REPORT_DIR / "source.zh.txt").read_text(encoding="utf-8")
    return parse_units(raw, layout, meta["symbol"], meta["slug"], "zh")


def english_rows() -> list[dict]:
    """The rows of the English edition file, in file order ([] if there is no file)."""
    if not EDITION.is_file():
        return []
    lines = EDITION.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


ZH = chinese_units()
EN = {row["id"]: row for row in english_rows()}
GLOSSARY = load_glossary(CORPUS / "glossary.yaml")


def english(unit: Unit) -> dict:
    row = EN.get(unit.id)
    assert row is not None, f"{unit.id} has no English text in {EDITION.name}"
    return row


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


# --- the edition as a whole -------------------------------------------------------------


def test_the_english_edition_gives_every_unit_once_in_reading_order():
    assert [row["id"] for row in english_rows()] == [u.id for u in ZH]


def test_the_corpus_loads_with_english_as_an_unofficial_edition():
    report = load_report(REPORT_DIR)
    assert report.languages == ("zh", "en")
    edition = report.edition("en")
    assert not edition.official and "unofficial" in edition.note
    assert [u.id for u in edition.units] == [u.id for u in ZH]
    assert [u.paragraph for u in edition.units] == [u.paragraph for u in ZH]


# --- each unit --------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ZH, ids=lambda u: u.id.split(":")[1])
def test_every_unit_keeps_the_figures_of_the_chinese(unit):
    text = english(unit)["text"]
    zh, en = numbers_in(unit.text, "zh"), numbers_in(text, "en")
    assert zh == en, f"only in Chinese: {dict(zh - en)}; only in English: {dict(en - zh)}"


@pytest.mark.parametrize("unit", ZH, ids=lambda u: u.id.split(":")[1])
def test_every_unit_uses_the_glossary_for_the_terms_it_contains(unit):
    assert glossary_problems(unit.text, english(unit)["text"], GLOSSARY) == []


@pytest.mark.parametrize("unit", ZH, ids=lambda u: u.id.split(":")[1])
def test_no_english_unit_is_empty_or_contains_chinese(unit):
    row = english(unit)
    assert row["text"].strip()
    assert not CJK.findall(row["text"] + (row.get("title") or ""))
    assert "¶" not in row["text"]


@pytest.mark.parametrize(
    "unit", [u for u in ZH if u.kind in LINE_FOR_LINE], ids=lambda u: u.id.split(":")[1]
)
def test_panels_and_tables_keep_one_line_per_label_or_value(unit):
    assert len(english(unit)["text"].split("\n")) == len(unit.text.split("\n"))


def test_panel_values_and_the_score_are_printed_exactly():
    units = {u.id.split(":")[1]: u for u in load_report(REPORT_DIR).edition("en").units}
    assert "3-" in units["p50"].text
    assert "15,921" in units["p69"].text and "15,921" in units["table-recruitment-by-region"].text
    assert "50:50" in units["panel-2"].text and "70/20/10" in units["p34"].text
    assert "Madrid Registry" in units["p9"].text and "client advisor" in units["p9"].text


# --- the glossary -----------------------------------------------------------------------


def test_every_glossary_term_occurs_in_the_chinese_edition():
    chinese = "\n".join(u.text for u in ZH).casefold()
    absent = [term.zh for term in GLOSSARY if term.zh.casefold() not in chinese]
    assert absent == []


def test_the_glossary_names_the_report_vocabulary():
    pairs = {(term.zh, term.en) for term in GLOSSARY}
    assert ("马德里注册部", "Madrid Registry") in pairs
    assert ("一般事务人员", "General Service") in pairs
    assert ("专业人员和司长职等", "Professional and higher categories") in pairs
    assert ("亚洲及太平洋", "Asia and the Pacific") in pairs
    assert ("最终选定", "selected") in pairs and ("转化率", "conversion rate") in pairs


def test_glossary_problems_names_the_missing_term_and_accepts_aliases():
    madrid = next(t for t in GLOSSARY if t.zh == "马德里注册部")
    gdap = next(t for t in GLOSSARY if t.zh == "地域多样性行动计划")
    assert glossary_problems("马德里注册部的审查员", "Madrid examiners", [madrid]) == [
        "马德里注册部: the translation lacks Madrid Registry / Madrid System registry"
    ]
    assert glossary_problems("马德里注册部", "the MADRID REGISTRY's examiners", [madrid]) == []
    assert glossary_problems("地域多样性行动计划", "under the GDAP", [gdap]) == []
    assert glossary_problems("审查员", "examiners", [madrid]) == []


# --- figures in both languages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("15,921份申请", "15,921 applications"),
        ("15, 921 人", "15921 people"),
        ("共15 921人", "15,921 people"),
        ("3. 0%", "3.0%"),
        ("占50%", "50 per cent"),
        ("2025年9月", "September 2025"),
        ("2026年5月21日", "21 May 2026"),
        ("2026年7月7日至15日", "7 to 15 July 2026"),
        ("2026-2027年", "2026–2027"),
        ("2026–2027年", "2026-2027"),
        ("2024/2025年的18次", "18 in 2024/2025"),
        ("第八十六届会议（第57次例会）", "Eighty-sixth session (57th ordinary session)"),
        ("第八十六届", "86th"),
        ("三大支柱", "three pillars"),
        ("设立了两个职位", "two posts were created"),
        ("十项", "ten items"),
        ("五年内", "within five years"),
        ("后者占所有活动的一半", "the latter account for half of all activity"),
        ("第一章", "Chapter 1"),
        ("首次全面的人才审查", "the first comprehensive talent review"),
        ("总体评分为3-，", "an overall score of 3-, "),
        ("文化与业务目标同等重要（50:50）", "equal weight (50:50)"),
        ("70/20/10发展模式", "the 70/20/10 model"),
        ("6,535名130项75%", "6,535 · 130 · 75%"),
        ("1.5万人", "15,000 people"),
        ("百分之五十", "50%"),
        ("四个部门合并为一个", "four units merged into one"),
        ("三大支柱，一项承诺", "Three pillars, one commitment"),
        ("18次一对一访谈", "18 one-to-one interviews"),
    ],
)
def test_numbers_in_reads_the_same_figures_in_both_languages(zh, en):
    assert numbers_in(zh, "zh")
    assert numbers_in(zh, "zh") == numbers_in(en, "en")


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        # 一 as an article or inside a word; so English "one" never counts
        ("发出了一个明确信号", "sent a clear signal"),
        ("一致、统一、一体化", "consistent, unified, integrated"),
        ("作为一个整体", "as one whole"),
        # set phrases whose numerals are not figures
        ("信息技术与业务合二为一", "IT and business as one"),
        ("二者体现了相同的认识", "both reflect the same insight"),
        ("同时践行这两项原则", "putting both principles into practice"),
        ("下一个两年期", "the next biennium"),
        ("首选发展路径", "the preferred development path"),
        ("心理急救培训", "psychological first aid training"),
        ("几乎每个环节", "almost every stage"),
        ("", "May we thank the secondees, often first-hand witnesses"),
    ],
)
def test_words_that_are_not_figures_count_for_nothing(zh, en):
    assert numbers_in(zh, "zh") == {}
    assert numbers_in(en, "en") == {}


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("15,921份申请", "15,912 applications"),
        ("3.0%", "3%"),
        ("增长了15%", "grew by 15"),
        ("2025年9月", "September 2026"),
        ("2025年9月", "2025 and 9"),
        ("三大支柱", "four pillars"),
        ("总体评分为3-", "an overall score of 3"),
        ("50:50", "50/50"),
        ("两个职位", "positions"),
        ("一半", "most"),
        ("第八十六届", "85th"),
    ],
)
def test_numbers_in_tells_a_changed_or_lost_figure(zh, en):
    assert numbers_in(zh, "zh") != numbers_in(en, "en")


def test_numbers_in_normalises_each_figure():
    assert numbers_in("15, 921份，3. 0%，2026年5月21日，一半", "zh") == {
        "15921": 1,
        "3.0%": 1,
        "2026": 1,
        "month:5": 1,
        "21": 1,
        "1/2": 1,
    }


# --- the show command ---------------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 90))
def test_show_prints_every_paragraph_in_english(number):
    result = run("show", str(number), "--lang", "en", "--json")
    assert result.exit_code == 0, result.output
    unit = json.loads(result.output)
    assert unit["language"] == "en" and unit["paragraph"] == number
    assert unit["text"] == EN[f"wo-cc-86-inf-1:p{number}"]["text"]
    assert unit["section"] and not any(CJK.search(s) for s in unit["section"])


def test_show_both_prints_the_chinese_then_the_english():
    result = run("show", "69", "--both")
    assert result.exit_code == 0, result.output
    zh_at, en_at = result.output.index("[zh]"), result.output.index("[en]")
    assert zh_at < en_at
    assert "15,921份申请" in result.output[zh_at:en_at]
    assert "15,921" in result.output[en_at:] and "unofficial" in result.output[en_at:]
    payload = json.loads(run("show", "69", "--both", "--json").output)
    assert [u["language"] for u in payload] == ["zh", "en"]
    assert {u["id"] for u in payload} == {"wo-cc-86-inf-1:p69"}


def test_show_finds_a_panel_by_id_in_english():
    result = run("show", "wo-cc-86-inf-1:panel-13", "--lang", "en")
    assert result.exit_code == 0 and "1,082 of 1,611 staff" in result.output


# --- editions are data ----------------------------------------------------------------------


def copy_report(tmp_path: Path) -> Path:
    folder = tmp_path / "reports" / REPORT_DIR.name
    shutil.copytree(REPORT_DIR, folder)
    return folder


def write_french(folder: Path, rows: list[dict]) -> None:
    lines = [json.dumps({"id": r["id"], "text": "[fr] " + r["text"]}) for r in rows]
    (folder / "edition.fr.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_third_edition_is_one_more_file_and_no_code(tmp_path):
    folder = copy_report(tmp_path)
    write_french(folder, english_rows())
    report = load_report(folder)  # a fresh path: load_report caches by folder
    assert report.languages == ("zh", "en", "fr")
    french = report.edition("fr")
    assert [u.id for u in french.units] == [u.id for u in ZH]
    assert all(u.language == "fr" and u.text.startswith("[fr] ") for u in french.units)
    assert not french.official
    p69 = french.paragraph(69)
    assert p69 is not None and p69.text == "[fr] " + EN["wo-cc-86-inf-1:p69"]["text"]
    # with no French titles in the layout, sections fall back to the English ones
    assert p69.section == report.edition("en").paragraph(69).section


def test_an_edition_that_lacks_a_unit_is_refused_by_name(tmp_path):
    folder = copy_report(tmp_path)
    write_french(folder, [r for r in english_rows() if r["id"] != "wo-cc-86-inf-1:p69"])
    with pytest.raises(CorpusError, match="wo-cc-86-inf-1:p69"):
        load_report(folder)
