"""The contracts of the eight monthly extracts, declared once.

The loader enforces them, the docs print them and dbt's sources are generated from them
(`python -m dagster_project.contracts --sources`). Each column has its Swedish header and,
beside it, its Finnish one (`_c(("Kön", "Sukupuoli"), ...)`): a file may use either, or mix
them, so a Finnish wellbeing services county's system can deliver its own headers. `name` is
the raw table column (ASCII snake case of the Swedish header), which staging renames to
English. Finnish codes in closed sets and seed-coded columns (`VAK` for `TV`, `SAI` for `SJK`)
are mapped onto the Swedish codes at load by `seeds/code_aliases.csv`, so every model and seed
downstream sees one vocabulary.

The person-id column (kind `personnummer`, header Personnummer or Henkilötunnus) never
becomes a raw column: the loader replaces it by `person_key` (keyed HMAC pseudonym),
`birth_year` and `legal_gender` (K/M) derived first. Which ids it accepts is the
organisation profile's (`HRKPI_PROFILE`): Swedish personnummer under SE, Finnish
henkilötunnus under FI (`dagster_project/henkilotunnus.py`).
Every raw table also carries `_load_id`, `_source_file` and `_source_line` so a row can be
traced to the file line it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from hrkpi_config import EXTRACT_TITLES_SV

# Column kinds and the DuckDB type of the raw column they produce.
RAW_TYPES: dict[str, str] = {
    "period": "INTEGER",  # YYYYMM
    "text": "VARCHAR",
    "code": "VARCHAR",
    "org_unit": "VARCHAR",
    "decimal": "DECIMAL(18,4)",
    "integer": "BIGINT",
    "date": "DATE",
    "bool": "BOOLEAN",
}

# Columns the loader adds in place of a personnummer column.
PERSON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("person_key", "VARCHAR"),
    ("birth_year", "INTEGER"),
    ("legal_gender", "VARCHAR"),
)
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_load_id", "BIGINT"),
    ("_source_file", "VARCHAR"),
    ("_source_line", "INTEGER"),
)


@dataclass(frozen=True)
class Column:
    header: str  # Swedish header as delivered (matched case-insensitively, trimmed)
    name: str  # raw table column name
    kind: str  # a key of RAW_TYPES, or "personnummer"
    required: bool
    rule: str  # the rule in words: shown in docs and in quarantine reasons
    allowed: tuple[str, ...] = ()  # closed set of values (after upper-casing)
    min_value: float | None = None
    max_value: float | None = None
    min_exclusive: bool = False
    code_seed: str | None = None  # seeds/<code_seed>.csv whose first column lists valid codes
    unique: bool = False  # a value appears at most once in a file
    unique_across_periods: bool = False  # ... and in no other month already loaded
    header_fi: str | None = None  # the Finnish header, accepted as an alias of `header`

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header this column may be delivered under: Swedish first, then Finnish."""
        return (self.header,) + ((self.header_fi,) if self.header_fi else ())


@dataclass(frozen=True)
class RowRule:
    """A rule over several parsed columns of one row. `check` gets the parsed row
    (raw column name -> Python value, None for empty) and returns True when it holds.
    `sql` is the same rule as a DuckDB predicate over the typed raw columns, which the
    loader evaluates for millions of rows at once; the rule fails only where it is FALSE
    (NULL counts as holding, like `check` with an empty value). A test keeps the two equal."""

    column: str  # the column reported when the rule fails
    rule: str
    check: Callable[[dict], bool]
    sql: str


