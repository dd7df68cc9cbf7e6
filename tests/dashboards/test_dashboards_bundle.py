"""The Superset bundle under dashboards/: references resolve, datasets are real marts, nothing shows a person.

Static checks (no warehouse, no Superset): they read the YAML, the dbt
project's mart models and their schema files.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from dashboards import bootstrap, bundle
from dashboards.bundle import Asset, dataset_names
from sharehouse import settings

BUNDLE = bundle.load()
MARTS_DIR = settings.DBT_PROJECT_DIR / "models" / "marts"
CJK = re.compile(r"[\u4e00-\u9fff]")

# Names that identify or locate a person, a household or a dwelling: none may
# be a dataset column, and no expression may read them (shared-model.md,
# "Identity and privacy"; dashboards show L1 aggregates only).
PERSON_COLUMNS = {
    "person_key", "household_key", "unit_key", "org_key", "id_number", "name", "phone", "address",
    "birth_date", "birth_year_month", "registered_address", "owner_person_key", "record_id", "record_key",
}


def _mart_models() -> dict[str, Path]:
    return {path.stem: path for path in MARTS_DIR.rglob("*.sql")}


def _mart_columns() -> dict[str, dict[str, str]]:
    """Return ``{model: {column: privacy_level}}`` from the marts' schema files."""
    columns: dict[str, dict[str, str]] = {}
    for schema_file in MARTS_DIR.rglob("_*__models.yml"):
        for model in (yaml.safe_load(schema_file.read_text(encoding="utf-8")) or {}).get("models", []):
            columns[model["name"]] = {
                column["name"]: (column.get("config", {}).get("meta", {}) or column.get("meta", {})).get("privacy_level")
                for column in model.get("columns", [])
            }
    return columns


def _ids(assets: list[Asset]) -> list[str]:
    return [asset.path for asset in assets]


def test_every_uuid_reference_in_the_bundle_resolves() -> None:
    assert BUNDLE.problems() == []


def test_the_bundle_is_superset_s_export_layout() -> None:
    assert BUNDLE.metadata == {"version": "1.0.0", "type": "assets", "timestamp": BUNDLE.metadata["timestamp"]}
    for asset in BUNDLE.assets.values():
        assert asset.config["version"] == "1.0.0", asset.path
        assert asset.config.get("is_managed_externally") is True, f"{asset.path}: edits belong in the repository"
    for dataset in BUNDLE.of_kind("datasets"):
        database = BUNDLE.by_uuid("databases")[str(dataset.config["database_uuid"])]
        assert Path(dataset.path).parent.name == database.config["database_name"], "datasets/<database name>/<table>.yaml"


def test_every_chart_and_dataset_is_used() -> None:
    used_charts = {chart.uuid for dashboard in BUNDLE.dashboards() for chart in dashboard.charts}
    used_datasets = {dataset.uuid for dashboard in BUNDLE.dashboards() for dataset in dashboard.datasets}
    assert [c.path for c in BUNDLE.of_kind("charts") if c.uuid not in used_charts] == []
    assert [d.path for d in BUNDLE.of_kind("datasets") if d.uuid not in used_datasets] == []


@pytest.mark.parametrize("dataset", BUNDLE.of_kind("datasets"), ids=_ids(BUNDLE.of_kind("datasets")))
def test_every_dataset_is_a_real_analytics_mart(dataset: Asset) -> None:
    table = dataset.config["table_name"]
    assert dataset.config["schema"] == "marts"
    assert dataset.config.get("sql") is None, "a physical dataset: the mart itself, not SQL written in Superset"
    assert table in _mart_models(), f"{table} is not a dbt model under {MARTS_DIR}"
    assert table.startswith("mart_"), "dashboards read analytics marts, never record-level dim_/fct_ tables"


@pytest.mark.parametrize("dataset", BUNDLE.of_kind("datasets"), ids=_ids(BUNDLE.of_kind("datasets")))
def test_no_dataset_shows_a_person(dataset: Asset) -> None:
    names = dataset_names(dataset)
    assert names["columns"] & PERSON_COLUMNS == set()
    expressions = [c["expression"] for c in dataset.config.get("columns") or [] if c.get("expression")]
    expressions += [m["expression"] for m in dataset.config.get("metrics") or []]
    for expression in expressions:
        words = set(re.findall(r"[a-z_]+", expression.lower()))
        assert words & PERSON_COLUMNS == set(), expression


