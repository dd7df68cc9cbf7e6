"""Read a department's ``source.yaml``: the facts about what it delivers.

Facts (tables, endpoints, file patterns, sheet names, record keys, header
aliases) are configuration, kept apart from the code that acts on them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def load(package_file: str) -> dict[str, Any]:
    """Return the ``source.yaml`` that sits beside a department package's module."""
    return yaml.safe_load((Path(package_file).parent / "source.yaml").read_text(encoding="utf-8"))


def entity(package_file: str, name: str) -> dict[str, Any]:
    """Return the facts about one source entity of a department."""
    facts = load(package_file)
    try:
        return facts["entities"][name]
    except KeyError as error:
        raise KeyError(f"{Path(package_file).parent.name}/source.yaml has no entity {name!r}") from error


def aliases(package_file: str, name: str) -> dict[str, list[str]]:
    """Return warehouse column -> delivered header aliases for one entity."""
    return {column: list(headers) for column, headers in entity(package_file, name)["columns"].items()}
