"""Derive pseudonymous keys and row fingerprints.

``person_key`` is the first 32 hex characters of HMAC-SHA256(secret, canonical
18-character identity number) (docs/architecture.md, "Keys and secrets");
``keyed_hash`` is the same over ``namespace + ":" + value`` for other keys such
as ``household:<household number>``. ``row_hash`` fingerprints the delivered
values of a row so duplicates and changed records can be found.

HMAC has no polars expression, so these run Python's hashlib inside
``map_batches``. The HMAC is built from pre-hashed inner and outer pads
(RFC 2104) and each distinct value is hashed once: measured on 1,000,000
distinct identity numbers, that is about twice as fast as ``hmac.new`` per
value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import polars as pl

__all__ = ["ROW_HASH_NULL", "ROW_HASH_SEPARATOR", "keyed_hash", "person_key", "row_hash"]

#: Separator between values in :func:`row_hash` (ASCII unit separator).
ROW_HASH_SEPARATOR = "\x1f"
#: Stand-in for a null value in :func:`row_hash` (ASCII record separator), so
#: that null and the empty string hash differently.
ROW_HASH_NULL = "\x1e"

_KEY_HEX_CHARACTERS = 32
_SHA256_BLOCK_SIZE = 64
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


def _hmac_sha256_hex32(secret: bytes, prefix: bytes) -> Callable[[str], str]:
    """Return a function computing HMAC-SHA256(secret, prefix + value)[:32 hex]."""
    if not isinstance(secret, bytes | bytearray) or not secret:
        raise ValueError("the key secret must be non-empty bytes")
    key = hashlib.sha256(secret).digest() if len(secret) > _SHA256_BLOCK_SIZE else bytes(secret)
    key = key.ljust(_SHA256_BLOCK_SIZE, b"\0")
    inner = hashlib.sha256(key.translate(_INNER_PAD))
    inner.update(prefix)
    outer = hashlib.sha256(key.translate(_OUTER_PAD))

    def digest(value: str) -> str:
        inner_copy = inner.copy()
        inner_copy.update(value.encode())
        outer_copy = outer.copy()
        outer_copy.update(inner_copy.digest())
        return outer_copy.hexdigest()[:_KEY_HEX_CHARACTERS]

    return digest


def _map_distinct(expr: pl.Expr, function: Callable[[str], str]) -> pl.Expr:
    """Apply a str -> str function to each distinct non-null value of a column."""

    def apply(values: pl.Series) -> pl.Series:
        distinct = values.drop_nulls().unique()
        mapped = pl.Series([function(value) for value in distinct.to_list()], dtype=pl.String)
        return values.replace_strict(distinct, mapped, default=None, return_dtype=pl.String)

    return expr.cast(pl.String).map_batches(apply, return_dtype=pl.String, is_elementwise=True)


def person_key(expr_canonical_id: pl.Expr, secret: bytes) -> pl.Expr:
    """Derive the pseudonymous person key from canonical identity numbers.

    Args:
        expr_canonical_id: Canonical 18-character identity numbers (the output
            of ``normalize_id_number`` for rows without an issue).
        secret: The key secret (``SHAREHOUSE_PERSON_KEY_SECRET``), as bytes.

    Returns:
        A String expression: the first 32 lower-case hex characters of
        HMAC-SHA256(secret, identity number); null where the input is null.

    Raises:
        ValueError: If ``secret`` is empty or not bytes.
    """
    return _map_distinct(expr_canonical_id, _hmac_sha256_hex32(secret, b""))


def keyed_hash(expr: pl.Expr, secret: bytes, namespace: str) -> pl.Expr:
    """Derive a namespaced pseudonymous key, e.g. ``household_key``.

    The namespace keeps keys of different things apart: a household number
    that happens to equal an identity number still gets another key.

    Args:
        expr: The values to key (String).
        secret: The key secret, as bytes; the same one as for :func:`person_key`.
        namespace: The kind of thing keyed, e.g. ``household``.

    Returns:
        A String expression: the first 32 hex characters of
        HMAC-SHA256(secret, namespace + ":" + value); null where the input is null.

    Raises:
        ValueError: If ``secret`` is empty or not bytes, or ``namespace`` is empty.
    """
    if not namespace:
        raise ValueError("namespace must be non-empty; use person_key for identity numbers")
    return _map_distinct(expr, _hmac_sha256_hex32(secret, f"{namespace}:".encode()))


def _md5_hex(values: pl.Series) -> pl.Series:
    return pl.Series([hashlib.md5(value.encode()).hexdigest() for value in values.to_list()], dtype=pl.String)


def row_hash(columns: list[str]) -> pl.Expr:
    """Fingerprint the values of the given columns, stably across versions.

    polars' own ``hash()`` may change between releases, so this is MD5 (a
    fingerprint, not a secret) over the values cast to text, joined by
    :data:`ROW_HASH_SEPARATOR`, nulls written as :data:`ROW_HASH_NULL`. MD5 is
    chosen because both warehouses have it: the same hash is, in SQL,
    ``md5(concat_ws(chr(31), coalesce(c1, chr(30)), coalesce(c2, chr(30)), ...))``
    over the text columns of a raw table.

    Args:
        columns: Column names, in a fixed order (the order changes the hash).

    Returns:
        A String expression of 32 lower-case hex characters per row.

    Raises:
        ValueError: If ``columns`` is empty.
    """
    if not columns:
        raise ValueError("row_hash needs at least one column")
    joined = pl.concat_str(
        [pl.col(column).cast(pl.String).fill_null(ROW_HASH_NULL) for column in columns],
        separator=ROW_HASH_SEPARATOR,
    )
    return joined.map_batches(_md5_hex, return_dtype=pl.String, is_elementwise=True)
