"""Read the Superset asset bundle kept under ``dashboards/``, check it, render it for import.

The bundle is Superset's own export layout (``metadata.yaml``, ``databases/``,
``datasets/<database>/``, ``charts/``, ``dashboards/``); files refer to each
other by UUID. Two things are filled in at import time and never committed:
the warehouse URI (``__SHAREHOUSE_MARTS_URI__`` in ``databases/*.yaml``) and
its password, which travels beside the bundle as Superset's import protocol
expects (``passwords``), never inside it.

This module is plain Python and YAML: it runs in the pipeline's environment
(the Dagster assets, the CLI, the tests), not in Superset's.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import yaml

ROOT = Path(__file__).resolve().parent
KINDS = ("databases", "datasets", "charts", "dashboards")
MARTS_URI_PLACEHOLDER = "__SHAREHOUSE_MARTS_URI__"

# Chart parameters that name a dataset column (or, for the sort keys, a column
# or a saved metric). Superset's visualizations use these keys for what they
# group, split, sort and filter by.
_NAME_KEYS = ("x_axis", "granularity_sqla", "entity", "series")
_NAME_LIST_KEYS = ("groupby", "columns", "all_columns", "order_by_cols")
_METRIC_KEYS = ("metric", "secondary_metric", "timeseries_limit_metric", "size", "x", "y")
_METRIC_LIST_KEYS = ("metrics", "percent_metrics")
_SORT_KEYS = ("x_axis_sort",)


class BundleError(ValueError):
    """The bundle is inconsistent: a reference does not resolve or a file is malformed."""


@dataclass(frozen=True)
class Asset:
    """One YAML file of the bundle."""

    path: str  # relative, POSIX: "charts/population_age_gender.yaml"
    config: dict[str, Any]

    @property
    def kind(self) -> str:
        """Return ``databases``, ``datasets``, ``charts`` or ``dashboards``."""
        return PurePosixPath(self.path).parts[0]

    @property
    def uuid(self) -> str:
        """Return the asset's UUID as text."""
        return str(self.config.get("uuid", ""))


@dataclass(frozen=True)
class Dashboard:
    """A dashboard with everything it reads, resolved through the UUID references."""

    asset: Asset
    charts: list[Asset]
    datasets: list[Asset]
    databases: list[Asset]

    @property
    def slug(self) -> str:
        """Return the URL slug, also the Dagster asset name (``dashboards/<slug>``)."""
        return str(self.asset.config["slug"])

    @property
    def title(self) -> str:
        """Return the dashboard title (Chinese, as users read it)."""
        return str(self.asset.config["dashboard_title"])

    @property
    def marts(self) -> list[tuple[str, str]]:
        """Return the ``(schema, table)`` of every dataset the dashboard reads, sorted."""
        return sorted({(str(d.config.get("schema")), str(d.config["table_name"])) for d in self.datasets})


