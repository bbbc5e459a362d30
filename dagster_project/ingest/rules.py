"""The contract's rules as SQL: one statement converts every value of a file and names the
first rule each value breaks, and one select turns the broken rules into quarantine rows.

The reference data a rule checks against (seed codes, the month's org units, the pseudonym
map, text values holding a personnummer) comes in as relation names in `References`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb

from dagster_project.config import SEEDS_DIR
from dagster_project.contracts import Column, Extract, code_aliases
from dagster_project.ingest.files import LINE_FIELDS_RULE, LINE_READABLE_RULE, LineNumbers
from dagster_project.ingest.scratch import Scratch
from dagster_project.parsing import (
    FORMULA_RULE,
    scrub_sql,
    sql_bool,
    sql_date,
    sql_decimal,
    sql_formula_like,
    sql_integer,
    sql_period,
    sql_string,
)


@dataclass(frozen=True)
class References:
    """Relations the rules of one file read: `seeds` maps a seed name to a table (code);
    `units` is a table (kostnadsstalle) of the month's org units, `units_known` whether that
    month has any; `pnr` the person map (see `person_ids.person_map`), `pnr_like` a table
    (value) of text values holding a personnummer."""

    pnr_like: str
    seeds: dict[str, str] = field(default_factory=dict)
    units: str | None = None
    units_known: bool = True
    pnr: str | None = None
    table: str | None = None  # the extract's raw table: the months already loaded
    person_rule: str | None = None  # the person column's rule under the profile; None: its contract rule
    currency: str = "SEK"  # the profile's currency, named in the amount rules
    # raw column name -> its header as the file delivered it (files.PreparedFile.headers);
    # a column missing here is named by its Swedish header
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, c: Column) -> str:
        """`c`'s header as the file delivered it."""
        return self.headers.get(c.name, c.header)

    def as_delivered(self, text: str, extract: Extract) -> str:
        """`text` (a rule naming columns by their Swedish headers) with each header the file
        delivered in Finnish replaced by that one. Longest first: Avser period before Period."""
        for c in sorted(extract.columns, key=lambda c: -len(c.header)):
            if self.header(c) != c.header:
                text = text.replace(c.header, self.header(c))
        return text


DUPLICATE_LINE_RULE = "a line is delivered once"


