"""Fixtures for the quality tests."""

from __future__ import annotations

import pytest
from quality_batches import FrameBuilder, cleaned_batch


@pytest.fixture
def batch() -> FrameBuilder:
    """Give tests the ``cleaned_batch`` builder."""
    return cleaned_batch
