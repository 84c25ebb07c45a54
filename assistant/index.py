"""The vector index: a Chroma collection per build, and an 'active' pointer to the current one.

A build writes a new collection (named with the corpus hash and a build stamp) and only
when every passage is in it does it switch the pointer — the metadata of a small
``<prefix>-active`` collection, so it works the same embedded and on a Chroma server.
An interrupted or failed build leaves the previous index answering; collections of
earlier builds are deleted after the switch. The pointer records the embedding model
and the corpus hash, so a query never meets vectors of another model or corpus.
A build reuses the vector of every text that a build in the same store already embedded
with the same model, so after a small corpus edit only the changed texts are embedded;
``rebuild`` embeds everything again.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from assistant.embeddings import IdentifiedEmbeddings, embedding_identity, make_embeddings
from assistant.passages import TABLE_ROW, Passage, corpus_passages
from assistant.settings import Settings
from ingest.corpus import corpus_hash
from ingest.errors import AssistantError, EmbeddingError, IndexMismatchError, IndexMissingError

INDEX_VERSION = 2  # bump when what is indexed, or how, changes: every index is rebuilt
BATCH = 32  # passages per embedding call (split over the cores)
REBUILD = "run 'report-assistant ingest --rebuild'"
BUILT, UNCHANGED = "built", "unchanged"

Progress = Callable[[int, int], None]  # (passages done, passages in all)


@dataclass(frozen=True)
class IndexInfo:
    """What the active pointer says about the current build."""

    collection: str
    embedding: str
    corpus_hash: str
    version: int
    documents: int
    dimension: int
    built_at: str

    def as_metadata(self) -> dict[str, str | int]:
        return {"role": "pointer", **asdict(self)}

    @classmethod
    def from_metadata(cls, meta: dict[str, Any] | None) -> IndexInfo | None:
        if not meta or "collection" not in meta:
            return None
        return cls(
            collection=str(meta["collection"]),
            embedding=str(meta.get("embedding", "")),
            corpus_hash=str(meta.get("corpus_hash", "")),
            version=int(meta.get("version", 0)),
            documents=int(meta.get("documents", 0)),
            dimension=int(meta.get("dimension", 0)),
            built_at=str(meta.get("built_at", "")),
        )


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest did."""

    status: str  # "built" or "unchanged"
    collection: str
    documents: int
    units: int
    table_rows: int
    languages: tuple[str, ...]
    embedding: str
    corpus_hash: str
    store: str  # the index folder, or the server URL
    embedded: int = 0  # passages embedded by this run
    reused: int = 0  # vectors reused from the previous build (texts unchanged)
    removed: tuple[str, ...] = ()  # collections of earlier builds, deleted
    seconds: float = 0.0

    def as_json(self) -> dict:
        data = asdict(self)
        data["languages"], data["removed"] = list(self.languages), list(self.removed)
        data["seconds"] = round(self.seconds, 2)
        return data

    def message(self) -> str:
        """One line for the terminal."""
        what = (
            f"{self.documents} passages ({self.units} units, {self.table_rows} table rows; "
            f"{'/'.join(self.languages)}) with {self.embedding}"
        )
        if self.status == UNCHANGED:
            return (
                f"The index is up to date ({what}, corpus {self.corpus_hash}): nothing to do. "
                "Use --rebuild to build it again anyway."
            )
        return (
            f"Built {self.collection}: {what} in {self.seconds:.1f}s "
            f"({self.embedded} embedded, {self.reused} reused) at {self.store}."
        )


