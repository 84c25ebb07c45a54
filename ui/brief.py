"""Briefing notes: answers with their figures, formulas and sources, as Markdown or Word."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from assistant.inputs import clean_text, read_clean_text
from assistant.model import NOT_IN_REPORT, Answer, Citation, Figure, Source
from ingest.errors import AssistantError
from ui.chart import chart_png, comparable
from ui.i18n import normalise, t, unit_name
from ui.render import quote_fits
from ui.report_meta import ReportMeta

FORMATS = {".md": "markdown", ".markdown": "markdown", ".docx": "docx"}
EAST_ASIAN_FONT = "SimSun"
A4_MM = (210, 297)
MARGIN_CM = 2.2
CHART_WIDTH_CM = 12
T = TypeVar("T")
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
    language: str | None = None,
    prepared: date | None = None,
) -> Path:
    """Write the note for ``answers`` to ``path``, as Markdown or Word by its suffix.

    The note's headings are in ``language``, by default the language of its questions.
    """
    kind = brief_format(path)
    language = note_language(answers, language)
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


def note_language(answers: Sequence[Answer], language: str | None = None) -> str:
    """The language of a note's headings: the one asked for, else its questions' (most)."""
    if language:
        return normalise(language)
    counts = Counter(a.language for a in answers)
    return normalise(counts.most_common(1)[0][0]) if counts else "zh"


def leave_out(answers: Sequence[T], skip: Iterable[int]) -> list[T]:
    """The turns but those numbered in ``skip`` (1 is the first); unknown numbers fail."""
    skip = set(skip)
    unknown = sorted(n for n in skip if not 1 <= n <= len(answers))
    if unknown:
        raise BriefError(
            f"There is no question {', '.join(map(str, unknown))} to leave out "
            f"(questions are numbered 1 to {len(answers)})."
        )
    return [a for n, a in enumerate(answers, 1) if n not in skip]


# --- the parts every format shares ---------------------------------------------------------


def heading_lines(meta: ReportMeta, language: str, prepared: date | None) -> list[str]:
    """Document, date and preparation lines of the note's header."""
    return [
        f"{t('brief_document', language)}: {meta.symbol}",
        f"{t('brief_date', language)}: {meta.date}",
        f"{t('brief_prepared', language)}: {(prepared or date.today()).isoformat()}",
    ]


def caveat(meta: ReportMeta, language: str) -> str:
    """The line saying the English text is a working translation (from the report folder)."""
    return meta.ui_text("brief_caveat", language) or meta.translation_note(language)


def figure_header(language: str) -> list[str]:
    """The heads of a figures table, in the answer's language."""
    keys = ("brief_figure", "value", "unit", "formula", "brief_source")
    return [t(key, language) for key in keys]


def figure_row(figure: Figure, language: str, meta: ReportMeta) -> list[str]:
    """One figure as the cells of a figures table: label, value, unit, formula, sources."""
    label = figure.label.get(language) or figure.label.get("en", "")
    display = figure.display.get(language) or figure.display.get("en") or str(figure.value)
    sources = sources_line(figure.sources, meta, language)
    return [
        label,
        display,
        unit_name(figure.unit, language),
        figure_formula(figure, language),
        sources,
    ]


def figure_formula(figure: Figure, answer_language: str) -> str:
    """The figure's formula in the answer's language ('' for a stored value)."""
    formulas = figure.formula or {}
    return formulas.get(answer_language) or formulas.get("en") or ""


def citation_line(citation: Citation) -> tuple[str, str, str]:
    """(report and ref, section, quote) of a citation; a quote's line breaks become spaces."""
    return citation.where, citation.section, " ".join(citation.quote.split())


def source_line(source: Source, meta: ReportMeta, language: str) -> str:
    """'¶72, Recruitment by applicant region: Africa — applications', named as the report does."""
    return sources_line([source], meta, language)


def sources_line(sources: Sequence[Source], meta: ReportMeta, language: str) -> str:
    """Where a figure's values come from: each cell once, with the paragraphs that give it."""
    cells: dict[tuple[str, str, str], list[str]] = {}
    for source in sources:
        name = source.ref
        if source.paragraph is None:
            name = meta.unit_ref(source.unit_id, language) or meta.table_title(
                source.table, language
            )
        names = cells.setdefault((source.table, source.row, source.column), [])
        if name not in names:
            names.append(name)
    lines = []
    for (table, row, column), names in cells.items():
        title = meta.table_title(table, language)
        cell = meta.cell_label(table, row, column, language)
        where = f"{title}: {cell}" if title and cell else title or cell
        refs = [n for n in names if n != title] or names  # the table itself, only if alone
        lines.append(", ".join([*refs, where] if where and where not in refs else refs))
    return "; ".join(lines)


