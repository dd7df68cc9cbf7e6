"""House-unit resolution: link every unit mention to a house unit of the register.

A mention that gives a unit code (the register's own row, most rentals) is
keyed at ingest: ``unit_key`` = keyed hash of the code (evidence
``rule:unit_code``). A mention that gives only an address (a resident's
registered or current address, a rental without a code) is matched here by
its parsed components against the house-unit register (the ``unit`` mentions
of ``housing.house_units``):

1. estate, building, entrance and room;
2. without an entrance: estate, building and room (single-entrance buildings);
3. the compact ``3-501`` form, which the parser reads as entrance 3: estate,
   building = that number, and room;
4. without building and entrance: estate and room (office blocks number rooms
   only).

A rule links only when exactly one register unit fits, after dropping units
whose district, street or 12-digit community code contradict what the
mention says; otherwise the next rule is tried, and a mention no rule links
stays ``unresolved`` (an address without a room names a building, not a
unit). Estate names are compared after dropping a trailing ``小区`` written
after another estate suffix, and an estate with a leftover prefix
(``梅园街道中华华庭``) is read as the register estate it ends with.

Every mention is then placed on a grid (``resolution.grids``).
"""

from __future__ import annotations

import polars as pl

from ingest.common.addresses import ESTATE_SUFFIXES
from ingest.common.keys import keyed_hash
from ingest.common.mentions import UNIT_KEY_NAMESPACE
from ingest.common.warehouse import WarehouseConnection
from resolution.grids import place_on_grids

__all__ = [
    "ADDRESS_RULE", "CODE_RULE", "UNRESOLVED", "normalize_estate", "register_units", "replace_mentions",
    "resolve_unit_mentions", "resolve_units",
]

CODE_RULE = "rule:unit_code"
ADDRESS_RULE = "rule:address_components"
UNRESOLVED = "unresolved"

_OTHER_SUFFIXES = "|".join(suffix for suffix in ESTATE_SUFFIXES if suffix != "小区")

# (rule name, the mention columns it needs, the register columns they are compared with,
#  the condition on the mention for the rule to apply)
_RULES = (
    ("full", ("estate", "building", "entrance", "room"), ("estate", "building", "entrance", "room"), None),
    (
        "no_entrance", ("estate", "building", "room"), ("estate", "building", "room"),
        pl.col("entrance").is_null(),
    ),
    (
        "compact_building", ("estate", "entrance", "room"), ("estate", "building", "room"),
        pl.col("building").is_null(),
    ),
    (
        "estate_room", ("estate", "room"), ("estate", "room"),
        pl.col("building").is_null() & pl.col("entrance").is_null(),
    ),
)
_CONTEXT = ("district", "street", "division_code")


def normalize_estate(estate: pl.Expr) -> pl.Expr:
    """Compare estates without a trailing ``小区`` written after another suffix (``阳光花园小区``)."""
    return estate.str.replace(rf"({_OTHER_SUFFIXES})小区$", "${1}")


def register_units(mentions: pl.DataFrame) -> pl.DataFrame:
    """Return the house-unit register: the latest ``unit`` mention of each unit code.

    Args:
        mentions: ``identity.unit_mentions`` rows.

    Returns:
        One row per unit code: unit_code, division_code, district, street,
        estate (normalized), building, entrance, room.
    """
    return (
        mentions.filter((pl.col("role") == "unit") & pl.col("unit_code").is_not_null())
        .sort("_extracted_at", "batch_id", "record_key", nulls_last=False)
        .unique(subset=["unit_code"], keep="last", maintain_order=True)
        .select(
            "unit_code", "division_code", "district", "street",
            normalize_estate(pl.col("estate")).alias("estate"), "building", "entrance", "room",
        )
    )


def _fragments(names: list[str], *, prefixes: bool) -> pl.DataFrame:
    """Return (fragment, name): each name with its suffixes, and with its prefixes too if asked (2+ characters)."""
    pairs = []
    for name in names:
        pairs += [(name[i:], name) for i in range(len(name) - 1)]
        if prefixes:
            pairs += [(name[:i], name) for i in range(2, len(name))]
    return pl.DataFrame(pairs, schema={"_fragment": pl.Utf8, "_name": pl.Utf8}, orient="row").unique()


def _read_estates(addresses: pl.DataFrame, register: pl.DataFrame) -> pl.DataFrame:
    """Normalize each address's estate and read the register's estate where the parser cut it wrong.

    The parser takes the text up to the first estate suffix, cut at
    characters that usually end a road (街, 路, 号): ``新街名苑`` comes out as
    ``名苑``, ``北苑雅居`` as ``北苑``, and an unrecognized prefix stays in
    front (``梅园街道中华华庭``). Each address's estate is read as the longest
    register estate that the address contains and that begins or ends with
    the parsed estate, or ends it.
    """
    addresses = addresses.with_columns(normalize_estate(pl.col("estate")).alias("estate"))
    known = register.get_column("estate").drop_nulls().unique().to_list()
    parsed = addresses.get_column("estate").drop_nulls().unique().to_list()
    if not known or not parsed:
        return addresses
    # Register estates by their beginnings and endings; parsed estates by their endings.
    candidates = pl.concat([
        _fragments(known, prefixes=True).rename({"_fragment": "estate", "_name": "_register_estate"}),
        _fragments(parsed, prefixes=False)
        .rename({"_fragment": "_register_estate", "_name": "estate"})
        .join(pl.DataFrame({"_register_estate": known}), on="_register_estate", how="semi")
        .select("estate", "_register_estate"),
    ]).unique()
    readings = (
        addresses.select("_row", "estate", "_address")
        .join(candidates, on="estate", how="inner")
        .filter(pl.col("_address").str.contains(pl.col("_register_estate"), literal=True))
        .sort(pl.col("_register_estate").str.len_chars(), "_register_estate", descending=True)
        .unique(subset=["_row"], keep="first")
        .select("_row", "_register_estate")
    )
    return (
        addresses.join(readings, on="_row", how="left")
        .with_columns(pl.coalesce("_register_estate", "estate").alias("estate"))
        .drop("_register_estate")
    )


