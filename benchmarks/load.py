"""Many chat clients with follow-ups while the index is rebuilt under the running chat.

    .venv/bin/python benchmarks/load.py [--clients 50] [--data-dir DIR] [--quick-rebuild]

Starts `report-assistant serve` on a free loopback port over a copy of the data folder
and the corpus (nothing of yours is touched), answers every conversation once in this
process for reference, then lets N gradio_client clients hold their conversations over
and over while one `ingest --rebuild` runs beside the server (``--quick-rebuild``: touch
the corpus and run a plain `ingest`, which reuses every vector). Each client stops after
it has held ``--after`` whole conversations on the new build (bounded by ``--timeout``).
Prints errors, wrong answers (any answer that differs from the reference), p50/p95
latency, the server's resident memory before and after, and when the switch happened.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = [
    ["非洲有多少人申请？", "那亚洲及太平洋呢？"],
    ["How many applications came from Africa?", "And Western Europe?"],
    ["How many women were appointed in 2025?", "And men?"],
    ["2025年共收到多少份申请？", "有多少人入围了候选名单？"],
    ["What is iPerform and what does it do?"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--after", type=int, default=1, help="conversations after the switch")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds, at most")
    parser.add_argument("--data-dir", type=Path, help="a built data folder (default: settings')")
    parser.add_argument("--quick-rebuild", action="store_true", help="corpus edit + ingest")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant.settings import Settings

    settings = Settings.load(data_dir=args.data_dir)
    work = Path(tempfile.mkdtemp(prefix="load-benchmark-"))
    try:
        run(args, settings, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, settings, work: Path) -> None:
    from assistant.engine import Engine
    from assistant.settings import Settings

    data, corpus = work / "data", work / "corpus"
    shutil.copytree(settings.data_dir / "index", data / "index")
    shutil.copytree(settings.corpus_dir, corpus, ignore=shutil.ignore_patterns(".*"))
    local = Settings.load(data_dir=data, corpus_dir=corpus)
    engine = Engine.load(local)
    reference = [[a.answer for a in _hold(engine.conversation(), turns)] for turns in CONVERSATIONS]
    env = {**os.environ, "REPORT_ASSISTANT_CORPUS_DIR": str(corpus)}
    port = _free_port()
    log_path = work / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "--data-dir", str(data), "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, server)
        from gradio_client import Client

        Client(url, verbose=False).predict(CONVERSATIONS[0][0], api_name="/ask")  # warm up
        rss_before = _rss_mb(server.pid)
        result = _load(args, url, reference, data, corpus, env, log_path)
        rss_after = _rss_mb(server.pid)
        peak = _rss_mb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)
    _report(args, result, rss_before, rss_after, peak)


def _load(args, url: str, reference, data: Path, corpus: Path, env: dict, log_path: Path) -> dict:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    wrong: list[str] = []
    after_switch = [0] * args.clients
    switched = threading.Event()
    lock = threading.Lock()
    deadline = time.monotonic() + args.timeout

    def client(number: int) -> None:
        session = Client(url, verbose=False)
        index = number % len(CONVERSATIONS)
        while after_switch[number] < args.after and time.monotonic() < deadline:
            on_new_build = switched.is_set()
            session.reset_session()  # a new conversation
            for turn, question in enumerate(CONVERSATIONS[index]):
                started = time.perf_counter()
                try:
                    answer = session.predict(question, api_name="/ask")["answer"]
                except Exception as exc:
                    with lock:
                        errors.append(f"{question}: {exc!r}"[:200])
                    continue
                with lock:
                    latencies.append(time.perf_counter() - started)
                    if answer != reference[index][turn]:
                        wrong.append(f"{question}: {answer[:120]}")
            if on_new_build:
                after_switch[number] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if args.quick_rebuild:
        with (corpus / "glossary.yaml").open("a", encoding="utf-8") as glossary:
            glossary.write("\n# edited during the load benchmark\n")
    command = [sys.executable, "-m", "ui.cli", "--data-dir", str(data), "ingest"]
    ingest = subprocess.run(
        command if args.quick_rebuild else [*command, "--rebuild"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    rebuilt = time.monotonic() - started
    while "now answering from" not in log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    switch = time.monotonic() - started
    switched.set()
    for thread in threads:
        thread.join()
    return {
        "latencies": latencies,
        "errors": errors,
        "wrong": wrong,
        "rebuild_s": rebuilt,
        "rebuild_ok": ingest.returncode == 0,
        "rebuild_line": (ingest.stdout or ingest.stderr).strip().splitlines()[-1:],
        "switch_s": switch if "now answering from" in log_path.read_text() else None,
        "seconds": time.monotonic() - started,
    }


def _hold(conversation, turns: list[str]) -> list:
    return [conversation.ask(question) for question in turns]


def _report(args, result: dict, before: float, after: float, peak: float) -> None:
    latencies = sorted(result["latencies"])
    asked = len(latencies) + len(result["errors"])
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    rebuild = "plain ingest after a corpus edit" if args.quick_rebuild else "ingest --rebuild"
    print(f"clients: {args.clients}, questions asked: {asked}, in {result['seconds']:.0f} s")
    print(
        f"rebuild ({rebuild}): {'ok' if result['rebuild_ok'] else 'FAILED'} in "
        f"{result['rebuild_s']:.0f} s: {' '.join(result['rebuild_line'])}"
    )
    switch = result["switch_s"]
    print(f"server switched to the new build: {f'after {switch:.0f} s' if switch else 'NO'}")
    print(f"errors: {len(result['errors'])}, wrong answers: {len(result['wrong'])}")
    if latencies:
        print(f"latency p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s")
    print(f"server RSS: {before:.0f} MB before, {after:.0f} MB after (peak {peak:.0f} MB)")
    for line in (result["errors"] + result["wrong"])[:10]:
        print("  ", line)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit("the chat server exited")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the chat server did not start")


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    main()
