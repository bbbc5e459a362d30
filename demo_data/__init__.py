"""Synthetic demo extracts for a Swedish region, in the exact formats of the extract contracts.

`python -m demo_data --out DIR` or `generate(Path(DIR))`.
"""

from __future__ import annotations

from .generator import generate, last_full_month

__all__ = ["generate", "last_full_month"]