@pytest.mark.parametrize("dataset", BUNDLE.of_kind("datasets"), ids=_ids(BUNDLE.of_kind("datasets")))
def test_every_physical_column_is_a_declared_l1_mart_column(dataset: Asset) -> None:
    declared = _mart_columns()[dataset.config["table_name"]]
    for column in sorted(dataset_names(dataset)["physical"]):
        assert column in declared, f"{column} is not in the mart's schema file"
        assert declared[column] == "L1", f"{column} is {declared[column]}: leadership sees L1 aggregates only"


@pytest.mark.parametrize("dataset", BUNDLE.of_kind("datasets"), ids=_ids(BUNDLE.of_kind("datasets")))
def test_metrics_only_sum_suppressed_counts(dataset: Asset) -> None:
    # Every count cell in a mart is either null (suppressed) or at least the
    # minimum count; a SUM of such cells is again null or at least the minimum.
    # Counting rows, or reading a count other than through SUM (or a null
    # test), could reveal the small cells the mart hid.
    counts = {c for c in dataset_names(dataset)["physical"] if c.endswith("_count")}
    for metric in dataset.config.get("metrics") or []:
        expression = metric["expression"]
        assert not re.search(r"count\s*\(\s*(\*|1)\s*\)", expression, re.IGNORECASE), metric["metric_name"]
        rest = re.sub(r"SUM\(\s*([a-z_]+)\s*\)", "", expression, flags=re.IGNORECASE)
        rest = re.sub(r"[a-z_]+ IS NOT NULL", "", rest, flags=re.IGNORECASE)
        leftover = set(re.findall(r"[a-z_]+", rest)) & counts
        assert leftover == set(), f"{metric['metric_name']} reads {leftover} other than through SUM"


def test_titles_labels_and_categories_are_chinese() -> None:
    for dashboard in BUNDLE.dashboards():
        assert CJK.search(dashboard.title), dashboard.asset.path
        for native_filter in dashboard.asset.config["metadata"]["native_filter_configuration"]:
            assert CJK.search(native_filter["name"]), native_filter["id"]
        for chart in dashboard.charts:
            assert CJK.search(chart.config["slice_name"]), chart.path
            params = chart.config["params"]
            for key in ("x_axis_title", "y_axis_title"):
                if params.get(key):
                    assert CJK.search(params[key]), f"{chart.path} {key}"
    for dataset in BUNDLE.of_kind("datasets"):
        for metric in dataset.config.get("metrics") or []:
            assert CJK.search(metric.get("verbose_name") or ""), f"{dataset.path} metric {metric['metric_name']}"
        for column in dataset.config.get("columns") or []:
            if column.get("groupby") or column.get("is_dttm"):
                assert CJK.search(column.get("verbose_name") or ""), f"{dataset.path} column {column['column_name']}"


# Columns a chart may group by as they are: Chinese place names from the
# division reference (`*_name`), division codes (numbers), and the batch id
# (a file name or extraction: an identifier, not a category to translate).
AS_DELIVERED = re.compile(r"^(\w+_name|\w+_code|batch_id)$")


def test_charts_group_by_chinese_category_names_not_codes() -> None:
    for chart in BUNDLE.of_kind("charts"):
        dataset = BUNDLE.by_uuid("datasets")[str(chart.config["dataset_uuid"])]
        by_name = {c["column_name"]: c for c in dataset.config["columns"]}
        for name in chart.config["params"].get("groupby") or []:
            expression = by_name[name].get("expression") or ""
            # a category split shows Chinese labels (a CASE over the code)
            assert CJK.search(expression) or AS_DELIVERED.match(name), f"{chart.path} splits by {name}"
        x_axis = chart.config["params"].get("x_axis")
        if x_axis and not by_name[x_axis].get("is_dttm"):
            expression = by_name[x_axis].get("expression") or ""
            assert CJK.search(expression) or x_axis.endswith("_name"), f"{chart.path} puts {x_axis} on its axis"


def _place_levels(chart) -> list[str]:
    """Return the place levels a chart filters its rows to (``place_level == ...``)."""
    return [f["comparator"] for f in chart.config["params"].get("adhoc_filters") or []
            if f.get("subject") == "place_level" and f.get("operator") == "=="]


