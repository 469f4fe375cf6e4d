"""Shared fixtures: real data comes from ../shared, read at run time, never copied."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"{SHARED} missing: tests read seeds, gold and FA-KES from ../shared")
    return SHARED
