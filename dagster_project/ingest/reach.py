"""How far a replaced file's changes reach beyond the months its own rows name.

A refresh rebuilds the months its loads can change (dagster_project/refresh_scope.py). For
a replaced file that depends on what the replacement changed, and the old rows are gone
once it is loaded, so the loader asks here first, inside the file's transaction, and keeps
the answer in audit.load_reach:

- payroll: the earliest `Avser period` of the lines being replaced. A retroactive line the
  correction removes changes the month it pointed to, which no line left in the file names.
- absence: the last month of every spell whose rows the replacement adds, removes or moves
  (other dates, another cause), over all loaded months. Such a spell may now turn long (day
  60) in another month, or not at all, and a long spell's hours count in every window from
  that month on that holds them, up to 11 months after its last month. A row whose hours or
  extent alone changed moves no spell's long month: its month's usual 12 months suffice.
  Null when no spell changed so.
"""

from __future__ import annotations

from datetime import date

import duckdb

# The columns of an absence row that decide when its spell turns long and which spell it is.
SPELL_COLUMNS = ("person_key", "arende_id", "franvaroorsak", "arende_startdatum", "fran_datum", "till_datum")


def _month(day: date | None) -> date | None:
    return date(day.year, day.month, 1) if day else None


def replaced_reach(conn: duckdb.DuckDBPyConnection, extract: str, period: int, typed: str) -> tuple[date | None, date | None] | None:
    """(reaches_from, reaches_to) of replacing `period` of `extract` with the good rows of the
    scratch table `typed`; None for an extract whose changes reach no further than its rows."""
    if extract == "payroll":
        (earliest,) = conn.execute("select min(avser_period) from raw.payroll where period = ?", [period]).fetchone()
        return (date(earliest // 100, earliest % 100, 1) if earliest else None), None
    if extract == "absence":
        columns = ", ".join(SPELL_COLUMNS)
        (last,) = conn.execute(
            f"""with old as (select {columns} from raw.absence where period = $period),
                     new as (select {columns} from {typed} where not _bad),
                     moved as (
                         select distinct person_key, arende_id from (
                             (select * from old except select * from new)
                             union all
                             (select * from new except select * from old)) d)
                select max(a.till_datum) from (
                    select person_key, arende_id, till_datum from raw.absence
                    union all
                    select person_key, arende_id, till_datum from new) a
                semi join moved m on m.person_key = a.person_key and m.arende_id is not distinct from a.arende_id""",
            {"period": period}).fetchone()
        return None, _month(last)
    return None