def test_charts_on_a_rolled_up_mart_read_one_place_level() -> None:
    # Marts with a place_level column hold the same incidents or cases once
    # per level (district, street, community, grid), each suppressed on its
    # own; a chart that summed over levels would count everything twice or more.
    for chart in BUNDLE.of_kind("charts"):
        dataset = BUNDLE.by_uuid("datasets")[str(chart.config["dataset_uuid"])]
        if "place_level" not in dataset_names(dataset)["physical"]:
            continue
        assert len(_place_levels(chart)) == 1, f"{chart.path} must filter place_level to one level"
        # Incident categories and justice case types roll up alike (`all`): a
        # chart reads the types (!= 'all') or their total (== 'all'), never both.
        for column in ("category_code", "case_type_code"):
            if column not in dataset_names(dataset)["physical"]:
                continue
            category_filters = [
                (f.get("operator"), f.get("comparator")) for f in chart.config["params"].get("adhoc_filters") or []
                if f.get("subject") == column
            ]
            assert ("==", "all") in category_filters or ("!=", "all") in category_filters or (
                category_filters and all(op == "==" and value != "all" for op, value in category_filters)
            ), f"{chart.path} must read either the {column} values or their total"


# The place filters each dashboard offers, (parent column, child column).
# Data quality is per department and batch, not per place: a batch belongs to
# a department, so its dashboard filters by department and table instead.
PLACE_FILTERS = {"data_quality": ("department_label", "entity_label")}


def test_every_dashboard_filters_by_month_range_district_and_street() -> None:
    for dashboard in BUNDLE.dashboards():
        filters = dashboard.asset.config["metadata"]["native_filter_configuration"]
        by_column = {
            (f.get("targets") or [{}])[0].get("column", {}).get("name"): f for f in filters if f["filterType"] == "filter_select"
        }
        assert any(f["filterType"] == "filter_time" for f in filters), "a month-range filter"
        parent, child = PLACE_FILTERS.get(dashboard.slug, ("district_name", "street_name"))
        assert {parent, child} <= set(by_column), dashboard.slug
        assert by_column[child]["cascadeParentIds"] == [by_column[parent]["id"]]
        # A native filter narrows every chart whose dataset has its column:
        # each dataset of the dashboard must carry both, or a chart would
        # ignore the filter the user set.
        for dataset in dashboard.datasets:
            assert {parent, child} <= dataset_names(dataset)["columns"], f"{dashboard.slug}: {dataset.path}"




def test_city_wide_charts_stay_out_of_the_place_filters() -> None:
    # City rows carry no district or street name: a place filter reaching a
    # city-wide chart would empty it. Every other chart follows the district
    # filter, so a district's leader sees the district.
    city_wide_seen = 0
    for dashboard in BUNDLE.dashboards():
        config = dashboard.asset.config
        chart_ids = {
            str(item["meta"]["uuid"]): item["meta"]["chartId"]
            for item in config["position"].values() if isinstance(item, dict) and item.get("type") == "CHART"
        }
        filters = {
            (f.get("targets") or [{}])[0].get("column", {}).get("name"): set(f["scope"]["excluded"])
            for f in config["metadata"]["native_filter_configuration"] if f["filterType"] == "filter_select"
        }
        if "district_name" not in filters:
            continue
        for chart in dashboard.charts:
            chart_id = chart_ids[chart.uuid]
            if _place_levels(chart) == ["city"]:
                city_wide_seen += 1
                assert chart.config["slice_name"].startswith("全市"), f"{chart.path}: the title must say 全市"
                assert chart_id in filters["district_name"] and chart_id in filters["street_name"], chart.path
            else:
                assert chart_id not in filters["district_name"], f"{chart.path} ignores the district filter"
    assert city_wide_seen >= 8


def test_place_filters_offer_no_empty_name() -> None:
    # Rolled-up rows (a district's, the city's) leave the lower names null; a
    # filter listing their values would offer "<NULL>" as a place.
    for dashboard in BUNDLE.dashboards():
        for native in dashboard.asset.config["metadata"]["native_filter_configuration"]:
            column = (native.get("targets") or [{}])[0].get("column", {}).get("name")
            if column in ("district_name", "street_name"):
                prefilters = {(f["subject"], f["operator"]) for f in native.get("adhoc_filters") or []}
                assert (column, "IS NOT NULL") in prefilters, f"{dashboard.slug}: {native['name']}"


