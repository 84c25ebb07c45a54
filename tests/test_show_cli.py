"""`report-assistant show` prints the exact wording of one unit."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ui.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("number", range(1, 90))
def test_show_prints_every_report_paragraph(number):
    result = run("show", str(number), "--json")
    assert result.exit_code == 0, result.output
    unit = json.loads(result.output)
    assert unit["paragraph"] == number
    assert unit["id"] == f"wo-cc-86-inf-1:p{number}"
    assert set(unit) >= {"id", "kind", "paragraph", "section", "language", "text"}
    assert unit["language"] == "zh" and unit["kind"] == "paragraph" and unit["text"]


def test_show_accepts_a_unit_id_and_the_pilcrow_form():
    by_id = run("show", "wo-cc-86-inf-1:case-study-madrid")
    assert by_id.exit_code == 0 and "马德里注册部" in by_id.output
    assert run("show", "¶69").output == run("show", "69").output


def test_show_readable_output_has_ref_section_and_text():
    result = run("show", "69")
    assert result.output.splitlines()[0].startswith("¶69")
    assert "第五章 征聘与全球人才" in result.output
    assert "15,921份申请" in result.output


def test_unknown_paragraph_is_a_clear_error_without_traceback():
    result = run("show", "90")
    assert result.exit_code == 1
    assert "no paragraph 90" in result.output and "1-89" in result.output
    assert "Traceback" not in result.output


def test_unknown_unit_id_says_how_to_find_ids():
    result = run("show", "nonsense")
    assert result.exit_code == 1
    assert "report-assistant units" in result.output


def test_every_command_has_help():
    for command in cli.commands:
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output, command
