"""Unified social credit codes (GB 32100-2015) of organizations.

Layout: registration authority (1) + organization type (1) + 6-digit
administrative code + 9-character organization code (GB 11714, its own check
character) + check character over the 31-character alphabet.
"""

from __future__ import annotations

import numpy as np

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {character: index for index, character in enumerate(ALPHABET)}
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code_check(body: str) -> str:
    """Return the GB 11714 check character of an 8-digit organization code."""
    remainder = 11 - sum(int(c) * w for c, w in zip(body, ORGANIZATION_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def credit_code_check(body: str) -> str:
    """Return the GB 32100 check character of a 17-character body."""
    total = sum(_VALUE[c] * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Tell whether `code` is an 18-character credit code with a valid check."""
    return len(code) == 18 and all(c in _VALUE for c in code) and credit_code_check(code[:17]) == code[17]


def make_credit_codes(
    admin_codes: list[str], rng: np.random.Generator, prefix: str = "91", seen: set[str] | None = None
) -> list[str]:
    """Make one unique credit code per administrative code given.

    Args:
        admin_codes: 6-digit county codes where each organization registered.
        rng: Random stream for the organization codes.
        prefix: Registration authority and organization type: ``91``
            (market regulator, enterprise; the common case among property
            owners), ``92`` (sole proprietor), ``12`` (public institution),
            ``51``/``52``/``53`` (civil affairs: association, private
            non-enterprise unit, foundation).
        seen: Organization codes already issued, kept unique across calls
            (updated in place).

    Returns:
        The codes.
    """
    codes: list[str] = []
    seen = set() if seen is None else seen
    for admin_code in admin_codes:
        while True:
            body8 = f"{int(rng.integers(10_000_000, 100_000_000)):08d}"
            organization_code = body8 + organization_code_check(body8)
            if organization_code not in seen:
                seen.add(organization_code)
                break
        body = prefix + admin_code + organization_code
        codes.append(body + credit_code_check(body))
    return codes
