"""Shared fixtures."""

from __future__ import annotations

import pytest

from tests.seeds import SEED_001


@pytest.fixture(scope="session")
def seed_001_lines() -> list[str]:
    return SEED_001.read_text(encoding="utf-8").split("\n")
