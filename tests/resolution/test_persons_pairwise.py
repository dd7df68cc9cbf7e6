"""Pairwise precision and recall over mentions (resolution.pairwise), on hand-counted examples."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from resolution.pairwise import pairwise_scores, truth_mentions, warehouse_mention_keys


def _mentions(entities: list[str | None]) -> pl.DataFrame:
    count = len(entities)
    return pl.DataFrame({
        "source_system": ["police"] * count, "source_entity": ["household_residents"] * count,
        "batch_id": ["HJRK:1"] * count, "record_key": [str(i) for i in range(count)],
        "role": ["resident"] * count, "position": [1] * count, "person_key": entities,
    }, schema_overrides={"person_key": pl.Utf8})


def _truth(entities: list[str]) -> pl.DataFrame:
    frame = _mentions(entities)
    return warehouse_mention_keys(frame, "person_key").with_columns(pl.lit("").alias("batch"))


def test_pairwise_scores_count_pairs_not_mentions() -> None:
    # Truth: A A A B B (4 true pairs). Prediction: x x y y y (4 predicted pairs),
    # of which (0,1) and (3,4) are right.
    scores = pairwise_scores(warehouse_mention_keys(_mentions(["x", "x", "y", "y", "y"]), "person_key"),
                             _truth(["A", "A", "A", "B", "B"]))
    assert scores["true_pairs"] == 4 and scores["predicted_pairs"] == 4 and scores["correct_pairs"] == 2
    assert scores["precision"] == pytest.approx(0.5) and scores["recall"] == pytest.approx(0.5)
    assert scores["f1"] == pytest.approx(0.5)


def test_null_keys_are_singletons_and_unknown_mentions_are_left_out() -> None:
    predicted = warehouse_mention_keys(_mentions(["x", None, None, "z"]), "person_key")
    truth = _truth(["A", "A", "A"])  # the truth does not know mention 3
    scores = pairwise_scores(predicted, truth)
    assert scores["predicted_pairs"] == 0 and scores["true_pairs"] == 3
    assert scores["recall"] == 0.0 and scores["precision"] == 1.0
    assert scores["mentions"] == 3 and scores["unmatched_predictions"] == 1


def test_truth_mentions_key_file_deliveries_by_file_and_drop_copies(tmp_path: Path) -> None:
    path = tmp_path / "person_mentions.csv"
    path.write_text(
        "source_system,source_entity,source,record_key,role,position,person_id,noise,unrecoverable,row_number,given\n"
        "housing,rental_registrations,a.csv,1,tenant,2,P1,,false,1,id_number\n"
        "housing,rental_registrations,a.csv,1,tenant,2,P1,,false,2,id_number\n"
        "police,household_residents,HJRK,7,resident,1,P2,,false,7,id_number\n",
        encoding="utf-8",
    )
    truth = truth_mentions(path, "person_id")
    assert truth.sort("entity").select("batch", "record_key", "entity").rows() == [
        ("a.csv", "1", "P1"), ("", "7", "P2")
    ]
