"""Superset dashboards as code: the asset bundle under this folder and the tools that serve it.

- ``metadata.yaml``, ``databases/``, ``datasets/``, ``charts/``, ``dashboards/``:
  Superset's own export layout, linked by UUID (see README.md here).
- :mod:`dashboards.bundle`: read, check and render the bundle.
- :mod:`dashboards.warehouse`: check the bundle against the warehouse; publish
  the marts Superset reads on DuckDB.
- :mod:`dashboards.bootstrap`: Superset in its own virtual environment:
  install, initialize, roles, admin, import, serve.
- :mod:`dashboards.client`: re-import into a running Superset (REST API).
- ``superset_config.py`` and ``superset_tasks.py`` run inside Superset's
  environment and are never imported here.

Plain Python: nothing in this package imports Dagster.
"""
