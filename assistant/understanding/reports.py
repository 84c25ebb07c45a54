"""Which report a question is about: one it names (symbol, year, "the previous report"),
else the one chosen, else the newest — and whether it sets two reports side by side.

``read_reference`` reads the words; ``Shelf`` holds the corpus's reports and resolves a
reference to one of them, by dates, never by folder names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from assistant.language.lexicon import lexicon
from ingest.corpus import newest_report, select_report
from ingest.errors import CorpusError
from ingest.model import Report

SYMBOL, YEAR, PREVIOUS, LATEST = "symbol", "year", "previous", "latest"
YEAR_IN = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class ReportReference:
    """How a question names a report: its kind, the symbol or year named, and the words."""

    kind: str = ""  # symbol | year | previous | latest | "" (names none)
    symbol: str = ""
    year: int | None = None
    span: str = ""  # the words that name it, as written
    compares: bool = False  # "since the previous report", "与2012年报告相比"

    def __bool__(self) -> bool:
        return bool(self.kind)

    def without(self, text: str) -> str:
        """The question without the words that name the report (for a symbol or "the
        previous report"; a year's report keeps its year, which is the question's period)."""
        if not self.span or self.kind == YEAR:
            return text
        return " ".join(text.replace(self.span, " ").split())


def read_reference(text: str, symbols: Iterable[str]) -> ReportReference:
    """The report ``text`` names, if any: a known symbol first, then the phrasings of
    ``general.yaml`` (``report_references``)."""
    found = _symbol_in(text, symbols)
    if found is None:
        found = _phrased(text)
    if found is None:
        return ReportReference()
    kind, symbol, year, span = found
    rest = text.replace(span, " ")
    compares = bool(lexicon().report_comparison.search(rest))
    return ReportReference(kind, symbol, year, span, compares)


def _symbol_in(text: str, symbols: Iterable[str]) -> tuple | None:
    for symbol in sorted(symbols, key=len, reverse=True):
        match = _symbol_pattern(symbol).search(text)
        if match:
            return SYMBOL, symbol, None, match.group(0)
    return None


@cache
def _symbol_pattern(symbol: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/]){re.escape(symbol)}(?![\w/])", re.IGNORECASE)


def _phrased(text: str) -> tuple | None:
    for kind, pattern in lexicon().report_references.items():
        match = pattern.search(text)
        if match:
            year = YEAR_IN.search(match.group(0))
            return kind, "", int(year.group(0)) if year else None, match.group(0)
    return None


class UnknownReport(CorpusError):
    """A question names a report the corpus lacks ("the 2020 report", the one before the
    oldest); ``available`` lists the reports it holds, newest first."""

    def __init__(self, reference: ReportReference, wanted: str, available: list[str]) -> None:
        self.reference, self.wanted, self.available = reference, wanted, available
        super().__init__(f"No report {wanted} in the corpus; it holds {', '.join(available)}.")


class Shelf:
    """The reports of the corpus, and which one a question or a choice names."""

    def __init__(self, reports: list[Report]) -> None:
        if not reports:
            raise CorpusError("The corpus holds no report; corpus/README.md says how to add one.")
        self.reports = list(reports)
        self.newest = newest_report(self.reports)
        # read once: the tests for a report's own names, and its organisation's names
        self._names = {r.symbol: [_finder(w) for w in _own_words(r)] for r in self.reports}
        self._organisation = {r.symbol: _organisation(r) for r in self.reports}

    @property
    def symbols(self) -> list[str]:
        return [r.symbol for r in self.reports]

    def chosen(self, name: str | None) -> Report:
        """The report a user chose (symbol, folder name or year), else the newest."""
        return select_report(self.reports, name)

    def named_by(self, text: str) -> list[Report]:
        """The reports whose organisation or own names (programmes, systems) ``text`` uses,
        newest first: "How many staff did WHO have?" is about a WHO report."""
        named = [r for r in self.reports if any(found(text) for found in self._names[r.symbol])]
        return sorted(named, key=_when, reverse=True)

    def covering(self, reports: list[Report], years: Iterable[str]) -> Report:
        """Of ``reports`` (newest first), the newest that covers one of ``years``, else the
        newest: "How many staff did WHO have in 2006?" is for WHO's report on 2006."""
        wanted = {str(y) for y in years}
        return next((r for r in reports if str(r.year_covered) in wanted), reports[0])

    def same_organisation(self, report: Report) -> list[Report]:
        """The other reports of ``report``'s organisation, newest first."""
        names = self._organisation[report.symbol]
        others = [
            r for r in self.reports if r is not report and names & self._organisation[r.symbol]
        ]
        return sorted(others, key=_when, reverse=True)

    def by_symbol(self, symbol: str) -> Report:
        return next(r for r in self.reports if r.symbol.casefold() == symbol.casefold())

    def resolve(self, reference: ReportReference, base: Report) -> Report:
        """The report ``reference`` names, read from ``base`` ("the previous report" is the
        one before it). Raises CorpusError, saying which reports there are, if none fits."""
        if reference.kind == SYMBOL:
            return self.by_symbol(reference.symbol)
        if reference.kind == LATEST:
            return self.newest
        if reference.kind == PREVIOUS:
            # the one before in the same series: the organisation's earlier report
            earlier = [r for r in self.same_organisation(base) if _when(r) < _when(base)]
            if not earlier:
                raise UnknownReport(reference, f"before {label(base)}", self.listing())
            return earlier[0]
        if reference.kind == YEAR:
            year = str(reference.year)
            covering = [r for r in self.reports if str(r.year_covered) == year]
            dated = [r for r in self.reports if r.date.startswith(year)]
            if covering or dated:
                return self._closest(covering or dated, base)
            raise UnknownReport(reference, f"of {year}", self.listing())
        return base

    def _closest(self, reports: list[Report], base: Report) -> Report:
        """Of ``reports``, the newest of ``base``'s organisation, else the newest: "the 2012
        report" is the asker's organisation's, where it has one."""
        family = [base, *self.same_organisation(base)]
        kin = [r for r in reports if r in family]
        return newest_report(kin or reports)

    def listing(self) -> list[str]:
        """Every report as "symbol (year)", newest first."""
        return [label(r) for r in sorted(self.reports, key=_when, reverse=True)]


def label(report: Report) -> str:
    """ "WO/CC/86/INF/1 (2025)": a report's symbol and the year it covers (or is dated)."""
    year = report_year(report)
    return f"{report.symbol} ({year})" if year else report.symbol


def report_year(report: Report) -> str:
    """The year a report covers, else the year it is dated ('' if neither is known)."""
    return str(report.year_covered or report.date[:4])


def _own_words(report: Report) -> list[str]:
    vocabulary = report.vocabulary
    return [
        w
        for group in (vocabulary.organization, vocabulary.names)
        for ws in group.values()
        for w in ws
        if len(w) >= 2
    ]


def _organisation(report: Report) -> frozenset[str]:
    return frozenset(w.casefold() for ws in report.vocabulary.organization.values() for w in ws)


def _finder(word: str) -> Callable[[str], bool]:
    """Whether a text holds ``word``: an acronym in capitals only (WHO is not "who"),
    another Latin name as a whole word in any case, a Chinese name as written."""
    if not word.isascii():
        return lambda text: word in text
    flags = 0 if word.isupper() else re.IGNORECASE
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", flags)
    return lambda text: pattern.search(text) is not None


def _when(report: Report) -> tuple:
    return (report.date, str(report.year_covered or ""))
