"""Access to the source documents, for tests that check quotes against them.

The seed texts and DOMAIN.md live outside the repository (``XUANREN_SHARED_DIR``, by default the
``shared`` folder beside the checkout). When they are absent, quote checks are skipped; the
numbers are still checked against the policy files.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[3]


def shared_dir() -> Path:
    return Path(os.environ.get("XUANREN_SHARED_DIR", _REPO.parent / "shared"))


def _normalise(text: str) -> str:
    # Extraction put line breaks inside sentences (001 "1:\n\n2"); DOMAIN.md uses **bold**.
    return re.sub(r"\s+", "", text.replace("**", ""))


@functools.cache
def document(code: str) -> str | None:
    """Normalised text of seed "000".."004" or "D" (DOMAIN.md); None if not available."""
    base = shared_dir()
    if code == "D":
        path = base / "DOMAIN.md"
        return _normalise(path.read_text(encoding="utf-8")) if path.exists() else None
    matches = sorted((base / "seeds").glob(f"{code}_*.txt"))
    return _normalise(matches[0].read_text(encoding="utf-8")) if matches else None


def assert_quoted(code: str, quote: str) -> None:
    text = document(code)
    if text is None:
        pytest.skip(f"source document {code} not available in {shared_dir()}")
    assert _normalise(quote) in text, f"{code} does not contain: {quote}"
