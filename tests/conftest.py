"""Shared test fixtures: paths to the format examples, the sample catalog and the real data.

The paths are module constants too (``from tests.conftest import EXAMPLES``) for the places a
fixture cannot reach: ``pytest.mark.parametrize`` arguments and module-level tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = SHARED / "spec" / "examples"
REAL_DATA = SHARED / "data"
SAMPLE = REPO / "data"  # the sample catalog, with learners/
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    if not EXAMPLES.is_dir():  # the format examples are part of the project's contract
        pytest.fail(f"format examples not found at {EXAMPLES}")
    return EXAMPLES


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not found at {REAL_DATA} (see shared/data/README.md)")
    return REAL_DATA


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The repository's sample catalog (``data/``, with ``learners/``)."""
    return SAMPLE


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Test input files (``tests/fixtures``: badges, CTDL documents)."""
    return FIXTURES

