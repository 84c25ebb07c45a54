"""Names found by meaning: the tables' names embedded once and kept beside the index; a
question's vector (the one retrieval made) proposes the measure or row it does not write."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from assistant.embeddings import make_embeddings
from assistant.understanding.meaning import NameMeaning, name_vectors
from assistant.understanding.names import Entity, Name, build_entities
from ingest.tables import load_tables


@pytest.fixture(scope="module")
def embeddings(index_settings):
    return make_embeddings(index_settings)


@pytest.fixture(scope="module")
def entities(index_settings) -> list[Entity]:
    """The names of one table: enough to embed, quick to embed again."""
    tables = load_tables(index_settings.corpus_dir)
    return build_entities([t for t in tables if t.id == "recruitment-by-region"])


def _vector_of(engine, question: str) -> np.ndarray:
    return engine.retriever.query_vector(engine.reader.parse(question, "en", []).text)


def test_a_row_named_only_in_the_other_language_is_found_through_the_stored_vectors(engine):
    # the English question writes none of the Chinese names it is compared with
    table = engine.figures.tables["recruitment-by-region"]
    row = next(r for r in table.rows if r.key == "africa")
    vector = _vector_of(engine, f"How many applications came from {row.label['en']}?")
    similarity, _, entities = engine.reader.meaning.closest(vector, "row", exclude_language="en")
    assert ("recruitment-by-region", "africa") in {(e.table, e.key) for e in entities}
    assert similarity > 0


def test_the_question_vector_is_the_one_retrieval_made(engine):
    question = "How many applications came from Africa?"
    before = engine.retriever._query_vector.cache_info().misses
    engine.retriever.search(question, k=3)
    engine.retriever.query_vector(question)
    assert engine.retriever._query_vector.cache_info().misses - before <= 1


def test_a_kind_the_surface_found_gets_no_proposal(engine):
    query = engine.reader.parse("How many applications came from Africa?", "en", [])
    vector = engine.retriever.query_vector(query.text)
    proposed = engine.reader.meaning.propose(vector, query.text, list(query.mentions))
    assert not proposed  # both its measure and its row are written in the question


def test_names_that_say_little_are_never_proposed(engine):
    vectors = engine.reader.meaning.vectors
    assert "how many" not in {t.casefold() for t in vectors.texts}
    assert "2025" not in vectors.texts


def test_vectors_are_read_back_not_embedded_again(entities, embeddings, tmp_path):
    first = name_vectors(entities, embeddings, tmp_path)
    stored = list(tmp_path.glob("name-vectors-*.pickle"))
    assert len(stored) == 1
    written = stored[0].stat().st_mtime_ns
    again = name_vectors(entities, embeddings, tmp_path)
    assert stored[0].stat().st_mtime_ns == written
    assert np.array_equal(first.vectors, again.vectors)
    assert first.identity == embeddings.identity


def test_vectors_are_rebuilt_when_a_name_changes(entities, embeddings, tmp_path):
    before = name_vectors(entities, embeddings, tmp_path)
    row = next(e for e in entities if e.kind == "row")
    renamed = Entity(row.kind, row.table, row.key, (*row.names, Name("far-flung places", "en")))
    after = name_vectors([renamed if e is row else e for e in entities], embeddings, tmp_path)
    assert "far-flung places" in after.texts and "far-flung places" not in before.texts
    assert [p.name for p in tmp_path.glob("name-vectors-*.pickle")] != []
    assert len(list(tmp_path.glob("name-vectors-*.pickle"))) == 1  # the old ones are gone


def test_nothing_is_downloaded(entities, embeddings, tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("names by meaning tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    vectors = name_vectors(entities, embeddings, tmp_path)
    meaning = NameMeaning(entities, vectors)
    assert len(vectors.texts) == len(vectors.vectors) > 0
    assert meaning.closest(vectors.vectors[0], "row") is not None


def test_a_vector_of_another_model_proposes_nothing(engine):
    other = np.ones(7, dtype=np.float32)
    assert engine.reader.meaning.propose(other, "How many hires?", []) == []
