"""Mentions: every appearance of a person, house unit or organization in a loaded record.

A mention is keyed by its record (source system, entity, batch, record key),
its role and its 1-based position, and carries the cleaned clear identifiers
(restricted ``identity`` schema only) with the key resolved so far and the
evidence for it (shared-model.md, "Identity and privacy"). Only deterministic
keys are set here (a valid identity number, a unit code, a valid credit
code); entity resolution (``resolution/``) decides the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from ingest.common.addresses import PREFIX_FIELDS, parse_address, parse_address_prefix
from ingest.common.credit_codes import credit_code_issue, normalize_credit_code
from ingest.common.identity import id_number_issue
from ingest.common.keys import keyed_hash, person_key
from ingest.common.names import normalize_org_name
from ingest.common.text import WHITESPACE_CHARACTERS, null_if_empty, to_halfwidth
from ingest.common.warehouse import WarehouseConnection

#: keyed_hash namespaces of unit and organization keys: apart from person keys
#: and from each other, so equal values of different kinds never share a key.
UNIT_KEY_NAMESPACE = "unit"
ORG_KEY_NAMESPACE = "organization"


@dataclass(frozen=True)
class PersonMention:
    """Where a dataset mentions a person (source-systems.md section 6).

    A record can mention several persons in one role (a rental's tenants, a
    mediation's parties): then ``many`` is true, the id, name and phone columns
    are aligned lists after cleaning, and each element is one mention whose
    position is its 1-based place in the list.

    Only a valid identity number is keyed: a mention whose number is missing or
    invalid is still written to ``identity.person_mentions`` (with its name or
    phone, ``person_key`` null and evidence ``unresolved``), because entity
    resolution, not the gate, decides who such a person is.

    Attributes:
        role: the person's role in the record (``resident``, ``deceased``, ``owner`` ...).
        id_column: the cleaned identity-number column (a list column when ``many``).
        name_column: the normalized name column (a list column when ``many``);
            ``None`` when the source names no one (police incidents list ids only).
        key_column: the clean-table column that receives the ``person_key``
            (single mentions only; list mentions live in identity.person_mentions).
        applies: rows where this mention exists (e.g. owners that are persons).
        many: whether the columns hold lists of persons.
        phone_column: the normalized phone column, if the source gives one
            (a list column when ``many``).
        issue_column: the cleaner's ``id_number_issue`` of ``id_column``
            (single mentions), reused to decide which numbers are keyed
            instead of checking every number again.
    """

    role: str
    id_column: str
    name_column: str | None
    key_column: str | None = None
    applies: pl.Expr | None = None
    many: bool = False
    phone_column: str | None = None
    issue_column: str | None = None


def valid_person_key(id_numbers: pl.Expr, secret: bytes, issues: pl.Expr | None = None) -> pl.Expr:
    """Key canonical identity numbers that pass every check; null for the others.

    A number that fails its check character or birth date could belong to
    several real people: keying it would invent a person. ``issues`` is
    ``id_number_issue(id_numbers)`` when the caller already has it.
    """
    if issues is None:
        issues = id_number_issue(id_numbers)
    return person_key(pl.when(issues.is_null()).then(id_numbers), secret)


def _optional(column: str | None) -> pl.Expr:
    return pl.col(column) if column is not None else pl.lit(None, dtype=pl.Utf8)


def _mention_rows(passed: pl.DataFrame, mention: PersonMention, secret: bytes) -> pl.DataFrame:
    """Return one row per mentioned person: record key, position, id, name, phone, key."""
    if not mention.many:
        return passed.select(
            pl.col("_batch_id"), pl.col("_record_key"),
            pl.lit(1, dtype=pl.Int64).alias("position"),
            pl.col(mention.id_column).alias("id_number"),
            _optional(mention.name_column).cast(pl.Utf8).alias("name"),
            _optional(mention.phone_column).cast(pl.Utf8).alias("phone"),
            pl.col(mention.key_column).alias("person_key"),
        )
    # The cleaner aligns the lists: element i of each is the i-th person.
    lists = {"id_number": mention.id_column, "name": mention.name_column, "phone": mention.phone_column}
    present = [alias for alias, column in lists.items() if column is not None]
    exploded = (
        passed.select(
            pl.col("_batch_id"), pl.col("_record_key"),
            *(pl.col(lists[alias]).alias(alias) for alias in present),
            pl.col(mention.id_column).list.len().alias("_count"),
        )
        .with_columns(pl.int_ranges(1, pl.col("_count") + 1, dtype=pl.Int64).alias("position"))
        .explode(*present, "position")
        .drop("_count")
        .filter(pl.col("position").is_not_null())
    )
    exploded = exploded.with_columns(
        *(pl.lit(None, dtype=pl.Utf8).alias(alias) for alias in lists if alias not in present)
    )
    return exploded.with_columns(
        pl.col("id_number").cast(pl.Utf8), pl.col("name").cast(pl.Utf8), pl.col("phone").cast(pl.Utf8),
    ).with_columns(valid_person_key(pl.col("id_number"), secret).alias("person_key"))


def write_person_mentions(
    connection: WarehouseConnection,
    source_system: str,
    source_entity: str,
    record_key: str,
    mentions: tuple[PersonMention, ...],
    passed: pl.DataFrame,
    extracted_at: datetime,
    secret: bytes,
) -> None:
    """Append one ``identity.person_mentions`` row per person each loaded record mentions."""
    parts = []
    passed = passed.with_columns(pl.col(record_key).cast(pl.Utf8).alias("_record_key"))
    for mention in mentions:
        rows = passed if mention.applies is None else passed.filter(mention.applies)
        mentioned = _mention_rows(rows, mention, secret).filter(
            # A role the record leaves empty (no landlord given) mentions no one.
            pl.any_horizontal(pl.col(column).is_not_null() for column in ("id_number", "name", "phone"))
        )
        parts.append(
            mentioned.select(
                pl.lit(source_system).alias("source_system"),
                pl.lit(source_entity).alias("source_entity"),
                pl.col("_batch_id").alias("batch_id"),
                pl.col("_record_key").alias("record_key"),
                pl.lit(mention.role).alias("role"),
                pl.col("position"),
                pl.col("id_number"),
                pl.col("name"),
                pl.col("phone"),
                pl.col("person_key"),
                pl.when(pl.col("person_key").is_not_null())
                .then(pl.lit("rule:id_number"))
                .otherwise(pl.lit("unresolved"))
                .alias("evidence"),
                pl.lit(extracted_at).cast(pl.Datetime("us")).alias("_extracted_at"),
            )
        )
    if parts:
        connection.append("identity", "person_mentions", pl.concat(parts))


# -- house units and organizations ---------------------------------------------------

#: The parsed address components a unit mention carries, in order.
UNIT_COMPONENTS = ("district", "street", "community", "estate", "building", "entrance", "floor", "room")


@dataclass(frozen=True)
class UnitMention:
    """Where a dataset mentions a house unit: by unit code, by address, or both.

    Attributes:
        role: ``unit`` (the register's own row), ``rented_unit``,
            ``registered_at``, ``lives_at``, ``occurred_at`` (an incident's
            or a dispute's place) or ``located_at`` (an organization's office).
        address_column: the address as delivered (free text), parsed by
            ``ingest.common.addresses.parse_address``; ``None`` if the source has none.
        unit_code_column: the cleaned unit code column, if the source gives one.
        division_code_column: a 12-digit division code of the address, if given.
        component_columns: component -> clean column, for sources that deliver
            the address in parts (the housing register): these win over parsing.
        applies: rows where this mention exists.
        parsed_column: the cleaner's ``parse_address`` of ``address_column``,
            when it keeps one (a struct column): reused instead of parsing
            the address a second time.
    """

    role: str
    address_column: str | None = None
    unit_code_column: str | None = None
    division_code_column: str | None = None
    component_columns: tuple[tuple[str, str], ...] = ()
    applies: pl.Expr | None = None
    parsed_column: str | None = None


@dataclass(frozen=True)
class OrgMention:
    """Where a dataset mentions an organization.

    Attributes:
        role: ``organization`` (the registry's own row), ``owner`` or ``employer``.
        name_column: the organization name as delivered or cleaned.
        credit_code_column: the credit code column (normalized here), if any.
        address_column: the organization's address as delivered, if any.
        applies: rows where this mention exists (e.g. owners that are organizations).
    """

    role: str
    name_column: str | None
    credit_code_column: str | None = None
    address_column: str | None = None
    applies: pl.Expr | None = None


# How organization names end (company forms, social organizations, schools),
# to tell an organization owner from a person when the owner's number is
# unreadable either way. Person names never end so.
_ORG_NAME_ENDINGS = (
    r"(公司|集团|中心|协会|学会|商会|基金会|联合会|促进会|研究会|服务社|学校|学院|大学|"
    r"幼儿园|医院|研究院|研究所|事务所|合作社|店|厂|行|部|馆|院|社)$"
)


def looks_like_org_name(names: pl.Expr) -> pl.Expr:
    """Say whether names end the way organization names do (``...有限公司``, ``...协会``)."""
    return normalize_org_name(names).str.contains(_ORG_NAME_ENDINGS).fill_null(False)


def unit_key(unit_codes: pl.Expr, secret: bytes) -> pl.Expr:
    """Key unit codes (房屋编码): the pseudonymous ``unit_key``; null where the code is null."""
    return keyed_hash(unit_codes, secret, UNIT_KEY_NAMESPACE)


def org_key(credit_codes: pl.Expr, secret: bytes) -> pl.Expr:
    """Key canonical credit codes that pass the check character; null for the others.

    A code that fails its check could be any of several organizations, so
    keying it would invent one; name and address resolution decide it.
    """
    valid = pl.when(credit_code_issue(credit_codes).is_null()).then(credit_codes)
    return keyed_hash(valid, secret, ORG_KEY_NAMESPACE)


def normalized_text(expr: pl.Expr) -> pl.Expr:
    """Return an address or code as half-width text without whitespace; empty becomes null."""
    return null_if_empty(to_halfwidth(expr.cast(pl.Utf8)).str.replace_all(WHITESPACE_CHARACTERS, ""))


def _column_or_null(column: str | None) -> pl.Expr:
    return pl.col(column).cast(pl.Utf8) if column is not None else pl.lit(None, dtype=pl.Utf8)


def _record_frame(passed: pl.DataFrame, record_key: str, applies: pl.Expr | None) -> pl.DataFrame:
    frame = passed.with_columns(pl.col(record_key).cast(pl.Utf8).alias("_record_key"))
    return frame if applies is None else frame.filter(applies)


def unit_mention_rows(
    passed: pl.DataFrame, record_key: str, mention: UnitMention, secret: bytes
) -> pl.DataFrame:
    """Return one row per unit the loaded records mention in this role, shaped like ``identity.unit_mentions`` (less the record columns)."""
    rows = _record_frame(passed, record_key, mention.applies)
    given = dict(mention.component_columns)
    address = _column_or_null(mention.address_column)
    rows = rows.with_columns(
        normalized_text(address).alias("_address_text"),
        normalized_text(_column_or_null(mention.unit_code_column)).alias("_unit_code"),
        normalized_text(_column_or_null(mention.division_code_column)).alias("_division_code"),
        *(normalized_text(pl.col(column)).alias(f"_given_{name}") for name, column in given.items()),
    )
    address_text = pl.col("_address_text")
    if mention.parsed_column:
        # parse_address cleans its input the way normalized_text does (half-width,
        # no whitespace), so the cleaner's parse of the delivered text is the
        # parse of _address_text.
        rows = rows.with_columns(pl.col(mention.parsed_column).alias("_parsed"), pl.col(mention.parsed_column).alias("_prefix"))
    elif given and all(name in given for name in UNIT_COMPONENTS if name not in PREFIX_FIELDS):
        # The register delivers the estate and unit parts: the whole parse
        # only fills a part a row leaves empty, and the prefix (district,
        # street, community) is read alone for the others.
        missing = pl.any_horizontal(pl.col(f"_given_{name}").is_null() for name in given)
        rows = rows.with_columns(
            parse_address(pl.when(missing).then(address_text)).alias("_parsed"),
            parse_address_prefix(address_text).alias("_prefix"),
        )
    else:
        rows = rows.with_columns(parse_address(address_text).alias("_parsed")).with_columns(
            pl.col("_parsed").alias("_prefix")
        )
    components = []
    for name in UNIT_COMPONENTS:
        parsed = pl.col("_prefix" if name in PREFIX_FIELDS else "_parsed").struct.field(name)
        # A register's own columns are exact; parsing is the fallback.
        components.append((pl.coalesce(pl.col(f"_given_{name}"), parsed) if name in given else parsed).alias(name))
    out = rows.select(
        pl.col("_batch_id").alias("batch_id"),
        pl.col("_record_key").alias("record_key"),
        pl.lit(mention.role).alias("role"),
        pl.lit(1, dtype=pl.Int64).alias("position"),
        pl.col("_unit_code").alias("unit_code"),
        pl.col("_address_text").alias("address"),
        pl.when(pl.col("_division_code").str.contains(r"^\d{12}$")).then(pl.col("_division_code")).alias("division_code"),
        *components,
    )
    out = out.filter(pl.col("unit_code").is_not_null() | pl.col("address").is_not_null())
    return out.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("grid_code"),
        unit_key(pl.col("unit_code"), secret).alias("unit_key"),
    ).with_columns(
        pl.when(pl.col("unit_key").is_not_null()).then(pl.lit("rule:unit_code")).otherwise(pl.lit("unresolved")).alias("evidence"),
    )


def write_unit_mentions(
    connection: WarehouseConnection,
    source_system: str,
    source_entity: str,
    record_key: str,
    mentions: tuple[UnitMention, ...],
    passed: pl.DataFrame,
    extracted_at: datetime,
    secret: bytes,
) -> None:
    """Append one ``identity.unit_mentions`` row per house unit each loaded record mentions.

    A unit code is keyed at once (evidence ``rule:unit_code``); an address
    waits for unit resolution (``resolution.units``), which matches its
    parsed components against the house-unit register.
    """
    if not mentions:
        return
    parts = [unit_mention_rows(passed, record_key, mention, secret) for mention in mentions]
    frame = pl.concat(parts).select(
        pl.lit(source_system).alias("source_system"),
        pl.lit(source_entity).alias("source_entity"),
        pl.all(),
        pl.lit(extracted_at).cast(pl.Datetime("us")).alias("_extracted_at"),
    )
    connection.append("identity", "unit_mentions", frame)


def org_mention_rows(passed: pl.DataFrame, record_key: str, mention: OrgMention, secret: bytes) -> pl.DataFrame:
    """Return one row per organization the loaded records mention in this role."""
    rows = _record_frame(passed, record_key, mention.applies)
    code = normalize_credit_code(_column_or_null(mention.credit_code_column))
    out = rows.select(
        pl.col("_batch_id").alias("batch_id"),
        pl.col("_record_key").alias("record_key"),
        pl.lit(mention.role).alias("role"),
        pl.lit(1, dtype=pl.Int64).alias("position"),
        code.alias("credit_code"),
        normalize_org_name(_column_or_null(mention.name_column)).alias("name"),
        normalized_text(_column_or_null(mention.address_column)).alias("address"),
    ).filter(pl.col("credit_code").is_not_null() | pl.col("name").is_not_null())
    return out.with_columns(org_key(pl.col("credit_code"), secret).alias("org_key")).with_columns(
        pl.when(pl.col("org_key").is_not_null()).then(pl.lit("rule:credit_code")).otherwise(pl.lit("unresolved")).alias("evidence"),
    )


def write_org_mentions(
    connection: WarehouseConnection,
    source_system: str,
    source_entity: str,
    record_key: str,
    mentions: tuple[OrgMention, ...],
    passed: pl.DataFrame,
    extracted_at: datetime,
    secret: bytes,
) -> None:
    """Append one ``identity.org_mentions`` row per organization each loaded record mentions.

    A valid credit code is keyed at once (``rule:credit_code``); the others
    (an employer's name, a code failing its check) wait for organization
    resolution (``resolution.organizations``).
    """
    if not mentions:
        return
    parts = [org_mention_rows(passed, record_key, mention, secret) for mention in mentions]
    frame = pl.concat(parts).select(
        pl.lit(source_system).alias("source_system"),
        pl.lit(source_entity).alias("source_entity"),
        pl.all(),
        pl.lit(extracted_at).cast(pl.Datetime("us")).alias("_extracted_at"),
    )
    connection.append("identity", "org_mentions", frame)
