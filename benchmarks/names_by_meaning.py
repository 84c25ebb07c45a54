"""How well a question's vector finds the measure or row it asks about among names it
does not write: the material the thresholds of names found by meaning are set on.

    .venv/bin/python benchmarks/names_by_meaning.py [--data-dir DIR]

Every clean lookup of the generated suite's tuning part (never its held-out part) is
compared, through the vector retrieval makes for it, with the names of the other
language only: names the question does not write, as a paraphrase or a synonym no alias
has would be. For each similarity threshold and margin over the next name, it prints
how many names would be proposed and how many of them are the cell's own (proposed /
right), for measures and rows, and marks the setting in use
(``assistant/understanding/meaning.py``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = {"column": (0.75, 0.78, 0.81, 0.84), "row": (0.80, 0.84, 0.86, 0.88)}
MARGINS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="index folder (default: the settings')")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant.engine import Engine
    from assistant.settings import Settings
    from assistant.understanding import meaning

    engine = Engine.load(Settings.load(data_dir=args.data_dir))
    found = {kind: [] for kind in meaning.KINDS}
    for question, language, cell in tuning_lookups(engine.settings.corpus_dir):
        query = engine.reader.parse(question, language, [])
        vector = engine.retriever.query_vector(query.text)
        for kind in meaning.KINDS:
            closest = engine.reader.meaning.closest(vector, kind, exclude_language=language)
            if closest is not None:
                similarity, margin, entities = closest
                right = any((e.table, e.key) == cell[kind] for e in entities)
                found[kind].append((similarity, margin, right))
    for kind, rows in found.items():
        in_use = (meaning.THRESHOLD[kind], meaning.MARGIN[kind])
        print(f"{kind}: {len(rows)} questions, the closest name right for {_share(rows)}")
        print("  proposed/right  " + "  ".join(f"margin {m:<5}" for m in MARGINS))
        for threshold in sorted({*THRESHOLDS[kind], in_use[0]}):
            cells = []
            for margin in sorted({*MARGINS, in_use[1]}):
                chosen = [r for s, m, r in rows if s >= threshold and m >= margin]
                mark = "*" if (threshold, margin) == in_use else " "
                cells.append(f"{len(chosen):>5}/{sum(chosen):<5}{mark}")
            print(f"  at {threshold:.2f}        " + " ".join(cells))
    print("* the setting in use")


def tuning_lookups(corpus: Path):
    """(question, language, {kind: (table, key)}) for the clean lookups of the tuning part."""
    from assistant.evaluation.paraphrase import generate_all, suite_yaml
    from assistant.evaluation.split import TUNING, split_suite
    from assistant.evaluation.suite import load_suites

    generated = [c for c in generate_all(corpus) if c.kind == "lookup" and c.noise == "clean"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lookups.yaml"
        path.write_text(suite_yaml(generated), encoding="utf-8")
        cases = load_suites([path])
    tuning = {c.id for c in split_suite(cases).select(cases, TUNING)}
    for case in generated:
        if case.id in tuning:
            # lookup.<table>.<row>.<column>.<language>.<n>.<noise>
            _, table, row, column, language, *_ = case.id.split(".")
            cell = {"row": (table, row), "column": (table, column)}
            yield case.turns[0][0], language, cell


def _share(rows: list) -> str:
    return f"{sum(r for _, _, r in rows) / len(rows):.0%}" if rows else "-"


if __name__ == "__main__":
    main()
