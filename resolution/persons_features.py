"""What a person mention is compared on: name keys, birth date, gender, identity-number neighbours.

Names arrive in several spellings of one name: padded with half- or
full-width spaces, a transliterated name's middle dot typed as a bullet or a
full stop, and a rare character (喆, 堃, 玥 ...) typed as a common homophone
(哲, 坤, 月) or as its pinyin (``王zhe``) when an input method or an old
system lacks it. :func:`normalize_name` removes what is certainly noise
(spacing, width, dot variants); :func:`name_key` maps a name to toneless
pinyin so that homophone spellings meet. Homophones of *different* persons
meet too (王伟 and 王威), so the key is a blocking and comparison level, with
its own term frequency, never proof on its own.

A number that fails its check character was mistyped or transposed in one
place (a single substitution or swap of neighbours always breaks
MOD 11-2), so it still tells the birth date and gender most of the time and
is one edit away from the true number. :func:`neighbour_keys` gives five
cuts of a number such that any single substitution or adjacent swap leaves at
least one cut intact: joining on them finds the one-edit neighbours without
comparing every pair.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import polars as pl
from pypinyin import Style, lazy_pinyin

from ingest.common.identity import birth_date_from_id, gender_code_from_id, id_number_issue

__all__ = [
    "DOT_VARIANTS",
    "MIDDLE_DOT",
    "id_edit_distance",
    "id_edit_distances",
    "mention_features",
    "name_key",
    "name_keys",
    "name_table",
    "neighbour_keys",
    "one_edit_numbers",
    "normalize_name",
    "normalize_name_expr",
]

#: The middle dot of transliterated names (U+00B7), as GB 18030 registers write it.
MIDDLE_DOT = "\u00b7"
#: Characters typed for the middle dot: bullet, full stops, katakana middle
#: dots, hyphenation point, dot operators, word separator middle dot.
DOT_VARIANTS = "\u2022.\uff0e\u30fb\uff65\u2027\u2219\u22c5\u2e31\u0387"
_DOT_TABLE = str.maketrans({character: MIDDLE_DOT for character in DOT_VARIANTS})


def normalize_name_expr(name: pl.Expr) -> pl.Expr:
    """Normalize names: no spacing, width or middle-dot variation (see :func:`normalize_name`)."""
    # NFKC first: it turns the full-width full stop into "." and the
    # half-width katakana dot into the full-width one, both then mapped.
    dots = list(DOT_VARIANTS)
    return (
        name.str.normalize("NFKC")
        .str.replace_many(dots, [MIDDLE_DOT] * len(dots))
        .str.replace_all(r"\s", "")
        .str.to_lowercase()
        .replace("", None)
    )


def normalize_name(name: str | None) -> str | None:
    """Return a name without spacing, width or middle-dot variation.

    NFKC folds full-width letters and spaces; every whitespace character is
    dropped (clerks pad two-character names, 王 伟, to align them with
    three-character ones); every look-alike dot becomes U+00B7; Latin letters
    are lower-cased. Empty results are ``None``.

    Args:
        name: A name as ingest wrote it.

    Returns:
        The normalized name, or ``None``.
    """
    return pl.select(normalize_name_expr(pl.lit(name, dtype=pl.Utf8))).item()


@functools.lru_cache(maxsize=65536)
def _character_pinyin(character: str) -> str:
    if character.isascii():
        return character if character.isalnum() else ""
    if character == MIDDLE_DOT:
        return ""
    # NORMAL style is toneless; a character pypinyin does not know comes back
    # unchanged and is kept as itself.
    return lazy_pinyin(character, style=Style.NORMAL, errors="default")[0]


def name_keys(normalized: pl.Series) -> pl.Series:
    """Map normalized names to toneless pinyin, so homophone spellings meet.

    Each character is read on its own (its most common reading), so a name
    reads the same however it is spelled: 王喆, 王哲 and ``王zhe`` all give
    ``wangzhe``. The middle dot is dropped. pypinyin runs once per distinct
    character (a few hundred in a city); the names are then rewritten in one
    vectorized pass that replaces every such character by its reading.

    Args:
        normalized: Output of :func:`normalize_name_expr`.

    Returns:
        The keys (null for a missing name), named ``name_key``.
    """
    characters = normalized.str.split("").explode().drop_nulls().unique()
    # ASCII letters and digits read as themselves: only the others are replaced.
    characters = characters.filter(~characters.str.contains(r"^[a-z0-9]$")).to_list()
    readings = [_character_pinyin(character) for character in characters]
    keys = normalized.str.replace_many(characters, readings) if characters else normalized
    return keys.replace("", None).alias("name_key")


def name_key(normalized: str | None) -> str | None:
    """Map one normalized name to toneless pinyin (see :func:`name_keys`)."""
    return name_keys(pl.Series([normalized], dtype=pl.Utf8)).item()


def name_table(names: pl.Series) -> pl.DataFrame:
    """Return each distinct delivered name with its ``name_norm`` and ``name_key``."""
    distinct = names.cast(pl.Utf8).drop_nulls().unique().alias("name")
    frame = pl.DataFrame({"name": distinct}).with_columns(name_norm=normalize_name_expr(pl.col("name")))
    return frame.with_columns(name_key=name_keys(frame["name_norm"]))


def neighbour_keys(id_number: pl.Expr) -> list[pl.Expr]:
    """Return five cuts of an 18-character number that a single edit leaves one of intact.

    The number is three segments of six: A (0-5, the area), B (6-11, birth
    year and month) and C (12-17, day, sequence, check). A substitution or a
    swap inside one segment keeps the other two: cuts A+B, A+C and B+C. A
    swap across a boundary (positions 5/6 or 11/12) is caught by the number
    without those two positions. Every cut keeps at least 12 characters, so
    a block holds a handful of numbers even in a city of millions (cutting
    in halves would put everyone of one district and decade in one block).

    Args:
        id_number: Canonical identity numbers (18 characters; others give null).

    Returns:
        Expressions named ``id_cut_1`` ... ``id_cut_5``.
    """
    eighteen = pl.when(id_number.str.len_chars() == 18).then(id_number)
    pieces = [
        (eighteen.str.slice(0, 12),),
        (eighteen.str.slice(0, 6), eighteen.str.slice(12, 6)),
        (eighteen.str.slice(6, 12),),
        (eighteen.str.slice(0, 5), eighteen.str.slice(7, 11)),
        (eighteen.str.slice(0, 11), eighteen.str.slice(13, 5)),
    ]
    return [
        pl.concat_str(pl.lit(str(number)), *parts).alias(f"id_cut_{number}")
        for number, parts in enumerate(pieces, start=1)
    ]


#: GB 11643's check (ISO 7064 MOD 11-2): weight 2^(17-i) mod 11 for digit i,
#: and the character for the weighted sum mod 11 (``ingest.common.identity``
#: holds the same; a test keeps them equal).
_CHECK_WEIGHTS = np.array([pow(2, 17 - place, 11) for place in range(17)], dtype=np.int64)
_CHECK_CHARACTERS = np.frombuffer(b"10X98765432", dtype=np.uint8)


def one_edit_numbers(id_numbers: pl.Series) -> pl.Series:
    """Return the numbers one substitution or adjacent swap from these whose check character is right.

    A keyed person's number is valid, so the keyed numbers one edit from a
    mistyped one are among these: about 17 per number (a substitution in
    one of 17 places fixes the check sum for one digit in 11, and one
    check character fits), however large the city, so a warehouse finds
    them with one plain join instead of computing cuts of every number.
    The 198 variants of each number are checked as a byte matrix.

    Args:
        id_numbers: Numbers of 18 ASCII characters (others are ignored).

    Returns:
        The distinct neighbours, named ``id_number``.
    """
    numbers = id_numbers.cast(pl.Utf8).drop_nulls().unique()
    numbers = numbers.filter((numbers.str.len_bytes() == 18) & (numbers.str.len_chars() == 18))
    if numbers.is_empty():
        return pl.Series("id_number", [], dtype=pl.Utf8)
    grid = np.frombuffer("".join(numbers.to_list()).encode(), dtype=np.uint8).reshape(-1, 18)
    variants = []
    for place in range(18):
        for character in b"0123456789X" if place == 17 else b"0123456789":
            variant = grid.copy()
            variant[:, place] = character
            variants.append(variant)
    for place in range(17):
        variant = grid.copy()
        variant[:, [place, place + 1]] = grid[:, [place + 1, place]]
        variants.append(variant)
    candidates = np.concatenate(variants)
    # Bytes below "0" wrap around as unsigned, so one comparison keeps only digits.
    digits = candidates[:, :17] - ord("0")
    check = _CHECK_CHARACTERS[(digits.astype(np.int64) @ _CHECK_WEIGHTS) % 11]
    valid = candidates[(digits <= 9).all(axis=1) & (check == candidates[:, 17])]
    text = valid.tobytes().decode("ascii")
    return pl.Series("id_number", [text[start:start + 18] for start in range(0, len(text), 18)]).unique()


def id_edit_distances(left: pl.Series, right: pl.Series) -> pl.Series:
    """Count edits between identity numbers, pair by pair: 0, 1 (one substitution or adjacent swap) or 2 (more).

    Vectorized over pairs as byte matrices (a linkage run compares ~50,000
    pairs per million persons): per position, whether the characters
    differ; one difference is a substitution, two neighbouring differences
    that mirror each other are a swap. Numbers are compared as ingest
    writes them (ASCII digits and X); anything not 18 such characters is
    one edit from nothing but itself.

    Args:
        left: Canonical identity numbers.
        right: Others, as many.

    Returns:
        Int64 distances named ``id_edit_distance``: null when either is missing.
    """
    frame = pl.DataFrame({"left": left.cast(pl.Utf8), "right": right.cast(pl.Utf8)})
    shaped = frame.select(
        pl.all_horizontal(
            (pl.col(side).str.len_bytes() == 18) & (pl.col(side).str.len_chars() == 18) for side in ("left", "right")
        ) & (pl.col("left") != pl.col("right"))
    ).to_series().fill_null(False)
    distances = np.where(frame.select(pl.col("left") == pl.col("right")).to_series().fill_null(False), 0, 2)
    compared = np.flatnonzero(shaped.to_numpy())
    if compared.size:
        pairs = frame[compared]
        grids = [
            np.frombuffer("".join(pairs[side].to_list()).encode(), dtype=np.uint8).reshape(-1, 18)
            for side in ("left", "right")
        ]
        ours, theirs = grids
        differ = ours != theirs
        mismatches = differ.sum(axis=1)
        swapped = (
            differ[:, :-1] & differ[:, 1:] & (ours[:, :-1] == theirs[:, 1:]) & (ours[:, 1:] == theirs[:, :-1])
        ).any(axis=1)
        distances[compared] = np.where((mismatches == 1) | ((mismatches == 2) & swapped), 1, 2)
    missing = frame.select(pl.col("left").is_null() | pl.col("right").is_null()).to_series()
    return pl.Series("id_edit_distance", distances, dtype=pl.Int64).zip_with(
        ~missing, pl.Series([None], dtype=pl.Int64)
    )


def id_edit_distance(left: str | None, right: str | None) -> int | None:
    """Count edits between two identity numbers (see :func:`id_edit_distances`)."""
    return id_edit_distances(pl.Series([left], dtype=pl.Utf8), pl.Series([right], dtype=pl.Utf8)).item()


def mention_features(mentions: pl.DataFrame, names: pl.DataFrame | None = None) -> pl.DataFrame:
    """Add the comparison features to person mentions.

    Args:
        mentions: ``identity.person_mentions`` rows (at least ``id_number``,
            ``name``, ``phone``); an ``address_key`` column is kept if present.
        names: :func:`name_table` of (at least) these mentions' names, when the
            caller has it already.

    Returns:
        The rows with ``name_norm``, ``name_key``, ``id_valid`` (bool),
        ``birth_date`` and ``gender_code`` (from the number, valid or with a
        failing check character, when its date part is a real date),
        ``phone_norm`` (digits only), ``estate_key`` (the estate of
        ``address_key``) and the neighbour cuts.
    """
    names = name_table(mentions["name"]) if names is None else names
    frame = mentions.with_columns(pl.col("name").cast(pl.Utf8)).join(
        names.select("name", "name_norm", "name_key"), on="name", how="left", maintain_order="left"
    )
    number = pl.col("id_number")
    issue = id_number_issue(number)
    return frame.with_columns(
        id_valid=issue.is_null() & number.is_not_null(),
        # A number with a failing check character still carries its date and
        # sex digits (they are right unless the typo hit them: 9 of 17 places).
        birth_date=pl.when(issue.is_null() | (issue == "bad_check_character")).then(birth_date_from_id(number)),
        gender_code=pl.when(issue.is_null() | (issue == "bad_check_character")).then(gender_code_from_id(number)),
        phone_norm=pl.col("phone").cast(pl.Utf8).str.replace_all(r"\D", "").replace("", None),
        # address_key is ``estate|building|entrance|room`` (ingest.common.addresses).
        estate_key=pl.col("address_key").str.split("|").list.first().replace("", None)
        if "address_key" in mentions.columns else pl.lit(None, dtype=pl.Utf8),
        *neighbour_keys(number),
    )
