"""dbt's parse cache is kept between invocations, so a build re-parses only what changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestration.defs.dbt import resources


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    kept = tmp_path / "project-target" / "partial_parse.msgpack"
    kept.parent.mkdir()
    monkeypatch.setattr(resources, "PARTIAL_PARSE", kept)
    return kept


def test_the_cache_an_invocation_wrote_replaces_the_kept_one(cache: Path, tmp_path: Path) -> None:
    cache.write_bytes(b"older")
    invocation = tmp_path / "invocation"
    invocation.mkdir()
    (invocation / "partial_parse.msgpack").write_bytes(b"newer")

    resources.keep_partial_parse(invocation)

    assert cache.read_bytes() == b"newer"
    assert [path.name for path in cache.parent.iterdir()] == ["partial_parse.msgpack"]


def test_an_invocation_without_a_cache_leaves_the_kept_one(cache: Path, tmp_path: Path) -> None:
    cache.write_bytes(b"older")

    resources.keep_partial_parse(tmp_path)

    assert cache.read_bytes() == b"older"


def test_parsing_the_project_keeps_its_cache_beside_the_manifest() -> None:
    resources.ensure_manifest()
    os.utime(resources.MANIFEST, (0, 0))  # older than every project file: parse again
    resources.PARTIAL_PARSE.unlink(missing_ok=True)

    assert resources.ensure_manifest() == resources.MANIFEST

    assert resources.MANIFEST.stat().st_mtime > 0
    assert resources.PARTIAL_PARSE.is_file()