def seed_codes(seed: str, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """The codes of seeds/<seed>.csv: its first column, upper-cased."""
    with open(seeds_dir / f"{seed}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return [r[0].strip().upper() for r in rows[1:] if r and r[0].strip()]


def seed_tables(conn: duckdb.DuckDBPyConnection, scratch: Scratch, extract: Extract) -> dict[str, str]:
    """A table (code) for every seed the extract's columns check codes against."""
    return {seed: scratch.table(f"seed_{seed}", "select unnest(?::varchar[]) as code", [seed_codes(seed)])
            for seed in sorted({c.code_seed for c in extract.columns if c.code_seed})}


TYPE_PROBLEMS = {
    "period": "not a period YYYYMM",
    "decimal": "not a decimal number",
    "integer": "not an integer",
    "date": "not a valid date (YYYY-MM-DD or YYYYMMDD)",
    "bool": "not J or N (Ja/Nej, 1/0)",
}


@lru_cache(maxsize=None)
def _code_aliases() -> dict[str, dict[str, str]]:
    return code_aliases(SEEDS_DIR)


def code_expr(c: Column, v: str) -> str:
    """Closed sets and seed codes compare upper-cased, a Finnish code (seeds/code_aliases.csv)
    as the code it stands for; other codes (org units) stay as delivered."""
    if not (c.allowed or c.code_seed):
        return v
    aliases = _code_aliases().get(c.name)
    if not aliases:
        return f"upper({v})"
    whens = " ".join(f"when {sql_string(a)} then {sql_string(code)}" for a, code in sorted(aliases.items()))
    return f"case upper({v}) {whens} else upper({v}) end"


def typed_expr(c: Column, v: str) -> str:
    return {
        "period": sql_period,
        "decimal": sql_decimal,
        "integer": sql_integer,
        "date": sql_date,
        "bool": sql_bool,
        "code": lambda x: code_expr(c, x),
        "text": lambda x: x,
        "org_unit": lambda x: x,
    }[c.kind](v)


def is_free_text(c: Column) -> bool:
    """Columns whose values are not checked against a type, a closed set or a seed: text, and
    codes nothing else constrains (org_units' own Kostnadsställe and Överordnad)."""
    return c.kind == "text" or (c.kind == "code" and not c.allowed and not c.code_seed)


def reason_expr(c: Column, v: str, t: str, period: int, refs: References) -> str:
    """CASE expression giving the first rule column `c` breaks in a row, or NULL."""
    cases: list[tuple[str, str]] = []
    if c.required:
        cases.append((f"{v} is null", sql_string("required value is missing")))
    if c.kind == "personnummer":
        cases.append(("_pnr_error is not null", "_pnr_error"))
    elif c.kind in TYPE_PROBLEMS:
        cases.append((f"{v} is not null and {t} is null", sql_string(TYPE_PROBLEMS[c.kind])))
    if c.name == "period":
        cases.append((f"{t} <> {period}",
                      f"'row is for period ' || {t} || ', the file name says {period}'"))
    if c.min_value is not None:
        op = "<=" if c.min_exclusive else "<"
        cases.append((f"{t} {op} {c.min_value}", sql_string("out of range")))
    if c.max_value is not None:
        cases.append((f"{t} > {c.max_value}", sql_string("out of range")))
    if c.allowed:
        cases.append((f"{t} not in ({', '.join(sql_string(a) for a in c.allowed)})", sql_string("unknown value")))
    if c.code_seed:
        cases.append((f"{t} not in (select code from {refs.seeds[c.code_seed]})",
                      sql_string(f"unknown code, not in seeds/{c.code_seed}.csv")))
    if c.kind == "org_unit":
        unit = refs.header(c)
        problem = (f"unknown {unit}, not in the org_units snapshot of {period}" if refs.units_known
                   else f"unknown {unit}: no org_units snapshot is loaded for {period}")
        cases.append((f"{t} not in (select kostnadsstalle from {refs.units})", sql_string(problem)))
    if c.kind == "text":
        cases.append((f"{v} in (select value from {refs.pnr_like} where id_kind = 'personnummer')",
                      sql_string("holds a personnummer, which must never be stored")))
        cases.append((f"{v} in (select value from {refs.pnr_like} where id_kind = 'henkilotunnus')",
                      sql_string("holds a henkilötunnus, which must never be stored")))
    if c.unique:
        # The first line keeps the value; every later one is quarantined, pointing back to it.
        first = f"min(_line) over (partition by {v})"
        cases.append((f"{v} is not null and _line > {first}",
                      f"'appears more than once in the file, first on line ' || {first}"))
    if c.unique_across_periods and refs.table:
        # A case reported in January and again in February would be two incidents.
        other = f"select \"{c.name}\" from {refs.table} where period <> {period}"
        cases.append((f"{v} in ({other})", sql_string("already loaded from another month")))
    rule = c.rule_in(refs.currency)
    if c.kind == "personnummer" and refs.person_rule:
        rule = refs.person_rule if c.required else f"optional; {refs.person_rule}"
    whens = [f"when {cond} then {msg} || {sql_string(f'; rule: {rule}')}" for cond, msg in cases]
    if is_free_text(c):
        # A rule of every text column, not of this one: the reason names it instead of c.rule.
        whens.append(f"when {sql_formula_like(v)} then "
                     f"{sql_string(f'starts like a spreadsheet formula; rule: {FORMULA_RULE}')}")
    if not whens:
        return "null::varchar"
    return f"case {' '.join(whens)} end"


def delivered(c: Column) -> str:
    """The column of the converted rows holding `c`'s value as delivered (trimmed). Only
    converted kinds keep a separate copy; a personnummer is only ever available masked."""
    if c.kind == "personnummer":
        return "_pnr_masked"
    return f'"v__{c.name}"' if c.kind in TYPE_PROBLEMS else f'"{c.name}"'


def build_typed(conn: duckdb.DuckDBPyConnection, scratch: Scratch, extract: Extract, period: int, src: str,
                lines: LineNumbers, refs: References) -> str:
    """A view of `src` with every value converted, `_line`, a reason column per rule (NULL when
    kept) and `_bad` (any rule broken). Returns its name."""
    pnr = next((c for c in extract.columns if c.kind == "personnummer"), None)
    raw_cols = ", ".join(f'{src}."{c.name}" as "v__{c.name}"' for c in extract.columns)
    kept = ", ".join(f'v."v__{c.name}"' for c in extract.columns if c.kind in TYPE_PROBLEMS)
    typed_cols = []
    for c in extract.columns:
        if c.kind == "personnummer":
            typed_cols += ["_pnr.person_key", "_pnr.birth_year", "_pnr.legal_gender",
                           "_pnr.masked as _pnr_masked", "_pnr.error as _pnr_error"]
        else:
            raw = f'"v__{c.name}"'
            typed_cols.append(f'{typed_expr(c, raw)} as "{c.name}"')
    join = f'left join {refs.pnr} _pnr on _pnr.raw = v."v__{pnr.name}"' if pnr else ""
    reasons = [reason_expr(c, delivered(c), f'"{c.name}"', period, refs) + f' as "r__{c.name}"'
               for c in extract.columns]
    reasons += [f"case when not coalesce(({r.sql}), true) then {sql_string(refs.as_delivered(r.rule, extract))} "
                f"end as \"rr__{i}\"" for i, r in enumerate(extract.row_rules)]
    flags = [f'"r__{c.name}" is not null' for c in extract.columns]
    flags += [f'"rr__{i}" is not null' for i in range(len(extract.row_rules))]
    # Duplicates: a line repeated exactly (every delivered value equal), or a second row for the
    # same key. The first line stays; the later ones are quarantined naming it.
    every = ", ".join(f'v."v__{c.name}"' for c in extract.columns)
    dup_cols = [f"min(v._line) over (partition by {every}) as _dup_first"]
    reasons.append(f"case when _line > _dup_first then 'exact duplicate of line ' || _dup_first || "
                   f"{sql_string(f'; rule: {DUPLICATE_LINE_RULE}')} end as rd__exact")
    flags.append("rd__exact is not null")
    if extract.row_key:
        key = [("_pnr.person_key" if extract.column(k).kind == "personnummer" else f'v."v__{k}"')
               for k in extract.row_key]
        named = " and ".join(refs.header(extract.column(k)) for k in extract.row_key[::-1])
        dup_cols.append(f"case when {' and '.join(f'{k} is not null' for k in key)} then "
                        f"min(v._line) over (partition by {', '.join(key)}) end as _key_first")
        reasons.append(f"case when _line > _key_first and _line <= _dup_first then 'same {named} as line ' || "
                       f"_key_first || {sql_string('; rule: one row per ' + named + ' in a month')} end as rd__key")
        flags.append("rd__key is not null")
    # Converted values are stored once, so the checks that read them do not convert again.
    converted = scratch.view(
        "converted",
        f"""with v as (select {lines.sql} as _line, {raw_cols} from {src})
            select v._line, {kept + ', ' if kept else ''}{', '.join(typed_cols)}, {', '.join(dup_cols)}
            from v {join}""")
    return scratch.view(
        "typed",
        f"""with r as (select *, {', '.join(reasons)} from {converted})
            select *, ({' or '.join(flags)}) as _bad from r""")


def quarantine_select(extract: Extract, typed: str, reject_rows: str, refs: References | None = None) -> str:
    """Rows of (line, column header as delivered, masked value, reason) for every bad value in
    `typed` and every unreadable line in `reject_rows`."""
    refs = refs or References(pnr_like="")
    parts = []
    for c in extract.columns:
        value = "_pnr_masked" if c.kind == "personnummer" else scrub_sql(delivered(c))
        parts.append(f"""select _line, {sql_string(refs.header(c))}, {value}, "r__{c.name}"
                         from {typed} where "r__{c.name}" is not null""")
    for i, r in enumerate(extract.row_rules):
        col = extract.column(r.column)
        value = scrub_sql(delivered(col))
        parts.append(f"""select _line, {sql_string(refs.header(col))}, {value}, "rr__{i}"
                         from {typed} where "rr__{i}" is not null""")
    parts.append(f"""select _line, null, null, rd__exact from {typed} where rd__exact is not null""")
    if extract.row_key:
        col = extract.column(extract.row_key[0])
        parts.append(f"""select _line, {sql_string(refs.header(col))}, {scrub_sql(delivered(col))}, rd__key
                         from {typed} where rd__key is not null""")
    parts.append(f"""select line, null, null,
                           case when error_type = 'TOO MANY COLUMNS'
                                then 'the line has more fields than the header; rule: ' || {sql_string(LINE_FIELDS_RULE)}
                                else 'the line cannot be read (' || lower(error_type) || '); rule: '
                                     || {sql_string(LINE_READABLE_RULE)} end
                    from {reject_rows}""")
    return " union all ".join(parts)