def chart_picture(answer: Answer) -> bytes | None:
    """The answer's chart as a PNG, as the chat draws it (None if it has none)."""
    chart = comparable(answer.chart, answer.language)
    return chart_png(chart, answer.language) if chart else None


# --- Markdown ------------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Text shown as written when the Markdown is rendered."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def md_cell(text: str) -> str:
    """Text for one cell of a Markdown table: escaped, on one line."""
    return md_escape(" ".join(text.split()))


def brief_markdown(
    answers: Sequence[Answer],
    meta: ReportMeta,
    language: str | None = None,
    prepared: date | None = None,
) -> str:
    """The briefing note as Markdown."""
    language = note_language(answers, language)
    lines = [f"# {md_escape(t('brief_title', language, title=meta.title(language)))}", ""]
    lines += [f"{md_escape(line)}  " for line in heading_lines(meta, language, prepared)]
    lines += ["", f"> {md_escape(caveat(meta, language))}", ""]
    for number, answer in enumerate(answers, 1):
        said = answer.language  # an answer's own labels are in its language
        lines += [f"## {number}. {md_escape(answer.question)}", ""]
        text = answer.answer or t("brief_not_in_report", said)
        lines += [f"**{t('brief_answer', said)}:** {md_escape(text)}", ""]
        if answer.figures:
            lines += [f"**{t('brief_figures', said)}:**", ""]
            header = figure_header(said)
            lines.append("| " + " | ".join(md_cell(h) for h in header) + " |")
            lines.append("|" + " --- |" * len(header))
            for figure in answer.figures:
                cells = figure_row(figure, said, meta)
                lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
            lines.append("")
            quotes = [s.quote for f in answer.figures for s in f.sources if s.quote]
            quotes = [q for q in quotes if quote_fits(q, said)]
            for quote in dict.fromkeys(quotes):
                lines.append(f"> “{md_escape(' '.join(quote.split()))}”")
            if quotes:
                lines.append("")
        for note in answer.notes:
            lines += [f"*{md_escape(note)}*", ""]
        if answer.citations:
            lines += [f"**{t('brief_citations', said)}:**", ""]
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
    language: str | None = None,
    prepared: date | None = None,
):
    """The briefing note as a python-docx Document: A4, figures in tables, charts as pictures."""
    from docx import Document
    from docx.shared import Cm, Mm, Pt

    language = note_language(answers, language)
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    _east_asian_fonts(document)
    document.core_properties.title = t("brief_title", language, title=meta.title(language))
    document.core_properties.subject = meta.symbol
    document.core_properties.language = "zh-CN" if language == "zh" else "en"
    document.add_heading(t("brief_title", language, title=meta.title(language)), level=1)
    for line in heading_lines(meta, language, prepared):
        document.add_paragraph(line).paragraph_format.space_after = Pt(0)
    note = document.add_paragraph()
    note.add_run(caveat(meta, language)).italic = True
    for number, answer in enumerate(answers, 1):
        said = answer.language
        document.add_heading(f"{number}. {answer.question}", level=2)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{t('brief_answer', said)}: ").bold = True
        paragraph.add_run(answer.answer or t("brief_not_in_report", said))
        if answer.figures:
            document.add_paragraph().add_run(f"{t('brief_figures', said)}:").bold = True
            _figure_table(document, answer, meta)
        picture = chart_picture(answer)
        if picture:
            document.add_picture(io.BytesIO(picture), width=Cm(CHART_WIDTH_CM))
        for extra in answer.notes:
            document.add_paragraph().add_run(extra).italic = True
        if answer.citations:
            document.add_paragraph().add_run(f"{t('brief_citations', said)}:").bold = True
            for citation in answer.citations:
                ref, section, quote = citation_line(citation)
                item = document.add_paragraph(style="List Bullet")
                item.add_run(ref).bold = True
                if section:
                    item.add_run(f" ({section})")
                item.add_run(f": “{quote}”")
        if answer.status == NOT_IN_REPORT and not answer.answer:
            document.add_paragraph(t("brief_not_in_report", said))
    return document


def _figure_table(document, answer: Answer, meta: ReportMeta) -> None:
    """The answer's figures as a Word table with a bold header row."""
    header = figure_header(answer.language)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for figure in answer.figures:
        cells = table.add_row().cells
        for cell, text in zip(cells, figure_row(figure, answer.language, meta), strict=True):
            cell.text = text
    quotes = [s.quote for f in answer.figures for s in f.sources if s.quote]
    for quote in dict.fromkeys(q for q in quotes if quote_fits(q, answer.language)):
        document.add_paragraph().add_run(f"“{' '.join(quote.split())}”").italic = True


def _east_asian_fonts(document) -> None:
    """Make Word draw Chinese characters with a Chinese font in every style used."""
    from docx.oxml.ns import qn

    names = ("Normal", "Heading 1", "Heading 2", "List Bullet", "List Bullet 2", "Title")
    for name in names:
        style = document.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