@dataclass(frozen=True)
class Extract:
    name: str  # landing folder, file prefix and raw table name
    description: str
    columns: tuple[Column, ...]
    row_rules: tuple[RowRule, ...] = field(default_factory=tuple)
    dropped_headers: tuple[str, ...] = ()  # delivered columns that must never be stored
    # Columns that identify a row within a month: a second row with the same values is
    # quarantined (the first is kept), so it is never counted twice. The first column listed
    # is the one the quarantine names; a personnummer is compared by its pseudonym.
    row_key: tuple[str, ...] = ()
    full_snapshot: bool = False  # each file is the complete state for its period

    @property
    def title_sv(self) -> str:
        """The Swedish name HR staff know the extract by (hrkpi_config, shared with the dashboard)."""
        return EXTRACT_TITLES_SV[self.name]

    @property
    def table(self) -> str:
        return f"raw.{self.name}"

    def raw_columns(self) -> list[tuple[str, str]]:
        """(name, DuckDB type) of the raw table, in order."""
        out: list[tuple[str, str]] = []
        for c in self.columns:
            if c.kind == "personnummer":
                out.extend(PERSON_COLUMNS)
            else:
                out.append((c.name, RAW_TYPES[c.kind]))
        return out + list(LINEAGE_COLUMNS)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(headers: tuple[str, str], name, kind, required=True, rule="", **kw) -> Column:
    """A column from its (Swedish, Finnish) headers, its raw name, kind and rule."""
    sv, fi = headers
    return Column(header=sv, name=name, kind=kind, required=required, rule=rule, header_fi=fi, **kw)


PERIOD = _c(("Period", "Kausi"), "period", "period", rule="YYYYMM, equal to the period in the file name")
PNR = _c(("Personnummer", "Henkilötunnus"), "personnummer", "personnummer",
         rule="personnummer or samordningsnummer with a valid Luhn check digit")
EMPLOYMENT_FORMS = ("TV", "VI", "TIM")


def _within_period(column: str, rule: str) -> RowRule:
    def check(row: dict) -> bool:
        d, p = row.get(column), row.get("period")
        return d is None or p is None or d.year * 100 + d.month == p
    return RowRule(column, rule, check, f"year({column}) * 100 + month({column}) = period")


def _not_after(a: str, b: str, column: str, rule: str) -> RowRule:
    def check(row: dict) -> bool:
        x, y = row.get(a), row.get(b)
        return x is None or y is None or x <= y
    return RowRule(column, rule, check, f"{a} <= {b}")


def _employment_rate_required(row: dict) -> bool:
    return row.get("anstallningsform") == "TIM" or row.get("sysselsattningsgrad") is not None


def _survey_answers_add_up(row: dict) -> bool:
    answers = [row.get(f"svar_{i}") for i in range(1, 6)]
    if row.get("svarande") is None or any(a is None for a in answers):
        return True
    return sum(answers) == row["svarande"]


def _reason_for_exits(row: dict) -> bool:
    return row.get("handelse") != "AVG" or row.get("orsak") is not None


EXTRACTS: dict[str, Extract] = {}


def _register(e: Extract) -> None:
    EXTRACTS[e.name] = e


_register(Extract(
    name="employees",
    description="Personnel register at month end: one row per employment.",
    columns=(
        PERIOD,
        PNR,
        _c(("Anställningsnummer", "Henkilönumero"), "anstallningsnummer", "text", rule="employee number, required"),
        _c(("Kön", "Sukupuoli"), "kon", "code", required=False, allowed=("K", "M"),
           rule="K or M; derived from the personnummer when empty"),
        _c(("Kostnadsställe", "Kustannuspaikka"), "kostnadsstalle", "org_unit", rule="must exist in org_units for the period"),
        _c(("Yrkeskod", "Ammattikoodi"), "yrkeskod", "code", code_seed="professions", rule="must exist in seeds/professions.csv"),
        _c(("Anställningsform", "Palvelussuhteen laji"), "anstallningsform", "code", allowed=EMPLOYMENT_FORMS, rule="TV, VI or TIM"),
        _c(("Sysselsättningsgrad", "Osa-aikaprosentti"), "sysselsattningsgrad", "decimal", required=False,
           min_value=0, max_value=100, rule="0-100, required for TV and VI"),
        _c(("Ordinarie timmar", "Säännöllinen työaika"), "ordinarie_timmar", "decimal", required=False, min_value=0, rule=">= 0"),
        _c(("Månadslön", "Kuukausipalkka"), "manadslon", "decimal", required=False, min_value=0, rule=">= 0"),
        _c(("Chef", "Esihenkilö"), "chef", "bool", required=False, rule="J or N"),
        _c(("Anställningsdatum", "Palvelussuhteen alkupäivä"), "anstallningsdatum", "date", required=False, rule="a valid date"),
    ),
    row_key=("anstallningsnummer", "personnummer"),
    row_rules=(
        RowRule("sysselsattningsgrad", "Sysselsättningsgrad is required for TV and VI",
                _employment_rate_required,
                "coalesce(anstallningsform = 'TIM', false) or sysselsattningsgrad is not null"),
    ),
))

