"""Resources the ingest assets read: where the deliveries are and where the warehouse is."""

from __future__ import annotations

import os

import dagster as dg

from ingest import sources as sources_file
from sharehouse import settings


class SourcesResource(dg.ConfigurableResource):
    """The sources file that says how to reach each department.

    Defaults to ``$SHAREHOUSE_SOURCES`` so ``dagster dev`` and ``sharehouse run``
    read the same file.
    """

    path: str | None = None

    def load(self) -> sources_file.Sources:
        """Read and validate the sources file."""
        path = self.path or os.environ.get("SHAREHOUSE_SOURCES")
        if not path:
            raise sources_file.SourcesFileError(
                "no sources file: pass --sources to `sharehouse run` or set SHAREHOUSE_SOURCES"
            )
        return sources_file.load(path)


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse: ``url`` or ``$SHAREHOUSE_WAREHOUSE_URL``, else the embedded DuckDB file."""

    url: str | None = None

    def target(self) -> settings.Warehouse:
        """Return the warehouse to write to."""
        return settings.warehouse(self.url)
