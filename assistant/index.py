"""The vector index: a Chroma collection per build, and an 'active' pointer to the current one.

A build writes a new collection (named with the corpus hash and a build stamp) and only
when every passage is in it does it switch the pointer — the metadata of a small
``<prefix>-active`` collection, so it works the same embedded and on a Chroma server.
An interrupted or failed build leaves the previous index answering; collections of
earlier builds, and the vector folders Chroma leaves behind for them, are deleted after
the switch. Builds in one data folder take turns (a lock file); the corpus is validated
before anything is built, so a corpus that does not validate never becomes the index.

Reading never writes to the store: a process answers from a private copy of the
embedded store taken when it opens the index (a read-only data folder serves answers,
and a rebuild may delete the collections a running app opened). A damaged store is one
line saying what is wrong and what to run; ``ingest --rebuild`` sets it aside.
The pointer records the embedding model and the corpus hash, so a query never meets
vectors of another model or corpus.
A build reuses the vector of every text that a build in the same store already embedded
with the same model, so after a small corpus edit only the changed texts are embedded;
``rebuild`` embeds everything again.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.embeddings import IdentifiedEmbeddings, embedding_identity, make_embeddings
from assistant.passages import TABLE_ROW, Passage, corpus_passages
from assistant.settings import Settings
from ingest.corpus import corpus_hash
from ingest.errors import (
    AssistantError,
    EmbeddingError,
    IndexMismatchError,
    IndexMissingError,
    StoreError,
)
from ingest.validate import validate_corpus

INDEX_VERSION = 2  # bump when what is indexed, or how, changes: every index is rebuilt
BATCH = 32  # passages per embedding call (split over the cores)
REBUILD = "run 'report-assistant ingest --rebuild'"
BUILT, UNCHANGED = "built", "unchanged"
STORE_FILE = "chroma.sqlite3"  # the embedded store's database, beside one folder per segment
LOCK_FILE = "ingest.lock"
OWNER_FILE = "ingest.owner"  # who holds the lock, for the message of the one who waits
DAMAGED = "index.damaged-"  # a damaged store set aside by --rebuild
SEGMENT_FOLDER = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

Progress = Callable[[int, int], None]  # (passages done, passages in all)
Waiting = Callable[[str], None]  # told once what an ingest waits for


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
    """A Chroma client: the server at ``settings.chroma_url``, else the embedded store.

    ``create=False`` is the read path: the embedded store is read from a private copy,
    so that nothing is written to the data folder and a rebuild cannot pull a collection
    from under a running app.
    """
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
    if create:
        path = settings.index_dir
        try:
            path.mkdir(parents=True, exist_ok=True)
            if (path / STORE_FILE).is_file():  # Chroma fails on a damaged one with no reason
                _check_database(path / STORE_FILE)
        except (OSError, sqlite3.Error) as exc:
            raise store_error(settings, exc, writing=True) from None
    else:
        if not (settings.index_dir / STORE_FILE).is_file():
            raise missing_error(settings)
        path = reading_copy(settings)
    with store_errors(settings, writing=create):
        client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        client.list_collections()  # a damaged database fails here, not on the first question
    if not create:
        _copies[settings.index_dir].client = client
    return client


@contextlib.contextmanager
def store_errors(settings: Settings, writing: bool = False) -> Iterator[None]:
    """Turn what a damaged or unreadable store raises into one StoreError."""
    from chromadb.errors import ChromaError, NotFoundError

    try:
        yield
    except (AssistantError, NotFoundError):
        raise
    except (ChromaError, sqlite3.Error, OSError) as exc:
        raise store_error(settings, exc, writing) from None


def store_error(settings: Settings, exc: BaseException, writing: bool = False) -> StoreError:
    """What is wrong with the store, and what to run, in one line."""
    where = store_name(settings)
    reason = " ".join(str(exc).split()) or type(exc).__name__
    denied = isinstance(exc, PermissionError) or _unreadable(settings.index_dir / STORE_FILE)
    if denied or "readonly" in reason or "read-only" in reason:
        if writing:
            return StoreError(
                f"Cannot write the index at {where} ({reason}): run 'report-assistant ingest' "
                "as a user who may write that folder, or give another --data-dir."
            )
        return StoreError(
            f"Cannot read the index at {where} ({reason}): let this user read the folder, "
            "or give another --data-dir."
        )
    return StoreError(
        f"The index at {where} is damaged and cannot be opened ({reason}): {REBUILD} to replace it."
    )


def _unreadable(path: Path) -> bool:
    try:
        with path.open("rb"):
            return False
    except PermissionError:
        return True
    except OSError:
        return False


@dataclass
class _Copy:
    stamp: tuple
    path: Path
    client: Any = None


_copies: dict[Path, _Copy] = {}  # live index folder -> this process's copy of it
_retired: dict[Path, _Copy] = {}  # earlier copies, until whoever read them lets go
_copies_lock = threading.Lock()


def reading_copy(settings: Settings) -> Path:
    """This process's private copy of the embedded store, taken again when the store changed.

    The database is copied with SQLite's backup API (a consistent snapshot even while an
    ingest writes), the vector folders file by file.
    """
    live = settings.index_dir
    with _copies_lock:
        known = _copies.get(live)
        stamp = store_stamp(live)
        if known is not None and known.stamp == stamp and known.path.is_dir():
            return known.path
        path = Path(tempfile.mkdtemp(prefix="report-assistant-index-"))
        atexit.register(shutil.rmtree, path, True)
        try:
            for _attempt in range(5):  # again if an ingest wrote while we copied
                _copy_store(live, path)
                if store_stamp(live) == stamp:
                    break
                stamp = store_stamp(live)
        except (OSError, sqlite3.Error) as exc:
            shutil.rmtree(path, ignore_errors=True)
            raise store_error(settings, exc) from None
        if known is not None:
            _retired[known.path] = known
        _copies[live] = _Copy(stamp, path)
        return path


def current_copy(settings: Settings) -> Path | None:
    """The copy this process reads now (None for a Chroma server)."""
    known = _copies.get(settings.index_dir)
    return known.path if known else None


def release_copy(settings: Settings, path: Path | None) -> None:
    """Close and delete a copy nothing reads any more (never the current one)."""
    if path is None:
        return
    with _copies_lock:
        known = _copies.get(settings.index_dir)
        if known is not None and known.path == path:
            return
        retired = _retired.pop(path, None)
    if retired is not None and retired.client is not None:
        with contextlib.suppress(Exception):
            retired.client.close()
    shutil.rmtree(path, ignore_errors=True)


def store_stamp(index_dir: Path) -> tuple:
    """Changes whenever the embedded store is written (its database's size and time)."""
    try:
        stat = (index_dir / STORE_FILE).stat()
    except OSError:
        return ()
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _copy_store(live: Path, target: Path) -> None:
    for entry in live.iterdir():
        if entry.is_dir():
            with contextlib.suppress(FileNotFoundError):  # a build deleted it meanwhile
                shutil.copytree(entry, target / entry.name, dirs_exist_ok=True)
    source = _open_sqlite(live / STORE_FILE)
    try:
        copy = sqlite3.connect(target / STORE_FILE)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()


def _open_sqlite(path: Path) -> sqlite3.Connection:
    """The store's database, read-only unless its folder is writable (a writable one lets
    SQLite roll back what a killed ingest left half-written)."""
    if not path.is_file():
        raise FileNotFoundError(f"no {path.name} in {path.parent}")
    mode = "rw" if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK) else "ro"
    connection = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True)
    connection.execute("select count(*) from sqlite_master").fetchone()  # not a database?
    return connection