def test_the_four_dashboards_leadership_reads_are_there() -> None:
    titles = {dashboard.slug: dashboard.title for dashboard in BUNDLE.dashboards()}
    assert titles == {
        "population_housing": "人口与房屋",
        "security_trends": "治安态势",
        "justice_mediation_corrections": "矛盾纠纷与社区矫正",
        "data_quality": "数据质量",
    }
    marts = {dashboard.slug: {table for _, table in dashboard.marts} for dashboard in BUNDLE.dashboards()}
    assert marts == {
        "population_housing": {"mart_population_monthly", "mart_population_flows_monthly", "mart_housing_grid"},
        "security_trends": {"mart_security_trend_monthly", "mart_justice_monthly"},
        "justice_mediation_corrections": {"mart_justice_monthly"},
        "data_quality": {"mart_data_quality"},
    }


def test_every_chart_follows_the_month_range_filter() -> None:
    # The month-range filter narrows a chart through its TEMPORAL_RANGE filter
    # on the dataset's month column; a chart without one would ignore it.
    for chart in BUNDLE.of_kind("charts"):
        dataset = BUNDLE.by_uuid("datasets")[str(chart.config["dataset_uuid"])]
        temporal = [f for f in chart.config["params"].get("adhoc_filters") or [] if f.get("operator") == "TEMPORAL_RANGE"]
        assert [f["subject"] for f in temporal] == [dataset.config["main_dttm_col"]], chart.path


def test_rendering_fills_in_the_warehouse_and_keeps_its_password_out_of_the_bundle() -> None:
    contents, passwords = BUNDLE.contents("postgresql://superset_reader:s%3Acret@db.example:5432/sharehouse")
    database_files = [path for path in contents if path.startswith("databases/")]
    assert database_files
    for path in database_files:
        config = yaml.safe_load(contents[path])
        assert config["sqlalchemy_uri"] == "postgresql://superset_reader@db.example:5432/sharehouse"
        assert passwords[path] == "s:cret"
    assert all("s:cret" not in text and "s%3Acret" not in text for text in contents.values())
    assert all(bundle.MARTS_URI_PLACEHOLDER not in text for text in contents.values())


def test_a_dangling_reference_is_reported_with_its_file(tmp_path: Path) -> None:
    import shutil

    for item in ("metadata.yaml", "databases", "datasets", "charts", "dashboards"):
        source = bundle.ROOT / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / item)
    chart = next((tmp_path / "charts").glob("*.yaml"))
    chart.write_text(chart.read_text(encoding="utf-8").replace("dataset_uuid: ", "dataset_uuid: 00000000-0000-4000-8000-00000000000"), encoding="utf-8")
    problems = bundle.load(tmp_path).problems()
    assert any(p.startswith(f"charts/{chart.name}: dataset_uuid") for p in problems), problems


def test_superset_reads_duckdb_files_with_the_pipeline_s_duckdb() -> None:
    lock = tomllib.loads((settings.REPO_ROOT / "uv.lock").read_text(encoding="utf-8"))
    pipeline = next(package["version"] for package in lock["package"] if package["name"] == "duckdb")
    pins = dict(
        line.split("==", 1) for line in bootstrap.REQUIREMENTS.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert pins["duckdb"] == pipeline


def test_superset_stays_out_of_the_pipeline_environment() -> None:
    pyproject = tomllib.loads((settings.REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = pyproject["project"]["dependencies"] + [r for group in pyproject["dependency-groups"].values() for r in group]
    assert [r for r in requirements if "superset" in r.lower()] == []
    lock = tomllib.loads((settings.REPO_ROOT / "uv.lock").read_text(encoding="utf-8"))
    assert [p["name"] for p in lock["package"] if "superset" in p["name"]] == []
    for module in bundle.ROOT.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from) dagster", text, re.MULTILINE), f"{module.name}: dashboards/ never imports Dagster"
        if not module.name.startswith("superset_"):
            assert not re.search(r"^\s*(import|from) superset\b", text, re.MULTILINE), f"{module.name} runs in the pipeline"


def test_the_development_secret_key_is_the_one_superset_config_refuses_in_prod() -> None:
    config = (bundle.ROOT / "superset_config.py").read_text(encoding="utf-8")
    assert f'DEVELOPMENT_SECRET_KEY = "{bootstrap.DEVELOPMENT_SECRET_KEY}"' in config
