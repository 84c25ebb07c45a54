"""The `report-assistant` command: a thin click layer over the library.

Every command turns the library's named errors into one readable line and exit
status 1; no traceback reaches the user.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from assistant.settings import Settings
from ingest.errors import AssistantError

LANGS = click.Choice(["zh", "en"])


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into `Error: ...` and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AssistantError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # the last line of defence: one line, never a traceback
            reason = " ".join(str(exc).split())[:300] or type(exc).__name__
            raise click.ClickException(
                f"Unexpected {type(exc).__name__}: {reason}. Run 'report-assistant doctor' "
                "to check the index and the corpus."
            ) from None

    return wrapper


# Options of the whole program, accepted before or after the command's name.
GLOBAL_OPTIONS = ("--corpus", "--data-dir", "--chroma-url", "--report")


def hoist_global_options(args: list[str]) -> list[str]:
    """``ask --data-dir D "…"`` -> ``--data-dir D ask "…"``: global options moved first.

    Nothing after a ``--`` is moved (it may be a question that starts with a dash).
    """
    hoisted: list[str] = []
    rest: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest += args[position:]
            break
        if arg in GLOBAL_OPTIONS and position + 1 < len(args):
            hoisted += args[position : position + 2]
            position += 2
            continue
        if arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            hoisted.append(arg)
        else:
            rest.append(arg)
        position += 1
    return hoisted + rest


class ReportAssistantGroup(click.Group):
    """The command group: every argument and option value is cleaned before a command sees
    it (undecodable bytes, control characters and lone surrogates never reach the library),
    and the global options are taken anywhere on the line."""

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[override]
        from assistant.inputs import clean_text

        return super().make_context(info_name, [clean_text(a) for a in args], parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args)))


@click.group(cls=ReportAssistantGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=None),
    envvar="REPORT_ASSISTANT_CORPUS_DIR",
    help="Corpus folder (default: the project's corpus/). Also accepted after the command.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Where the index and feedback live (default: ~/.cache/report-assistant). "
    "Also accepted after the command.",
)
@click.option(
    "--chroma-url",
    "global_chroma_url",
    help="Use the Chroma server at this URL (default: an embedded index in the data folder). "
    "Also accepted after the command.",
)
@click.option(
    "--report",
    "report",
    envvar="REPORT_ASSISTANT_REPORT",
    help="The report to answer from: a symbol (WO/CC/86/INF/1), folder name or year "
    "(default: the newest by date; a question that names another report is answered from "
    "it). Also accepted after the command.",
)
@click.version_option(package_name="report-assistant")
@click.pass_context
def cli(
    ctx: click.Context,
    corpus_dir: str | None,
    data_dir: str | None,
    global_chroma_url: str | None,
    report: str | None,
) -> None:
    """Ask the report questions in Chinese or English, and get exact figures with
    citations. 'ask', 'chat', 'brief' and 'eval' build the search index on first use;
    'ingest' builds it on its own."""
    from pathlib import Path

    ctx.obj = Settings.load(
        corpus_dir=Path(corpus_dir) if corpus_dir else None,
        data_dir=Path(data_dir) if data_dir else None,
        chroma_url=global_chroma_url,
        report=report,
    )


def load_selected_report(settings: Settings):
    """The report ``--report`` names, else the newest by date."""
    from ingest.corpus import load_corpus, select_report

    return select_report(load_corpus(settings.corpus_dir), settings.report)


def default_language(report) -> str:
    """Chinese where the report has it (as before), else the report's original language."""
    return "zh" if "zh" in report.editions else report.default_language()


# --- the document: show, units ------------------------------------------------------------