_register(Extract(
    name="payroll",
    description="Pay lines of the pay month, retroactive corrections included.",
    columns=(
        PERIOD,
        PNR,
        _c(("Kostnadsställe", "Kustannuspaikka"), "kostnadsstalle", "org_unit", rule="must exist in org_units for the period"),
        _c(("Löneart", "Palkkalaji"), "loneart", "code", code_seed="pay_types", rule="must exist in seeds/pay_types.csv"),
        _c(("Antal", "Määrä"), "antal", "decimal", required=False, rule="hours or days, may be negative"),
        _c(("Belopp", "Summa"), "belopp", "decimal", rule="SEK, may be negative"),
        _c(("Avser period", "Kohdistuskausi"), "avser_period", "period", rule="YYYYMM, not after Period"),
    ),
    row_rules=(
        _not_after("avser_period", "period", "avser_period", "Avser period must not be after Period"),
    ),
))

_register(Extract(
    name="absence",
    description="Absence per spell and month: the part of each spell inside the period.",
    columns=(
        PERIOD,
        PNR,
        _c(("Frånvaroorsak", "Poissaolon syy"), "franvaroorsak", "code", code_seed="absence_causes",
           rule="must exist in seeds/absence_causes.csv"),
        _c(("Ärende-ID", "Poissaolotapauksen tunnus"), "arende_id", "text", rule="spell id, stable across months"),
        _c(("Ärende startdatum", "Poissaolotapauksen alkupäivä"), "arende_startdatum", "date", rule="first day of the spell, not after Från datum"),
        _c(("Från datum", "Alkupäivä"), "fran_datum", "date", rule="inside Period"),
        _c(("Till datum", "Loppupäivä"), "till_datum", "date", rule="inside Period, not before Från datum"),
        _c(("Omfattning", "Laajuus"), "omfattning", "decimal", min_value=0, max_value=100, min_exclusive=True,
           rule="extent in percent, above 0 and at most 100"),
        _c(("Frånvarotimmar", "Poissaolotunnit"), "franvarotimmar", "decimal", min_value=0, rule=">= 0"),
    ),
    row_rules=(
        _within_period("fran_datum", "Från datum must lie inside Period"),
        _within_period("till_datum", "Till datum must lie inside Period"),
        _not_after("fran_datum", "till_datum", "till_datum", "Till datum must not be before Från datum"),
        _not_after("arende_startdatum", "fran_datum", "arende_startdatum",
                   "Ärende startdatum must not be after Från datum"),
    ),
))

_register(Extract(
    name="employment_events",
    description="Hires into, exits from and moves within the organisation.",
    columns=(
        PERIOD,
        _c(("Händelsedatum", "Tapahtumapäivä"), "handelsedatum", "date", rule="inside Period"),
        PNR,
        _c(("Händelse", "Tapahtuma"), "handelse", "code", allowed=("NY", "AVG", "BYTE"), rule="NY, AVG or BYTE"),
        _c(("Anställningsform", "Palvelussuhteen laji"), "anstallningsform", "code", allowed=EMPLOYMENT_FORMS, rule="TV, VI or TIM"),
        _c(("Kostnadsställe", "Kustannuspaikka"), "kostnadsstalle", "org_unit", rule="must exist in org_units for the period"),
        _c(("Orsak", "Päättymisen syy"), "orsak", "code", required=False, code_seed="exit_reasons",
           rule="exit reason from seeds/exit_reasons.csv, required for AVG"),
        _c(("Samtal genomfört", "Keskustelu käyty"), "samtal_genomfort", "bool", required=False, rule="J or N"),
    ),
    row_rules=(
        _within_period("handelsedatum", "Händelsedatum must lie inside Period"),
        RowRule("orsak", "Orsak is required for AVG", _reason_for_exits,
                "not coalesce(handelse = 'AVG', false) or orsak is not null"),
    ),
))

