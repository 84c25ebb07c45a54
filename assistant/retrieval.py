"""Hybrid retrieval: dense (Chroma) and BM25 rankings fused by reciprocal rank.

Both editions of a unit are indexed; they collapse to one hit, shown in the asker's
language, so an English question that matches the Chinese text of a unit gets that
unit's English text, and the other way round. Everything a query needs apart from the
query vector and the Chroma lookup (passages, BM25, glossary) is built once at load.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant import lexical
from assistant.cache import cached, key_of
from assistant.embeddings import IdentifiedEmbeddings, embedding_identity, make_embeddings
from assistant.expansion import Expander, load_glossary
from assistant.index import IndexInfo, Progress, build_index, connect, open_index, read_pointer
from assistant.lexical import LexicalIndex, Tokenizer, tokenise_all
from assistant.model import Hit
from assistant.passages import TABLE_ROW, Passage
from assistant.settings import Settings
from ingest.errors import IndexMismatchError, IndexMissingError
from ingest.model import COVER_HEADER, HEADING
from ingest.text import language_of

RRF_K = 60  # reciprocal rank fusion: score = sum of weight / (RRF_K + rank)
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
CANDIDATES = 50  # units taken from each ranking before fusion
EXPANSION_WEIGHT = 0.5  # the other names of a glossary term count as half a word
# Headings and cover headers name a topic but rarely answer a question about it.
KIND_PRIOR = {HEADING: 0.6, COVER_HEADER: 0.8}


class Retriever:
    """Searches the active index: ``search(query, k, language, kinds) -> list[Hit]``."""

    def __init__(
        self,
        collection: Any,
        info: IndexInfo,
        embeddings: IdentifiedEmbeddings,
        passages: list[Passage],
        expander: Expander,
        tokenised: list[list[str]] | None = None,
        vectors: np.ndarray | None = None,
    ) -> None:
        self.collection, self.info, self.embeddings = collection, info, embeddings
        self.passages = passages
        # the store's vectors in passage order, unit rows: the dense ranking is an exact
        # search over them in memory (without them, the store is asked each time)
        self._vectors = vectors
        self.expander = expander
        self.languages = tuple(dict.fromkeys(p.language for p in passages))
        self._units = [p.unit_id for p in passages]
        self._kinds = np.array([p.kind for p in passages])
        self._reports = np.array([p.report for p in passages])
        self.report: str | None = None  # the report searched (None: every report)
        self._by_id = {p.id: p for p in passages}
        self._editions: dict[str, dict[str, Passage]] = {}
        for p in passages:
            self._editions.setdefault(p.unit_id, {})[p.language] = p
        texts = [p.searchable for p in passages]
        self.lexical = LexicalIndex(texts, expander.tokenizer, tokenised)
        # a question is often searched twice (table rows, then text): embed it once
        self._query_vector = lru_cache(maxsize=256)(
            lambda query: tuple(embeddings.embed_query(query))
        )

    @classmethod
    def load(cls, settings: Settings) -> Retriever:
        """The retriever over the active index; raises IndexMissingError if there is none."""
        collection, info = open_index(settings)
        embeddings = make_embeddings(settings)
        records = collection.get(include=["documents", "metadatas", "embeddings"])
        passages = [
            Passage.from_record(text or "", meta or {})
            for text, meta in zip(records["documents"], records["metadatas"], strict=True)
        ]
        passages.sort(key=lambda p: (p.kind == TABLE_ROW, p.order, p.unit_id, p.language))
        stored = dict(zip(records["ids"], records["embeddings"], strict=True))
        vectors = np.asarray([stored[p.id] for p in passages], dtype=np.float32)
        vectors = _unit(vectors) if len(passages) else None
        glossary = load_glossary(settings.corpus_dir)
        words = [name for term in glossary for name in term.zh]
        tokenizer = Tokenizer(words=words)
        texts = [p.searchable for p in passages]
        # tokenising every passage for BM25 is the slow part of a cold start: kept on disk
        key = key_of(*texts, *words, Path(lexical.__file__).read_bytes(), lexical.jieba.__version__)
        tokenised = cached(
            settings.cache_dir, "bm25-tokens", key, lambda: tokenise_all(texts, tokenizer)
        )
        expander = Expander(glossary, tokenizer)
        return cls(collection, info, embeddings, passages, expander, tokenised, vectors)

    @classmethod
    def load_or_build(cls, settings: Settings, progress: Progress | None = None) -> Retriever:
        """Like ``load``, but builds the index first when it is missing or out of date.

        An index built with another embedding model is not replaced behind the user's
        back: that still raises IndexMismatchError.
        """
        try:
            return cls.load(settings)
        except IndexMissingError:
            pass
        except IndexMismatchError:
            info = read_pointer(connect(settings), settings)
            if info is not None and info.embedding != embedding_identity(settings):
                raise
        build_index(settings, progress=progress)
        return cls.load(settings)

    def scoped(self, report: str | None) -> Retriever:
        """This retriever searching one report's passages only (its symbol); it shares the
        index, BM25 and query vectors with every other scope."""
        view = copy.copy(self)
        view.report = report
        return view

    # --- searching ---------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 5,
        language: str | None = None,
        kinds: set[str] | None = None,
    ) -> list[Hit]:
        """The k units (or table rows) that best answer ``query``, in ``language``."""
        query = query.strip()
        if not query or k <= 0:
            return []
        language = language or language_of(query)
        fused: dict[str, float] = {}
        for weight, ranking in (
            (DENSE_WEIGHT, self.dense_ranking(query, kinds)),
            (LEXICAL_WEIGHT, self.lexical_ranking(query, kinds)),
        ):
            for rank, unit_id in enumerate(ranking, 1):
                fused[unit_id] = fused.get(unit_id, 0.0) + weight / (RRF_K + rank)
        best = (DENSE_WEIGHT + LEXICAL_WEIGHT) / (RRF_K + 1)
        scored = sorted(
            ((score * self._prior(unit_id) / best, unit_id) for unit_id, score in fused.items()),
            key=lambda item: (-item[0], item[1]),
        )
        return [self.hit(unit_id, score, language) for score, unit_id in scored[:k]]

    def dense_ranking(self, query: str, kinds: set[str] | None = None) -> list[str]:
        """Unit ids by the similarity of their best edition to the query vector."""
        if self._vectors is not None:
            return self._exact_ranking(query, kinds)
        where = [{"kind": {"$in": sorted(kinds)}}] if kinds else []
        if self.report:
            where.append({"report": self.report})
        result = self.collection.query(
            query_embeddings=[list(self._query_vector(query))],
            n_results=min(2 * CANDIDATES, len(self.passages)),
            where=where[0] if len(where) == 1 else ({"$and": where} if where else None),
            include=[],
        )
        return _first_seen(self._by_id[i].unit_id for i in result["ids"][0] if i in self._by_id)

    def _exact_ranking(self, query: str, kinds: set[str] | None) -> list[str]:
        """The dense ranking by cosine similarity over every stored vector (a few hundred
        passages: exact, and a matrix product is quicker than asking the store)."""
        similarity = self._vectors @ _unit(self.query_vector(query))
        if kinds:
            similarity = np.where(np.isin(self._kinds, sorted(kinds)), similarity, -np.inf)
        if self.report:
            similarity = np.where(self._reports == self.report, similarity, -np.inf)
        order = np.argsort(-similarity, kind="stable")[: min(2 * CANDIDATES, len(self.passages))]
        passages = self.passages
        return _first_seen(passages[i].unit_id for i in order if similarity[i] > -np.inf)

    def lexical_ranking(self, query: str, kinds: set[str] | None = None) -> list[str]:
        """Unit ids by the BM25 score of their best edition, glossary names included."""
        tokens = self.expander.tokenizer.tokens(query)
        scores = self.lexical.scores(tokens)
        extra = self.expander.expand(query, tokens, self.languages)
        if extra:
            weights = {t: EXPANSION_WEIGHT * w for t, w in extra.items()}
            scores = scores + self.lexical.weighted_scores(weights)
        if kinds:
            scores = np.where(np.isin(self._kinds, sorted(kinds)), scores, 0.0)
        if self.report:
            scores = np.where(self._reports == self.report, scores, 0.0)
        order = np.argsort(-scores, kind="stable")
        return _first_seen(self._units[i] for i in order if scores[i] > 0)

    def query_vector(self, query: str) -> np.ndarray:
        """The question's vector, as the dense ranking compares it (embedded once)."""
        return np.asarray(self._query_vector(query.strip()), dtype=np.float32)

    def clear_query_cache(self) -> None:
        """Forget the vectors of questions already asked (to time cold questions)."""
        self._query_vector.cache_clear()

    def as_langchain(self, k: int = 5, language: str | None = None) -> ReportRetriever:
        """This retriever as a LangChain ``BaseRetriever``."""
        return ReportRetriever(retriever=self, k=k, language=language)

    def _prior(self, unit_id: str) -> float:
        editions = self._editions[unit_id]
        return KIND_PRIOR.get(next(iter(editions.values())).kind, 1.0)

    def hit(self, unit_id: str, score: float, language: str) -> Hit:
        """A unit as a hit, in ``language`` when the index holds that edition."""
        editions = self._editions[unit_id]
        p = editions.get(language) or next(iter(editions.values()))
        return Hit(
            unit_id=unit_id,
            score=round(score, 4),
            kind=p.kind,
            ref=p.ref,
            language=p.language,
            text=p.text,
            paragraph=p.paragraph,
            section=p.section,
            table=p.table,
            row=p.row,
        )


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def _first_seen(unit_ids: Iterable[str], limit: int = CANDIDATES) -> list[str]:
    seen: dict[str, None] = {}
    for unit_id in unit_ids:
        seen.setdefault(unit_id, None)
        if len(seen) == limit:
            break
    return list(seen)


class ReportRetriever(BaseRetriever):
    """The hybrid retriever for LangChain chains: Documents with the Hit fields as metadata."""

    retriever: Retriever
    k: int = 5
    language: str | None = None
    kinds: frozenset[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.search(
            query, k=self.k, language=self.language, kinds=set(self.kinds) if self.kinds else None
        )
        return [hit_document(hit) for hit in hits]


def hit_document(hit: Hit) -> Document:
    """A hit as a LangChain Document: its text, and every field as metadata."""
    metadata = asdict(hit)
    metadata["section"] = list(hit.section)
    return Document(page_content=hit.text, metadata=metadata, id=hit.unit_id)
