"""The explicit noise rates of the `rates_city` fixture.

A module of its own rather than a conftest constant: test modules import it by
name, and `conftest` is ambiguous once several test folders are collected.
"""

# Every issue at a rate high enough to count in a 5,000-person city.
RATES = {
    **{f"id_{name}": 0.02 for name in ("fullwidth", "spaces", "mistyped_digit", "transposed_digits", "missing")},
    "id_legacy_15": 0.05,
    "id_lowercase_x": 0.05,
    "name_outer_spaces": 0.02,
    "name_inner_space": 0.02,
    "name_fullwidth_space": 0.02,
    "name_dot_variant": 0.3,
    "name_rare_char": 0.3,
    **{
        f"date_{name}": 0.02
        for name in ("slashes", "compact", "chinese", "excel_serial", "placeholder", "impossible", "future")
    },
    **{
        f"address_{name}": 0.02
        for name in ("no_prefix", "chinese_numerals", "building_word", "dash_form", "missing_room", "fullwidth")
    },
    **{f"phone_{name}": 0.03 for name in ("plus86", "separators", "landline", "typo_10")},
    "credit_code_lowercase": 0.05,
    "credit_code_mistyped": 0.05,
    "coordinates_missing": 0.05,
    "coordinates_zero": 0.05,
    "duplicate_row": 0.02,
    "duplicate_batch": 0.05,
    "correction": 0.03,
    "unknown_unit": 0.02,
    "schema_renamed": 0.25,
    "schema_added_column": 0.25,
    "schema_reordered": 0.25,
    "out_of_scope": 0.25,
    "broken_truncated": 0.02,
    "broken_wrong_encoding": 0.02,
    "broken_empty": 0.02,
    "extra_sheet": 0.25,
}