_register(Extract(
    name="incidents",
    description="Work injury and incident reports from the IA system, by month of reporting.",
    columns=(
        PERIOD,
        _c(("Ärendenummer", "Tapausnumero"), "arendenummer", "text", unique=True, unique_across_periods=True,
           rule="required, unique, also across months"),
        _c(("Händelsedatum", "Tapahtumapäivä"), "handelsedatum", "date", rule="not after Anmälningsdatum"),
        _c(("Anmälningsdatum", "Ilmoituspäivä"), "anmalningsdatum", "date", rule="a valid date"),
        _c(("Kostnadsställe", "Kustannuspaikka"), "kostnadsstalle", "org_unit", rule="must exist in org_units for the period"),
        _c(("Typ", "Tapahtuman laji"), "typ", "code", allowed=("OLYCKSFALL", "TILLBUD", "ARBETSSJUKDOM", "FARDOLYCKSFALL"),
           rule="OLYCKSFALL, TILLBUD, ARBETSSJUKDOM or FARDOLYCKSFALL"),
        _c(("Sjukfrånvarodagar", "Sairauspoissaolopäivät"), "sjukfranvarodagar", "integer", required=False, min_value=0, rule="integer >= 0"),
        _c(("Allvarlig", "Vakava"), "allvarlig", "bool", required=False, rule="J or N"),
        Column("Personnummer", "personnummer", "personnummer", required=False, header_fi="Henkilötunnus",
               rule="optional; personnummer with a valid Luhn check digit"),
    ),
    row_rules=(
        _not_after("handelsedatum", "anmalningsdatum", "handelsedatum",
                   "Händelsedatum must not be after Anmälningsdatum"),
    ),
    # Free text holds health details: never stored.
    dropped_headers=("Beskrivning", "Händelsebeskrivning", "Åtgärd", "Kommentar", "Fritext",
                     "Kuvaus", "Tapahtuman kuvaus", "Toimenpiteet", "Kommentti", "Vapaa teksti"),
))

_register(Extract(
    name="agency_costs",
    description="Agency-staff invoice lines by the month the work was done; credit notes are negative.",
    columns=(
        PERIOD,
        _c(("Fakturanummer", "Laskun numero"), "fakturanummer", "text", rule="required"),
        _c(("Leverantör", "Toimittaja"), "leverantor", "text", rule="required"),
        _c(("Kostnadsställe", "Kustannuspaikka"), "kostnadsstalle", "org_unit", rule="must exist in org_units for the period"),
        _c(("Yrkesgrupp", "Ammattiryhmä"), "yrkesgrupp", "code", allowed=("LAK", "SSK", "USK", "OVR"), rule="LAK, SSK, USK or OVR"),
        _c(("Timmar", "Tunnit"), "timmar", "decimal", required=False, rule="may be negative on credit notes"),
        _c(("Belopp", "Summa"), "belopp", "decimal", rule="SEK excl. VAT, negative on credit notes"),
        _c(("Fakturadatum", "Laskun päivämäärä"), "fakturadatum", "date", rule="a valid date"),
    ),
))

_register(Extract(
    name="survey",
    description="Workplace health survey results per unit and question, for the month the survey closed.",
    columns=(
        PERIOD,
        _c(("Enkät", "Kysely"), "enkat", "text", rule="survey id"),
        _c(("Kostnadsställe", "Kustannuspaikka"), "kostnadsstalle", "org_unit", rule="must exist in org_units for the period"),
        _c(("Fråga", "Kysymys"), "fraga", "code", code_seed="survey_questions", rule="must exist in seeds/survey_questions.csv"),
        _c(("Inbjudna", "Kutsutut"), "inbjudna", "integer", min_value=0, min_exclusive=True, rule="integer > 0"),
        _c(("Svarande", "Vastaajat"), "svarande", "integer", min_value=0, rule="integer >= 0, at most Inbjudna"),
        *(_c((f"Svar {i}", f"Vastaus {i}"), f"svar_{i}", "integer", min_value=0, rule="integer >= 0") for i in range(1, 6)),
    ),
    row_rules=(
        _not_after("svarande", "inbjudna", "svarande", "Svarande must not exceed Inbjudna"),
        RowRule("svarande", "Svarande must equal Svar 1 + ... + Svar 5", _survey_answers_add_up,
                "svar_1 + svar_2 + svar_3 + svar_4 + svar_5 = svarande"),
    ),
))

