"""Masking of clear identifiers in `sharehouse explain` (table-driven)."""

from __future__ import annotations

import pytest

from resolution.explain import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("mask", "value", "expected"),
    [
        (mask_id_number, "32010619850312001X", "320106********001X"),
        (mask_id_number, "3201061985", "**********"),
        (mask_id_number, None, None),
        (mask_name, "诸葛玥", "诸**"),
        (mask_name, "王", "王"),
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "+8613812345678", "+86*******5678"),
        (mask_phone, "1234567", "*******"),
    ],
)
def test_masks_keep_only_what_identifies_no_one(mask, value, expected) -> None:
    assert mask(value) == expected
