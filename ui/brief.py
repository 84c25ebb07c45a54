"""Briefing notes: answers with their figures, formulas and sources, as Markdown or Word."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from assistant.inputs import clean_text, read_clean_text
from assistant.model import NOT_IN_REPORT, Answer, Citation, Figure, Source
from ingest.errors import AssistantError
from ui.i18n import normalise, t, unit_name
from ui.report_meta import ReportMeta

FORMATS = {".md": "markdown", ".markdown": "markdown", ".docx": "docx"}
EAST_ASIAN_FONT = "SimSun"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


class BriefError(AssistantError):
    """A briefing note cannot be written as asked."""


def brief_format(path: Path) -> str:
    """'markdown' or 'docx', from the file's suffix."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise BriefError(
            f"Cannot tell the format of '{path.name}': name it .md or .docx."
        ) from None


def read_questions(path: Path) -> list[str]:
    """One question per line; blank lines and lines starting with '#' are skipped."""
    try:
        text = read_clean_text(path)  # a bad byte or a control character costs one character
    except FileNotFoundError:
        raise BriefError(f"No questions file '{path}'.") from None
    except OSError as exc:
        raise BriefError(f"Cannot read '{path}': {exc.strerror}.") from None
    questions = [line.strip() for line in text.splitlines()]
    return [q for q in questions if q and not q.startswith("#")]


def write_brief(
    answers: Sequence[Answer],
    meta: ReportMeta,
    path: Path,
    language: str = "zh",
    prepared: date | None = None,
) -> Path:
    """Write the note for ``answers`` to ``path``, as Markdown or Word by its suffix."""
    kind = brief_format(path)
    if not answers:
        raise BriefError(t("nothing_to_export", language))
    # what a reader typed may hold characters XML (so Word) cannot store
    answers = [
        replace(a, question=clean_text(a.question), answer=clean_text(a.answer)) for a in answers
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "markdown":
        path.write_text(brief_markdown(answers, meta, language, prepared), encoding="utf-8")
    else:
        brief_docx(answers, meta, language, prepared).save(str(path))
    return path


# --- the parts every format shares ---------------------------------------------------------


def heading_lines(meta: ReportMeta, language: str, prepared: date | None) -> list[str]:
    """Document, date and preparation lines of the note's header."""
    return [
        f"{t('brief_document', language)}: {meta.symbol}",
        f"{t('brief_date', language)}: {meta.date}",
        f"{t('brief_prepared', language)}: {(prepared or date.today()).isoformat()}",
    ]


def caveat(language: str) -> str:
    """The line saying the English text is a working translation."""
    return t("brief_caveat", language)


def figure_line(figure: Figure, answer_language: str, language: str) -> str:
    """'label: value (unit)' for one figure, in the answer's language."""
    label = figure.label.get(answer_language) or figure.label.get("en", "")
    display = figure.display.get(answer_language) or figure.display.get("en") or str(figure.value)
    return f"{label}: {display} ({unit_name(figure.unit, language)})"


def figure_formula(figure: Figure, answer_language: str) -> str:
    """The figure's formula in the answer's language ('' for a stored value)."""
    formulas = figure.formula or {}
    return formulas.get(answer_language) or formulas.get("en") or ""


def citation_line(citation: Citation) -> tuple[str, str, str]:
    """(ref, section, quote) of a citation; a quote's line breaks become spaces."""
    return citation.ref, citation.section, " ".join(citation.quote.split())


def source_line(source: Source, meta: ReportMeta, language: str) -> str:
    """'table/row/column @ ¶69', a table named as the report names it."""
    name = source.ref
    if source.paragraph is None:
        name = meta.unit_ref(source.unit_id, language) or name
    return f"{source.table}/{source.row}/{source.column} @ {name}"


# --- Markdown ------------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Text shown as written when the Markdown is rendered."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def brief_markdown(
    answers: Sequence[Answer],
    meta: ReportMeta,
    language: str = "zh",
    prepared: date | None = None,
) -> str:
    """The briefing note as Markdown."""
    language = normalise(language)
    lines = [f"# {md_escape(t('brief_title', language, title=meta.title(language)))}", ""]
    lines += [f"{md_escape(line)}  " for line in heading_lines(meta, language, prepared)]
    lines += ["", f"> {md_escape(caveat(language))}", ""]
    for number, answer in enumerate(answers, 1):
        lines += [f"## {number}. {md_escape(answer.question)}", ""]
        text = answer.answer or t("brief_not_in_report", language)
        lines += [f"**{t('brief_answer', language)}:** {md_escape(text)}", ""]
        if answer.figures:
            lines += [f"**{t('brief_figures', language)}:**", ""]
            for figure in answer.figures:
                lines.append(f"- {md_escape(figure_line(figure, answer.language, language))}")
                formula = figure_formula(figure, answer.language)
                if formula:
                    code = formula.replace("`", "'")
                    lines.append(f"  - {t('formula', language)}: `{code}`")
                for source in figure.sources:
                    lines.append(
                        f"  - {t('source_rows', language)}: "
                        + md_escape(source_line(source, meta, answer.language))
                        + (f" — “{md_escape(source.quote)}”" if source.quote else "")
                    )
            lines.append("")
        for note in answer.notes:
            lines += [f"*{md_escape(note)}*", ""]
        if answer.citations:
            lines += [f"**{t('brief_citations', language)}:**", ""]
            for citation in answer.citations:
                ref, section, quote = citation_line(citation)
                where = f"**{md_escape(ref)}**" + (f" ({md_escape(section)})" if section else "")
                lines.append(f"- {where}: “{md_escape(quote)}”")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- Word ----------------------------------------------------------------------------------


