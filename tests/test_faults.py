"""Faults an operator, a user or a bad file can cause; the assistant stays up through each."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from chat_server import PROJECT, running_chat
from click.testing import CliRunner
from conftest import copy_corpus

from assistant.embeddings import IdentifiedEmbeddings
from assistant.index import (
    DAMAGED,
    STORE_FILE,
    build_index,
    connect,
    ingest_lock,
    open_index,
    orphan_folders,
    read_pointer,
    store_state,
)
from assistant.settings import Settings
from ingest.errors import CorpusInvalidError, StoreError
from ingest.validate import corpus_problems
from ui.cli import cli

# a process that may not override file permissions (root otherwise ignores them)
NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def copy_data(settings: Settings, target: Path) -> Settings:
    """A copy of the built test index that a test may damage, lock or rebuild."""
    shutil.copytree(settings.data_dir / "index", target / "index")
    shutil.copytree(settings.data_dir / "cache", target / "cache", dirs_exist_ok=True)
    return Settings.load(data_dir=target, corpus_dir=settings.corpus_dir)


def run_cli(*args: str, env: dict | None = None, prefix: list[str] | None = None):
    """The real command in its own process."""
    command = [*(prefix or []), sys.executable, "-m", "ui.cli", *args]
    return subprocess.run(
        command,
        cwd=PROJECT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()


def server_log(settings: Settings) -> str:
    return "".join(p.read_text() for p in settings.data_dir.glob("serve-*.log"))


class FakeEmbeddings(IdentifiedEmbeddings):
    """LangChain's deterministic fake: a rebuild test that need not wait for the model."""

    identity = "fake:deterministic-384"

    def __init__(self) -> None:
        from langchain_core.embeddings import DeterministicFakeEmbedding

        self.model = DeterministicFakeEmbedding(size=384)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


# --- live re-index ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_running_chat_answers_throughout_a_rebuild_then_serves_the_new_index(
    index_settings: Settings, tmp_path: Path
):
    from gradio_client import Client

    settings = copy_data(index_settings, tmp_path / "data")
    corpus = copy_corpus(index_settings, tmp_path / "corpus")
    env = {"REPORT_ASSISTANT_CORPUS_DIR": str(corpus)}
    before = open_index(Settings.load(data_dir=settings.data_dir, corpus_dir=corpus))[1]
    answers: list[dict] = []
    failures: list[str] = []
    stop = threading.Event()
    with running_chat(settings.data_dir, **env) as url:
        client = Client(url, verbose=False)

        def keep_asking() -> None:
            while not stop.is_set():
                try:
                    answers.append(client.predict("非洲有多少人申请？", api_name="/ask"))
                except Exception as exc:
                    failures.append(repr(exc))

        asker = threading.Thread(target=keep_asking)
        asker.start()
        with (corpus / "glossary.yaml").open("a", encoding="utf-8") as glossary:
            glossary.write("\n# edited while the chat runs\n")
        asked_before = len(answers)
        ingest = run_cli("--data-dir", str(settings.data_dir), "ingest", env=env)
        assert ingest.returncode == 0, ingest.stderr[-800:]
        asked_during = len(answers) - asked_before
        after = open_index(Settings.load(data_dir=settings.data_dir, corpus_dir=corpus))[1]
        assert after.collection != before.collection
        switched = f"now answering from {after.collection}"
        deadline = time.monotonic() + 240
        while switched not in server_log(settings) and time.monotonic() < deadline:
            time.sleep(1)
        served_after = len(answers)
        while len(answers) < served_after + 3 and time.monotonic() < deadline:
            time.sleep(0.5)
        stop.set()
        asker.join(timeout=60)
    assert not failures
    assert asked_during > 0  # the chat answered while the ingest ran
    assert len(answers) >= served_after + 3
    assert all("3,944" in a["answer"] for a in answers)
    assert switched in server_log(settings)
    assert not orphan_folders(settings)  # the old build went with its vector folder


# --- killed and concurrent ingests ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_an_ingest_killed_at_any_point_leaves_the_served_index_usable(
    index_settings: Settings, tmp_path: Path
):
    settings = copy_data(index_settings, tmp_path / "data")
    served = open_index(settings)[1].collection
    for seconds in (1.5, 4, 9):
        ingest = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ui.cli",
                "--data-dir",
                str(settings.data_dir),
                "ingest",
                "--rebuild",
            ],
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(seconds)
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait()
        state = store_state(settings)
        assert state.problem == "" and state.active.collection == served
    result = run_cli("--data-dir", str(settings.data_dir), "ask", "非洲有多少人申请？")
    assert result.returncode == 0 and "3,944" in result.stdout
    again = run_cli("--data-dir", str(settings.data_dir), "ingest")  # the lock is free
    assert again.returncode == 0, again.stderr[-500:]


