"""Names found by meaning: a measure or row the question does not write, but means.

Every name of every measure and row (labels and aliases, both languages) is embedded
once, with the model that embeds questions, in the query role (a name and a question are
both short queries). The vectors are kept in the data folder's ``cache/`` under a key of
the model's identity and the names themselves, so they are rebuilt when a name changes
or the model does, and never otherwise. A question is compared through the vector
retrieval already made for it: nothing is embedded twice.

A name found this way is only proposed: it weighs less than a name found as written,
and the checks that a reading measures what was asked still decide.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.cache import cached, key_of
from assistant.language.lexicon import own_names, speaking_of
from assistant.understanding.names import (
    Entity,
    Mention,
    build_entities,
    normalise,
    specificity,
)

KINDS = ("column", "row")  # what may be found by meaning: measures and rows
# Proposed only when the question's vector is this close to a name, and this much closer
# than to any other name of the same kind (calibrated on the generated suite's tuning
# part: benchmarks/names_by_meaning.py, docs/answers.md).
THRESHOLD = {"column": 0.78, "row": 0.80}
MARGIN = {"column": 0.05, "row": 0.08}
SCORE = 80.0  # a name proposed by meaning: found (70), never "named in full" (95)
SURFACE = 70.0  # a name found on the surface at least this well needs no other


@dataclass(frozen=True)
class NameVectors:
    """The distinct names of measures and rows, each with its unit vector."""

    identity: str  # the embedding model's
    kinds: tuple[str, ...]
    languages: tuple[str, ...]
    texts: tuple[str, ...]
    vectors: np.ndarray  # float32, one unit row per name


def name_vectors(entities: list[Entity], embeddings, cache_dir) -> NameVectors:
    """The vectors of every name ``entities`` go by, from the cache or embedded now."""
    names = _distinct_names(entities)
    kinds, languages, texts = (tuple(n[i] for n in names) for i in range(3))
    key = key_of(embeddings.identity, *(f"{k}:{lang}:{t}" for k, lang, t in names))

    def embed() -> NameVectors:
        if not texts:  # a report without tables
            return NameVectors(embeddings.identity, (), (), (), np.zeros((0, 0), np.float32))
        vectors = np.asarray(embeddings.embed_queries(list(texts)), dtype=np.float32)
        return NameVectors(embeddings.identity, kinds, languages, texts, _unit(vectors))

    return cached(cache_dir, "name-vectors", key, embed)


def store_name_vectors(settings, embeddings) -> list[NameVectors]:
    """Embed each report's table names at ingest (as its engine will ask for them), so
    that the first question finds them ready."""
    from ingest.corpus import load_corpus
    from ingest.tables import load_tables

    tables = load_tables(settings.corpus_dir)
    stored = []
    for report in load_corpus(settings.corpus_dir):
        own = [t for t in tables if t.report == report.symbol]
        if own:
            with speaking_of(own_names(report)):  # as the report's engine reads its names
                entities = build_entities(own)
                stored.append(name_vectors(entities, embeddings, settings.cache_dir))
    return stored


class NameMeaning:
    """The measures and rows a question's vector points to."""

    def __init__(self, entities: list[Entity], vectors: NameVectors) -> None:
        self.vectors = vectors
        holders: dict[tuple[str, str], list[Entity]] = {}
        for entity in entities:
            for text in dict.fromkeys(n.text.casefold() for n in entity.names):
                if entity.kind in KINDS:
                    holders.setdefault((entity.kind, text), []).append(entity)
        # the entities a name stands for (a row name several tables share: all of them)
        self._holders = [
            holders.get((kind, text.casefold()), [])
            for kind, text in zip(vectors.kinds, vectors.texts, strict=True)
        ]
        self._of_kind = {k: np.array([x == k for x in vectors.kinds]) for k in KINDS}

    def propose(self, vector: np.ndarray, question: str, found: list[Mention]) -> list[Mention]:
        """Names of the kinds the surface found none of, that the question's vector is
        clearly closest to; each one placed after the question's text (it writes none)."""
        if vector.shape != self.vectors.vectors.shape[1:]:
            return []  # another model's vector: nothing to compare
        similarity = self.vectors.vectors @ _unit(vector)
        end = len(normalise(question))
        proposed: list[Mention] = []
        for kind in KINDS:
            if any(m.entity.kind == kind and m.score >= SURFACE for m in found):
                continue
            best = self._clearly_closest(similarity, kind)
            if best is not None:
                proposed += [Mention(e, SCORE, end, 0) for e in self._holders[best]]
        return proposed

    def _clearly_closest(self, similarity: np.ndarray, kind: str) -> int | None:
        """The name of ``kind`` closest to the question, if close enough and clearly the
        closest (names written alike, "Africa" and "africa", count as one)."""
        found = self._closest(similarity, kind)
        if found is None:
            return None
        best, margin = found
        if similarity[best] < THRESHOLD[kind] or margin < MARGIN[kind]:
            return None
        return best

    def closest(
        self, vector: np.ndarray, kind: str, exclude_language: str | None = None
    ) -> tuple[float, float, list[Entity]] | None:
        """The similarity of the name of ``kind`` closest to ``vector``, its margin over
        the next, and the entities it names (names in ``exclude_language`` left out)."""
        if vector.shape != self.vectors.vectors.shape[1:]:
            return None  # no names, or another model's vector
        similarity = self.vectors.vectors @ _unit(vector)
        excluded = np.array([lang == exclude_language for lang in self.vectors.languages])
        found = self._closest(np.where(excluded, -np.inf, similarity), kind)
        if found is None:
            return None
        best, margin = found
        return float(similarity[best]), margin, self._holders[best]

    def _closest(self, similarity: np.ndarray, kind: str) -> tuple[int, float] | None:
        ranked = np.flatnonzero(self._of_kind[kind] & np.isfinite(similarity))
        if len(ranked) == 0:
            return None
        ranked = ranked[np.argsort(-similarity[ranked], kind="stable")]
        first = self.vectors.texts[ranked[0]].casefold()
        other = next((i for i in ranked[1:] if self.vectors.texts[i].casefold() != first), None)
        margin = 1.0 if other is None else float(similarity[ranked[0]] - similarity[other])
        return int(ranked[0]), margin


def _distinct_names(entities: list[Entity]) -> list[tuple[str, str, str]]:
    """(kind, language, name) once each, in a fixed order; not a name that says little of
    what it names ("how many", "2025"): every question is close to those."""
    return sorted(
        {
            (e.kind, n.language, n.text)
            for e in entities
            if e.kind in KINDS
            for n in e.names
            if specificity(n.text) >= 1.0
        }
    )


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)