@cli.command()
@click.argument("ref")
@click.option(
    "--lang", type=LANGS, help="Edition to print (default: zh, or the report's original language)."
)
@click.option("--both", is_flag=True, help="Print the Chinese and English texts side by side.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
@friendly_errors
def show(settings: Settings, ref: str, lang: str | None, both: bool, as_json: bool):
    """Print one unit of the report (--report, default the newest): REF is a paragraph
    number (69) or a unit id."""
    from ingest.corpus import find_unit

    report = load_selected_report(settings)
    languages = list(report.languages) if both else [lang or default_language(report)]
    units = [find_unit(report, ref, language) for language in languages]
    if as_json:
        payload = [unit_json(u) for u in units]
        click.echo(json.dumps(payload if both else payload[0], ensure_ascii=False, indent=2))
        return
    for unit in units:
        edition = report.edition(unit.language)
        click.secho(f"{unit.ref}  [{unit.language}]  {unit.id}", bold=True)
        click.secho(" › ".join(unit.section), dim=True)
        if not edition.official:
            click.secho(edition.note, fg="yellow")
        click.echo(unit.text)
        click.echo()


@cli.command()
@click.option(
    "--lang", type=LANGS, help="Edition (default: zh, or the report's original language)."
)
@click.option("--kind", help="Only units of this kind (paragraph, panel, case_study, ...).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_obj
@friendly_errors
def units(settings: Settings, lang: str | None, kind: str | None, as_json: bool):
    """List the units of the report (--report, default the newest) in reading order."""
    report = load_selected_report(settings)
    for unit in report.edition(lang or default_language(report)).units:
        if kind and unit.kind != kind:
            continue
        if as_json:
            click.echo(json.dumps(unit_json(unit), ensure_ascii=False))
        else:
            preview = unit.text.replace("\n", " ")[:60]
            click.echo(f"{unit.id:44} {unit.kind:14} {unit.ref[:30]:30} {preview}")


# --- chat UI and briefs ---------------------------------------------------------------------


@cli.command()
@click.option("--host", help="Address to listen on (default: 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on (default: 7860).")
@click.option(
    "--insecure-public",
    is_flag=True,
    help="Allow an address other than loopback without a login (prints a warning).",
)
@click.pass_obj
@friendly_errors
def serve(settings: Settings, host: str | None, port: int | None, insecure_public: bool):
    """Start the chat in the browser (the index is built on first run).

    An address other than loopback needs a login (REPORT_ASSISTANT_AUTH_USER and
    _PASSWORD) or --insecure-public."""
    from dataclasses import replace

    settings = replace(settings, host=host or settings.host, port=port or settings.port)
    from ui.app import check_exposure

    warning = check_exposure(settings, insecure_public)  # fails before anything loads
    if warning:
        click.secho(warning, fg="yellow", err=True)
    busy = click.ClickException(
        f"Cannot listen on {settings.host}:{settings.port} (in use, or not an address of "
        "this machine): choose another --port or --host."
    )
    from ui.app import launch, port_is_free

    if not port_is_free(settings.host, settings.port):  # fail before loading the index
        raise busy
    ensure_index(settings)  # the first run builds it, visibly
    click.echo("Loading the report and its index…", err=True)
    try:
        demo = launch(settings, block=False)
    except OSError:
        raise busy from None
    login = " (login required)" if settings.auth_user and settings.auth_password else ""
    click.echo(f"Chat ready at http://{settings.host}:{settings.port}{login}; Ctrl+C stops it.")
    try:
        demo.block_thread()
    finally:
        demo.close()


@cli.command()
@click.argument("questions_file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The note to write: NAME.md (Markdown) or NAME.docx (Word).",
)
@click.option(
    "--lang",
    type=LANGS,
    help="Language of the note's headings (default: the language of most questions).",
)
@click.option(
    "--skip",
    metavar="N[,M...]",
    help="Leave these questions out of the note (numbered from 1, in file order).",
)
@click.pass_obj
@friendly_errors
def brief(settings: Settings, questions_file: str, output: str, lang: str | None, skip: str | None):
    """Answer each line of QUESTIONS_FILE on its own and write a briefing note.

    One question per line; blank lines and lines starting with '#' are skipped.
    Word notes are A4, with each answer's figures in a table and its chart as a picture."""
    from dataclasses import replace
    from pathlib import Path

    from ui.brief import brief_format, leave_out, read_questions, write_brief
    from ui.report_meta import ReportMeta

    note = Path(output)
    brief_format(note)  # a wrong suffix fails before the engine loads
    questions = read_questions(Path(questions_file))
    if not questions:
        raise click.ClickException(f"'{questions_file}' has no questions (one per line).")
    numbers = skip_numbers(skip)
    kept = leave_out(questions, numbers)  # an unknown number fails before the engine loads
    if not kept:
        raise click.ClickException("--skip leaves no question: the note would be empty.")
    engine = load_engine(settings)
    answers = []
    with click.progressbar(kept, label="Answering", file=sys.stderr) as bar:
        for question in bar:  # the note quotes each question as written
            answers.append(replace(engine.ask(question), question=question))
    write_brief(answers, ReportMeta.load(settings), note, lang)
    left = f" ({len(numbers)} left out)" if numbers else ""
    click.echo(f"Wrote {len(answers)} answer(s) to {note}{left}")


def skip_numbers(text: str | None) -> set[int]:
    """'2,4' -> {2, 4}; anything else than numbers and commas is a usage error."""
    if not text:
        return set()
    try:
        return {int(part) for part in text.replace(" ", "").split(",") if part}
    except ValueError:
        raise click.BadParameter(
            f"'{text}' is not a list of question numbers (e.g. 2 or 2,4).", param_hint="--skip"
        ) from None


# --- tables ---------------------------------------------------------------------------------


@cli.command("tables")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per table, per line.")
@click.pass_obj
@friendly_errors
def tables_command(settings: Settings, as_json: bool):
    """List the data tables: id, report, titles in the report's languages, rows × columns
    (only those of --report when it is given)."""
    from ingest.tables import load_tables

    tables = load_tables(settings.corpus_dir)
    if settings.report:
        symbol = load_selected_report(settings).symbol
        tables = [t for t in tables if t.report == symbol]
    for table in tables:
        size = f"{len(table.rows)}×{len(table.columns)}"
        if as_json:
            row = {"id": table.id, "report": table.report, "title": table.title}
            row |= {"rows": len(table.rows), "columns": len(table.columns)}
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            titles = " / ".join(table.title[lang] for lang in table.languages)
            click.echo(f"{table.id:30} {table.report:16} {size:>6}  {titles}")


@cli.command("table")
@click.argument("name")
@click.option(
    "--lang", type=LANGS, help="Labels and values (default: zh, or the table's only language)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole table as one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the stored CSV (values and sources).")
@click.pass_obj
@friendly_errors
def table_command(settings: Settings, name: str, lang: str | None, as_json: bool, as_csv: bool):
    """Print one table with its sources, notes and discrepancies: NAME is its id or title."""
    from ingest.tables import find_table, load_tables, table_as_csv, table_as_dict

    if as_json and as_csv:
        raise click.UsageError("Give --json or --csv, not both.")
    table = find_table(load_tables(settings.corpus_dir), name)
    lang = lang if lang in table.languages else ("zh" if "zh" in table.languages else None)
    lang = lang or table.languages[0]
    if as_json:
        click.echo(json.dumps(table_as_dict(table, lang), ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(table_as_csv(table), nl=False)
    else:
        for line in table_lines(table, lang):
            click.echo(line)


TABLE_WORDS = {
    "zh": {
        "sources": "来源",
        "notes": "说明",
        "discrepancies": "不一致之处",
        "derived": "推算值",
        "uncertain": "版面对应不确定",
    },
    "en": {
        "sources": "Sources",
        "notes": "Notes",
        "discrepancies": "Discrepancies",
        "derived": "derived",
        "uncertain": "uncertain reading of the layout",
    },
}


def table_lines(table, lang: str) -> list[str]:
    """One table as readable lines: title, rows, sources, notes, discrepancies."""
    from ingest.tables import cell_display

    words = TABLE_WORDS[lang]
    lines = [f"{table.id}  {table.title[lang]}", table.description[lang], ""]
    columns = [c for c in table.columns if c.name != table.key]
    header = [table.column(table.key).label[lang]]
    header += [c.label[lang] + ("*" if c.derived else "") for c in columns]
    lines.append(" | ".join(header))
    for row in table.rows:
        cells = [row.label[lang] + (" ?" if row.ambiguous else "")]
        cells += [cell_display(table, row, c.name, lang) for c in columns]
        lines.append(" | ".join(cells))
    if any(c.derived for c in columns):
        lines.append(f"* {words['derived']}")
    if any(r.ambiguous for r in table.rows):
        lines.append(f"? {words['uncertain']}")
    lines += ["", f"{words['sources']}:"]
    for row in table.rows:
        for column in table.measures:
            if column.derived or row.values.get(column.name) is None:
                continue
            refs = "; ".join(
                f"{'¶' + str(p.paragraph) if p.paragraph else p.unit_id} “{p.quote}”"
                for p in row.sources.get(column.name, ())
            )
            lines.append(f"  {row.label[lang]} / {column.label[lang]}: {refs}".replace("\n", " "))
    notes = [n[lang] for n in table.notes]
    notes += [f"{r.label[lang]}: {r.note[lang]}" for r in table.rows if r.note]
    notes += [f"{c.label[lang]}: {c.method[lang]}" for c in columns if c.method]
    if notes:
        lines += ["", f"{words['notes']}:"] + [f"  - {n}" for n in notes]
    if table.discrepancies:
        lines += ["", f"{words['discrepancies']}:"]
        for d in table.discrepancies:
            lines.append(f"  - [{d.id}] {d.note[lang]}")
            for claim in d.claims:
                ref = f"¶{claim.paragraph}" if claim.paragraph else claim.unit_id
                lines.append(f"      {ref} “{claim.quote}”: {claim.says[lang]}".replace("\n", " "))
    return lines


# --- questions: ask, chat -------------------------------------------------------------------


@cli.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--lang", type=LANGS, help="Answer in this language (default: the question's).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question, per line.")
@click.option(
    "--explain",
    is_flag=True,
    help="Also show how the question was read (the parsed query: measure, rows, period, "
    "operation) and why the answer was given or refused.",
)
@click.pass_obj
@friendly_errors
def ask(
    settings: Settings, question: tuple[str, ...], lang: str | None, as_json: bool, explain: bool
):
    """Answer each QUESTION on its own (quote each question; use -- before one that
    starts with a dash)."""
    engine = load_engine(settings)
    for text in question:
        print_answer(engine.ask(text, language=lang), as_json, explain)


@cli.command()
@click.option("--lang", type=LANGS, help="Answer in this language (default: each question's).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per turn, per line.")
@click.pass_obj
@friendly_errors
def chat(settings: Settings, lang: str | None, as_json: bool):
    """Read one question per line from standard input, as the turns of one conversation."""
    from assistant.inputs import clean_text
    from assistant.live import LiveEngine

    ensure_index(settings)  # built first, visibly, if there is none
    engine = LiveEngine.load(settings)  # a rebuild during a long chat is picked up
    conversation = engine.conversation()
    interactive = sys.stdin.isatty() and not as_json
    stdin = getattr(sys.stdin, "buffer", sys.stdin)  # bytes: a bad line cannot end the chat
    while True:
        if interactive:
            click.echo("› ", nl=False)
        line = clean_text(stdin.readline())
        if not line:
            break
        if not line.strip() and interactive:
            continue
        print_answer(conversation.ask(line.rstrip("\n"), language=lang), as_json)


def print_answer(answer, as_json: bool, explain: bool = False) -> None:
    """Print an Answer as the JSON contract or as readable text with its citations."""
    if as_json:
        data = answer.explained() if explain else answer.as_json()
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    if explain:
        print_explanation(answer.explanation or {})
    click.echo(answer.answer)
    for figure in answer.figures:
        formula = (figure.formula or {}).get(answer.language)
        if formula:
            click.secho(f"  = {formula}", dim=True)
    for citation in answer.citations:
        click.secho(f"  [{citation.where}] {citation.section}", fg="cyan")
        click.secho(f"    “{citation.quote[:300]}”", dim=True)
    for note in answer.notes:
        click.secho(f"  ({note})", fg="yellow")
    click.echo()


def print_explanation(explanation: dict) -> None:
    """How the question was read, and why it was answered so (for `ask --explain`)."""
    query = explanation.get("query") or {}
    shown = ("text", "language", "operation", "operations", "asks_rate", "years", "follow_up")
    click.secho("Read as:", bold=True)
    for key in shown:
        if query.get(key) not in (None, "", [], False):
            click.secho(f"  {key}: {query[key]}", dim=True)
    for written, read in query.get("mended") or []:
        click.secho(f"  mended: {written} → {read}", dim=True)
    if query.get("lead_in"):
        click.secho(f"  lead-in dropped: {query['lead_in']}", dim=True)
    for name in query.get("names") or []:
        click.secho(
            f"  names {name['kind']} {name['table']}/{name['key']} ({name['score']})", dim=True
        )
    reading = explanation.get("reading")
    if reading:
        click.secho(f"Reading: {reading}", bold=True)
    for reason in explanation.get("why") or []:
        click.secho(f"  - {reason}", dim=True)
    click.echo()


# --- evaluation -----------------------------------------------------------------------------


@cli.command("eval")
@click.argument("suites", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--tags", multiple=True, help="Only cases with one of these tags (repeat or a,b).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write full results.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False), help="Write JUnit XML.")
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False),
    help="An earlier --json result: list regressions and fixes first.",
)
@click.option(
    "--min-pass",
    type=click.FloatRange(0, 1),
    help="Exit with status 1 when the pass rate is below this (0 to 1, e.g. 0.95).",
)
@click.option(
    "--split",
    type=click.Choice(["tuning", "heldout"]),
    help="Only one part of the suites: the tuning part or the held-out part.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every case, not only the failures.")
@click.pass_obj
@friendly_errors
def eval_command(
    settings: Settings,
    suites: tuple[str, ...],
    tags: tuple[str, ...],
    json_path: str | None,
    junit_path: str | None,
    baseline: str | None,
    min_pass: float | None,
    split: str | None,
    verbose: bool,
):
    """Run Q&A regression SUITES (YAML or JSONL files, or folders of them): print the
    failures with their reasons, pass rates by tag and language, latency and retrieval
    recall (--verbose lists every case)."""
    from pathlib import Path

    from assistant.evaluation.session import evaluate

    ensure_index(settings)
    summary = evaluate(
        settings,
        [Path(s) for s in suites],
        tags=list(tags),
        json_path=Path(json_path) if json_path else None,
        junit_path=Path(junit_path) if junit_path else None,
        baseline_path=Path(baseline) if baseline else None,
        split=split,
        verbose=verbose,
    )
    rate = summary.overall.rate
    if min_pass is not None and rate < min_pass:
        click.echo(f"Pass rate {rate:.1%} is below --min-pass {min_pass}.", err=True)
        sys.exit(1)


# --- index and search ----------------------------------------------------------------------


@cli.command()
@click.option("--rebuild", is_flag=True, help="Embed everything again (replaces a damaged index).")
@click.option("--gc", is_flag=True, help="Only delete stale builds and orphan vector folders.")
@click.option("--chroma-url", help="Use the Chroma server at this URL (default: embedded index).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary object.")
@click.pass_obj
@friendly_errors
def ingest(settings: Settings, rebuild: bool, gc: bool, chroma_url: str | None, as_json: bool):
    """Build the search index of every edition and table (nothing to do if up to date).

    The corpus is validated first; one ingest runs at a time per data folder (a second
    one waits), and a running chat switches to the new index when it is complete."""
    from assistant.index import build_index, collect_garbage

    settings = with_chroma_url(settings, chroma_url)
    if gc:
        removed = collect_garbage(settings)
        click.echo(f"Removed {len(removed)} stale item(s)." if removed else "Nothing is stale.")
        for item in removed:
            click.echo(f"  {item}")
        return
    waiting = functools.partial(click.echo, err=True)
    with index_progress(enabled=not as_json and sys.stderr.isatty()) as progress:
        summary = build_index(settings, rebuild=rebuild, progress=progress, waiting=waiting)
    store_name_vectors(settings)
    if as_json:
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary.message())


@cli.command()
@click.argument("query")
@click.option(
    "-k",
    "k",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="How many passages to show (1 to 100).",
)
@click.option("--lang", type=LANGS, help="Show passages in this language (default: the query's).")
@click.option("--chroma-url", help="Use the Chroma server at this URL (default: embedded index).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
@friendly_errors
def search(
    settings: Settings, query: str, k: int, lang: str | None, chroma_url: str | None, as_json: bool
):
    """Rank the passages of the report (--report, default the newest) for QUERY (dense +
    BM25), with their ¶ numbers."""
    import time

    from assistant.retrieval import Retriever
    from ingest.text import language_of

    settings = with_chroma_url(settings, chroma_url)
    report = load_selected_report(settings)
    retriever = Retriever.load(settings).scoped(report.symbol)
    language = lang or language_of(query)
    started = time.perf_counter()
    hits = retriever.search(query, k=k, language=language)
    elapsed = (time.perf_counter() - started) * 1000
    if as_json:
        payload = {
            "query": query,
            "report": report.symbol,
            "language": language,
            "hits": [hit_json(rank, hit) for rank, hit in enumerate(hits, 1)],
            "timing_ms": round(elapsed, 1),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No passage matches.")
    for rank, hit in enumerate(hits, 1):
        head = f"{rank}. {hit.ref}  ({hit.score:.3f})  [{hit.language}]  {hit.unit_id}"
        click.secho(head, bold=True)
        if hit.section:
            click.secho("   " + " › ".join(hit.section), dim=True)
        click.echo("\n".join("   " + line for line in hit.text.splitlines()))
        click.echo()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
@friendly_errors
def doctor(settings: Settings, as_json: bool):
    """Report the index's state: present, model, corpus, stale folders, damage (no writes).

    Exit status 1 when the index cannot serve answers."""
    from dataclasses import asdict

    from assistant.index import store_state

    state = store_state(settings)
    if as_json:
        click.echo(json.dumps(asdict(state), ensure_ascii=False, indent=2))
    else:
        for line in doctor_lines(state):
            click.echo(line)
    if state.problem:
        sys.exit(1)


def doctor_lines(state) -> list[str]:
    """The store's state as readable lines, with what to run."""
    info = state.active
    lines = [f"Index: {state.store}"]
    if info is not None:
        lines.append(
            f"  active build {info.collection}: {info.documents} passages, {info.embedding}, "
            f"corpus {info.corpus_hash}, built {info.built_at}"
        )
    lines.append(f"  corpus now: {state.corpus_hash or '?'}")
    lines.append(f"  state: {state.problem or 'ready to answer'}")
    if state.lock_holder:
        lines.append(f"  an ingest is running ({state.lock_holder})")
    stale = [*state.stale_builds, *state.orphan_folders, *state.damaged_copies]
    for item in stale:
        lines.append(f"  stale: {item}")
    if stale:
        lines.append("  run 'report-assistant ingest --gc' to delete what is stale")
    return lines


def with_chroma_url(settings: Settings, chroma_url: str | None) -> Settings:
    from dataclasses import replace

    return replace(settings, chroma_url=chroma_url) if chroma_url else settings


@contextlib.contextmanager
def index_progress(enabled: bool):
    """A progress callback drawing a bar on the terminal, or None when quiet."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Embedding passages", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def ensure_index(settings: Settings) -> None:
    """Build the search index if it is missing or stale, saying so, with a progress bar."""
    from assistant.index import build_index, index_is_current

    if index_is_current(settings):
        return
    click.echo(
        "Building the search index first (once, about a minute; "
        "'report-assistant ingest' does this alone)…",
        err=True,
    )
    with index_progress(enabled=sys.stderr.isatty()) as progress:
        summary = build_index(settings, progress=progress)
    click.echo(summary.message(), err=True)
    store_name_vectors(settings)


def store_name_vectors(settings: Settings) -> None:
    """Embed the tables' names beside the index (names found by meaning), if not yet done."""
    from assistant.embeddings import make_embeddings
    from assistant.understanding import meaning

    meaning.store_name_vectors(settings, make_embeddings(settings))


def load_engine(settings: Settings):
    """The answer engine, its index built first (visibly) if it has none yet."""
    from assistant.engine import Engine

    ensure_index(settings)
    return Engine.load(settings)


def hit_json(rank: int, hit) -> dict:
    return {
        "rank": rank,
        "unit_id": hit.unit_id,
        "score": hit.score,
        "ref": hit.ref,
        "paragraph": hit.paragraph,
        "kind": hit.kind,
        "section": list(hit.section),
        "language": hit.language,
        "text": hit.text,
        "table": hit.table,
        "row": hit.row,
    }


def unit_json(unit) -> dict:
    return {
        "id": unit.id,
        "report": unit.report,
        "kind": unit.kind,
        "paragraph": unit.paragraph,
        "section": list(unit.section),
        "title": unit.title,
        "ref": unit.ref,
        "language": unit.language,
        "text": unit.text,
    }


def main() -> None:
    cli(prog_name="report-assistant")


if __name__ == "__main__":
    main()
