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


Header = list[tuple[str, str]]


def _header_rows(header: Header | None, width: int) -> list[list]:
    """The header's lines as rows of the table's width, then one empty row."""
    if not header:
        return []
    rows = [[neutralise_cell(k), neutralise_cell(v)] + [None] * max(width - 2, 0) for k, v in header]
    return rows + [[None] * max(width, 2)]


def to_csv_bytes(df: pd.DataFrame, lang: str = "sv", header: Header | None = None) -> bytes:
    """Semicolon and decimal comma for Swedish Excel; BOM so Excel reads UTF-8 (å, ä, ö).

    The header's lines (organisation, month, window, publish) come first as 'key;value'
    rows and an empty row, then the table.
    """
    sep, decimal = (";", ",") if lang in ("sv", "fi") else (",", ".")
    table = neutralise_frame(df).to_csv(index=False, sep=sep, decimal=decimal)
    top = pd.DataFrame(_header_rows(header, 2)[:-1]).to_csv(index=False, header=False, sep=sep) + "\n" \
        if header else ""
    return (top + table).encode("utf-8-sig")


def excel_format(decimals: int) -> str:
    """Excel's number format with a thousands separator: '#,##0' or '#,##0.0'; Excel shows
    it with the reader's own separators (space and comma in Swedish Excel)."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _decimals_in(values: pd.Series) -> int:
    """The most decimals a rounded column's numbers have (at most 2)."""
    out = 0
    for v in values:
        if isinstance(v, float) and not pd.isna(v):
            for d in range(0, 3):
                if round(v, d) == v:
                    out = max(out, d)
                    break
            else:
                out = 2
    return out


def to_excel_bytes(df: pd.DataFrame, sheet_name: str = "data", header: Header | None = None,
                   decimals: dict[str, int] | None = None) -> bytes:
    """One sheet: the header's lines, an empty row, the table with bold column names, number
    formats (the decimals shown on screen; `decimals` by column, else as the numbers have) and
    columns wide enough for their text."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    safe = neutralise_frame(df)
    for col in safe.columns:
        # openpyxl cannot write timezone-aware timestamps.
        if isinstance(safe[col].dtype, pd.DatetimeTZDtype):
            safe[col] = safe[col].dt.tz_localize(None)
    top = _header_rows(header, len(safe.columns))
    start = len(top)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name[:31], startrow=start)
        sheet = writer.sheets[sheet_name[:31]]
        for r, row in enumerate(top, start=1):
            for c, value in enumerate(row[:2], start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value).font = Font(bold=c == 1)
        wanted = decimals or {}
        for c, col in enumerate(safe.columns, start=1):
            numeric = [v for v in safe[col] if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if numeric:
                places = wanted.get(str(df.columns[c - 1]), _decimals_in(pd.Series(numeric, dtype=float)))
                for r in range(start + 2, start + 2 + len(safe)):
                    cell = sheet.cell(row=r, column=c)
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                        cell.number_format = excel_format(places)
            texts = [str(col)] + ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                                  for v in safe[col]]
            if c <= 2:
                texts += [str(v) for row in top for v in row[c - 1:c] if v is not None]
            sheet.column_dimensions[get_column_letter(c)].width = min(max(len(x) for x in texts) + 2, 60)
    return buffer.getvalue()
