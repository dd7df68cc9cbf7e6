"""Name normalization, pinyin keys and identity-number neighbours (table-driven)."""

from __future__ import annotations

import random

import polars as pl
import pytest

from ingest.common.identity import check_character
from resolution.persons_features import (
    id_edit_distance,
    id_edit_distances,
    mention_features,
    name_key,
    neighbour_keys,
    normalize_name,
    one_edit_numbers,
)


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        ("王伟", "王伟"),
        (" 王伟 ", "王伟"),
        ("王 伟", "王伟"),  # padded to align with three-character names
        ("王\u3000伟", "王伟"),  # full-width space
        ("王伟\u3000", "王伟"),
        ("艾力·买买提", "艾力·买买提"),
        ("艾力•买买提", "艾力·买买提"),  # bullet
        ("艾力.买买提", "艾力·买买提"),
        ("艾力．买买提", "艾力·买买提"),  # full-width full stop
        ("艾力・买买提", "艾力·买买提"),  # katakana middle dot
        ("杨YAO", "杨yao"),
        ("   ", None),
        (None, None),
    ],
)
def test_normalize_name_removes_spacing_width_and_dot_variants(delivered: str | None, expected: str | None) -> None:
    assert normalize_name(delivered) == expected


@pytest.mark.parametrize(
    ("left", "right", "same_key"),
    [
        ("王喆", "王哲", True),  # rare character typed as its homophone
        ("王喆", "王zhe", True),  # ... or as pinyin
        ("李淼", "李苗", True),
        ("张玥", "张月", True),
        ("艾力·买买提", "艾力买买提", True),  # the dot is not part of the key
        ("王伟", "王芳", False),
        ("王伟", "汪伟", True),  # homophone surnames meet too: the key blocks, the exact level decides
        ("张伟", "张伟伟", False),
    ],
)
def test_name_key_makes_homophone_spellings_meet(left: str, right: str, same_key: bool) -> None:
    assert (name_key(normalize_name(left)) == name_key(normalize_name(right))) is same_key


def test_name_key_is_none_for_a_missing_name() -> None:
    assert name_key(None) is None
    assert name_key("") is None


VALID = "11010519491231002X"


@pytest.mark.parametrize(
    ("left", "right", "distance"),
    [
        (VALID, VALID, 0),
        (VALID, "11010519491231003X", 1),  # one substitution
        (VALID, "11010159491231002X", 1),  # neighbours swapped
        (VALID, "11010519491231200X", 2),  # a swap of non-neighbours
        (VALID, "21010519491231003X", 2),  # two substitutions
        (VALID, "110105194912310", 2),  # different lengths
        (VALID, None, None),
        (None, None, None),
    ],
)
def test_id_edit_distance_counts_one_slip_as_one_edit(left: str | None, right: str | None, distance: int | None) -> None:
    assert id_edit_distance(left, right) == distance


def test_every_single_slip_keeps_one_neighbour_cut_intact() -> None:
    rng = random.Random(5)
    for _ in range(50):
        first17 = "".join(str(rng.randrange(10)) for _ in range(17))
        number = first17 + check_character(first17)
        slips = []
        for position in range(17):
            digit = str((int(number[position]) + rng.randrange(1, 10)) % 10)
            slips.append(number[:position] + digit + number[position + 1:])
        for i in range(16):
            if number[i] != number[i + 1]:
                slips.append(number[:i] + number[i + 1] + number[i] + number[i + 2:])
        frame = pl.DataFrame({"id": [number, *slips]}).select(neighbour_keys(pl.col("id")))
        true_cuts = frame.row(0)
        for slipped in frame.rows()[1:]:
            assert any(a == b for a, b in zip(true_cuts, slipped, strict=True)), slipped


def test_one_edit_numbers_find_the_true_number_of_every_single_slip_and_only_valid_numbers() -> None:
    rng = random.Random(11)
    pairs = []
    for _ in range(20):
        first17 = "".join(str(rng.randrange(10)) for _ in range(17))
        number = first17 + check_character(first17)
        slips = [number[:17] + ("0" if number[17] != "0" else "1")]  # the check character itself
        for position in range(17):
            digit = str((int(number[position]) + rng.randrange(1, 10)) % 10)
            slips.append(number[:position] + digit + number[position + 1:])
        for i in range(17):
            if number[i] != number[i + 1]:
                slips.append(number[:i] + number[i + 1] + number[i] + number[i + 2:])
        for slipped in slips:
            found = one_edit_numbers(pl.Series([slipped])).to_list()
            assert number in found, slipped
            pairs += [(slipped, other) for other in found]
    assert all(other[17] == check_character(other[:17]) for _, other in pairs)
    slipped, found = zip(*pairs, strict=True)
    assert id_edit_distances(pl.Series(slipped), pl.Series(found)).max() == 1


def test_one_edit_numbers_ignore_missing_and_malformed_numbers() -> None:
    assert one_edit_numbers(pl.Series([None, "3201061980", "３２０１０６１９８００２２９００１Ｘ"], dtype=pl.Utf8)).is_empty()
    # A letter typed for a digit: only replacing it can give a valid number.
    first17 = "32010619800229001"
    number = first17 + check_character(first17)
    found = one_edit_numbers(pl.Series([number[:3] + "O" + number[4:]])).to_list()
    assert number in found and all(other[:3] + other[4:] == number[:3] + number[4:] for other in found)


def test_mention_features_read_birth_date_and_gender_from_a_mistyped_number() -> None:
    first17 = "32010619800229001"
    valid = first17 + check_character(first17)
    wrong_check = first17 + ("0" if valid[-1] != "0" else "1")
    frame = mention_features(pl.DataFrame({
        "id_number": [valid, wrong_check, None, "3201061980"],
        "name": ["王 伟", "王伟", "王伟", None],
        "phone": ["+86 138-0013-8000", None, None, None],
    }))
    assert frame["id_valid"].to_list() == [True, False, False, False]
    assert [str(d) if d else None for d in frame["birth_date"].to_list()] == ["1980-02-29", "1980-02-29", None, None]
    assert frame["gender_code"].to_list() == ["1", "1", None, None]  # sequence 001: odd, a man
    assert frame["name_norm"].to_list() == ["王伟", "王伟", "王伟", None]
    assert frame["phone_norm"].to_list() == ["8613800138000", None, None, None]
