"""The documentation tells the truth: every README command parses as written, every option
has help text, and the example files the README names exist and load."""

from __future__ import annotations

import re
import shlex
import warnings
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from assistant.evaluation.suite import load_suites
from ui.brief import read_questions
from ui.cli import cli, hoist_global_options

PROJECT = Path(__file__).resolve().parent.parent
README = PROJECT / "README.md"
PROGRAM = ".venv/bin/report-assistant"
# commands that read only the corpus: cheap enough to run for real
CHEAP = {"show", "tables", "table", "units"}


def readme_commands() -> list[list[str]]:
    """The arguments of every `report-assistant` command in the README's sh blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    commands = []
    for line in (line for block in blocks for line in block.splitlines()):
        if PROGRAM not in line:
            continue
        words = shlex.split(line.split("|")[-1] if "|" in line else line, comments=True)
        commands.append(words[words.index(PROGRAM) + 1 :])
    return commands


def parse(args: list[str]) -> click.Context:
    """Parse a command line as the program would, checking every value, without running it."""
    group = cli.make_context("report-assistant", list(args))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        words = [*group.protected_args, *group.args]
    name, command, rest = cli.resolve_command(group, words)
    return command.make_context(name, rest, parent=group)


def test_the_readme_shows_commands():
    names = {args[0] for args in readme_commands()}
    assert {"ingest", "ask", "chat", "show", "search", "brief", "eval"} <= names


@pytest.mark.parametrize("args", readme_commands(), ids=lambda a: " ".join(a)[:60])
def test_every_readme_command_parses_as_written(args, tmp_path, monkeypatch):
    # the files an earlier line writes (before.json) exist by the time a later one reads them
    for name in ("tests", "examples"):
        (tmp_path / name).symlink_to(PROJECT / name)
    (tmp_path / "before.json").write_text('{"cases": []}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    context = parse(args)
    assert context.command.name == args[0] or context.info_name == args[0]


@pytest.mark.parametrize("args", [a for a in readme_commands() if a[0] in CHEAP])
def test_the_readme_commands_that_only_read_the_corpus_run(args):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip()


def all_commands() -> list[tuple[str, click.Command]]:
    return [("report-assistant", cli), *sorted(cli.commands.items())]


@pytest.mark.parametrize("name,command", all_commands(), ids=lambda x: str(x)[:30])
def test_every_command_and_option_has_help_text(name, command):
    assert (command.help or "").strip(), f"'{name}' has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help", "version"):
            assert (param.help or "").strip(), f"'{name} {param.opts[0]}' has no help text"


def test_global_options_work_after_the_command_too():
    assert hoist_global_options(["ask", "--data-dir", "/tmp/x", "q?"]) == [
        "--data-dir",
        "/tmp/x",
        "ask",
        "q?",
    ]
    assert hoist_global_options(["ask", "--corpus=c", "--", "--data-dir"]) == [
        "--corpus=c",
        "ask",
        "--",
        "--data-dir",
    ]
    context = parse(["tables", "--data-dir", "/tmp/ra-docs", "--chroma-url", "http://h:1"])
    settings = context.parent.obj if context.parent.obj else None
    assert context.parent.params["data_dir"] == "/tmp/ra-docs"
    assert context.parent.params["global_chroma_url"] == "http://h:1"
    assert settings is None or str(settings.data_dir) == "/tmp/ra-docs"


def test_the_example_suite_and_questions_load():
    assert len(load_suites([PROJECT / "examples" / "suite.yaml"])) >= 3
    assert len(read_questions(PROJECT / "examples" / "questions.txt")) >= 3


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_first_command_that_needs_the_index_builds_it_and_says_so(tmp_path):
    result = CliRunner().invoke(
        cli, ["ask", "--data-dir", str(tmp_path), "How many applications came from Africa?"]
    )
    assert result.exit_code == 0, result.output
    assert "Building the search index first" in result.output
    assert "3,944" in result.output
    again = CliRunner().invoke(cli, ["ask", "--data-dir", str(tmp_path), "非洲有多少人申请？"])
    assert "Building the search index" not in again.output
