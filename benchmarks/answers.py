"""Answer latency and memory over the public Q&A suite.

    .venv/bin/python benchmarks/answers.py [--data-dir DIR]

Prints: the first answer from a cold process (a fresh interpreter that loads the engine
and answers one question), then warm p50/p95 per question over every question of
tests/qa (a warm process, each question timed the first time it is asked, so no cache
holds its answer), and the peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = ("How many people work in HR?", "人力资源部有哪些工作？", "What is WIPO?")
COLD = """
import time, sys
t = time.perf_counter()
from assistant.engine import Engine
from assistant.settings import Settings
from pathlib import Path
engine = Engine.load(Settings.load(data_dir=Path(sys.argv[1])))
engine.ask("2025年共收到多少份申请？")
print(time.perf_counter() - t)
"""


def questions() -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "qa").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            turns = case.get("turns") or [case]
            out += [t["q"] for t in turns if isinstance(t.get("q"), str) and len(t["q"]) < 5000]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="index folder (default: the settings')")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant.engine import Engine
    from assistant.settings import Settings

    settings = Settings.load(data_dir=args.data_dir)
    Engine.load(settings)  # make sure the index exists before the cold timing
    cold = subprocess.run(
        [sys.executable, "-c", COLD, str(settings.data_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    engine = Engine.load(settings)
    asked = questions()
    for question in WARM_UP:
        engine.ask(question)
    timings = []
    for question in dict.fromkeys(asked):
        start = time.perf_counter()
        engine.ask(question)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"questions: {len(timings)}")
    print(f"cold first answer: {float(cold.stdout.strip()):.2f} s")
    print(f"warm per question: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")
    print(f"peak resident memory: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
