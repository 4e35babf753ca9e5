"""Shared fixtures."""

from __future__ import annotations

import os

import pytest

# Commands the tests start as processes read the real settings, in demo mode (tests/settings.py).
os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.web.settings"

from tests.seeds import SEED_001


@pytest.fixture(scope="session")
def seed_001_lines() -> list[str]:
    return SEED_001.read_text(encoding="utf-8").split("\n")
