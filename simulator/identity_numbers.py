"""Resident identity numbers (GB 11643-1999): check characters and assignment.

The check character is ISO 7064 MOD 11-2 over the first 17 digits. Generation
is vectorized because a 100,000-person city needs 100,000 unique numbers.
"""

from __future__ import annotations

from datetime import date

import numpy as np

# Weights 2^(17-i) mod 11 of ISO 7064 MOD 11-2 for positions 1..17.
CHECK_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
# Check character indexed by (weighted sum mod 11).
CHECK_CHARACTERS = "10X98765432"


def check_character(body: str) -> str:
    """Return the check character of a 17-digit identity-number body."""
    total = sum(int(digit) * int(weight) for digit, weight in zip(body, CHECK_WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def check_characters(bodies: list[str]) -> list[str]:
    """Return the check characters of many 17-digit bodies at once."""
    if not bodies:
        return []
    digits = np.frombuffer("".join(bodies).encode("ascii"), dtype=np.uint8).reshape(len(bodies), 17)
    remainders = ((digits.astype(np.int64) - 48) @ CHECK_WEIGHTS) % 11
    table = np.array(list(CHECK_CHARACTERS))
    return table[remainders].tolist()


def is_valid_identity_number(number: str) -> bool:
    """Tell whether `number` is a well-formed 18-character identity number.

    Checks length, digits, a real birth date and the check character; the
    address code is not checked against GB/T 2260 here.
    """
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return check_character(number[:17]) == number[17]


def to_legacy_15(number: str) -> str:
    """Return the legacy 15-digit form (two-digit year, no check character).

    Only meaningful for persons born 1900-1999; the pipeline restores the
    century as ``19``.
    """
    return number[:6] + number[8:17]


def assign_identity_numbers(
    address_codes: np.ndarray,
    birth_dates: np.ndarray,
    male: np.ndarray,
    rng: np.random.Generator,
) -> list[str]:
    """Assign unique, valid identity numbers.

    Args:
        address_codes: 6-digit county codes (str array), one per person.
        birth_dates: Birth dates as ``datetime64[D]``.
        male: Boolean array; males get odd sequence numbers, females even.
        rng: Random stream for the sequence numbers.

    Returns:
        18-character identity numbers in the order of the inputs.
    """
    count = len(address_codes)
    births = np.char.replace(np.datetime_as_string(birth_dates, unit="D"), "-", "")
    prefixes = np.char.add(address_codes.astype("U6"), births)
    # Sequence 001-999; parity carries the gender. 000 is never issued.
    sequences = _draw_sequences(count, male, rng)
    bodies = np.char.add(prefixes, np.char.zfill(sequences.astype("U3"), 3)).tolist()
    # Later holders of a number already taken draw again, one by one against
    # the set of issued numbers (a whole-array pass per round would cost a
    # sort of a million strings each time).
    taken: set[str] = set()
    prefix_list = prefixes.tolist()
    for i, body in enumerate(bodies):
        while body in taken:
            sequence = int(_draw_sequences(1, male[i : i + 1], rng)[0])
            body = f"{prefix_list[i]}{sequence:03d}"
        taken.add(body)
        bodies[i] = body
    return [body + check for body, check in zip(bodies, check_characters(bodies), strict=True)]


def _draw_sequences(count: int, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    halves = rng.integers(1, 500, size=count)
    return np.where(male, halves * 2 - 1, halves * 2)