@pytest.mark.slow
def test_a_second_ingest_waits_for_the_first_and_says_what_it_waits_for(
    index_settings: Settings, tmp_path: Path
):
    settings = copy_data(index_settings, tmp_path / "data")
    with ingest_lock(settings):
        second = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "--data-dir", str(settings.data_dir), "ingest"],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(8)
        assert second.poll() is None  # still waiting
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0
    assert f"Another ingest (process {os.getpid()}" in err and "waiting" in err
    assert "up to date" in out


# --- damaged, unreadable and read-only stores -------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda db: db.write_bytes(os.urandom(4096)), "file is not a database"),
        (lambda db: os.truncate(db, db.stat().st_size // 3), "damaged"),
        (lambda db: db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200), "damaged"),
    ],
    ids=["garbage", "truncated", "wrong-header"],
)
def test_a_damaged_store_is_one_line_that_says_to_rebuild(
    index_settings: Settings, tmp_path: Path, damage, said: str
):
    settings = copy_data(index_settings, tmp_path / "data")
    damage(settings.index_dir / STORE_FILE)
    for command in (["ask", "How many applications?"], ["search", "申请"], ["ingest"]):
        result = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), *command])
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.output
        assert "ingest --rebuild" in lines[0] and said in lines[0], lines[0]
    doctor = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "doctor"])
    assert doctor.exit_code == 1 and "damaged" in doctor.output


def test_ingest_rebuild_replaces_a_damaged_store(index_settings: Settings, tmp_path: Path):
    settings = copy_data(index_settings, tmp_path / "data")
    (settings.index_dir / STORE_FILE).write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="ingest --rebuild"):
        build_index(settings, embeddings=FakeEmbeddings())
    summary = build_index(settings, rebuild=True, embeddings=FakeEmbeddings())
    assert summary.status == "built"
    info = read_pointer(connect(settings, create=False), settings)
    assert info is not None and info.collection == summary.collection
    assert list(settings.data_dir.glob(f"{DAMAGED}*"))  # set aside, for doctor and --gc
    gc = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "ingest", "--gc"])
    assert gc.exit_code == 0 and DAMAGED in gc.output
    assert not list(settings.data_dir.glob(f"{DAMAGED}*"))


