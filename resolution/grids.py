"""Place unit mentions on the city's grids (网格) with the grid register.

The contract says every address belongs to exactly one grid (a community
code + 3 digits) but no department delivers which; the city's grid register
(``reference.grid_buildings``, loaded by ``ingest.reference``) says which
buildings of which estate in which community form each grid. A mention is
placed by the building it names:

* a mention linked to a register unit takes that unit's community, estate
  and building (the register is exact);
* otherwise its own parsed estate and building, within its community when
  it gives a 12-digit division code;
* an estate without a building is placed only when the whole estate lies in
  one grid.

Where none of these names exactly one grid (a street crossing, an unknown
estate, no grid register configured), ``grid_code`` stays null: the marts say
"unknown grid" rather than guess.
"""

from __future__ import annotations

import polars as pl

__all__ = ["GRID_BUILDING_COLUMNS", "place_on_grids"]

#: Columns of ``reference.grid_buildings``.
GRID_BUILDING_COLUMNS = ("community_code", "estate", "building", "grid_code")


def _unique_grid(keys: list[str], grid_buildings: pl.DataFrame) -> pl.DataFrame:
    """Return ``keys`` -> grid_code where the keys name exactly one grid."""
    return (
        grid_buildings.group_by(keys)
        .agg(pl.col("grid_code").n_unique().alias("_grids"), pl.col("grid_code").first())
        .filter(pl.col("_grids") == 1)
        .drop("_grids")
    )


def place_on_grids(frame: pl.DataFrame, register: pl.DataFrame, grid_buildings: pl.DataFrame | None) -> pl.DataFrame:
    """Set ``grid_code`` on resolved unit mentions.

    Args:
        frame: Unit mentions with ``_resolved_code`` (the unit code linked,
            if any), ``division_code``, ``estate`` and ``building``.
        register: The house-unit register (``resolution.units.register_units``).
        grid_buildings: ``reference.grid_buildings``, or ``None``.

    Returns:
        ``frame`` with ``grid_code`` (null where no single grid fits).
    """
    if grid_buildings is None or grid_buildings.is_empty():
        return frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("grid_code"))
    from resolution.units import normalize_estate

    grid_buildings = grid_buildings.select(
        pl.col("community_code").cast(pl.Utf8), normalize_estate(pl.col("estate").cast(pl.Utf8)).alias("estate"),
        pl.col("building").cast(pl.Utf8), pl.col("grid_code").cast(pl.Utf8),
    )
    units = register.select(
        pl.col("unit_code").alias("_resolved_code"),
        pl.col("division_code").alias("_unit_community"),
        pl.col("estate").alias("_unit_estate"),
        pl.col("building").alias("_unit_building"),
    )
    located = frame.drop("grid_code", strict=False).join(units, on="_resolved_code", how="left").with_columns(
        pl.coalesce("_unit_community", "division_code").alias("_community"),
        pl.coalesce("_unit_estate", normalize_estate(pl.col("estate"))).alias("_estate"),
        pl.coalesce("_unit_building", "building").alias("_building"),
    )
    by_community = _unique_grid(["community_code", "estate", "building"], grid_buildings).rename(
        {"community_code": "_community", "estate": "_estate", "building": "_building", "grid_code": "_grid_community"}
    )
    by_building = _unique_grid(["estate", "building"], grid_buildings).rename(
        {"estate": "_estate", "building": "_building", "grid_code": "_grid_building"}
    )
    by_estate = _unique_grid(["estate"], grid_buildings).rename({"estate": "_estate", "grid_code": "_grid_estate"})
    located = (
        located.join(by_community, on=["_community", "_estate", "_building"], how="left")
        .join(by_building, on=["_estate", "_building"], how="left")
        .join(by_estate, on="_estate", how="left")
        .with_columns(
            pl.coalesce(
                "_grid_community",
                # A community given and not matching the building's is a contradiction: no grid.
                pl.when(pl.col("_community").is_null() | (pl.col("_grid_building").str.slice(0, 12) == pl.col("_community")))
                .then(pl.col("_grid_building")),
                pl.when(pl.col("_building").is_null()).then(pl.col("_grid_estate")),
            ).alias("grid_code")
        )
    )
    return located.drop(
        "_unit_community", "_unit_estate", "_unit_building", "_community", "_estate", "_building",
        "_grid_community", "_grid_building", "_grid_estate",
    )
