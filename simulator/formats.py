"""Text forms of dates and timestamps as the departments write them."""

from __future__ import annotations

import numpy as np


def iso_dates(values: np.ndarray) -> list[str]:
    """Format ``datetime64`` values as ``YYYY-MM-DD``; NaT becomes empty."""
    text = np.datetime_as_string(values.astype("datetime64[D]"), unit="D")
    return np.where(np.isnat(values), "", text).tolist()


def timestamps(values: np.ndarray, separator: str = " ") -> list[str]:
    """Format ``datetime64`` values as ``YYYY-MM-DD HH:MM:SS`` (or ``T``-separated).

    NaT becomes empty.
    """
    text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
    if separator != "T":
        text = np.char.replace(text, "T", separator)
    return np.where(np.isnat(values), "", text).tolist()
