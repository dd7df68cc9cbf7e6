"""The sources file: a missing or wrong entry is a clear error naming department and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sources import SourcesFileError, load


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_resolves_relative_folders_against_the_file(tmp_path: Path) -> None:
    (tmp_path / "housing").mkdir()
    sources = load(_write(tmp_path, '[housing]\nfolder = "housing"\n'))
    assert sources.housing.folder == (tmp_path / "housing").resolve()
    assert sources.police is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[housing]\nfolder = "nowhere"\n', "[housing] folder"),
        ("[justice]\n", "[justice] folder: missing"),
        ('[police]\ndatabase_url = "police.sqlite"\n', "[police] database_url"),
        ('[police]\ndatabase_url = "sqlite:///missing.sqlite"\n', "[police] database_url: SQLite file"),
        ('[civil_affairs]\nbase_url = "ftp://x"\ntoken_env = "T"\n', "[civil_affairs] base_url"),
        ('[civil_affairs]\nbase_url = "http://x"\n', "[civil_affairs] token_env: missing"),
        ('[civil_affairs]\nbase_url = "http://x"\ntoken_env = "abc def!"\n', "[civil_affairs] token_env"),
        ('[housing]\nfolder = "."\npath = "x"\n', "[housing] unknown key"),
        ('[hospital]\nfolder = "."\n', "unknown department(s) hospital"),
        ("[housing\n", "not valid TOML"),
    ],
)
def test_load_names_the_department_and_key_at_fault(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SourcesFileError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load(_write(tmp_path, text))


def test_civil_affairs_token_must_be_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_TOKEN_VAR", raising=False)
    sources = load(_write(tmp_path, '[civil_affairs]\nbase_url = "http://127.0.0.1:1"\ntoken_env = "NO_SUCH_TOKEN_VAR"\n'))
    with pytest.raises(SourcesFileError, match="NO_SUCH_TOKEN_VAR is not set"):
        sources.civil_affairs.token()
