"""The fixed wording of replies that are not quotes: refusals and notes."""

from __future__ import annotations

from assistant.model import Hit
from assistant.understanding.reports import PREVIOUS, UnknownReport, label, report_year
from ingest.model import HEADING, Report


def not_in_report(language: str, reason: str, hits: list[Hit], report: Report) -> str:
    """Say the report does not cover it, and point to the nearest thing it does cover."""
    nearest = next((h for h in hits if h.kind != HEADING and h.section), None)
    where = _where(nearest) if nearest is not None else ""
    year = report.metadata.get("year_covered", "")
    if language == "zh":
        text = (
            f"本报告（{report.symbol}，{year}年{report.title('zh')}）没有涉及这一问题，"
            "因此无法据此作答。"
        )
        if reason == "other_year":
            text = f"本报告只涉及{year}年（个别地方与前几年作比较），没有提供该年份的相关数据。"
        if reason == "breakdown":
            text = "报告分别给出了这两方面的数字，但没有将二者交叉细分，因此无法据此作答。"
        if nearest is not None:
            text += f"报告中最相关的内容见{where}。"
        return text
    text = (
        f"The {report.title('en')} {year} ({report.symbol}) does not cover that, "
        "so I cannot answer it from the report."
    )
    if reason == "other_year":
        text = (
            f"The report covers {year} (with a few comparisons to earlier years) "
            "and gives no figures for that year."
        )
    if reason == "breakdown":
        text = (
            "The report gives figures for each of these separately but does not break "
            "one down by the other, so I cannot answer it from the report."
        )
    if nearest is not None:
        text += f" The closest topic it covers is {where}."
    return text


def answered_elsewhere(language: str, newest: Report, other: Report) -> str:
    """The opening of an answer from an earlier report, the newest one not covering it."""
    new, old = label(newest), label(other)
    if language == "zh":
        return f"最新的报告{new}没有涉及这一问题；以下引自{old}："
    return f"The newest report, {new}, does not cover this; {old} does: "


def missing_edition(language: str, report: Report) -> str:
    """The report has no edition in the question's language: ask in one it has."""
    names = {"zh": {"zh": "中文", "en": "英文"}, "en": {"zh": "Chinese", "en": "English"}}
    words = names.get(language, names["en"])
    have = "、".join(words.get(lang, lang) for lang in report.languages)
    if language == "zh":
        return (
            f"{report.symbol}（{report_year(report)}年）只有{have}版本，"
            f"没有{words.get(language, language)}版本，因此无法用中文引用它作答。"
            f"请用{have}提问，回答将引用该版本的原文。"
        )
    have = ", ".join(words.get(lang, lang) for lang in report.languages)
    return (
        f"{report.symbol} ({report_year(report)}) has no "
        f"{words.get(language, language)} edition, only {have}: ask in {have} and the "
        "answer will quote that edition."
    )


def no_such_report(language: str, problem: UnknownReport) -> str:
    """The question names a report the corpus does not hold: say which ones it holds."""
    held = "、".join(problem.available) if language == "zh" else ", ".join(problem.available)
    reference = problem.reference
    if language == "zh":
        wanted = (
            f"{reference.year}年的报告"
            if reference.year
            else ("更早的报告" if reference.kind == PREVIOUS else f"“{reference.span}”")
        )
        return f"语料库中没有{wanted}，因此无法据此作答。现有报告：{held}。"
    wanted = (
        f"report of {reference.year}"
        if reference.year
        else ("earlier report" if reference.kind == PREVIOUS else f"report “{reference.span}”")
    )
    return f"The corpus holds no {wanted}, so I cannot answer from it. It holds: {held}."


def _where(hit: Hit) -> str:
    """“Section” (¶N), or the unnumbered unit's own ref."""
    section = hit.section[-1] if hit.section else ""
    if hit.paragraph is not None:
        return f"“{section}” (¶{hit.paragraph})"
    return f"“{hit.ref}”"


def edition_notes(report: Report, language: str) -> tuple[str, ...]:
    """The caveat an answer carries when its quotes come from an unofficial edition."""
    edition = report.editions.get(language)
    if edition is None or edition.official or not edition.note:
        return ()
    return (edition.note,)
