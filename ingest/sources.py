"""Read the sources file: how to reach each department's deliveries.

The sources file is TOML with one table per department::

    [police]
    database_url = "sqlite:////data/police.sqlite"   # any SQLAlchemy URL
    [civil_affairs]
    base_url = "https://civil.example.gov/"
    token_env = "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN"      # name of the variable, never the token
    [housing]
    folder = "/data/housing"
    [justice]
    folder = "/data/justice"
    [reference]
    folder = "/data/reference"                        # the city's divisions and grid register (optional)

A department may be left out (its assets then load nothing); an entry that is
present but wrong is a clear error naming the department and the key.
Relative folders and SQLite paths are resolved against the sources file's folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEPARTMENTS = ("police", "civil_affairs", "housing", "justice")
#: Tables of the sources file besides the departments: the city's own reference data.
REFERENCE = "reference"


class SourcesFileError(ValueError):
    """The sources file is missing, unreadable or has a wrong entry."""


@dataclass(frozen=True)
class PoliceSource:
    """Police tables read over a database connection."""

    database_url: str


@dataclass(frozen=True)
class CivilAffairsSource:
    """The civil-affairs HTTP JSON API."""

    base_url: str
    token_env: str

    def token(self) -> str:
        """Return the bearer token from the environment variable the file names."""
        value = os.environ.get(self.token_env)
        if not value:
            raise SourcesFileError(
                f"[civil_affairs] token_env: environment variable {self.token_env} is not set"
            )
        return value


@dataclass(frozen=True)
class FolderSource:
    """A folder where a department drops files."""

    folder: Path


@dataclass(frozen=True)
class Sources:
    """Every configured department; ``None`` where the file leaves one out."""

    path: Path
    police: PoliceSource | None = None
    civil_affairs: CivilAffairsSource | None = None
    housing: FolderSource | None = None
    justice: FolderSource | None = None
    reference: FolderSource | None = None


def load(path: str | Path) -> Sources:
    """Read and validate a sources file.

    Raises:
        SourcesFileError: naming the department and key at fault.
    """
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise SourcesFileError(f"sources file {path} does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourcesFileError(f"sources file {path} is not valid TOML: {error}") from error

    unknown = sorted(set(data) - {*DEPARTMENTS, REFERENCE})
    if unknown:
        raise SourcesFileError(
            f"sources file {path}: unknown department(s) {', '.join(unknown)}; "
            f"expected some of {', '.join(DEPARTMENTS)}"
        )
    base = path.parent
    return Sources(
        path=path,
        police=_police(data["police"], base) if "police" in data else None,
        civil_affairs=_civil_affairs(data["civil_affairs"]) if "civil_affairs" in data else None,
        housing=_folder("housing", data["housing"], base) if "housing" in data else None,
        justice=_folder("justice", data["justice"], base) if "justice" in data else None,
        reference=_folder(REFERENCE, data[REFERENCE], base) if REFERENCE in data else None,
    )


def _text(department: str, table: object, key: str) -> str:
    if not isinstance(table, dict):
        raise SourcesFileError(f"[{department}] must be a table of keys, not {type(table).__name__}")
    value = table.get(key)
    if value is None:
        raise SourcesFileError(f"[{department}] {key}: missing")
    if not isinstance(value, str) or not value.strip():
        raise SourcesFileError(f"[{department}] {key}: expected a non-empty string, got {value!r}")
    extra = sorted(set(table) - _KEYS[department])
    if extra:
        raise SourcesFileError(f"[{department}] unknown key(s) {', '.join(extra)}")
    return value.strip()


_KEYS = {
    "police": {"database_url"},
    "civil_affairs": {"base_url", "token_env"},
    "housing": {"folder"},
    "justice": {"folder"},
    REFERENCE: {"folder"},
}


def _police(table: object, base: Path) -> PoliceSource:
    url = _text("police", table, "database_url")
    if "://" not in url:
        raise SourcesFileError(
            f"[police] database_url: {url!r} is not a database URL (e.g. sqlite:///police.sqlite, "
            "postgresql://reader@host/police)"
        )
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        relative = url.removeprefix("sqlite:///")
        url = f"sqlite:///{(base / relative).resolve()}"
    if url.startswith("sqlite:///"):
        file = Path(url.removeprefix("sqlite:///"))
        if not file.is_file():
            raise SourcesFileError(f"[police] database_url: SQLite file {file} does not exist")
    return PoliceSource(database_url=url)


def _civil_affairs(table: object) -> CivilAffairsSource:
    base_url = _text("civil_affairs", table, "base_url")
    if not base_url.startswith(("http://", "https://")):
        raise SourcesFileError(f"[civil_affairs] base_url: {base_url!r} is not an http(s) URL")
    token_env = _text("civil_affairs", table, "token_env")
    if not token_env.replace("_", "").isalnum():
        raise SourcesFileError(
            f"[civil_affairs] token_env: {token_env!r} must be the NAME of an environment "
            "variable, not the token itself"
        )
    return CivilAffairsSource(base_url=base_url.rstrip("/"), token_env=token_env)


def _folder(department: str, table: object, base: Path) -> FolderSource:
    folder = (base / Path(_text(department, table, "folder")).expanduser()).resolve()
    if not folder.is_dir():
        raise SourcesFileError(f"[{department}] folder: {folder} does not exist or is not a folder")
    return FolderSource(folder=folder)
