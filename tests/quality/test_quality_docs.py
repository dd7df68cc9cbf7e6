"""GX data docs built from gate results."""

from __future__ import annotations

from pathlib import Path

from quality import docs
from quality.docs import build_data_docs, data_docs_index
from quality.gate import run_gate


def test_build_data_docs_writes_a_site_with_both_suites_of_each_result(
    batch, tmp_path: Path
) -> None:
    residents_batch = batch("household_residents", {}, {"record_id": None})
    residents = run_gate(residents_batch, "household_residents")
    deaths = run_gate(batch("deaths"), "deaths")

    index = build_data_docs(
        [("police-hjrk-20261101", residents), ("civil-deaths-20261101", deaths)], tmp_path / "docs"
    )

    assert index.name == "index.html"
    assert index.is_file()
    assert index.is_relative_to(tmp_path / "docs")
    site = index.parent
    pages = {page.relative_to(site).parts[:5] for page in site.glob("validations/**/*.html")}
    assert pages == {
        ("validations", "raw", "household_residents", "critical", "police-hjrk-20261101"),
        ("validations", "raw", "household_residents", "warning", "police-hjrk-20261101"),
        ("validations", "raw", "deaths", "critical", "civil-deaths-20261101"),
        ("validations", "raw", "deaths", "warning", "civil-deaths-20261101"),
    }
    critical_page = next(site.glob("validations/raw/household_residents/critical/**/*.html"))
    assert "_source_row" in critical_page.read_text(encoding="utf-8")


def test_build_data_docs_accepts_a_single_result_and_the_gate_still_runs_after(
    batch, tmp_path: Path
) -> None:
    first = run_gate(batch("house_units"), "house_units")

    index = build_data_docs(first, tmp_path / "docs")
    again = run_gate(batch("house_units", {"unit_code": None}), "house_units")

    assert index.is_file()
    assert (index.parent / "expectations" / "raw" / "house_units" / "critical.html").is_file()
    assert again.quarantined.height == 1



def test_data_docs_index_names_the_file_build_data_docs_writes(batch, tmp_path: Path) -> None:
    index = build_data_docs([("batch-1", run_gate(batch("deaths"), "deaths"))], tmp_path)
    assert index == data_docs_index(tmp_path)
    assert index.exists()


def test_a_later_build_renders_only_its_own_pages_and_the_index_lists_both_runs(batch, tmp_path: Path) -> None:
    index = build_data_docs([("run-1", run_gate(batch("deaths"), "deaths"))], tmp_path)
    first_page = next(index.parent.glob("validations/raw/deaths/critical/run-1/**/*.html"))
    first_page.write_text("left alone", encoding="utf-8")

    build_data_docs([("run-2", run_gate(batch("deaths"), "deaths"))], tmp_path)

    assert first_page.read_text(encoding="utf-8") == "left alone"
    assert next(index.parent.glob("validations/raw/deaths/critical/run-2/**/*.html")).is_file()
    listing = index.read_text(encoding="utf-8")
    assert "run-1" in listing and "run-2" in listing


def test_the_index_lists_only_the_newest_results(batch, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(docs, "INDEX_LIMIT", 2)  # two results: one run's critical and warning
    build_data_docs([("run-old", run_gate(batch("deaths"), "deaths"))], tmp_path)
    index = build_data_docs([("run-new", run_gate(batch("deaths"), "deaths"))], tmp_path)

    listing = index.read_text(encoding="utf-8")
    assert "run-new" in listing
    assert "run-old" not in listing
    assert next(index.parent.glob("validations/raw/deaths/critical/run-old/**/*.html")).is_file()


def test_pages_without_the_index_then_the_index_alone_lists_every_run(batch, tmp_path: Path) -> None:
    # A pipeline run renders each dataset's pages as it goes and the index once
    # at the end: the pages exist before the index does, then the index lists both.
    build_data_docs([("run-1", run_gate(batch("deaths"), "deaths"))], tmp_path, build_index=False)
    build_data_docs([("run-2", run_gate(batch("house_units"), "house_units"))], tmp_path, build_index=False)
    index = data_docs_index(tmp_path)
    site = index.parent
    assert next(site.glob("validations/raw/deaths/critical/run-1/**/*.html"))
    assert next(site.glob("validations/raw/house_units/critical/run-2/**/*.html"))
    assert not index.exists()

    page_times = {page: page.stat().st_mtime_ns for page in site.glob("validations/**/*.html")}
    assert docs.build_data_docs_index(tmp_path) == index
    text = index.read_text(encoding="utf-8")
    assert "run-1" in text and "run-2" in text
    # Rebuilding the index renders no page again.
    assert {page: page.stat().st_mtime_ns for page in site.glob("validations/**/*.html")} == page_times
