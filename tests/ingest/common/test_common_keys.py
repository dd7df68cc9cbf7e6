"""Specs for ingest.common.keys: person keys, namespaced keys and row hashes."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import polars as pl
import pytest
from normalization_cases import apply, apply_one

from ingest.common.keys import ROW_HASH_NULL, ROW_HASH_SEPARATOR, keyed_hash, person_key, row_hash

SECRET = b"sharehouse-test-secret"
IDS = ["11010519491231002X", "330106198802089719", None, "11010519491231002X"]


def reference_key(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()[:32]


def test_person_key_is_truncated_hmac_sha256_of_the_canonical_id() -> None:
    keys = apply(lambda expr: person_key(expr, SECRET), IDS)
    assert keys == [reference_key(SECRET, value) if value else None for value in IDS]
    assert all(len(key) == 32 for key in keys if key)


@pytest.mark.parametrize(
    "secret",
    [b"k", b"x" * 64, b"a much longer secret than the 64-byte SHA-256 block, hashed first per RFC 2104" * 2],
)
def test_person_key_matches_hmac_for_every_secret_length(secret: bytes) -> None:
    assert apply_one(lambda expr: person_key(expr, secret), "11010519491231002X") == reference_key(
        secret, "11010519491231002X"
    )


def test_person_key_depends_on_the_secret() -> None:
    first = apply_one(lambda expr: person_key(expr, b"one"), "11010519491231002X")
    second = apply_one(lambda expr: person_key(expr, b"two"), "11010519491231002X")
    assert first != second


def test_person_key_works_on_a_literal_and_in_lazy_frames() -> None:
    assert pl.select(person_key(pl.lit("11010519491231002X"), SECRET)).item() == reference_key(
        SECRET, "11010519491231002X"
    )
    lazy = pl.LazyFrame({"id_number": IDS}).select(person_key(pl.col("id_number"), SECRET)).collect()
    assert lazy["id_number"].to_list() == apply(lambda expr: person_key(expr, SECRET), IDS)


@pytest.mark.parametrize("secret", [b"", "text-not-bytes"])
def test_person_key_refuses_a_missing_secret(secret: bytes) -> None:
    with pytest.raises(ValueError, match="non-empty bytes"):
        person_key(pl.col("id_number"), secret)


def test_person_key_refuses_a_secret_that_is_not_utf8_text() -> None:
    with pytest.raises(ValueError, match="UTF-8"):
        person_key(pl.col("id_number"), b"\xff\xfe")


def test_keyed_hash_prefixes_the_namespace() -> None:
    keys = apply(lambda expr: keyed_hash(expr, SECRET, "household"), ["330106000123", None])
    assert keys == [reference_key(SECRET, "household:330106000123"), None]
    assert keys[0] != apply_one(lambda expr: person_key(expr, SECRET), "330106000123")


def test_keyed_hash_refuses_an_empty_namespace() -> None:
    with pytest.raises(ValueError, match="namespace"):
        keyed_hash(pl.col("household_number"), SECRET, "")


def test_row_hash_is_md5_of_separated_values_with_a_null_marker() -> None:
    frame = pl.DataFrame({"a": ["x", None, "", "x"], "b": ["y", "y", "y", None]})
    hashes = frame.select(row_hash(["a", "b"]))["a"].to_list()
    expected = [
        hashlib.md5(ROW_HASH_SEPARATOR.join(ROW_HASH_NULL if v is None else v for v in row).encode()).hexdigest()
        for row in frame.iter_rows()
    ]
    assert hashes == expected
    # A null and an empty string are different deliveries.
    assert hashes[1] != hashes[2]


def test_row_hash_is_stable_across_releases() -> None:
    # Pinned (md5 of "11010519491231002X\x1f张三\x1f\x1e"): a change here
    # would make every stored _row_hash stale and every row look changed.
    frame = pl.DataFrame({"id_number": ["11010519491231002X"], "name": ["张三"], "phone": [None]})
    assert frame.select(row_hash(["id_number", "name", "phone"])).item() == "5f717e0abaadd04e976d4e1bac8c8864"


def test_row_hash_equals_the_sql_expression_documented_for_the_warehouse() -> None:
    frame = pl.DataFrame({"id_number": ["11010519491231002X", None], "name": ["张三", ""]})
    ours = frame.select(row_hash(["id_number", "name"]))["id_number"].to_list()
    sql = (
        "select md5(concat_ws(chr(31), coalesce(id_number, chr(30)), coalesce(name, chr(30)))) as h "
        "from frame order by id_number nulls last"
    )
    theirs = [row[0] for row in duckdb.sql(sql).fetchall()]
    assert ours == theirs


def test_row_hash_depends_on_column_order_and_refuses_no_columns() -> None:
    frame = pl.DataFrame({"a": ["1"], "b": ["2"]})
    assert frame.select(row_hash(["a", "b"])).item() != frame.select(row_hash(["b", "a"])).item()
    with pytest.raises(ValueError, match="at least one column"):
        row_hash([])
