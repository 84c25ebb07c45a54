"""Print results for a person: what changed since the baseline, the failures (or every case),
tags, summary."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.evaluation.results import Comparison, Misleading, Summary
from assistant.evaluation.runner import RETRIEVAL_K, CaseResult


def print_report(
    console: Console,
    results: list[CaseResult],
    summary: Summary,
    comparison: Comparison | None = None,
    verbose: bool = False,
) -> None:
    """Regressions and fixes first (with a baseline), then the failed cases (every case
    when ``verbose``), tags and the summary."""
    if comparison is not None:
        _print_comparison(console, results, comparison)
    if verbose:
        console.print(_cases_table(results, "Cases"))
    else:
        failed = [r for r in results if not r.passed]
        title = f"Failures ({len(failed)} of {len(results)} cases; --verbose lists every case)"
        if failed:
            console.print(_cases_table(failed, title))
        else:
            console.print(f"[green]No failures[/] in {len(results)} cases.", highlight=False)
    console.print(_tags_table(summary))
    _print_summary(console, summary)


def _print_comparison(console: Console, results: list[CaseResult], diff: Comparison) -> None:
    reasons = {r.case.id: r.reason for r in results}
    console.print(
        f"[bold]Against the baseline[/] (pass rate then {diff.baseline_pass_rate:.1%}): "
        f"{len(diff.regressions)} regression(s), {len(diff.fixes)} fix(es), "
        f"{len(diff.new)} new, {len(diff.gone)} gone"
    )
    for case_id in diff.regressions:
        console.print(
            f"  [red]REGRESSION[/] {escape(case_id)}: {escape(reasons[case_id])}",
            highlight=False,
            soft_wrap=True,  # one line per case, whatever the width
        )
    for case_id in diff.fixes:
        console.print(f"  [green]FIXED[/] {escape(case_id)}", highlight=False)
    console.print()


def _cases_table(results: list[CaseResult], title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("", no_wrap=True)
    table.add_column("case", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("tags")
    table.add_column("ms", justify="right", no_wrap=True)
    table.add_column("reason", overflow="fold")
    for r in results:
        mark = "[green]pass[/]" if r.passed else "[red]FAIL[/]"
        table.add_row(
            mark,
            escape(r.case.id),
            r.language or "-",
            ",".join(r.case.tags),
            f"{r.wall_ms:.0f}",
            escape(r.reason),
        )
    return table


def _tags_table(summary: Summary) -> Table:
    table = Table(title="By tag", title_justify="left")
    table.add_column("tag")
    table.add_column("passed", justify="right")
    table.add_column("rate", justify="right")
    for tag, rate in summary.by_tag.items():
        table.add_row(tag, f"{rate.passed}/{rate.cases}", f"{rate.rate:.1%}")
    return table


def _print_summary(console: Console, summary: Summary) -> None:
    overall = summary.overall
    languages = " · ".join(
        f"{lang} {rate.passed}/{rate.cases}" for lang, rate in summary.by_language.items()
    )
    console.print(
        f"[bold]Passed {overall.passed}/{overall.cases} ({overall.rate:.1%})[/]  ({languages})",
        highlight=False,
    )
    if summary.misleading is not None:
        console.print(misleading_line(summary.misleading), highlight=False)
    console.print(
        f"Latency per question: p50 {summary.latency_p50_ms:.0f} ms, "
        f"p95 {summary.latency_p95_ms:.0f} ms",
        highlight=False,
    )
    retrieval = summary.retrieval
    if retrieval.cases:
        console.print(
            f"Retrieval recall@{RETRIEVAL_K}: {retrieval.rate:.1%} "
            f"({retrieval.passed}/{retrieval.cases} cases with an expected paragraph)",
            highlight=False,
        )


def misleading_line(m: Misleading) -> str:
    """Wrong figures, missed and false refusals, each as a share of the turns asked."""
    return (
        f"Misleading answers, of {m.turns} turns: wrong figure {m.wrong_figure} "
        f"({m.rate(m.wrong_figure):.1%}) · missed refusals {m.missed_refusals} "
        f"({m.rate(m.missed_refusals):.1%}; {m.refusal_turns} turns expect a refusal) · "
        f"false refusals {m.false_refusals} ({m.rate(m.false_refusals):.1%}; "
        f"{m.answer_turns} turns expect an answer)"
    )