def _check_database(path: Path) -> None:
    """Raise sqlite3.DatabaseError unless ``path`` is a whole SQLite database."""
    connection = _open_sqlite(path)
    try:
        result = connection.execute("pragma quick_check").fetchone()
    finally:
        connection.close()
    if result and result[0] != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed ({result[0]})")


def active_collection(settings: Settings) -> str | None:
    """The build the active pointer names, read without opening Chroma (cheap enough to
    ask before every question); None when it cannot be read now."""
    if settings.chroma_url:
        with contextlib.suppress(AssistantError, Exception):
            info = read_pointer(connect(settings), settings)
            return info.collection if info else None
        return None
    try:
        connection = _open_sqlite(settings.index_dir / STORE_FILE)
    except (OSError, sqlite3.Error):
        return None
    try:
        row = connection.execute(
            "select m.str_value from collection_metadata m join collections c "
            "on m.collection_id = c.id where c.name = ? and m.key = 'collection'",
            (pointer_name(settings),),
        ).fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return str(row[0]) if row else None


def store_name(settings: Settings) -> str:
    return settings.chroma_url or str(settings.index_dir)


def pointer_name(settings: Settings) -> str:
    return f"{settings.collection_prefix}-active"


def read_pointer(client: Any, settings: Settings) -> IndexInfo | None:
    """The active build, or None when nothing was ever built (or the build is gone)."""
    from chromadb.errors import NotFoundError

    with store_errors(settings):
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
    with store_errors(settings):
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
    waiting: Waiting | None = None,
) -> IngestSummary:
    """Bring the index up to date with the corpus; ``rebuild`` embeds everything again.

    One build at a time per data folder: a second one waits (``waiting`` is told why).
    """
    with ingest_lock(settings, waiting):
        return _build(settings, rebuild, progress, embeddings)


