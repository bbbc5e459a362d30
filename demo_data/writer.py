"""CSV files as Swedish source systems deliver them: `;`, decimal comma, J/N, and a mix of
encodings, date styles and personnummer formats that varies from file to file. For a Finnish
county (profile FI) about two files in three come with the contract's Finnish headers and
Finnish codes (seeds/code_aliases.csv, K/E for yes/no), the others with the Swedish ones, as a
bilingual county's systems deliver them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from dagster_project.contracts import EXTRACT_ORDER, EXTRACTS, code_aliases
from hrkpi_config import SEEDS_DIR

from .personnummer import FORMATS, LONG_DASH, format_number

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")


@dataclass(frozen=True)
class FileFormat:
    encoding: str
    compact_dates: bool  # YYYYMMDD instead of YYYY-MM-DD
    pnr_format: str
    newline: str
    finnish: bool = False  # Finnish headers and codes (FI profile only)


def file_format(seed: int, extract: str, period: int, profile: str = "SE") -> FileFormat:
    """Deterministic per file: the same seed gives the same bytes. The Finnish draw comes
    last, so a Swedish demo's files are what they were before profiles existed."""
    rng = np.random.default_rng([seed, EXTRACT_ORDER.index(extract), period])
    encoding = ENCODINGS[rng.choice(3, p=[0.7, 0.15, 0.15])]
    return FileFormat(
        encoding=encoding,
        compact_dates=bool(rng.random() < 0.2),
        pnr_format=FORMATS[rng.choice(3, p=[0.45, 0.30, 0.25])] if extract != "employees" or rng.random() < 0.5
        else LONG_DASH,
        newline="\r\n" if encoding == "cp1252" else "\n",
        finnish=profile == "FI" and bool(rng.random() < 0.65),
    )


# Swedish code -> the Finnish code a Finnish-header file delivers, per raw column: the
# reverse of seeds/code_aliases.csv, so the loader maps every one back.
@lru_cache(maxsize=None)
def finnish_codes(seeds_dir: Path = SEEDS_DIR) -> dict[str, dict[str, str]]:
    return {column: {code: alias for alias, code in aliases.items()}
            for column, aliases in code_aliases(seeds_dir).items()}


FINNISH_BOOLS = {"J": "K", "N": "E"}  # kyllä / ei


def hundredths(values: np.ndarray) -> list[str]:
    """Whole hundredths as decimal-comma strings: 1742950 -> '17429,50'."""
    values = np.asarray(values, dtype=np.int64)
    neg = (values < 0).tolist()
    a = np.abs(values)
    return [f"-{q},{r:02d}" if n else f"{q},{r:02d}" for n, q, r in zip(neg, (a // 100).tolist(), (a % 100).tolist())]


def integers(values: np.ndarray) -> list[str]:
    return list(map(str, np.asarray(values, dtype=np.int64).tolist()))


def dates(days: np.ndarray, fmt: FileFormat) -> list[str]:
    text = np.datetime_as_string(np.asarray(days, dtype=np.int64).astype("datetime64[D]")).tolist()
    return [s.replace("-", "") for s in text] if fmt.compact_dates else text


class PersonnummerTexts:
    """Each person's number in each format, built once and extended as people are hired."""

    def __init__(self) -> None:
        self._texts: dict[str, list[str]] = {f: [] for f in FORMATS}
        self._arrays: dict[str, np.ndarray] = {}

    def column(self, pnr: Sequence[str], people_idx: np.ndarray, ages: np.ndarray, fmt: FileFormat) -> list[str]:
        texts = self._texts[fmt.pnr_format]
        if len(texts) < len(pnr):
            texts.extend(format_number(p, fmt.pnr_format, 0) for p in pnr[len(texts):])
            self._arrays[fmt.pnr_format] = np.array(texts, dtype=object)
        out = self._arrays[fmt.pnr_format][people_idx]
        old = np.flatnonzero(np.asarray(ages) >= 100)  # the short form marks 100+ with '+'
        for i in old.tolist():
            out[i] = format_number(pnr[int(people_idx[i])], fmt.pnr_format, 100)
        return out.tolist()


def write_csv(out_dir: Path, extract: str, period: int, fmt: FileFormat, columns: list[Sequence[str]],
              extra_headers: Sequence[str] = ()) -> tuple[Path, int]:
    """Write one extract file; `columns` follow the contract's column order. A Finnish file
    (`fmt.finnish`) gets each column's Finnish header, its codes and yes/no in Finnish."""
    contract = EXTRACTS[extract].columns
    if fmt.finnish:
        headers = [c.header_fi or c.header for c in contract] + list(extra_headers)
        codes = finnish_codes()
        columns = [
            [FINNISH_BOOLS.get(v, v) for v in col] if c.kind == "bool"
            else [codes[c.name].get(v, v) for v in col] if c.name in codes
            else col
            for c, col in zip(contract, columns)
        ] + list(columns[len(contract):])
    else:
        headers = [c.header for c in contract] + list(extra_headers)
    if len(columns) != len(headers):
        raise ValueError(f"{extract}: {len(columns)} columns for {len(headers)} headers")
    n = len(columns[0]) if columns else 0
    path = out_dir / extract / f"{extract}_{period}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = fmt.newline.join(map(";".join, zip(*columns)))
    text = ";".join(headers) + fmt.newline + body + (fmt.newline if n else "")
    path.write_bytes(text.encode(fmt.encoding))
    return path, n