def connect(settings: Settings, create: bool = True) -> Any:
    """A Chroma client: the server at ``settings.chroma_url``, else the embedded store."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        secure = url.scheme == "https"
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if secure else 8000),
                ssl=secure,
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:
            raise IndexMissingError(
                f"Cannot reach the Chroma server at {settings.chroma_url} ({exc}): start it "
                "('chroma run --path DIR --port N'), or unset REPORT_ASSISTANT_CHROMA_URL "
                "to use the embedded index."
            ) from None
        return client
    if not create and not settings.index_dir.is_dir():
        raise missing_error(settings)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)


def store_name(settings: Settings) -> str:
    return settings.chroma_url or str(settings.index_dir)


def pointer_name(settings: Settings) -> str:
    return f"{settings.collection_prefix}-active"


def read_pointer(client: Any, settings: Settings) -> IndexInfo | None:
    """The active build, or None when nothing was ever built (or the build is gone)."""
    from chromadb.errors import NotFoundError

    try:
        pointer = client.get_collection(pointer_name(settings), embedding_function=None)
    except (NotFoundError, ValueError):
        return None
    info = IndexInfo.from_metadata(pointer.metadata)
    if info is None or info.collection not in collection_names(client):
        return None
    return info


def collection_names(client: Any) -> list[str]:
    return [getattr(c, "name", c) for c in client.list_collections()]


def open_index(settings: Settings) -> tuple[Any, IndexInfo]:
    """The active collection and its pointer, checked against the settings and the corpus."""
    client = connect(settings, create=False)
    info = read_pointer(client, settings)
    if info is None:
        raise missing_error(settings)
    check_compatible(info, settings)
    return client.get_collection(info.collection, embedding_function=None), info


def check_compatible(info: IndexInfo, settings: Settings) -> None:
    """Raise IndexMismatchError unless the index fits this model, code and corpus."""
    identity = embedding_identity(settings)
    if info.embedding != identity:
        raise IndexMismatchError(
            f"The index at {store_name(settings)} was built with {info.embedding}, but the "
            f"settings ask for {identity}: {REBUILD} to rebuild it with this model, or set "
            "REPORT_ASSISTANT_EMBEDDING_BACKEND/_MODEL back to what built it."
        )
    if info.version != INDEX_VERSION:
        raise IndexMismatchError(
            f"The index was built by an older version of this program (index format "
            f"{info.version}, now {INDEX_VERSION}): {REBUILD}."
        )
    current = corpus_hash(settings.corpus_dir)
    if info.corpus_hash != current:
        raise IndexMismatchError(
            f"The corpus changed since the index was built (corpus {info.corpus_hash}, now "
            f"{current}): run 'report-assistant ingest' to bring the index up to date."
        )


def missing_error(settings: Settings) -> IndexMissingError:
    return IndexMissingError(
        f"No index at {store_name(settings)}: run 'report-assistant ingest' to build it."
    )


def index_is_current(settings: Settings) -> bool:
    """True when the active index fits the settings and the corpus (no model is loaded)."""
    try:
        open_index(settings)
    except (IndexMissingError, IndexMismatchError):
        return False
    return True


def build_index(
    settings: Settings,
    rebuild: bool = False,
    progress: Progress | None = None,
    embeddings: IdentifiedEmbeddings | None = None,
) -> IngestSummary:
    """Bring the index up to date with the corpus; ``rebuild`` embeds everything again."""
    started = time.perf_counter()
    digest = corpus_hash(settings.corpus_dir)
    passages = corpus_passages(settings.corpus_dir)
    client = connect(settings)
    previous = read_pointer(client, settings)
    identity = embeddings.identity if embeddings else embedding_identity(settings)
    summary = _summary(settings, passages, identity, digest, previous)
    if not rebuild and _up_to_date(client, previous, identity, digest, len(passages)):
        return summary
    embeddings = embeddings or make_embeddings(settings)
    reusable = {} if rebuild else _reusable_vectors(client, embeddings.identity)
    name = f"{settings.collection_prefix}-{digest[:8]}-{uuid.uuid4().hex[:8]}"
    collection = client.create_collection(
        name,
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"role": "build", "corpus_hash": digest, "embedding": embeddings.identity},
    )
    try:
        embedded, dimension = _fill(collection, passages, embeddings, reusable, progress)
        if collection.count() != len(passages):
            raise AssistantError(
                f"The new index holds {collection.count()} of {len(passages)} passages; "
                "the previous index is unchanged: run 'report-assistant ingest' again."
            )
        info = IndexInfo(
            collection=name,
            embedding=embeddings.identity,
            corpus_hash=digest,
            version=INDEX_VERSION,
            documents=len(passages),
            dimension=dimension,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        pointer = client.get_or_create_collection(
            pointer_name(settings), embedding_function=None, metadata={"role": "pointer"}
        )
        pointer.modify(metadata=info.as_metadata())  # the switch: one metadata write
    except BaseException:
        _drop(client, name)
        raise
    removed = _remove_old_builds(client, settings, keep=name)
    return replace(
        summary,
        status=BUILT,
        collection=name,
        embedding=embeddings.identity,
        embedded=embedded,
        reused=len(passages) - embedded,
        removed=tuple(removed),
        seconds=time.perf_counter() - started,
    )


def _summary(
    settings: Settings,
    passages: list[Passage],
    identity: str,
    digest: str,
    previous: IndexInfo | None,
) -> IngestSummary:
    return IngestSummary(
        status=UNCHANGED,
        collection=previous.collection if previous else "",
        documents=len(passages),
        units=len({p.unit_id for p in passages if p.kind != TABLE_ROW}),
        table_rows=len({p.unit_id for p in passages if p.kind == TABLE_ROW}),
        languages=tuple(dict.fromkeys(p.language for p in passages)),
        embedding=identity,
        corpus_hash=digest,
        store=store_name(settings),
    )


def _up_to_date(
    client: Any, info: IndexInfo | None, identity: str, digest: str, documents: int
) -> bool:
    if info is None:
        return False
    same = (info.embedding, info.corpus_hash, info.version, info.documents) == (
        identity,
        digest,
        INDEX_VERSION,
        documents,
    )
    return same and client.get_collection(info.collection, embedding_function=None).count() == (
        documents
    )


def _reusable_vectors(client: Any, identity: str) -> dict[str, list]:
    """Vectors by text digest from every build in the store made by the same model."""
    vectors: dict[str, list] = {}
    for collection in client.list_collections():
        meta = collection.metadata or {}
        if meta.get("role") != "build" or meta.get("embedding") != identity:
            continue
        records = collection.get(include=["metadatas", "embeddings"])
        for record, vector in zip(records["metadatas"], records["embeddings"], strict=True):
            if record and "digest" in record:
                vectors.setdefault(str(record["digest"]), [float(x) for x in vector])
    return vectors


def _fill(
    collection: Any,
    passages: list[Passage],
    embeddings: IdentifiedEmbeddings,
    reusable: dict[str, list],
    progress: Progress | None,
) -> tuple[int, int]:
    """Embed (or reuse) and add every passage; returns (passages embedded, dimension)."""
    done = embedded = dimension = 0
    if progress:
        progress(0, len(passages))
    for batch in _batches(passages, BATCH):
        fresh = [p for p in batch if p.digest not in reusable]
        vectors = dict(zip((p.digest for p in fresh), _embed(embeddings, fresh), strict=True))
        vectors.update({p.digest: reusable[p.digest] for p in batch if p.digest in reusable})
        collection.add(
            ids=[p.id for p in batch],
            embeddings=[vectors[p.digest] for p in batch],
            documents=[p.text for p in batch],
            metadatas=[p.metadata() for p in batch],
        )
        dimension = dimension or len(vectors[batch[0].digest])
        embedded += len(fresh)
        done += len(batch)
        if progress:
            progress(done, len(passages))
    return embedded, dimension


def _embed(embeddings: IdentifiedEmbeddings, passages: list[Passage]) -> list[list[float]]:
    if not passages:
        return []
    try:
        return embeddings.embed_documents([p.embedded for p in passages])
    except AssistantError:
        raise
    except Exception as exc:
        raise EmbeddingError(
            f"Embedding failed with {embeddings.identity} ({exc}); the previous index is "
            "unchanged: fix the embedding backend and run 'report-assistant ingest' again."
        ) from exc


def _batches(passages: list[Passage], size: int) -> Iterator[list[Passage]]:
    for start in range(0, len(passages), size):
        yield passages[start : start + size]


def _remove_old_builds(client: Any, settings: Settings, keep: str) -> list[str]:
    """Delete every earlier build (finished or abandoned) with this prefix."""
    prefix, pointer = f"{settings.collection_prefix}-", pointer_name(settings)
    old = [n for n in collection_names(client) if n.startswith(prefix) and n not in (keep, pointer)]
    for name in old:
        _drop(client, name)
    return old


def _drop(client: Any, name: str) -> None:
    with contextlib.suppress(Exception):  # already gone, or the store is unreachable
        client.delete_collection(name)
