"""The dense ranking is an exact search in memory over the vectors the store holds."""

from __future__ import annotations

from assistant.passages import TABLE_ROW
from ingest.model import PARAGRAPH

QUESTIONS = (
    "How many applications did WIPO receive in 2025?",
    "人力资源战略的三个支柱是什么？",
    "What share of appointments went to external candidates?",
)


def _store_ranking(retriever, question: str, kinds: set[str]) -> list[str]:
    """The units in the order the store's own (approximate) query gives them."""
    result = retriever.collection.query(
        query_embeddings=[retriever.query_vector(question).tolist()],
        n_results=10,
        where={"kind": {"$in": sorted(kinds)}},
        include=[],
    )
    return list(dict.fromkeys(retriever._by_id[i].unit_id for i in result["ids"][0]))


def test_the_nearest_passages_are_the_ones_the_store_finds(retriever):
    for question in QUESTIONS:
        for kinds in ({TABLE_ROW}, {PARAGRAPH}):
            ours = retriever.dense_ranking(question, kinds)
            assert ours[:3] == _store_ranking(retriever, question, kinds)[:3], question


def test_the_ranking_is_the_same_every_time(retriever):
    for question in QUESTIONS:
        assert retriever.dense_ranking(question) == retriever.dense_ranking(question)


def test_a_kind_asked_for_is_all_that_is_ranked(retriever):
    kinds = {passage.unit_id: passage.kind for passage in retriever.passages}
    ranked = retriever.dense_ranking(QUESTIONS[0], {TABLE_ROW})
    assert ranked and all(kinds[unit] == TABLE_ROW for unit in ranked)
