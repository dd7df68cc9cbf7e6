"""The sources file: where the pipeline finds each department's deliveries.

Secrets stay out of it: the civil-affairs token is named by the environment
variable that holds it.
"""

from __future__ import annotations

from pathlib import Path

CIVIL_AFFAIRS_TOKEN_ENV = "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN"


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def write_sources_file(
    path: Path, out_dir: Path, civil_affairs_base_url: str, *, police_database_url: str | None = None
) -> Path:
    """Write a ``sources.toml`` pointing at the deliveries under `out_dir`.

    Args:
        path: File to write.
        out_dir: Folder holding ``police/``, ``housing/`` and ``justice/``.
        civil_affairs_base_url: Where the civil-affairs API is served.
        police_database_url: The police source database, if not the
            simulated SQLite file (e.g. the PostgreSQL database
            `simulator.deliveries.police.load_police_into_postgres` filled).

    Returns:
        `path`.
    """
    root = Path(out_dir).resolve()
    police_url = police_database_url or "sqlite:///" + (root / "police" / "police.sqlite").as_posix()
    lines = [
        "[police]",
        f"database_url = {_toml_string(police_url)}",
        "",
        "[civil_affairs]",
        f"base_url = {_toml_string(civil_affairs_base_url)}",
        f"token_env = {_toml_string(CIVIL_AFFAIRS_TOKEN_ENV)}",
        "",
        "[housing]",
        f"folder = {_toml_string((root / 'housing').as_posix())}",
        "",
        "[justice]",
        f"folder = {_toml_string((root / 'justice').as_posix())}",
        "",
    ]
    if (root / "reference").is_dir():
        lines += ["[reference]", f"folder = {_toml_string((root / 'reference').as_posix())}", ""]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