def test_an_unreadable_store_says_so_in_one_line(index_settings: Settings, tmp_path: Path):
    settings = copy_data(index_settings, tmp_path / "data")
    (settings.index_dir / STORE_FILE).chmod(0)
    result = run_cli(
        "--data-dir", str(settings.data_dir), "ask", "How many applications?", prefix=NO_OVERRIDE
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Cannot read the index" in result.stderr


@pytest.mark.slow
def test_a_read_only_data_folder_serves_answers_and_is_not_written(
    index_settings: Settings, tmp_path: Path
):
    settings = copy_data(index_settings, tmp_path / "data")
    for path in [settings.data_dir, *settings.data_dir.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    before = tree_digest(settings.data_dir)
    try:
        result = run_cli(
            "--data-dir", str(settings.data_dir), "ask", "非洲有多少人申请？", prefix=NO_OVERRIDE
        )
        assert result.returncode == 0, result.stderr[-800:]
        assert "3,944" in result.stdout
        assert tree_digest(settings.data_dir) == before
    finally:
        for path in [settings.data_dir, *settings.data_dir.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)


# --- invalid corpus files ---------------------------------------------------------------------

REGION_CSV = "tables/recruitment-by-region.csv"


def _replace(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


@pytest.mark.parametrize(
    ("change", "file", "line", "said"),
    [
        (
            lambda c: (c / "glossary.yaml").open("a").write("terms: [unclosed\n"),
            "glossary.yaml",
            None,
            "not valid YAML",
        ),
        (
            lambda c: _replace(c / REGION_CSV, "非洲".encode(), "非洲".encode("gb18030")),
            REGION_CSV,
            2,
            "not UTF-8",
        ),
        (
            lambda c: _replace(c / REGION_CSV, b"africa,3944,", b"africa,-3944,"),
            REGION_CSV,
            2,
            "negative",
        ),
        (
            lambda c: _replace(c / REGION_CSV, b"africa,3944,3.0,", b"africa,3944,130.0,"),
            REGION_CSV,
            2,
            "0\u2013100",
        ),
        (
            lambda c: _replace(c / REGION_CSV, b"africa,3944,", b"africa,lots,"),
            REGION_CSV,
            2,
            "not a number",
        ),
        (
            lambda c: (c / REGION_CSV).write_bytes(
                (c / REGION_CSV).read_bytes().replace(b"\nasia-pacific,", b"\nafrica,", 1)
            ),
            REGION_CSV,
            3,
            "duplicate row key",
        ),
        (
            lambda c: (c / REGION_CSV).open("a").write("oceania,12\n"),
            REGION_CSV,
            None,
            "missing cell",
        ),
        (
            lambda c: (c / "reports/wo-cc-86-inf-1/report.yaml").open("a").write("symbol: again\n"),
            "report.yaml",
            None,
            "duplicate key 'symbol'",
        ),
        (
            lambda c: (
                (c / "reports/wo-cc-86-inf-1/edition.en.jsonl").open("a").write('{"id": 1,\n')
            ),
            "edition.en.jsonl",
            None,
            "not valid JSON",
        ),
        (
            lambda c: (c / "reports/wo-cc-86-inf-1/source.zh.txt").open("a").write("bad\x00byte\n"),
            "source.zh.txt",
            None,
            "control character",
        ),
    ],
    ids=[
        "invalid-yaml",
        "not-utf8-csv",
        "negative-count",
        "share-over-100",
        "not-a-number",
        "duplicate-row-key",
        "missing-cell",
        "duplicate-yaml-key",
        "bad-jsonl",
        "control-character",
    ],
)
def test_an_invalid_corpus_file_is_named_with_its_line_and_never_becomes_the_index(
    index_settings: Settings, tmp_path: Path, change, file: str, line: int | None, said: str
):
    corpus = copy_corpus(index_settings, tmp_path / "corpus")
    change(corpus)
    problems = [p for p in corpus_problems(corpus) if str(p.path).endswith(file)]
    assert problems and said in problems[0].message, [str(p) for p in problems]
    assert problems[0].line is not None and problems[0].column is not None
    if line is not None:
        assert problems[0].line == line
    settings = copy_data(index_settings, tmp_path / "data")
    settings = Settings.load(data_dir=settings.data_dir, corpus_dir=corpus)
    served = read_pointer(connect(settings, create=False), settings)
    with pytest.raises(CorpusInvalidError, match=file.split("/")[-1]):
        build_index(settings, embeddings=FakeEmbeddings())
    assert read_pointer(connect(settings, create=False), settings) == served


# --- exposure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (["--host", "0.0.0.0"], {}, "without a login"),
        ([], {"REPORT_ASSISTANT_AUTH_USER": "hr"}, "REPORT_ASSISTANT_AUTH_PASSWORD"),
        ([], {"REPORT_ASSISTANT_AUTH_PASSWORD": "secret"}, "REPORT_ASSISTANT_AUTH_USER"),
    ],
    ids=["public-without-login", "user-only", "password-only"],
)
def test_serve_refuses_a_public_address_without_login_and_half_a_login(args, env, said):
    result = CliRunner(env=env).invoke(cli, ["serve", *args])
    assert result.exit_code == 1 and said in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_with_a_login_set_every_route_but_the_login_page_needs_it(index_settings: Settings):
    env = {"REPORT_ASSISTANT_AUTH_USER": "hr", "REPORT_ASSISTANT_AUTH_PASSWORD": "s3cret"}
    with running_chat(index_settings.data_dir, **env) as url:
        for route in ("openapi.json", "gradio_api/openapi.json", "gradio_api/info", "config/x"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url + route, timeout=30)
            assert refused.value.code in (401, 404) and refused.value.code != 200, route
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "openapi.json", timeout=30)
        assert refused.value.code == 401
        from gradio_client import Client

        client = Client(url, auth=("hr", "s3cret"), verbose=False)
        assert "3,944" in client.predict("非洲有多少人申请？", api_name="/ask")["answer"]


# --- disk -------------------------------------------------------------------------------------


def test_doctor_lists_what_is_stale_and_ingest_gc_deletes_it(index_settings: Settings, tmp_path):
    settings = copy_data(index_settings, tmp_path / "data")
    orphan = settings.index_dir / "0badc0de-0000-4000-8000-000000000000"
    (orphan / "data").mkdir(parents=True)  # a vector folder no collection uses
    before = tree_digest(settings.data_dir)
    doctor = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "doctor"])
    assert doctor.exit_code == 0 and "ready to answer" in doctor.output
    assert f"stale: {orphan}" in doctor.output and "ingest --gc" in doctor.output
    assert tree_digest(settings.data_dir) == before  # doctor changes nothing
    gc = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "ingest", "--gc"])
    assert gc.exit_code == 0 and str(orphan) in gc.output
    assert not orphan.exists() and store_state(settings).problem == ""
    assert not store_state(settings).stale
