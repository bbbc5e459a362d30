"""CSV and Excel export of the tables on screen.

Org-unit names, file names and quarantined values come from source systems: a cell that
starts with '=' would run as a formula when a controller opens the export in Excel.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would read as a formula with a single quote.

    Only text is touched: numbers stay numbers, so a negative change is still -0.4.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    return out


def to_csv_bytes(df: pd.DataFrame, lang: str = "sv") -> bytes:
    """Semicolon and decimal comma for Swedish Excel; BOM so Excel reads UTF-8 (å, ä, ö)."""
    sep, decimal = (";", ",") if lang in ("sv", "fi") else (",", ".")
    return neutralise_frame(df).to_csv(index=False, sep=sep, decimal=decimal).encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, sheet_name: str = "data") -> bytes:
    buffer = io.BytesIO()
    safe = neutralise_frame(df)
    for col in safe.columns:
        # openpyxl cannot write timezone-aware timestamps.
        if isinstance(safe[col].dtype, pd.DatetimeTZDtype):
            safe[col] = safe[col].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()