def brief_docx(
    answers: Sequence[Answer],
    meta: ReportMeta,
    language: str = "zh",
    prepared: date | None = None,
):
    """The briefing note as a python-docx Document."""
    from docx import Document
    from docx.shared import Pt

    language = normalise(language)
    document = Document()
    _east_asian_fonts(document)
    document.core_properties.title = t("brief_title", language, title=meta.title(language))
    document.core_properties.subject = meta.symbol
    document.add_heading(t("brief_title", language, title=meta.title(language)), level=1)
    for line in heading_lines(meta, language, prepared):
        document.add_paragraph(line).paragraph_format.space_after = Pt(0)
    note = document.add_paragraph()
    note.add_run(caveat(language)).italic = True
    for number, answer in enumerate(answers, 1):
        document.add_heading(f"{number}. {answer.question}", level=2)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{t('brief_answer', language)}: ").bold = True
        paragraph.add_run(answer.answer or t("brief_not_in_report", language))
        if answer.figures:
            document.add_paragraph().add_run(f"{t('brief_figures', language)}:").bold = True
            for figure in answer.figures:
                document.add_paragraph(
                    figure_line(figure, answer.language, language), style="List Bullet"
                )
                formula = figure_formula(figure, answer.language)
                if formula:
                    document.add_paragraph(
                        f"{t('formula', language)}: {formula}", style="List Bullet 2"
                    )
                for source in figure.sources:
                    where = source_line(source, meta, answer.language)
                    text = f"{t('source_rows', language)}: {where}"
                    if source.quote:
                        text += f" — “{source.quote}”"
                    document.add_paragraph(text, style="List Bullet 2")
        for extra in answer.notes:
            document.add_paragraph().add_run(extra).italic = True
        if answer.citations:
            document.add_paragraph().add_run(f"{t('brief_citations', language)}:").bold = True
            for citation in answer.citations:
                ref, section, quote = citation_line(citation)
                item = document.add_paragraph(style="List Bullet")
                item.add_run(ref).bold = True
                if section:
                    item.add_run(f" ({section})")
                item.add_run(f": “{quote}”")
        if answer.status == NOT_IN_REPORT and not answer.answer:
            document.add_paragraph(t("brief_not_in_report", language))
    return document


def _east_asian_fonts(document) -> None:
    """Make Word draw Chinese characters with a Chinese font in every style used."""
    from docx.oxml.ns import qn

    for name in ("Normal", "Heading 1", "Heading 2", "List Bullet", "List Bullet 2", "Title"):
        style = document.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
