"""Named errors. Each message says what went wrong and what to do about it.

They live in the lowest layer so that every layer above can raise and catch them;
the CLI and the UI turn them into one readable line, never a traceback.
"""


class AssistantError(Exception):
    """Base class: an error with a message meant for the user."""


class CorpusError(AssistantError):
    """The corpus folder or one of its files is missing or malformed."""


class TableError(AssistantError):
    """A data table is missing, malformed, or fails an integrity check."""


class IndexMissingError(AssistantError):
    """No index has been built yet."""


class IndexMismatchError(AssistantError):
    """The index was built with another embedding model or another corpus."""


class EmbeddingError(AssistantError):
    """The embedding backend could not be loaded or used."""


class SuiteError(AssistantError):
    """An evaluation suite is malformed."""


class InvalidInputError(AssistantError):
    """A question cannot be answered as given (empty, too long, ...)."""


class StoreError(AssistantError):
    """The index store cannot be opened or read (damaged, wrong schema, unreadable)."""


class CorpusInvalidError(CorpusError):
    """A corpus file fails validation; the message lists file, line and column."""


class IngestBusyError(AssistantError):
    """Another ingest holds the data folder's lock for longer than we may wait."""
