"""Answers as chat messages: escaped text, figure cards and expandable citations.

Every piece of text that reaches the page goes through ``escape_text``, so a question
or a quote containing HTML or Markdown is shown as typed, never interpreted.
The HTML is written without blank lines so Markdown leaves it as one block.
"""

from __future__ import annotations

import re
from typing import Protocol

from assistant.model import Answer, Citation, Figure, Source
from ui.i18n import edition_name, t, unit_name

# HTML's special characters, then those Markdown (and the chat's LaTeX and table syntax)
# would otherwise interpret: all become character references in one pass.
_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        **{ch: f"&#{ord(ch)};" for ch in "\\`*_[]()#|~$!+-=:"},
    }
)
SUMMARY_QUOTE_CHARS = 60
CJK = re.compile(r"[\u3400-\u9fff]")


class ReportTexts(Protocol):
    """Where the full text and the citable name of a unit come from."""

    def passage(self, unit_id: str, language: str) -> str:
        """The unit's full text in one edition ('' if unknown)."""
        ...

    def unit_ref(self, unit_id: str, language: str) -> str:
        """How the report names the unit: ¶69, or its section and title ('' if unknown)."""
        ...

    def table_title(self, table_id: str, language: str) -> str:
        """A table's title ('' if unknown)."""
        ...

    def cell_label(self, table_id: str, row: str, column: str, language: str) -> str:
        """A table cell named by its row and column labels ('' if unknown)."""
        ...


def escape_text(text: str) -> str:
    """Text safe to put inside HTML that Markdown will also see: shown exactly as typed."""
    escaped = text.replace("\r\n", "\n").translate(_ESCAPES)
    return escaped.replace("\n", "<br>")


def question_html(question: str) -> str:
    """A user's question as a chat message."""
    return f'<div class="ra-question">{escape_text(question)}</div>'


def working_html(language: str) -> str:
    """The placeholder shown while an answer is being prepared."""
    return (
        f'<div class="ra-working" role="status" aria-live="polite">'
        f'<span class="ra-spinner" aria-hidden="true"></span>{escape_text(t("working", language))}'
        f"</div>"
    )


def partial_answer_html(text: str) -> str:
    """The answer text so far, while it is being streamed."""
    caret = '<span class="ra-caret">▍</span>'
    return f'<div class="ra-answer ra-streaming">{escape_text(text)}{caret}</div>'


def answer_html(
    answer: Answer,
    ui_language: str,
    texts: ReportTexts | None = None,
) -> str:
    """The complete answer: its text, figure cards, notes and citations.

    ``texts`` gives the full text of a cited unit in each edition; without it (or when
    it has none) the citation's own quotes are shown.
    """
    body, sources = answer_parts(answer, ui_language, texts)
    return body + sources


def answer_parts(
    answer: Answer,
    ui_language: str,
    texts: ReportTexts | None = None,
) -> tuple[str, str]:
    """(text with figure cards and notes, citations), so a chart can go between them.

    The labels around an answer (unit, formula, sources) are in the answer's language,
    whatever the interface's; ``ui_language`` only names the copy button.
    """
    said = answer.language
    parts = [f'<div class="ra-answer ra-status-{escape_text(answer.status)}" lang="{_lang(said)}">']
    parts.append(f'<div class="ra-text">{escape_text(answer.answer)}</div>')
    parts.extend(figure_card_html(f, said, said, texts) for f in answer.figures)
    if answer.notes:
        notes = "".join(f"<li>{escape_text(n)}</li>" for n in answer.notes)
        parts.append(f'<ul class="ra-notes" aria-label="{t("notes", said)}">{notes}</ul>')
    parts.append(copy_html(answer, ui_language, texts))
    parts.append("</div>")
    sources = citations_html(answer.citations, said, texts) if answer.citations else ""
    return "".join(parts), sources


def copy_html(answer: Answer, ui_language: str, texts: ReportTexts | None = None) -> str:
    """A copy button and, hidden, the text it copies: the answer with its citations."""
    label = escape_text(t("copy", ui_language))
    done = escape_text(t("copied", ui_language))
    return (
        f'<span class="ra-copy" role="button" tabindex="0" aria-label="{label}" title="{label}">'
        f'<span class="ra-copy-idle">{label}</span><span class="ra-copy-done">✓ {done}</span>'
        f'</span><pre class="ra-copy-text" hidden aria-hidden="true">'
        f"{escape_text(plain_answer(answer, texts))}</pre>"
    )


def plain_answer(answer: Answer, texts: ReportTexts | None = None) -> str:
    """The answer as text to paste: its sentences, formulas, notes, then its citations."""
    lines = [answer.answer]
    for figure in answer.figures:
        formula = (figure.formula or {}).get(answer.language)
        if formula:
            lines.append(f"{t('formula', answer.language)}: {formula}")
    lines += list(answer.notes)
    if answer.citations:
        lines += ["", f"{t('sources', answer.language)}:"]
        for citation in answer.citations:
            where = citation.where
            where = f"{where} ({citation.section})" if citation.section else where
            lines.append(f"- {where}: “{' '.join(citation.quote.split())}”")
    return "\n".join(lines)


