"""Decide the environment and read every setting that comes from it.

One function, :func:`current`, decides whether sharehouse runs ``local``,
``ci`` or ``prod``; everything else (the dbt target, the default warehouse,
whether a development secret is acceptable) follows from that decision.
Secrets and hosts come only from the environment (see ``.env.example``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

# Documented development default for the person-key secret. It exists so that
# the demo and the tests run with nothing configured; it is refused in prod,
# where a leaked default would make every person_key reversible by lookup.
DEVELOPMENT_PERSON_KEY_SECRET = "sharehouse-development-secret-not-for-production"

ENVIRONMENTS = ("local", "ci", "prod")


class SettingsError(RuntimeError):
    """A setting is missing or contradicts the environment."""


@dataclass(frozen=True)
class Warehouse:
    """Where the warehouse lives: an embedded DuckDB file or a PostgreSQL database."""

    url: str

    @property
    def engine(self) -> str:
        """Return ``duckdb`` or ``postgres``."""
        scheme = urlparse(self.url).scheme
        if scheme == "duckdb":
            return "duckdb"
        if scheme in ("postgresql", "postgres", "postgresql+psycopg2"):
            return "postgres"
        raise SettingsError(
            f"warehouse URL {self.url!r}: expected duckdb:///path/file.duckdb or "
            "postgresql://user@host:port/database"
        )

    @property
    def duckdb_path(self) -> Path:
        """Return the DuckDB file path (only for DuckDB warehouses).

        As in SQLAlchemy's file URLs, ``duckdb:///warehouse.duckdb`` names a
        file relative to the working directory and ``duckdb:////srv/w.duckdb``
        an absolute one (``./dev`` runs from the repository's root).
        """
        parsed = urlparse(self.url)
        path = parsed.path[1:] if parsed.path.startswith("/") and not parsed.netloc else parsed.netloc + parsed.path
        return Path(unquote(path)).expanduser().resolve()

    def dbt_target(self, environment: str) -> str:
        """Return the dbt target for this warehouse: ``prod`` on PostgreSQL, else dev/ci."""
        if self.engine == "postgres":
            return "prod"
        return "ci" if environment == "ci" else "dev"

    def dbt_env(self) -> dict[str, str]:
        """Return the environment variables the dbt profile reads for this warehouse."""
        if self.engine == "duckdb":
            return {"SHAREHOUSE_DUCKDB_PATH": str(self.duckdb_path)}
        parsed = urlparse(self.url)
        return {
            "SHAREHOUSE_PG_HOST": parsed.hostname or "127.0.0.1",
            "SHAREHOUSE_PG_PORT": str(parsed.port or 5432),
            "SHAREHOUSE_PG_USER": unquote(parsed.username or "postgres"),
            "SHAREHOUSE_PG_PASSWORD": unquote(parsed.password or ""),
            "SHAREHOUSE_PG_DATABASE": parsed.path.lstrip("/") or "postgres",
        }


def current() -> str:
    """Return the environment: ``SHAREHOUSE_ENV`` if set, ``ci`` under CI, else ``local``."""
    explicit = os.environ.get("SHAREHOUSE_ENV", "").strip().lower()
    if explicit:
        if explicit not in ENVIRONMENTS:
            raise SettingsError(f"SHAREHOUSE_ENV={explicit!r}: expected one of {', '.join(ENVIRONMENTS)}")
        return explicit
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        return "ci"
    return "local"


def home() -> Path:
    """Return the folder for local state (deliveries, DuckDB files, Dagster home)."""
    return Path(os.environ.get("SHAREHOUSE_HOME", REPO_ROOT / ".sharehouse")).expanduser().resolve()


def warehouse(url: str | None = None) -> Warehouse:
    """Return the warehouse: the given URL, ``SHAREHOUSE_WAREHOUSE_URL``, or the embedded default."""
    chosen = url or os.environ.get("SHAREHOUSE_WAREHOUSE_URL")
    if not chosen:
        chosen = f"duckdb:///{home() / 'warehouse.duckdb'}"
    result = Warehouse(chosen)
    result.engine  # validate early, with a clear message
    return result


def person_key_secret() -> bytes:
    """Return the HMAC secret for person keys; prod refuses to run without a real one."""
    secret = os.environ.get("SHAREHOUSE_PERSON_KEY_SECRET")
    if secret:
        return secret.encode("utf-8")
    if current() == "prod":
        raise SettingsError(
            "SHAREHOUSE_PERSON_KEY_SECRET is not set: production refuses the development "
            "default, because person keys must not be reproducible by anyone who reads the code"
        )
    return DEVELOPMENT_PERSON_KEY_SECRET.encode("utf-8")


def quality_docs_dir() -> Path:
    """Return the folder of the Great Expectations project that holds the data docs."""
    return home() / "quality_docs"


def dagster_home() -> Path:
    """Return DAGSTER_HOME, creating the default one under :func:`home` if needed."""
    path = Path(os.environ.get("DAGSTER_HOME", home() / "dagster")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    # Store runs, logs and events under this folder (Dagster's default), and
    # send no telemetry: these machines reach no network but package registries.
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    return path
