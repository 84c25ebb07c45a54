"""Shared fixtures: one index of the real corpus per test run, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chat_server import shared_data_dir

from assistant.index import build_index
from assistant.retrieval import Retriever
from assistant.settings import Settings


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data folder holds an up-to-date index of the real corpus."""
    settings = Settings.load(data_dir=shared_data_dir(tmp_path_factory))
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def retriever(index_settings: Settings) -> Retriever:
    return Retriever.load(index_settings)


@pytest.fixture(scope="session")
def chinese_only_settings(index_settings: Settings, tmp_path_factory) -> Settings:
    """The corpus without its English edition, indexed in the same store under its own name.

    Its Chinese passages are the main index's, so the build reuses their vectors.
    """
    corpus = tmp_path_factory.mktemp("zh-only") / "corpus"
    shutil.copytree(
        index_settings.corpus_dir,
        corpus,
        ignore=shutil.ignore_patterns("edition.en.jsonl", ".*"),
    )
    settings = Settings.load(
        data_dir=index_settings.data_dir, corpus_dir=corpus, collection_prefix="zh-only"
    )
    build_index(settings)
    return settings


def copy_corpus(settings: Settings, target: Path) -> Path:
    """A copy of the corpus (work files left out) that a test may change."""
    shutil.copytree(settings.corpus_dir, target, ignore=shutil.ignore_patterns(".*"))
    return target


@pytest.fixture(scope="session")
def engine(index_settings: Settings):
    """The answer engine over the real corpus, tables and index."""
    from assistant.engine import Engine

    return Engine.load(index_settings)


@pytest.fixture(scope="session")
def public_results(engine):
    """Every case of the public suite, run once on the real corpus (shared by the tests
    that judge the suite and those that compare it with another corpus)."""
    from assistant.evaluation.runner import run_cases
    from assistant.evaluation.suite import load_suites

    return run_cases(load_suites([Path(__file__).resolve().parent / "qa"]), engine)
