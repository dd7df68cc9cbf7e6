"""Stable surrogate keys: reruns change nothing, new evidence records merges and splits."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from resolution.keys import MENTION_COLUMNS, assign_keys, surrogate_key

RUN_1 = datetime(2026, 11, 1)
RUN_2 = datetime(2026, 12, 1)
HMAC_KEY = "0123456789abcdef0123456789abcdef"


def _clusters(rows: list[tuple[str, str | None, int | None]]) -> pl.DataFrame:
    """Mentions named by record key, with the keyed person or cluster linkage gave them."""
    return pl.DataFrame(
        {
            "source_system": ["justice"] * len(rows), "source_entity": ["mediation_cases"] * len(rows),
            "batch_id": ["b1"] * len(rows), "record_key": [r[0] for r in rows], "role": ["party"] * len(rows),
            "position": [1] * len(rows), "person_key": [r[1] for r in rows], "cluster": [r[2] for r in rows],
        },
        schema_overrides={"person_key": pl.Utf8, "cluster": pl.UInt32, "position": pl.Int64},
    )


def _empty_previous() -> pl.DataFrame:
    return pl.DataFrame(schema={**{c: pl.Utf8 for c in MENTION_COLUMNS}, "position": pl.Int64,
                                "person_key": pl.Utf8, "assigned_at": pl.Datetime("us")})


def _as_previous(assigned: pl.DataFrame) -> pl.DataFrame:
    return assigned.filter(~pl.col("person_key").is_in([HMAC_KEY])).select(*MENTION_COLUMNS, "person_key",
                                                                          "assigned_at")


def _keys(assigned: pl.DataFrame) -> dict[str, str]:
    return dict(zip(assigned["record_key"].to_list(), assigned["person_key"].to_list(), strict=True))


def test_surrogates_are_32_hex_and_never_an_hmac_key_in_use() -> None:
    clusters = _clusters([("1", None, 0)])
    seed = "justice\x1fmediation_cases\x1fb1\x1f1\x1fparty\x1f1"
    taken = surrogate_key(seed)
    assigned, _ = assign_keys(clusters, _empty_previous(), {taken}.intersection, RUN_1)
    key = assigned["person_key"][0]
    assert len(key) == 32 and all(c in "0123456789abcdef" for c in key)
    assert key != taken
    assert key == surrogate_key(seed, 1)


def test_rerun_on_the_same_clusters_changes_no_key_and_records_nothing() -> None:
    clusters = _clusters([("1", None, 0), ("2", None, 0), ("3", None, 2), ("4", HMAC_KEY, None)])
    first, history = assign_keys(clusters, _empty_previous(), {HMAC_KEY}.intersection, RUN_1)
    assert history.is_empty()
    assert first["is_new_surrogate"].to_list() == [True, True, True, False]
    # Cluster ids are arbitrary per run: renumber them, keys must not move.
    renumbered = clusters.with_columns(pl.col("cluster").replace({0: 7, 2: 9}))
    second, history = assign_keys(renumbered, _as_previous(first), {HMAC_KEY}.intersection, RUN_2)
    assert _keys(second) == _keys(first)
    assert history.is_empty()
    assert not second["is_new_surrogate"].any()
    assert second["assigned_at"].to_list()[:3] == [RUN_1] * 3


def test_new_evidence_joining_two_surrogates_records_a_merge() -> None:
    first, _ = assign_keys(_clusters([("1", None, 0), ("2", None, 0), ("3", None, 2)]), _empty_previous(),
                           {HMAC_KEY}.intersection, RUN_1)
    before = _keys(first)
    # A new delivery's mention 5 links the two: one cluster of four.
    joined = _clusters([("1", None, 0), ("2", None, 0), ("3", None, 0), ("5", None, 0)])
    second, history = assign_keys(joined, _as_previous(first), {HMAC_KEY}.intersection, RUN_2)
    after = _keys(second)
    assert len(set(after.values())) == 1
    assert after["1"] == before["1"], "the surrogate holding most mentions survives"
    assert history.select("change", "from_key", "to_key", "mentions").rows() == [
        ("merge", before["3"], before["1"], 1)
    ]
    assert history["changed_at"].to_list() == [RUN_2]


def test_a_surrogate_person_found_to_hold_a_valid_number_merges_into_the_hmac_key() -> None:
    first, _ = assign_keys(_clusters([("1", None, 0), ("2", None, 0)]), _empty_previous(),
                           {HMAC_KEY}.intersection, RUN_1)
    second, history = assign_keys(_clusters([("1", HMAC_KEY, None), ("2", HMAC_KEY, None)]), _as_previous(first),
                                  {HMAC_KEY}.intersection, RUN_2)
    assert set(second["person_key"]) == {HMAC_KEY}
    assert history.select("change", "to_key", "mentions").rows() == [("merge", HMAC_KEY, 2)]
    assert "valid identity number" in history["reason"][0]


def test_a_split_keeps_the_key_on_the_larger_part_and_records_the_split() -> None:
    first, _ = assign_keys(_clusters([("1", None, 0), ("2", None, 0), ("3", None, 0)]), _empty_previous(),
                           {HMAC_KEY}.intersection, RUN_1)
    old = first["person_key"][0]
    second, history = assign_keys(_clusters([("1", None, 0), ("2", None, 0), ("3", None, 2)]),
                                  _as_previous(first), {HMAC_KEY}.intersection, RUN_2)
    after = _keys(second)
    assert after["1"] == after["2"] == old != after["3"]
    assert history.select("change", "from_key", "to_key", "mentions").rows() == [("split", old, after["3"], 1)]
