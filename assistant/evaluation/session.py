"""One evaluation run as the `eval` command does it: load, check, run, report, write."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from assistant.evaluation.junit import write_junit
from assistant.evaluation.render import print_report
from assistant.evaluation.results import (
    Summary,
    compare,
    load_baseline,
    results_json,
    write_json,
)
from assistant.evaluation.runner import CaseResult, EngineLike, run_cases
from assistant.evaluation.split import split_suite
from assistant.evaluation.suite import Case, load_suites, select
from assistant.settings import Settings
from ingest.errors import SuiteError

REPORT_WIDTH = 160  # when the output is a log, not a terminal


def evaluate(
    settings: Settings,
    suites: list[Path],
    tags: list[str] | None = None,
    json_path: Path | None = None,
    junit_path: Path | None = None,
    baseline_path: Path | None = None,
    engine: EngineLike | None = None,
    console: Console | None = None,
    split: str | None = None,
    verbose: bool = False,
) -> Summary:
    """Validate everything first, then run the cases, print the report and write the files.

    ``split`` (``tuning`` or ``heldout``) runs one part of the suites loaded, split before
    the tags select (``assistant.evaluation.split``).
    """
    tags = tags or []
    cases = load_suites(suites)
    if split is not None:
        cases = split_suite(cases).select(cases, split)
    cases = select(cases, tags)
    if not cases:
        raise SuiteError(f"No case carries the tag(s) {', '.join(tags)}.")
    baseline = load_baseline(baseline_path) if baseline_path else None
    if engine is None:
        from assistant.engine import Engine

        engine = Engine.load(settings)
    console = console or _console()
    results = _run_with_progress(cases, engine)
    summary = Summary.of(results)
    comparison = compare(results, baseline) if baseline is not None else None
    print_report(console, results, summary, comparison, verbose)
    if json_path is not None:
        write_json(json_path, results_json(results, summary, comparison))
    if junit_path is not None:
        write_junit(junit_path, results)
    return summary


def _console() -> Console:
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=REPORT_WIDTH)


def _run_with_progress(cases: list[Case], engine: EngineLike) -> list[CaseResult]:
    """Run the cases, with a progress bar on a terminal's stderr."""
    status = Console(stderr=True)
    if not status.is_terminal:
        return run_cases(cases, engine)
    with Progress(console=status, transient=True) as progress:
        task = progress.add_task("Asking", total=len(cases))
        return run_cases(cases, engine, on_result=lambda _: progress.advance(task))
