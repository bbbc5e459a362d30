"""Person ids at load: every delivered personnummer (or, under HRKPI_PROFILE=FI,
henkilötunnus) becomes a pseudonym with birth year and legal gender (or the reason it is not
a valid id), and either kind of id found in a text column is caught so it is never stored,
whatever the profile.

Only these steps see ids in Python, once per distinct value; the parsing itself is
`parsing.parse_personnummer` and `henkilotunnus.parse`, the keyed pseudonym
`pseudonym.Pseudonymizer`.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from dagster_project import henkilotunnus
from dagster_project.contracts import Extract
from dagster_project.ingest.scratch import Scratch
from dagster_project.parsing import PNR_SHAPE, holds_personnummer
from dagster_project.pseudonym import Pseudonymizer, period_end


def person_map(conn: duckdb.DuckDBPyConnection, scratch: Scratch, src: str, column: str, period: int,
               pseudonyms: Pseudonymizer) -> str:
    """A table (raw, person_key, birth_year, legal_gender, masked, error): one row per distinct
    value of `column` in `src`."""
    raws = [r[0] for r in conn.execute(f'select distinct "{column}" from {src} where "{column}" is not null').fetchall()]
    fields = [pseudonyms.fields(r, period) for r in raws]
    return scratch.arrow("pnr", pa.table({
        "raw": pa.array(raws, pa.string()),
        "person_key": pa.array([f.person_key for f in fields], pa.string()),
        "birth_year": pa.array([f.birth_year for f in fields], pa.int32()),
        "legal_gender": pa.array([f.legal_gender for f in fields], pa.string()),
        "masked": pa.array([f.masked for f in fields], pa.string()),
        "error": pa.array([f.error for f in fields], pa.string()),
        "temporary": pa.array([f.temporary for f in fields], pa.bool_()),
    }))


def temporary_id_rows(conn: duckdb.DuckDBPyConnection, src: str, column: str, pnr: str) -> int:
    """Rows of `src` whose id is a temporary henkilötunnus (accepted, noted in the load message)."""
    return conn.execute(f"""select count(*) from {src} s join {pnr} p on p.raw = s."{column}"
                            where p.temporary""").fetchone()[0]


def text_guard(conn: duckdb.DuckDBPyConnection, scratch: Scratch, src: str, extract: Extract,
               period: int) -> str:
    """A table (value, id_kind): the text values of `src` that hold a valid personnummer in any
    spelling or a henkilötunnus (rare; the shape is found in SQL, the date and check digit or
    character in Python)."""
    found: dict[str, str] = {}
    for c in extract.columns:
        if c.kind == "text":
            for (v,) in conn.execute(
                f"""select distinct "{c.name}" from {src}
                    where regexp_matches("{c.name}", '{PNR_SHAPE}')
                       or regexp_matches("{c.name}", '{henkilotunnus.HETU_SHAPE}')"""
            ).fetchall():
                if holds_personnummer(v, period_end(period)):
                    found[v] = "personnummer"
                elif henkilotunnus.find_in_text(v):
                    found[v] = "henkilotunnus"
    values = sorted(found)
    return scratch.table("pnr_like", "select unnest(?::varchar[]) as value, unnest(?::varchar[]) as id_kind",
                         [values, [found[v] for v in values]])