@contextlib.contextmanager
def ingest_lock(settings: Settings, waiting: Waiting | None = None) -> Iterator[None]:
    """Hold the data folder's ingest lock (a lock file the OS frees if the holder dies)."""
    from filelock import FileLock, Timeout

    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(settings.data_dir / LOCK_FILE)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if waiting is not None:
                waiting(
                    f"Another ingest ({lock_owner(settings)}) is building the index in "
                    f"{settings.data_dir}; waiting for it to finish…"
                )
            lock.acquire()
    except OSError as exc:
        raise store_error(settings, exc, writing=True) from None
    try:
        with contextlib.suppress(OSError):
            owner = {"pid": os.getpid(), "since": datetime.now(UTC).isoformat()[:19]}
            (settings.data_dir / OWNER_FILE).write_text(json.dumps(owner))
        yield
    finally:
        lock.release()


def lock_owner(settings: Settings) -> str:
    """'process 1234, since 2026-…' from the owner file, or 'another process'."""
    try:
        owner = json.loads((settings.data_dir / OWNER_FILE).read_text())
        return f"process {int(owner['pid'])}, since {owner['since']} UTC"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def _build(
    settings: Settings,
    rebuild: bool,
    progress: Progress | None,
    embeddings: IdentifiedEmbeddings | None,
) -> IngestSummary:
    started = time.perf_counter()
    validate_corpus(settings.corpus_dir)  # before anything is built or switched
    digest = corpus_hash(settings.corpus_dir)
    passages = corpus_passages(settings.corpus_dir)
    client = _connect_for_build(settings, rebuild)
    previous = read_pointer(client, settings)
    identity = embeddings.identity if embeddings else embedding_identity(settings)
    summary = _summary(settings, passages, identity, digest, previous)
    with store_errors(settings, writing=True):
        if not rebuild and _up_to_date(client, previous, identity, digest, len(passages)):
            return summary
    embeddings = embeddings or make_embeddings(settings)
    with store_errors(settings, writing=True):
        reusable = {} if rebuild else _reusable_vectors(client, embeddings.identity)
        name = f"{settings.collection_prefix}-{digest[:8]}-{uuid.uuid4().hex[:8]}"
        collection = client.create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"role": "build", "corpus_hash": digest, "embedding": embeddings.identity},
        )
    try:
        with store_errors(settings, writing=True):
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
    remove_orphan_folders(settings)
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


def _connect_for_build(settings: Settings, rebuild: bool) -> Any:
    """The store to build in; with ``rebuild``, a damaged one is set aside for a new one."""
    try:
        client = connect(settings, create=True)
        read_pointer(client, settings)
        return client
    except StoreError as exc:
        damaged = "damaged" in str(exc)
        if not (rebuild and damaged) or settings.chroma_url:
            raise
    aside = settings.data_dir / f"{DAMAGED}{datetime.now(UTC):%Y%m%dT%H%M%S}"
    try:
        settings.index_dir.rename(aside)
    except OSError as exc:
        raise store_error(settings, exc, writing=True) from None
    return connect(settings, create=True)


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