def _contradicts(column: str) -> pl.Expr:
    mention, unit = pl.col(column), pl.col(f"{column}_unit")
    return mention.is_not_null() & unit.is_not_null() & (mention != unit)


def _match(addresses: pl.DataFrame, register: pl.DataFrame) -> pl.DataFrame:
    """Return ``_row`` -> ``unit_code`` for addresses that one rule links to exactly one unit."""
    units = register.rename({column: f"{column}_unit" for column in _CONTEXT})
    linked = pl.DataFrame(schema={"_row": pl.UInt32, "unit_code": pl.Utf8})
    remaining = addresses
    for _, mention_columns, register_columns, condition in _RULES:
        candidates = remaining.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in mention_columns))
        if condition is not None:
            candidates = candidates.filter(condition)
        if candidates.is_empty():
            continue
        joined = (
            candidates.select("_row", *_CONTEXT, *(pl.col(m).alias(f"_k{i}") for i, m in enumerate(mention_columns)))
            .join(
                units.select(
                    "unit_code", *(f"{c}_unit" for c in _CONTEXT),
                    *(pl.col(r).alias(f"_k{i}") for i, r in enumerate(register_columns)),
                ),
                on=[f"_k{i}" for i in range(len(mention_columns))],
                how="inner",
            )
            .filter(~pl.any_horizontal(_contradicts(column) for column in _CONTEXT))
        )
        counts = joined.group_by("_row").agg(pl.col("unit_code").n_unique().alias("_units"), pl.col("unit_code").first())
        unique = counts.filter(pl.col("_units") == 1).select("_row", "unit_code")
        # Several units fit: a looser rule would fit even more, so stop here.
        decided = counts.select("_row")
        linked = pl.concat([linked, unique])
        remaining = remaining.join(decided, on="_row", how="anti")
    return linked


def resolve_units(
    mentions: pl.DataFrame, secret: bytes, grid_buildings: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Resolve unit mentions: key codes, link addresses to the register, place on grids.

    Pure: reads nothing, writes nothing; rerunning it on its own output
    gives the same output.

    Args:
        mentions: ``identity.unit_mentions`` rows (any resolution state).
        secret: The key secret (``SHAREHOUSE_PERSON_KEY_SECRET``).
        grid_buildings: ``reference.grid_buildings`` (community_code, estate,
            building, grid_code), or ``None`` when the city's grid register
            is not configured: then ``grid_code`` stays null.

    Returns:
        ``mentions`` with ``unit_key``, ``evidence`` and ``grid_code`` set.
    """
    columns = mentions.columns
    register = register_units(mentions)
    frame = mentions.with_row_index("_row")
    addresses = _read_estates(
        frame.filter(pl.col("unit_code").is_null() & pl.col("address").is_not_null()).select(
            "_row", pl.col("address").alias("_address"), "division_code", "district", "street", "estate",
            "building", "entrance", "room",
        ),
        register,
    )
    linked = _match(addresses, register)
    frame = (
        frame.join(linked.rename({"unit_code": "_linked_code"}), on="_row", how="left")
        .with_columns(
            pl.when(pl.col("unit_code").is_not_null()).then(pl.lit(CODE_RULE))
            .when(pl.col("_linked_code").is_not_null()).then(pl.lit(ADDRESS_RULE))
            .otherwise(pl.lit(UNRESOLVED)).alias("evidence"),
            pl.coalesce("unit_code", "_linked_code").alias("_resolved_code"),
        )
        .with_columns(keyed_hash(pl.col("_resolved_code"), secret, UNIT_KEY_NAMESPACE).alias("unit_key"))
    )
    frame = place_on_grids(frame, register, grid_buildings)
    return frame.sort("_row").select(columns)


def replace_mentions(connection: WarehouseConnection, table: str, resolved: pl.DataFrame) -> None:
    """Replace ``identity.<table>`` with its resolved rows in one transaction (on PostgreSQL)."""
    connection.execute(f"delete from identity.{table}")
    connection.append("identity", table, resolved)
    connection.commit()


def resolve_unit_mentions(connection: WarehouseConnection, secret: bytes) -> dict[str, int]:
    """Resolve every row of ``identity.unit_mentions`` in place; return counts per evidence and placed on a grid.

    Idempotent: the same mentions and reference data give the same table.
    """
    from ingest.reference.load import read_reference_tables

    mentions = connection.read_table("identity", "unit_mentions")
    _, grid_buildings = read_reference_tables(connection)
    resolved = resolve_units(mentions, secret, grid_buildings)
    replace_mentions(connection, "unit_mentions", resolved)
    counts = {f"evidence_{evidence.replace(':', '_')}": n for evidence, n in resolved.group_by("evidence").len().iter_rows()}
    counts["mentions"] = resolved.height
    counts["placed_on_grid"] = resolved.filter(pl.col("grid_code").is_not_null()).height
    return counts
