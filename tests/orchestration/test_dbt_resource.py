"""The dbt CLI resource skips dagster-dbt's `dbt --version` call and its unused in-process adapter."""

from __future__ import annotations

from functools import cached_property

from dagster_dbt import DbtCliResource

from orchestration.defs.dbt.resources import SharehouseDbtCliResource, dbt_resource


def test_the_version_it_reports_is_the_one_dbt_prints() -> None:
    # dagster-dbt's own way: run `dbt --version` and read the number it prints.
    printed = DbtCliResource.__dict__["_cli_version"].func(dbt_resource)

    assert dbt_resource._cli_version == printed
    assert printed.major < 2  # dbt Core, not the Fusion engine (which has no adapter to skip)


def test_it_overrides_methods_dagster_dbt_still_has() -> None:
    # A dagster-dbt upgrade that renames either would leave the override dead
    # (and the cost back) without any other test noticing.
    assert isinstance(DbtCliResource.__dict__.get("_cli_version"), cached_property)
    assert callable(DbtCliResource.__dict__.get("_initialize_dbt_core_adapter"))
    assert isinstance(dbt_resource, SharehouseDbtCliResource)
    assert dbt_resource._initialize_dbt_core_adapter(["build"]) is None
