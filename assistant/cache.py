"""Work a cold start would otherwise redo, kept on disk beside the index.

A value is stored under a key that changes whenever what it was computed from changes
(the corpus, the code that reads it), written atomically, and recomputed when missing
or unreadable: the cache can be deleted at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cached(folder: Path, name: str, key: str, build: Callable[[], T]) -> T:
    """The value stored as ``name`` under ``key``, or ``build()`` (then stored)."""
    path = folder / f"{name}-{key}.pickle"
    with contextlib.suppress(OSError, EOFError, pickle.UnpicklingError, AttributeError):
        return pickle.loads(path.read_bytes())
    value = build()
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    return value


def key_of(*parts: str | bytes) -> str:
    """A short hash of everything a cached value depends on."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]
