"""Named, independent random streams derived from the run's seed.

Each concern (the city, the people, the noise of one delivery) draws from its
own stream. Adding a delivery or a draw in one concern therefore never shifts
the numbers of another, so earlier outputs stay byte-identical when the
simulator grows.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """Return the random generator of concern `name` under `seed`.

    Args:
        seed: The run's non-negative seed.
        name: A stable label such as ``"people/ages"`` or ``"noise/police/HJRK"``.

    Returns:
        A generator that yields the same numbers for the same seed and name,
        in every process (no use of Python's randomized ``hash``).
    """
    label = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return np.random.default_rng([seed, label])
