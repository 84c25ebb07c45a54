"""The Chinese extraction parses into a clean document model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.corpus import load_report
from ingest.errors import CorpusError
from ingest.model import COVER_HEADER, HEADING, PARAGRAPH
from ingest.parse import Layout, parse_units, remove_furniture
from ingest.text import join_lines, repair

REPORT_DIR = Path(__file__).resolve().parent.parent / "corpus" / "reports" / "wo-cc-86-inf-1"


@pytest.fixture(scope="module")
def zh():
    return load_report(REPORT_DIR).edition("zh")


def paragraph(zh, n: int) -> str:
    return zh.paragraph(n).text


def test_the_source_is_the_seed_text_unchanged():
    seed = REPORT_DIR.parents[3] / "shared" / "seeds" / "000_c8761041f49738de.txt"
    if not seed.exists():
        pytest.skip("the shared seed folder is not beside this checkout")
    assert (REPORT_DIR / "source.zh.txt").read_bytes() == seed.read_bytes()


def test_paragraphs_1_to_89_come_out_exactly_once_in_order(zh):
    numbers = [u.paragraph for u in zh.units if u.kind == PARAGRAPH]
    assert numbers == list(range(1, 90))


def test_paragraph_46_and_47_come_out_in_order(zh):
    order = [u.paragraph for u in zh.units if u.paragraph in (46, 47)]
    assert order == [46, 47]
    assert paragraph(zh, 46).startswith("2025年员工参与度调查是本组织为了解员工工作体验")
    assert paragraph(zh, 47).startswith("2025年，产权组织将职业健康与安全工作从临时性福利措施")


def test_cover_notes_are_not_report_paragraphs(zh):
    pbc = zh.by_id()["wo-cc-86-inf-1:pbc-1"]
    cc1 = zh.by_id()["wo-cc-86-inf-1:cc-1"]
    assert pbc.paragraph is None and cc1.paragraph is None
    assert pbc.text.startswith("计划和预算委员会（PBC）在2012年9月的会议上")
    assert pbc.text.endswith("（文件WO/CC/86/INF/1）。")
    assert cc1.text == "现将载于附件的人力资源年度报告提交给协调委员会，以供参考。"
    assert paragraph(zh, 1).startswith("2025年，变革的步伐急剧加快。")
    assert paragraph(zh, 2).startswith("在产权组织，我们将这些挑战视为机遇")


def test_cover_header_keeps_symbol_and_session(zh):
    header = zh.by_id()["wo-cc-86-inf-1:cc-header"].text
    assert "WO/CC/86/INF/1" in header
    assert "2026年7月7日至15日，日内瓦" in header
    assert "日期：2026年5月21日" in header


@pytest.mark.parametrize(
    ("number", "opening", "ending"),
    [
        # split by a page break and a blank line in the middle of a word
        (8, "基于前一年的人工智能举措和准备工作", "技能要求和团队结构。"),
        (17, "到2025年，产权组织面临的问题不再是", "改变的速度有多快、效果如何。"),
        (37, "基于Oracle Fusion构建的iPerform适用于所有贡献者", "与产权组织的战略方向相连接。"),
        (47, "2025年，产权组织将职业健康与安全工作", "提供了正式的治理机制。"),
        # starts on the same line as a page number
        (69, "2025年，产权组织公布了108个专业人员和司长职等", "填补定期和临时职位。"),
        (20, "这些转变不会自动发生。", "人力资源部门需采取行动："),
        (70, "虽然申请量的增长反映了", "仍然是一项重大挑战"),
        (89, "归根结底，征聘合适的人才是对本组织未来的投资", "为本组织的使命作出贡献。"),
    ],
)
def test_paragraphs_have_their_full_text(zh, number, opening, ending):
    text = paragraph(zh, number)
    assert text.startswith(opening)
    assert text.endswith(ending)


def test_a_paragraph_does_not_swallow_the_heading_of_the_next_page(zh):
    assert paragraph(zh, 11).endswith("以及人才格局变化的速度有多快？")
    assert "职等分布与继任规划" not in paragraph(zh, 80)
    assert "支柱1" not in paragraph(zh, 87)


def test_wrapped_chinese_lines_join_without_spaces(zh):
    assert "将人工智能纳入其2026年工作计划" in paragraph(zh, 8)
    assert "集中化的基础设施、标准化的数据架构" in paragraph(zh, 10)
    assert "得分均超过80分" in paragraph(zh, 15)


def test_spaced_numbers_are_joined(zh):
    assert "15,921份申请" in paragraph(zh, 69)
    table = zh.by_id()["wo-cc-86-inf-1:table-recruitment-by-region"].text
    assert "3,944" in table and "3.0%" in table and "100.0%" in table
    for unit in zh.units:
        assert not re.search(r"\d, \d{3}\b", unit.text), unit.id
        assert not re.search(r"\d\. \d", unit.text), unit.id


def test_no_page_furniture_is_left(zh):
    for unit in zh.units:
        assert "\ufffd" not in unit.text, unit.id
        assert not re.search(r"(^|\n)(20|25|年|人|力|资|源|度|报|告)(\n|$)", unit.text), unit.id


def test_infographic_and_table_text_stay_their_own_units(zh):
    kinds = {u.kind for u in zh.units}
    assert {"panel", "case_study", "staff_quote", "pillar", "table_fragment", "heading"} <= kinds
    table = zh.by_id()["wo-cc-86-inf-1:table-recruitment-by-region"]
    assert table.text.startswith("申请者区域")
    assert "中欧及波罗的海国家集团（CEBS）" in table.text
    quotes = [u for u in zh.units if u.kind == "staff_quote"]
    assert len(quotes) == 4
    assert any("Fabio Scappaticci" in q.text for q in quotes)
    assert [u.id.rsplit(":", 1)[1] for u in zh.units if u.kind == "pillar"] == [
        "pillar-1",
        "pillar-2",
        "pillar-3",
    ]


def test_units_carry_chapter_and_section(zh):
    assert zh.paragraph(69).section[0].startswith("第五章")
    assert zh.paragraph(21).section[0].startswith("第二章")
    assert zh.paragraph(46).section[1].startswith("倾听员工心声")
    assert zh.paragraph(47).section[1] == "工作人员健康与安全"
    assert zh.paragraph(1).section[0] == "引言"


def test_unit_ids_carry_the_report_and_are_unique(zh):
    ids = [u.id for u in zh.units]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("wo-cc-86-inf-1:") for i in ids)
    assert zh.paragraph(69).id == "wo-cc-86-inf-1:p69"


def test_parsing_is_deterministic():
    raw = (REPORT_DIR / "source.zh.txt").read_text(encoding="utf-8")
    import yaml

    layout = Layout.from_dict(yaml.safe_load((REPORT_DIR / "layout.yaml").read_text()))
    first = parse_units(raw, layout, "WO/CC/86/INF/1", "wo-cc-86-inf-1", "zh")
    second = parse_units(raw, layout, "WO/CC/86/INF/1", "wo-cc-86-inf-1", "zh")
    assert first == second


def test_running_title_down_the_margin_is_removed():
    lines = [
        "正文。",
        "",
        "20",
        "25",
        "",
        "年",
        " 人",
        "",
        "力",
        "资",
        "源",
        " 年",
        "度",
        "报",
        "告",
        "下文",
    ]
    assert remove_furniture(lines, "2025年人力资源年度报告") == ["正文。", "", "下文"]


def test_text_repair_rules():
    assert repair("15, 921 人") == "15,921人"
    assert repair("3. 0%") == "3.0%"
    assert repair("2026年 7月 7日至 15日") == "2026年7月7日至15日"
    assert join_lines(["Oracle", "Fusion构建"]) == "Oracle Fusion构建"
    assert join_lines(["人工智", "能纳入"]) == "人工智能纳入"


def test_one_and_two_digit_values_of_a_table_are_kept(zh):
    table = zh.by_id()["wo-cc-86-inf-1:table-recruitment-by-region"].text
    assert "\n14\n29\n11\n9\n2\n9\n2\n4\n17\n86\n" in table


def test_graphic_step_numbers_are_dropped(zh):
    workflow = next(u for u in zh.units if u.text.startswith("年度工作流程"))
    assert workflow.text == "年度工作流程"


# --- a plain numbered report: metadata and source text, no layout ------------------------

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "reports" / "wo-cc-66-1"
# the opening of the 2012 report (WO/CC/66/1), its own words, numbered in other styles
P1 = (
    "This document reports on various human resources (HR) activities and initiatives\n"
    "undertaken since the last report presented to the Coordination Committee in 2011."
)
P2 = "It is recalled that the 34 th session of WIPO General Assembly approved the development"


def plain(text: str, layout: Layout | None = None) -> list:
    return parse_units(text, layout or Layout(), "WO/CC/66/1", "wo-cc-66-1", "en")


def paragraphs(units: list) -> dict[int, str]:
    return {u.paragraph: u.text for u in units if u.kind == PARAGRAPH}


@pytest.mark.parametrize("mark", ["{n}. ", "{n}) ", "{n}\t", "{n}.\t"])
def test_paragraphs_numbered_in_any_common_style_are_found(mark):
    text = f"{mark.format(n=1)}{P1}\n\n{mark.format(n=2)}{P2}\n"
    found = paragraphs(plain(text))
    assert list(found) == [1, 2]
    assert found[1].endswith("presented to the Coordination Committee in 2011.")
    assert found[2].startswith("It is recalled")


def test_a_text_without_a_paragraph_one_says_what_is_missing():
    with pytest.raises(CorpusError, match="No report paragraph 1 found"):
        plain("ANNUAL REPORT ON HUMAN RESOURCES\nprepared by the Director General\n")


def test_a_full_stop_ends_a_paragraph_so_the_next_heading_is_its_own_unit():
    units = plain(f"1. {P1}\n\nI. INTRODUCTION\n\n2. {P2}\n")
    found = paragraphs(units)
    assert "INTRODUCTION" not in found[1]
    heading = next(u for u in units if u.kind == HEADING)
    assert heading.text == "I. INTRODUCTION"
    p2 = next(u for u in units if u.paragraph == 2)
    assert p2.section == ("I. INTRODUCTION",)


def test_a_paragraph_split_by_a_page_break_mid_sentence_is_joined():
    first, rest = P1.split("\n")
    found = paragraphs(plain(f"1. {first}\n\n{rest}\n\n2. {P2}\n"))
    assert found[1] == join_lines(P1.split("\n"))


def test_a_footnote_marker_does_not_fuse_with_the_number_before_it():
    found = paragraphs(plain("1. The period ended on 31 December 2009. 2 The next one began.\n"))
    assert "2009. 2 The next" in found[1]
    assert repair("In 2010, 250 staff") == "In 2010, 250 staff"


def test_a_wrapped_line_that_starts_with_a_number_is_not_a_paragraph():
    text = f"1. {P1}\n2. In all, the Organization counted\n19. reform initiatives, nine on HR.\n"
    assert list(paragraphs(plain(text))) == [1, 2]


def test_lines_before_paragraph_one_are_the_cover_header_one_a_line():
    units = plain(f"WO/CC/66/1\nORIGINAL: ENGLISH\nDATE: AUGUST 1, 2012\n\n1. {P1}\n")
    header = units[0]
    assert header.kind == COVER_HEADER and header.id == "wo-cc-66-1:header"
    assert header.text.split("\n") == ["WO/CC/66/1", "ORIGINAL: ENGLISH", "DATE: AUGUST 1, 2012"]


@pytest.mark.parametrize(
    "layout",
    [{}, {"sections": []}, {"sections": None, "cover_notes": []}, {"running_title": ""}],
)
def test_a_layout_without_cover_notes_or_sections_is_no_layout(layout):
    units = plain(f"1. {P1}\n\n2. {P2}\n", Layout.from_dict(layout))
    assert list(paragraphs(units)) == [1, 2]


def test_a_malformed_layout_points_to_the_corpus_guide():
    with pytest.raises(CorpusError, match=r"corpus/README\.md"):
        Layout.from_dict({"sections": [{"path": []}]})


def test_the_real_plain_report_parses_without_a_layout():
    report = load_report(FIXTURE_DIR)
    assert not (FIXTURE_DIR / "layout.yaml").exists()
    english = report.edition("en")
    assert [u.paragraph for u in english.units if u.kind == PARAGRAPH] == [1, 2]
    assert english.paragraph(2).text.endswith("which will be concluded in 2015.")
    assert english.units[0].text.startswith("WO/CC/66/1\nORIGINAL: ENGLISH")
