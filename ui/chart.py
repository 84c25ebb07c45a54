"""A bar chart of the table rows behind an answer, drawn with matplotlib."""

from __future__ import annotations

import threading

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ui.i18n import unit_name

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
BAR = "#9db4d3"
HIGHLIGHT = "#1f5aa6"

_fonts_lock = threading.Lock()
_families: list[str] | None = None


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
    """A horizontal bar chart of ``chart["rows"]``, highlighted rows in a darker colour."""
    rows = list(chart.get("rows", []))
    labels = [str(r.get("label", "")) for r in rows]
    values = [float(r.get("value", 0)) for r in rows]
    colours = [HIGHLIGHT if r.get("highlight") else BAR for r in rows]
    height = 1.4 + 0.45 * max(len(rows), 1)
    # the figure is saved later, outside any rc_context, so the fonts are set globally
    matplotlib.rcParams["font.family"] = font_families()
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["font.size"] = 10.5
    figure = Figure(figsize=(7.6, height), dpi=110, layout="constrained")
    axes = figure.subplots()
    positions = list(range(len(rows)))
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)
    unit = str(chart.get("unit", ""))
    if unit:
        axes.set_xlabel(unit_name(unit, language))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _number(value)))
    span = max(values, default=0) or 1
    for position, value in zip(positions, values, strict=True):
        axes.text(value + span * 0.01, position, _number(value), va="center", fontsize=9)
    axes.set_xlim(0, span * 1.15)
    figure.suptitle(str(chart.get("title", "")), x=0.01, ha="left", fontsize=11)
    return figure


def _number(value: float) -> str:
    """1234 -> '1,234'; 12.5 -> '12.5'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"
