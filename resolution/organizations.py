"""Organization resolution: link every organization mention to one organization.

A valid unified social credit code is the organization (keyed at ingest:
``org_key`` = keyed hash of the code, evidence ``rule:credit_code``). The
other mentions (a floating resident's employer or school, which gives only a
name; an owner whose code fails its check) are linked by name:

1. the exact normalized name (full-width, spaces and brackets unified) of
   organizations known by code: ``rule:name``;
2. the name's *core* (``org_name_core``: without the city in front and
   without the company-form suffix, so ``南京汤泉商贸有限公司``,
   ``汤泉商贸有限公司`` and ``南京汤泉商贸`` agree), when it names exactly one
   organization known by code; where several share it, the address decides
   if it names one of them: ``rule:name_core`` / ``rule:name_address``;
3. otherwise a new organization keyed by its name's core, so every mention
   of the same unregistered employer shares one key: ``new:name``.

A name that fits several organizations known by code and no address tells
them apart stays ``unresolved``: guessing would merge two organizations.
"""

from __future__ import annotations

import polars as pl

from ingest.common.keys import keyed_hash
from ingest.common.names import normalize_org_name
from ingest.common.warehouse import WarehouseConnection

__all__ = [
    "CODE_RULE", "COMPANY_FORMS", "NAME_RULE", "NEW_BY_NAME", "UNRESOLVED", "org_name_core", "resolve_org_mentions",
    "resolve_organizations",
]

CODE_RULE = "rule:credit_code"
NAME_RULE = "rule:name"
CORE_RULE = "rule:name_core"
ADDRESS_RULE = "rule:name_address"
NEW_BY_NAME = "new:name"
UNRESOLVED = "unresolved"
#: keyed_hash namespace of organizations known only by name: apart from
#: credit-code keys, so a name can never take a registered organization's key.
NAME_KEY_NAMESPACE = "organization_name"

#: Company-form suffixes that people drop or vary (公司法: 有限责任公司 and
#: 股份有限公司 are the two legal forms; 有限公司 is the common short form).
#: Longest first, so the longest one present is removed.
COMPANY_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def org_name_core(names: pl.Expr, city_names: tuple[str, ...] = ()) -> pl.Expr:
    """Reduce organization names to their core: normalized, without city prefix and company form.

    Args:
        names: Organization names as delivered or normalized.
        city_names: City names to drop from the front, e.g. ``("南京市", "南京")``;
            longest first is not required.

    Returns:
        A String expression; null where the name is null or nothing is left.
    """
    core = normalize_org_name(names)
    prefixes = sorted({name for name in city_names if name}, key=len, reverse=True)
    if prefixes:
        core = core.str.replace("^(?:" + "|".join(prefixes) + ")", "")
    core = core.str.replace("(?:" + "|".join(COMPANY_FORMS) + ")$", "")
    return pl.when(core.str.len_chars() > 0).then(core)


def city_prefixes(divisions: pl.DataFrame | None) -> tuple[str, ...]:
    """Return the city's names as organization names start with them (``南京市``, ``南京``)."""
    if divisions is None or divisions.is_empty():
        return ()
    names = divisions.filter(pl.col("level") == "city").get_column("name").drop_nulls().to_list()
    return tuple(dict.fromkeys([*names, *(name.removesuffix("市") for name in names)]))


def _unique_key(known: pl.DataFrame, on: str) -> pl.DataFrame:
    return (
        known.filter(pl.col(on).is_not_null())
        .group_by(on)
        .agg(pl.col("org_key").n_unique().alias("_keys"), pl.col("org_key").first())
    )


def resolve_organizations(
    mentions: pl.DataFrame, secret: bytes, divisions: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Resolve organization mentions: credit codes, then names and addresses.

    Pure; rerunning it on its own output gives the same output.

    Args:
        mentions: ``identity.org_mentions`` rows (any resolution state).
        secret: The key secret.
        divisions: ``reference.divisions`` (for the city's name), or ``None``.

    Returns:
        ``mentions`` with ``org_key`` and ``evidence`` set.
    """
    from ingest.common.mentions import org_key

    columns = mentions.columns
    prefixes = city_prefixes(divisions)
    frame = mentions.with_row_index("_row").with_columns(
        org_key(pl.col("credit_code"), secret).alias("_code_key"),
        normalize_org_name(pl.col("name")).alias("_name"),
        org_name_core(pl.col("name"), prefixes).alias("_core"),
        pl.col("address").alias("_address"),
    )
    known = frame.filter(pl.col("_code_key").is_not_null()).select(
        pl.col("_code_key").alias("org_key"), "_name", "_core", "_address"
    ).unique()
    by_name = _unique_key(known, "_name").rename({"_keys": "_name_keys", "org_key": "_name_key"})
    by_core = _unique_key(known, "_core").rename({"_keys": "_core_keys", "org_key": "_core_key"})
    by_address = (
        known.filter(pl.col("_address").is_not_null())
        .group_by("_core", "_address")
        .agg(pl.col("org_key").n_unique().alias("_address_keys"), pl.col("org_key").first().alias("_address_key"))
    )
    frame = (
        frame.join(by_name, on="_name", how="left")
        .join(by_core, on="_core", how="left")
        .join(by_address, on=["_core", "_address"], how="left")
        .with_columns(
            pl.when(pl.col("_code_key").is_not_null()).then(pl.col("_code_key"))
            .when(pl.col("_name_keys") == 1).then(pl.col("_name_key"))
            .when(pl.col("_core_keys") == 1).then(pl.col("_core_key"))
            .when(pl.col("_address_keys") == 1).then(pl.col("_address_key"))
            .when(pl.col("_core_keys").is_null() & pl.col("_core").is_not_null())
            .then(keyed_hash(pl.col("_core"), secret, NAME_KEY_NAMESPACE))
            .alias("org_key"),
            pl.when(pl.col("_code_key").is_not_null()).then(pl.lit(CODE_RULE))
            .when(pl.col("_name_keys") == 1).then(pl.lit(NAME_RULE))
            .when(pl.col("_core_keys") == 1).then(pl.lit(CORE_RULE))
            .when(pl.col("_address_keys") == 1).then(pl.lit(ADDRESS_RULE))
            .when(pl.col("_core_keys").is_null() & pl.col("_core").is_not_null()).then(pl.lit(NEW_BY_NAME))
            .otherwise(pl.lit(UNRESOLVED))
            .alias("evidence"),
        )
    )
    return frame.sort("_row").select(columns)


def resolve_org_mentions(connection: WarehouseConnection, secret: bytes) -> dict[str, int]:
    """Resolve every row of ``identity.org_mentions`` in place; return counts per evidence.

    Idempotent: the same mentions and reference data give the same table.
    """
    from ingest.reference.load import read_reference_tables
    from resolution.units import replace_mentions

    mentions = connection.read_table("identity", "org_mentions")
    divisions, _ = read_reference_tables(connection)
    resolved = resolve_organizations(mentions, secret, divisions)
    replace_mentions(connection, "org_mentions", resolved)
    counts = {f"evidence_{evidence.replace(':', '_')}": n for evidence, n in resolved.group_by("evidence").len().iter_rows()}
    counts["mentions"] = resolved.height
    counts["organizations"] = resolved.get_column("org_key").n_unique()
    return counts
