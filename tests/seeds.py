"""Paths of the seed documents, bundled with the package (and kept equal to ../shared/seeds)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "cchc" / "samples" / "seeds"
SEED_000 = SEEDS / "000_f748df3ee7a03c16.txt"
SEED_001 = SEEDS / "001_81e409cca2244e78.txt"
SEED_002 = SEEDS / "002_525a275af6cc0ed4.txt"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