def figure_card_html(
    figure: Figure, language: str, ui_language: str, texts: ReportTexts | None = None
) -> str:
    """One figure: label, value and unit, formula, and the table rows it comes from.

    Every label is in ``language`` (the answer's); ``ui_language`` is kept for callers.
    """
    label = figure.label.get(language) or figure.label.get("en", "")
    display = figure.display.get(language) or figure.display.get("en") or str(figure.value)
    rows = [
        '<div class="ra-card">',
        f'<div class="ra-card-label">{escape_text(label)}</div>',
        f'<div class="ra-card-value">{escape_text(display)}</div>',
        f'<div class="ra-card-row"><span class="ra-card-key">{t("unit", language)}</span>'
        f"{escape_text(unit_name(figure.unit, language))}</div>",
    ]
    formula = (figure.formula or {}).get(language) or (figure.formula or {}).get("en")
    if formula:
        rows.append(
            f'<div class="ra-card-row"><span class="ra-card-key">{t("formula", language)}</span>'
            f'<code class="ra-formula">{escape_text(formula)}</code></div>'
        )
    if figure.sources:
        items = "".join(f"<li>{source_html(s, language, texts)}</li>" for s in figure.sources)
        rows.append(
            f'<div class="ra-card-row"><span class="ra-card-key">'
            f'{t("source_rows", language)}</span><ul class="ra-card-sources">{items}</ul></div>'
        )
    note = (figure.note or {}).get(language) or (figure.note or {}).get("en")
    if note:
        rows.append(f'<div class="ra-card-note">{escape_text(note)}</div>')
    rows.append("</div>")
    return "".join(rows)


def source_html(source: Source, language: str, texts: ReportTexts | None = None) -> str:
    """A table cell a figure comes from, named by its labels, and the report text behind it."""
    name = source.ref if source.paragraph is not None else ""
    where = ""
    if texts is not None:
        if not name:
            name = texts.unit_ref(source.unit_id, language)
        title = texts.table_title(source.table, language)
        cell = texts.cell_label(source.table, source.row, source.column, language)
        if title == name:  # the table itself is the source: name the cell only
            title = ""
        where = f"{title}: {cell}" if title and cell else title or cell
    text = f'<b>{escape_text(name)}</b> <span class="ra-where">{escape_text(where)}</span>'
    if source.quote and quote_fits(source.quote, language):
        text += f'<div class="ra-source-quote">“{escape_text(source.quote)}”</div>'
    return text


def quote_fits(quote: str, language: str) -> bool:
    """Whether a quote is in the answer's language: an English answer shows no Chinese quote
    (its citation opens to both editions instead)."""
    return language != "en" or not CJK.search(quote)


def citations_html(
    citations: tuple[Citation, ...], ui_language: str, texts: ReportTexts | None = None
) -> str:
    """The answer's citations, each expandable to the passage in both editions."""
    items = "".join(citation_html(c, ui_language, texts) for c in citations)
    return (
        f'<div class="ra-sources"><div class="ra-sources-title">'
        f"{t('sources', ui_language)} ({len(citations)})</div>{items}</div>"
    )


def citation_html(citation: Citation, ui_language: str, texts: ReportTexts | None) -> str:
    """One citation: ref, section and quote; opened, the full passage beside the other edition."""
    other = "en" if citation.language == "zh" else "zh"
    full = (texts.passage(citation.unit_id, citation.language) if texts else "") or citation.quote
    other_text = (texts.passage(citation.unit_id, other) if texts else "") or (
        citation.other_language_quote
    )
    quote = citation.quote.strip()
    line = " ".join(quote.split())
    short = line if len(line) <= SUMMARY_QUOTE_CHARS else line[:SUMMARY_QUOTE_CHARS] + "…"
    summary = (
        f'<summary><b class="ra-ref">{escape_text(citation.where)}</b>'
        f'<span class="ra-section">{escape_text(citation.section)}</span>'
        f'<span class="ra-quote">“{escape_text(short)}”</span></summary>'
    )
    columns = [
        _column(citation.language, _highlight(full, quote), ui_language),
        _column(other, escape_text(other_text or t("no_other_edition", ui_language)), ui_language),
    ]
    pair = f'<div class="ra-pair">{"".join(columns)}</div>'
    return f'<details class="ra-cite">{summary}{pair}</details>'


def _lang(language: str) -> str:
    return "zh-CN" if language == "zh" else "en"


def _column(language: str, body_html: str, ui_language: str) -> str:
    return (
        f'<div class="ra-col" lang="{_lang(language)}">'
        f'<div class="ra-col-head">{escape_text(edition_name(language, ui_language))}</div>'
        f'<div class="ra-col-text">{body_html}</div></div>'
    )


def _highlight(full: str, quote: str) -> str:
    """The full passage, escaped, with the quoted part marked."""
    start = full.find(quote) if quote else -1
    if start < 0:
        return escape_text(full)
    end = start + len(quote)
    return (
        f"{escape_text(full[:start])}<mark>{escape_text(full[start:end])}</mark>"
        f"{escape_text(full[end:])}"
    )
