"""The sources file the simulator writes for the pipeline."""

from __future__ import annotations

import tomllib
from pathlib import Path

from simulator.sources_file import write_sources_file


def test_write_sources_file_uses_absolute_paths_and_names_the_token_variable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_sources_file(Path("conf/sources.toml"), Path("deliveries"), "http://127.0.0.1:9000")
    assert path == Path("conf/sources.toml")
    sources = tomllib.loads(path.read_text(encoding="utf-8"))
    root = (tmp_path / "deliveries").resolve()
    assert sources["police"]["database_url"] == f"sqlite:///{root}/police/police.sqlite"
    assert sources["civil_affairs"] == {
        "base_url": "http://127.0.0.1:9000",
        "token_env": "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN",
    }
    assert sources["housing"]["folder"] == f"{root}/housing"
    assert sources["justice"]["folder"] == f"{root}/justice"


def test_write_sources_file_escapes_quotes_in_paths(tmp_path: Path) -> None:
    out = tmp_path / 'odd "name"'
    sources = tomllib.loads(write_sources_file(tmp_path / "s.toml", out, "http://x").read_text(encoding="utf-8"))
    assert sources["housing"]["folder"] == f"{out.resolve()}/housing"


def test_write_sources_file_points_the_police_at_a_source_database_on_request(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:5432/police_source"
    path = write_sources_file(tmp_path / "s.toml", tmp_path, "http://x", police_database_url=url)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["police"] == {"database_url": url}