@dataclass
class Bundle:
    """The whole bundle, indexed by path and UUID."""

    root: Path
    metadata: dict[str, Any]
    assets: dict[str, Asset] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Asset]:
        """Return the assets of one kind, sorted by path."""
        return [asset for path, asset in sorted(self.assets.items()) if asset.kind == kind]

    def by_uuid(self, kind: str) -> dict[str, Asset]:
        """Return the assets of one kind keyed by UUID."""
        return {asset.uuid: asset for asset in self.of_kind(kind)}

    # -- references -----------------------------------------------------------------

    def problems(self) -> list[str]:
        """Return every broken reference or malformed file, one sentence each (empty when sound)."""
        problems: list[str] = []
        if str(self.metadata.get("version")) != "1.0.0" or self.metadata.get("type") != "assets":
            problems.append("metadata.yaml: expected version 1.0.0 and type assets (Superset's asset bundle)")
        seen: dict[str, str] = {}
        for path, asset in sorted(self.assets.items()):
            if not asset.uuid:
                problems.append(f"{path}: no uuid")
            elif asset.uuid in seen:
                problems.append(f"{path}: uuid {asset.uuid} is also used by {seen[asset.uuid]}")
            else:
                seen[asset.uuid] = path
        databases, datasets, charts = self.by_uuid("databases"), self.by_uuid("datasets"), self.by_uuid("charts")
        for dataset in self.of_kind("datasets"):
            if str(dataset.config.get("database_uuid")) not in databases:
                problems.append(f"{dataset.path}: database_uuid {dataset.config.get('database_uuid')} resolves to no database")
        for chart in self.of_kind("charts"):
            dataset = datasets.get(str(chart.config.get("dataset_uuid")))
            if dataset is None:
                problems.append(f"{chart.path}: dataset_uuid {chart.config.get('dataset_uuid')} resolves to no dataset")
                continue
            names = dataset_names(dataset)
            for name in chart_column_names(chart.config):
                if name not in names["columns"]:
                    problems.append(f"{chart.path}: column {name!r} is not a column of {dataset.path}")
            for name in chart_metric_names(chart.config):
                if name not in names["metrics"]:
                    problems.append(f"{chart.path}: metric {name!r} is not a metric of {dataset.path}")
            for name in chart_sort_names(chart.config):
                if name not in names["columns"] | names["metrics"]:
                    problems.append(f"{chart.path}: sorts by {name!r}, neither a column nor a metric of {dataset.path}")
        for dashboard in self.of_kind("dashboards"):
            for chart_uuid in position_chart_uuids(dashboard.config):
                if chart_uuid not in charts:
                    problems.append(f"{dashboard.path}: position names chart {chart_uuid}, which is not in charts/")
            for filter_id, dataset_uuid, column in native_filter_targets(dashboard.config):
                dataset = datasets.get(dataset_uuid)
                if dataset is None:
                    problems.append(f"{dashboard.path}: filter {filter_id} targets dataset {dataset_uuid}, which is not in datasets/")
                elif column and column not in dataset_names(dataset)["columns"]:
                    problems.append(f"{dashboard.path}: filter {filter_id} targets column {column!r}, not a column of {dataset.path}")
            filter_ids = {f.get("id") for f in dashboard.config.get("metadata", {}).get("native_filter_configuration", [])}
            for native_filter in dashboard.config.get("metadata", {}).get("native_filter_configuration", []):
                for parent in native_filter.get("cascadeParentIds", []):
                    if parent not in filter_ids:
                        problems.append(f"{dashboard.path}: filter {native_filter.get('id')} cascades from unknown filter {parent}")
        return problems

    def check(self) -> None:
        """Raise :class:`BundleError` listing every problem, if there is any."""
        problems = self.problems()
        if problems:
            raise BundleError("dashboards bundle is inconsistent:\n  " + "\n  ".join(problems))

    def dashboards(self) -> list[Dashboard]:
        """Return every dashboard with its charts, datasets and databases resolved."""
        self.check()
        charts, datasets, databases = self.by_uuid("charts"), self.by_uuid("datasets"), self.by_uuid("databases")
        result = []
        for asset in self.of_kind("dashboards"):
            its_charts = [charts[u] for u in sorted(position_chart_uuids(asset.config))]
            dataset_uuids = {str(c.config["dataset_uuid"]) for c in its_charts}
            dataset_uuids |= {u for _, u, _ in native_filter_targets(asset.config)}
            its_datasets = [datasets[u] for u in sorted(dataset_uuids)]
            database_uuids = {str(d.config["database_uuid"]) for d in its_datasets}
            result.append(Dashboard(asset, its_charts, its_datasets, [databases[u] for u in sorted(database_uuids)]))
        return result

    def dashboard(self, slug: str) -> Dashboard:
        """Return the dashboard with this slug."""
        for dashboard in self.dashboards():
            if dashboard.slug == slug:
                return dashboard
        raise KeyError(slug)

    # -- rendering ------------------------------------------------------------------

    def contents(self, marts_uri: str, only: Dashboard | None = None) -> tuple[dict[str, str], dict[str, str]]:
        """Return the bundle as Superset's importer reads it, and the database passwords.

        Args:
            marts_uri: SQLAlchemy URI of the analytics marts for Superset.
            only: Render just this dashboard and what it reads (default: everything).

        Returns:
            ``(contents, passwords)``: file name to YAML text (the warehouse URI
            filled in, its password removed), and file name to password for
            each database whose URI carried one.
        """
        self.check()
        uri, password = split_password(marts_uri)
        wanted = None
        if only is not None:
            wanted = {a.path for a in [only.asset, *only.charts, *only.datasets, *only.databases]}
        contents = {"metadata.yaml": yaml.safe_dump(self.metadata, allow_unicode=True, sort_keys=False)}
        passwords: dict[str, str] = {}
        for path, asset in sorted(self.assets.items()):
            if wanted is not None and path not in wanted:
                continue
            config = dict(asset.config)
            if asset.kind == "databases" and config.get("sqlalchemy_uri") == MARTS_URI_PLACEHOLDER:
                config["sqlalchemy_uri"] = uri
                if password:
                    passwords[path] = password
            contents[path] = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        return contents, passwords

    def zip_bytes(self, marts_uri: str, only: Dashboard | None = None) -> tuple[bytes, dict[str, str]]:
        """Return the rendered bundle as the ZIP file Superset's import API takes, and the passwords."""
        contents, passwords = self.contents(marts_uri, only)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, text in contents.items():
                archive.writestr(f"sharehouse_dashboards/{path}", text)
        return buffer.getvalue(), {f"sharehouse_dashboards/{k}": v for k, v in passwords.items()}


