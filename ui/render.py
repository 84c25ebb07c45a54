"""Answers as chat messages: escaped text, figure cards and expandable citations.

Every piece of text that reaches the page goes through ``escape_text``, so a question
or a quote containing HTML or Markdown is shown as typed, never interpreted.
The HTML is written without blank lines so Markdown leaves it as one block.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from assistant.model import Answer, Citation, Figure, Source
from ui.i18n import edition_name, t, unit_name

# Characters Markdown (and the chat's LaTeX/table syntax) would otherwise interpret.
_MARKDOWN_ENTITIES = {
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "[": "&#91;",
    "]": "&#93;",
    "(": "&#40;",
    ")": "&#41;",
    "#": "&#35;",
    "|": "&#124;",
    "~": "&#126;",
    "$": "&#36;",
    "!": "&#33;",
    "+": "&#43;",
    "-": "&#45;",
    "=": "&#61;",
    ":": "&#58;",
}
SUMMARY_QUOTE_CHARS = 60

# Looks up the text of a unit in another edition: (unit_id, language) -> text.
OtherEdition = Callable[[str, str], str]


def escape_text(text: str) -> str:
    """Text safe to put inside HTML that Markdown will also see: shown exactly as typed."""
    escaped = html.escape(text, quote=True)
    escaped = "".join(_MARKDOWN_ENTITIES.get(ch, ch) for ch in escaped)
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


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
    passage: OtherEdition | None = None,
) -> str:
    """The complete answer: its text, figure cards, notes and citations.

    ``passage(unit_id, language)`` gives the full text of a cited unit in an edition;
    without it (or when it has none) the citation's own quotes are shown.
    """
    body, sources = answer_parts(answer, ui_language, passage)
    return body + sources


def answer_parts(
    answer: Answer,
    ui_language: str,
    passage: OtherEdition | None = None,
) -> tuple[str, str]:
    """(text with figure cards and notes, citations), so a chart can go between them."""
    parts = [f'<div class="ra-answer ra-status-{escape_text(answer.status)}">']
    parts.append(f'<div class="ra-text">{escape_text(answer.answer)}</div>')
    parts.extend(figure_card_html(f, answer.language, ui_language) for f in answer.figures)
    if answer.notes:
        notes = "".join(f"<li>{escape_text(n)}</li>" for n in answer.notes)
        parts.append(f'<ul class="ra-notes" aria-label="{t("notes", ui_language)}">{notes}</ul>')
    parts.append("</div>")
    sources = citations_html(answer.citations, ui_language, passage) if answer.citations else ""
    return "".join(parts), sources


def figure_card_html(figure: Figure, language: str, ui_language: str) -> str:
    """One figure: label, value and unit, formula, and the table rows it comes from."""
    label = figure.label.get(language) or figure.label.get("en", "")
    display = figure.display.get(language) or figure.display.get("en") or str(figure.value)
    rows = [
        '<div class="ra-card">',
        f'<div class="ra-card-label">{escape_text(label)}</div>',
        f'<div class="ra-card-value">{escape_text(display)}'
        f'<span class="ra-card-unit">{escape_text(unit_name(figure.unit, ui_language))}</span>'
        "</div>",
    ]
    formula = (figure.formula or {}).get(language) or (figure.formula or {}).get("en")
    if formula:
        rows.append(
            f'<div class="ra-card-row"><span class="ra-card-key">{t("formula", ui_language)}</span>'
            f'<code class="ra-formula">{escape_text(formula)}</code></div>'
        )
    if figure.sources:
        items = "".join(f"<li>{source_html(s)}</li>" for s in figure.sources)
        rows.append(
            f'<div class="ra-card-row"><span class="ra-card-key">'
            f'{t("source_rows", ui_language)}</span><ul class="ra-card-sources">{items}</ul></div>'
        )
    note = (figure.note or {}).get(language) or (figure.note or {}).get("en")
    if note:
        rows.append(f'<div class="ra-card-note">{escape_text(note)}</div>')
    rows.append("</div>")
    return "".join(rows)


def source_html(source: Source) -> str:
    """A table cell a figure comes from: where it is, and the report text behind it."""
    where = " › ".join(p for p in (source.table, source.row, source.column) if p)
    text = f'<b>{escape_text(source.ref)}</b> <span class="ra-where">{escape_text(where)}</span>'
    if source.quote:
        text += f'<div class="ra-source-quote">“{escape_text(source.quote)}”</div>'
    return text


def citations_html(
    citations: tuple[Citation, ...], ui_language: str, passage: OtherEdition | None = None
) -> str:
    """The answer's citations, each expandable to the passage in both editions."""
    items = "".join(citation_html(c, ui_language, passage) for c in citations)
    return (
        f'<div class="ra-sources"><div class="ra-sources-title">'
        f"{t('sources', ui_language)} ({len(citations)})</div>{items}</div>"
    )


def citation_html(citation: Citation, ui_language: str, passage: OtherEdition | None) -> str:
    """One citation: ref, section and quote; opened, the full passage beside the other edition."""
    other = "en" if citation.language == "zh" else "zh"
    full = (passage(citation.unit_id, citation.language) if passage else "") or citation.quote
    other_text = (passage(citation.unit_id, other) if passage else "") or (
        citation.other_language_quote
    )
    quote = citation.quote.strip()
    short = quote if len(quote) <= SUMMARY_QUOTE_CHARS else quote[:SUMMARY_QUOTE_CHARS] + "…"
    summary = (
        f'<summary><b class="ra-ref">{escape_text(citation.ref)}</b>'
        f'<span class="ra-section">{escape_text(citation.section)}</span>'
        f'<span class="ra-quote">“{escape_text(short)}”</span></summary>'
    )
    columns = [
        _column(citation.language, _highlight(full, quote), ui_language),
        _column(other, escape_text(other_text or t("no_other_edition", ui_language)), ui_language),
    ]
    pair = f'<div class="ra-pair">{"".join(columns)}</div>'
    return f'<details class="ra-cite">{summary}{pair}</details>'


def _column(language: str, body_html: str, ui_language: str) -> str:
    return (
        f'<div class="ra-col" lang="{"zh-Hans" if language == "zh" else "en"}">'
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