# --- housekeeping: what a store holds that nothing needs -------------------------------------


@dataclass(frozen=True)
class StoreState:
    """What ``doctor`` reports about a data folder."""

    store: str
    active: IndexInfo | None = None
    corpus_hash: str = ""  # of the corpus as it is now
    problem: str = ""  # why the index cannot serve answers ('' when it can)
    stale_builds: tuple[str, ...] = ()  # collections of earlier or abandoned builds
    orphan_folders: tuple[str, ...] = ()  # vector folders no collection uses
    damaged_copies: tuple[str, ...] = ()  # damaged stores set aside by --rebuild
    lock_holder: str = ""  # the ingest running now, if any
    details: dict[str, str] = field(default_factory=dict)

    @property
    def stale(self) -> bool:
        return bool(self.stale_builds or self.orphan_folders or self.damaged_copies)


def store_state(settings: Settings) -> StoreState:
    """Is there an index, does it fit the model and the corpus, what is stale (no writes)."""
    from ingest.errors import CorpusError, TableError

    state = StoreState(store=store_name(settings))
    try:
        state = replace(state, corpus_hash=corpus_hash(settings.corpus_dir))
    except (OSError, CorpusError, TableError) as exc:
        state = replace(state, problem=f"The corpus cannot be read: {exc}")
    damaged = tuple(str(p) for p in sorted(settings.data_dir.glob(f"{DAMAGED}*")))
    state = replace(state, damaged_copies=damaged, lock_holder=_running_ingest(settings))
    try:
        client = connect(settings, create=False)
        info = read_pointer(client, settings)
        prefix, pointer = f"{settings.collection_prefix}-", pointer_name(settings)
        stale = [
            n
            for n in collection_names(client)
            if n.startswith(prefix) and n != pointer and (info is None or n != info.collection)
        ]
        state = replace(state, active=info, stale_builds=tuple(stale))
        if info is None:
            raise missing_error(settings)
        check_compatible(info, settings)
    except AssistantError as exc:
        state = replace(state, problem=state.problem or str(exc))
    if not settings.chroma_url:
        state = replace(state, orphan_folders=tuple(str(p) for p in orphan_folders(settings)))
    return state


def collect_garbage(settings: Settings) -> list[str]:
    """Delete stale builds, orphan vector folders and set-aside damaged stores; what went."""
    removed: list[str] = []
    with ingest_lock(settings):
        for copy in sorted(settings.data_dir.glob(f"{DAMAGED}*")):
            shutil.rmtree(copy, ignore_errors=True)
            removed.append(str(copy))
        if settings.chroma_url or (settings.index_dir / STORE_FILE).is_file():
            client = connect(settings, create=True)
            info = read_pointer(client, settings)
            if info is not None:
                removed += _remove_old_builds(client, settings, keep=info.collection)
        removed += [str(p) for p in remove_orphan_folders(settings)]
    return removed


def orphan_folders(settings: Settings) -> list[Path]:
    """Vector folders in the embedded store that no collection's segment names."""
    folder = settings.index_dir
    if settings.chroma_url or not (folder / STORE_FILE).is_file():
        return []
    try:
        connection = _open_sqlite(folder / STORE_FILE)
        try:
            used = {row[0] for row in connection.execute("select id from segments")}
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return []  # a damaged store: doctor says so, nothing is deleted
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and SEGMENT_FOLDER.match(p.name) and p.name not in used
    )


def remove_orphan_folders(settings: Settings) -> list[Path]:
    """Delete the vector folders of deleted collections (Chroma leaves them behind)."""
    orphans = orphan_folders(settings)
    for path in orphans:
        shutil.rmtree(path, ignore_errors=True)
    return orphans


def _running_ingest(settings: Settings) -> str:
    from filelock import FileLock, Timeout

    path = settings.data_dir / LOCK_FILE
    if not path.exists():
        return ""
    try:
        lock = FileLock(path)
        lock.acquire(timeout=0)
    except Timeout:
        return lock_owner(settings)
    except OSError:
        return ""
    lock.release()
    return ""