def load(root: Path = ROOT) -> Bundle:
    """Read every YAML file of the bundle under ``root``."""
    metadata_file = root / "metadata.yaml"
    if not metadata_file.exists():
        raise BundleError(f"{metadata_file}: missing (Superset's bundle needs it)")
    bundle = Bundle(root=root, metadata=yaml.safe_load(metadata_file.read_text(encoding="utf-8")) or {})
    for kind in KINDS:
        for file in sorted((root / kind).rglob("*.yaml")):
            relative = file.relative_to(root).as_posix()
            config = yaml.safe_load(file.read_text(encoding="utf-8"))
            if not isinstance(config, dict):
                raise BundleError(f"{relative}: not a YAML mapping")
            bundle.assets[relative] = Asset(relative, config)
    return bundle


def split_password(uri: str) -> tuple[str, str | None]:
    """Return the URI without its password, and the password (``None`` when it has none)."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri, None
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{user}@{host}" if user else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), unquote(parts.password)


# -- what a chart or dataset names ------------------------------------------------------


def dataset_names(dataset: Asset) -> dict[str, set[str]]:
    """Return the column names (physical and calculated) and saved metric names of a dataset."""
    return {
        "columns": {str(c["column_name"]) for c in dataset.config.get("columns") or []},
        "physical": {str(c["column_name"]) for c in dataset.config.get("columns") or [] if not c.get("expression")},
        "metrics": {str(m["metric_name"]) for m in dataset.config.get("metrics") or []},
    }


def _column_name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("expressionType") != "SQL":
        # an adhoc column ({"label", "sqlExpression"}) names no dataset column
        return value.get("column_name")
    return None


def chart_column_names(config: dict[str, Any]) -> set[str]:
    """Return the dataset columns a chart groups, splits or filters by."""
    params = config.get("params") or {}
    names: set[str] = set()
    for key in _NAME_KEYS:
        if (name := _column_name(params.get(key))) is not None:
            names.add(name)
    for key in _NAME_LIST_KEYS:
        for value in params.get(key) or []:
            if (name := _column_name(value)) is not None:
                names.add(name)
    for adhoc in params.get("adhoc_filters") or []:
        if adhoc.get("expressionType") == "SIMPLE" and adhoc.get("subject"):
            names.add(str(adhoc["subject"]))
    for metric in _metric_values(params):
        if isinstance(metric, dict) and metric.get("expressionType") == "SIMPLE":
            names.add(str(metric["column"]["column_name"]))
    return names


def _metric_values(params: dict[str, Any]) -> Iterator[Any]:
    for key in _METRIC_KEYS:
        if params.get(key) is not None:
            yield params[key]
    for key in _METRIC_LIST_KEYS:
        yield from params.get(key) or []


def chart_metric_names(config: dict[str, Any]) -> set[str]:
    """Return the saved metrics (by name) a chart shows."""
    return {value for value in _metric_values(config.get("params") or {}) if isinstance(value, str)}


def chart_sort_names(config: dict[str, Any]) -> set[str]:
    """Return the column or metric names a chart sorts by."""
    params = config.get("params") or {}
    return {str(params[key]) for key in _SORT_KEYS if isinstance(params.get(key), str)}


def chart_sql_expressions(config: dict[str, Any]) -> list[str]:
    """Return the free SQL of a chart: adhoc SQL metrics and adhoc SQL filters."""
    params = config.get("params") or {}
    expressions = [m["sqlExpression"] for m in _metric_values(params) if isinstance(m, dict) and m.get("expressionType") == "SQL"]
    expressions += [f["sqlExpression"] for f in params.get("adhoc_filters") or [] if f.get("expressionType") == "SQL"]
    return expressions


def position_chart_uuids(config: dict[str, Any]) -> set[str]:
    """Return the UUIDs of the charts a dashboard's layout places."""
    return {
        str(node["meta"]["uuid"])
        for node in (config.get("position") or {}).values()
        if isinstance(node, dict) and node.get("type") == "CHART" and "uuid" in node.get("meta", {})
    }


def native_filter_targets(config: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """Return ``(filter id, dataset uuid, column)`` for every native filter target on a dataset."""
    targets = []
    for native_filter in (config.get("metadata") or {}).get("native_filter_configuration", []):
        for target in native_filter.get("targets", []):
            if target.get("datasetUuid"):
                column = (target.get("column") or {}).get("name")
                targets.append((str(native_filter.get("id")), str(target["datasetUuid"]), column))
    return targets
