"""A bar chart of the table rows behind an answer, drawn with matplotlib.

A chart compares like with like: ``comparable`` keeps the rows of one period (or, for
a change over time, one row's periods) before anything is drawn, and the drawing is
made for a phone's width first: each label on its own line above its bar, wrapped,
in type that stays readable when the picture is shrunk to 390 pixels.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

from ui.i18n import t, unit_name

# Fonts that can draw Chinese, best first; the last ones are matplotlib's own fallback.
CJK_FAMILIES = [
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
]
FALLBACK_FAMILIES = ["DejaVu Sans"]
BAR = "#7f9cc4"
HIGHLIGHT = "#1f4f8f"
TEXT = "#1f2937"
WIDTH_IN = 3.6  # about a phone's chat column (360 px), so the text is hardly shrunk there
DPI = 120
FONT_PT = 11.5
LABEL_CHARS = {"zh": 24, "en": 30}  # wrap width of a row label, by script
TITLE_CHARS = {"zh": 24, "en": 34}
MIN_ROWS = 2  # one bar compares nothing
# a year in a row label: "Africa 2025", "非洲 2025年"
YEAR = re.compile(r"\s*(?<!\d)((?:19|20)\d\d)(?!\d)\s*年?")

_fonts_lock = threading.Lock()
_families: list[str] | None = None


@dataclass(frozen=True)
class Bar:
    """One row of a chart: what it is, of which period, its value, and if the answer names it."""

    label: str
    period: str
    value: float
    highlight: bool


def comparable(chart: dict | None, language: str = "en") -> dict | None:
    """The chart with only rows that compare like with like, or None if none remain.

    Rows are of one measure (a chart has one column). When they span several periods,
    the rows of the period the answer is about are kept; if the answer is about one row
    over several periods, that row's periods are kept, oldest first. The period a row
    is of is its ``period`` field, else the year in its label. A chart whose kept rows
    are of one period says so in its title, and its labels drop the year.
    """
    if not chart:
        return None
    bars = [b for b in (_bar(row) for row in chart.get("rows") or ()) if b is not None]
    periods = {b.period for b in bars}
    title = str(chart.get("title") or "")
    if len(periods) > 1:
        bars = _like_with_like(bars)
        periods = {b.period for b in bars}
    if len(bars) < MIN_ROWS:
        return None
    if len(periods) == 1 and "" not in periods:
        (period,) = periods
        period = f"{period}年" if language == "zh" else period
        title = (
            (f"{title}，{period}" if language == "zh" else f"{title}, {period}")
            if title
            else period
        )
        bars = [Bar(_without_year(b.label), "", b.value, b.highlight) for b in bars]
    rows = [{"label": b.label, "value": b.value, "highlight": b.highlight} for b in bars]
    if len({b.period for b in bars}) > 1:
        rows = [{**row, "period": b.period} for row, b in zip(rows, bars, strict=True)]
    return {**chart, "title": title, "rows": rows}


def _bar(row: object) -> Bar | None:
    if not isinstance(row, dict):
        return None
    try:
        value = float(row.get("value"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    label = str(row.get("label") or "").strip()
    period = str(row.get("period") or "")
    if not period:
        found = YEAR.search(label)
        period = found.group(1) if found else ""
    return Bar(label, period, value, bool(row.get("highlight")))


def _like_with_like(bars: list[Bar]) -> list[Bar]:
    """Of rows from several periods, those the highlighted rows can be compared with."""
    named = [b for b in bars if b.highlight]
    if not named:
        return []
    periods = {b.period for b in named}
    if len(periods) == 1:
        return [b for b in bars if b.period in periods]
    things = {_without_year(b.label) for b in named}
    if len(things) == 1:
        same = [b for b in bars if _without_year(b.label) in things]
        return sorted(same, key=lambda b: b.period)
    return named


def _without_year(label: str) -> str:
    return YEAR.sub(" ", label).strip()


def font_families() -> list[str]:
    """The installed families to draw chart text with, CJK-capable ones first."""
    global _families
    with _fonts_lock:
        if _families is None:
            _families = _find_families()
        return _families


def _find_families() -> list[str]:
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known.intersection(CJK_FAMILIES):
        # fonts installed after matplotlib built its cache: register them now
        for path in font_manager.findSystemFonts():
            if "cjk" in path.lower() or "wqy" in path.lower():
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FAMILIES if f in known] + FALLBACK_FAMILIES


def bar_chart(chart: dict, language: str = "zh") -> Figure:
    """Horizontal bars of ``chart["rows"]``, each labelled above, highlighted rows darker."""
    rows = list(chart.get("rows", []))
    language = "zh" if language == "zh" else "en"
    labels = [_wrap(str(r.get("label", "")), LABEL_CHARS[language]) for r in rows]
    values = [float(r.get("value", 0)) for r in rows]
    title = _wrap(str(chart.get("title", "")), TITLE_CHARS[language])
    unit = unit_name(str(chart.get("unit", "")), language)
    # the figure is saved later, outside any rc_context, so the fonts are set globally
    matplotlib.rcParams["font.family"] = font_families()
    matplotlib.rcParams["axes.unicode_minus"] = False
    lines = sum(label.count("\n") + 1 for label in labels)
    height = 0.55 + 0.24 * (title.count("\n") + 1) + 0.27 * lines + 0.3 * len(rows)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    axes = figure.subplots()
    span = max(values, default=0) or 1
    y = 0.0
    for label, value, row in zip(labels, values, rows, strict=True):
        y += 0.42 * (label.count("\n") + 1)
        axes.text(0, y - 0.08, label, va="bottom", ha="left", fontsize=FONT_PT, color=TEXT)
        y += 0.55
        colour = HIGHLIGHT if row.get("highlight") else BAR
        axes.barh(y - 0.25, value, height=0.42, color=colour)
        weight = "bold" if row.get("highlight") else "normal"
        axes.text(value + span * 0.015, y - 0.25, _number(value), va="center", ha="left")
        axes.texts[-1].set(fontsize=FONT_PT, color=TEXT, fontweight=weight)
        y += 0.2
    axes.set_ylim(y, 0)
    axes.set_xlim(0, span * 1.22)
    axes.axis("off")
    axes.set_title(title, loc="left", fontsize=FONT_PT + 0.5, color=TEXT, fontweight="bold")
    if unit:
        figure.supxlabel(f"{t('unit', language)}: {unit}", fontsize=FONT_PT - 1, color=TEXT)
    return figure


def chart_png(chart: dict, language: str = "zh") -> bytes:
    """The chart as a PNG picture (for Word notes)."""
    buffer = io.BytesIO()
    bar_chart(chart, language).savefig(buffer, format="png", dpi=200)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    """Lines of at most ``width`` characters; Chinese counts double, so half as many."""
    if not text:
        return text
    if re.search(r"[\u3400-\u9fff]", text):
        width = max(6, width // 2)
        return "\n".join(text[i : i + width] for i in range(0, len(text), width))
    return "\n".join(textwrap.wrap(text, width)) or text


def _number(value: float) -> str:
    """1234 -> '1,234'; 12.5 -> '12.5'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"
