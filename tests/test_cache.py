"""The cold-start cache: a value is rebuilt when missing, unreadable or out of date."""

from __future__ import annotations

from assistant.cache import cached, key_of


def test_a_value_is_built_once_and_then_read_back(tmp_path):
    calls = []
    build = lambda: calls.append(1) or {"tokens": ["a", "b"]}  # noqa: E731
    assert cached(tmp_path, "thing", "k1", build) == {"tokens": ["a", "b"]}
    assert cached(tmp_path, "thing", "k1", build) == {"tokens": ["a", "b"]}
    assert len(calls) == 1


def test_a_new_key_rebuilds_and_drops_the_old_value(tmp_path):
    cached(tmp_path, "thing", "k1", lambda: 1)
    assert cached(tmp_path, "thing", "k2", lambda: 2) == 2
    assert [p.name for p in tmp_path.glob("thing-*")] == ["thing-k2.pickle"]


def test_an_unreadable_file_is_rebuilt_not_trusted(tmp_path):
    (tmp_path / "thing-k1.pickle").write_bytes(b"not a pickle")
    assert cached(tmp_path, "thing", "k1", lambda: "fresh") == "fresh"


def test_an_unwritable_folder_still_gives_the_value(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cached(blocker / "cache", "thing", "k1", lambda: 3) == 3


def test_keys_change_with_what_they_are_computed_from():
    assert key_of("a", "b") != key_of("a", "c")
    assert key_of("ab", "c") != key_of("a", "bc")
