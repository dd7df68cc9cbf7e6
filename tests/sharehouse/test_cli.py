"""The command line: every command documents itself and reports bad input clearly."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sharehouse.cli import main

COMMANDS = [[], ["run"], ["simulate"], ["simulate", "serve"], ["demo"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sharehouse")
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert "Options:" in result.output


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from _commands(command, (*path, name))


def test_every_option_of_every_command_explains_itself() -> None:
    undocumented = [
        f"{' '.join(path) or 'sharehouse'} {param.opts[0]}"
        for path, command in _commands(main)
        for param in command.params
        if isinstance(param, click.Option) and not param.help
    ]
    assert undocumented == []


def test_run_with_a_wrong_sources_file_names_the_department_and_key(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[housing]\nfolder = "does-not-exist"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--sources", str(sources)])
    assert result.exit_code == 1
    assert "[housing] folder" in result.output
    assert "Traceback" not in result.output


def test_run_with_a_wrong_warehouse_url_says_what_is_expected(tmp_path: Path) -> None:
    (tmp_path / "housing").mkdir()
    sources = tmp_path / "sources.toml"
    sources.write_text('[housing]\nfolder = "housing"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--sources", str(sources), "--warehouse", "mysql://x"])
    assert result.exit_code == 1
    assert "postgresql://" in result.output


def test_simulate_without_out_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["simulate"])
    assert result.exit_code == 2
    assert "--out is required" in result.output


def test_simulate_rejects_an_unknown_data_issue_rate(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["simulate", "--out", str(tmp_path), "--persons", "100", "--rate", "no_such_issue=1"])
    assert result.exit_code == 2
    assert "unknown data issue 'no_such_issue'" in result.output