_register(Extract(
    name="org_units",
    description="Organisation hierarchy, a full snapshot per month.",
    columns=(
        PERIOD,
        _c(("Kostnadsställe", "Kustannuspaikka"), "kostnadsstalle", "code", rule="required, unique per Period"),
        _c(("Benämning", "Nimi"), "benamning", "text", rule="required"),
        _c(("Överordnad", "Yläyksikkö"), "overordnad", "code", required=False,
           rule="parent code; empty only for the root; no cycles"),
        _c(("Nivå", "Taso"), "niva", "integer", min_value=1, max_value=4,
           rule="1 region, 2 förvaltning, 3 verksamhet, 4 enhet"),
    ),
    full_snapshot=True,
))

# Load order: org units first, since the other extracts are checked against them.
EXTRACT_ORDER: tuple[str, ...] = (
    "org_units", "employees", "payroll", "absence", "employment_events",
    "incidents", "agency_costs", "survey",
)
assert set(EXTRACT_ORDER) == set(EXTRACTS) == set(EXTRACT_TITLES_SV)
# Beside the extracts' tables, raw holds the loader's record of what was delivered (a
# header-only file included), which the completeness rule reads (dagster_project/ingest/loader.py).
RAW_TABLES: tuple[str, ...] = (*EXTRACT_ORDER, "deliveries")


def code_aliases(seeds_dir) -> dict[str, dict[str, str]]:
    """Raw column name -> {delivered code (upper case) -> the code it stands for}, from
    seeds/code_aliases.csv: the Finnish codes of closed-set and seed-coded columns."""
    import csv
    from pathlib import Path

    out: dict[str, dict[str, str]] = {}
    with (Path(seeds_dir) / "code_aliases.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["column_name"], {})[row["alias"].strip().upper()] = row["code"].strip().upper()
    return out


def sources_yaml() -> str:
    """dbt sources for the raw tables, generated so the contract is declared once."""
    lines = [
        "# Generated by `python -m dagster_project.contracts --sources`; do not edit.",
        "version: 2",
        "sources:",
        "  - name: raw",
        "    schema: raw",
        "    description: Extracts as loaded by Dagster, personnummer replaced by a pseudonym.",
        "    # Dagster's default key for these sources is [raw, <table>]: the raw assets' keys.",
        "    tables:",
    ]
    for name in EXTRACT_ORDER:
        e = EXTRACTS[name]
        lines += [
            f"      - name: {e.name}",
            f"        description: \"{e.title_sv}: {e.description}\"",
            "        columns:",
        ]
        for c in e.columns:
            if c.kind == "personnummer":
                lines += [
                    "          - name: person_key",
                    "            description: \"Keyed HMAC-SHA-256 pseudonym of Personnummer\"",
                    "          - name: birth_year",
                    "            description: \"Birth year derived from Personnummer before it was discarded\"",
                    "          - name: legal_gender",
                    "            description: \"Legal gender (K/M) derived from Personnummer\"",
                ]
            else:
                desc = f"{c.header}: {c.rule}".replace('"', "'")
                lines += [f"          - name: {c.name}", f"            description: \"{desc}\""]
    lines += [
        "      - name: deliveries",
        "        description: \"The file each extract's month was last loaded from, a header-only file included\"",
        "        columns:",
        "          - name: extract",
        "            description: \"The extract (seeds/extract_requirements.csv)\"",
        "          - name: period",
        "            description: \"YYYYMM\"",
        "          - name: _load_id",
        "            description: \"The load in audit.load_log\"",
        "          - name: rows_loaded",
        "            description: \"Rows loaded from the file (0 for a header-only file)\"",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    if "--sources" in sys.argv:
        sys.stdout.write(sources_yaml())
    else:
        for e in EXTRACTS.values():
            print(f"{e.name}: {', '.join(c.header for c in e.columns)}")
