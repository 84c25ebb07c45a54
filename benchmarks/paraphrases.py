"""The generated paraphrase suite: write it, run it, and print pass rates per kind.

    .venv/bin/python benchmarks/paraphrases.py --size small --write paraphrases.yaml
    .venv/bin/python benchmarks/paraphrases.py --size large --run [--json results.json]
    .venv/bin/python benchmarks/paraphrases.py --run --suite paraphrases.yaml

Every table cell is asked from several templates, with the names the tables give it, in
both languages and with noise (typos, Traditional characters, full-width digits, polite
preambles, casual lowercase), plus derived questions, follow-ups and near-miss refusals
(assistant/evaluation/paraphrase.py). ``--size small`` is a sample across kinds (CI);
``--size large`` is every case. A run prints the pass rate, the wrong-figure rate, missed
and false refusals overall and per template kind, noise kind, language and table.
The written file is an ordinary suite: ``report-assistant eval FILE`` runs it too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("kind", "noise", "lang", "table")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--seed", type=int, default=0, help="noise and sample (default 0)")
    parser.add_argument("--write", type=Path, help="write the generated suite to this file")
    parser.add_argument("--run", action="store_true", help="run it through the engine")
    parser.add_argument("--suite", type=Path, help="run this suite file instead of generating")
    parser.add_argument("--json", type=Path, help="with --run: write the full results here")
    parser.add_argument("--data-dir", type=Path, help="index folder (default: the settings')")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="corpus folder")
    args = parser.parse_args()
    if not (args.write or args.run):
        parser.error("say what to do: --write FILE, --run, or both")
    sys.path.insert(0, str(ROOT))
    from assistant.evaluation.paraphrase import generate_suite, suite_yaml

    if args.suite is None:
        cases = generate_suite(args.corpus, args.size, args.seed)
        text = suite_yaml(cases)
        if args.write:
            args.write.parent.mkdir(parents=True, exist_ok=True)
            args.write.write_text(text, encoding="utf-8")
            print(f"Wrote {len(cases)} cases ({args.size}, seed {args.seed}) to {args.write}")
    if args.run:
        suite = args.suite or args.write or _temporary(text)
        run(suite, args.data_dir, args.json)


def run(suite: Path, data_dir: Path | None, json_path: Path | None) -> None:
    """Run one suite file and print its rates overall and per group."""
    from assistant.engine import Engine
    from assistant.evaluation.render import misleading_line
    from assistant.evaluation.results import Summary, results_json, write_json
    from assistant.evaluation.runner import run_cases
    from assistant.evaluation.suite import load_suites
    from assistant.settings import Settings

    cases = load_suites([suite])
    engine = Engine.load(Settings.load(data_dir=data_dir))
    started = time.perf_counter()
    results = run_cases(cases, engine, on_result=_progress(len(cases), started))
    elapsed = time.perf_counter() - started
    summary = Summary.of(results)
    overall = summary.overall
    print(
        f"{suite}: {overall.passed}/{overall.cases} passed ({overall.rate:.1%}) in {elapsed:.0f} s"
    )
    print(misleading_line(summary.misleading))
    for group in GROUPS:
        print(f"\nby {group}:")
        print(f"  {'':32} {'cases':>6} {'pass':>7} {'wrong fig':>9} {'missed':>7} {'false':>7}")
        for tag in sorted(t for t in summary.by_tag if t.startswith(f"{group}:")):
            part = Summary.of([r for r in results if tag in r.case.tags])
            m = part.misleading
            print(
                f"  {tag.partition(':')[2]:32} {part.overall.cases:>6} {part.overall.rate:>7.1%} "
                f"{m.rate(m.wrong_figure):>9.1%} {m.rate(m.missed_refusals):>7.1%} "
                f"{m.rate(m.false_refusals):>7.1%}"
            )
    if json_path is not None:
        write_json(json_path, results_json(results, summary))
        print(f"\nFull results: {json_path}")


def _progress(total: int, started: float):
    """A callback that says on stderr how far the run is, every 500 cases."""
    done = 0

    def advance(_result) -> None:
        nonlocal done
        done += 1
        if done % 500 == 0 and done < total:
            seconds = time.perf_counter() - started
            print(f"  {done}/{total} cases, {seconds:.0f} s", file=sys.stderr, flush=True)

    return advance


def _temporary(text: str) -> Path:
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yaml", prefix="paraphrases-", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(text)
    return Path(handle.name)


if __name__ == "__main__":
    main()
