"""Parsing what real Swedish extracts contain.

Two halves: the file level (encoding, delimiter, headers) and personnummer, done in Python,
and the value level (decimal comma, both date formats, J/N booleans), written as DuckDB SQL
expressions so the loader converts millions of values in one statement. Every text that may
reach a log, an error message or the quarantine table passes through `scrub` first.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date

from dagster_project import henkilotunnus

DELIMITER = ";"
UTF8_BOM = b"\xef\xbb\xbf"
OTHER_DELIMITERS = (",", "\t", "|")


class FileFormatError(ValueError):
    """The file as a whole cannot be read under the contract. `offset` is the byte where the
    problem is, when there is one, so the loader can name its line and column."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


# --- privacy ---------------------------------------------------------------------------------

# The separators people and spreadsheets put between the date and the last four digits: the
# hyphen and '+' of the standard, and what autocorrect and copy-paste turn the hyphen into (en and
# em dash, the other Unicode dashes, a minus sign) or a space (ordinary, non-breaking, narrow,
# thin). Spelled as a character class for Python and for DuckDB's RE2 alike.
PNR_SEPARATORS = "-+\u2010\u2011\u2012\u2013\u2014\u2015\u2212 \u00a0\u202f\u2009"
_SEP_CLASS = "[" + PNR_SEPARATORS.replace("-", "\\-") + "]"

# Anything shaped like a personnummer: 6 or 8 digits, an optional separator, 4 digits. The
# 8-digit alternative comes first so a 12-digit run is masked whole. Used in Python and, in
# RE2 syntax (no look-around), in DuckDB's regexp_replace. Masking does not check the Luhn
# digit: a mistyped number is still nearly a person's number, and a message loses nothing by
# hiding four digits.
#
# The four digits must not run on into another digit, or "202601 19710823-4829" (a month and a
# number in a file name) would mask "202601 1971" and show the rest: the trailing non-digit is
# captured (RE2 has no look-ahead) and put back.
PNR_SHAPE = r"(\d{8}|\d{6})" + _SEP_CLASS + r"?\d{4}([^0-9]|$)"
_PNR_SHAPE_RE = re.compile(PNR_SHAPE)
MASK_REPLACEMENT_SQL = r"\1-****\2"
# A control character (newline, CR, escape...) in a file name shown on a terminal or in a log can
# forge a line ("Refresh succeeded") or recolour the screen.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def scrub(text: object) -> str:
    """`text` with every personnummer-shaped digit run masked (`19850101-****`), then every
    henkilötunnus-shaped run (`010180A123B` -> `010180-****`)."""
    return henkilotunnus.scrub(_PNR_SHAPE_RE.sub(lambda m: f"{m.group(1)}-****{m.group(2)}", str(text)))


def scrub_sql(expr: str) -> str:
    """The DuckDB expression for `scrub(expr)`."""
    return henkilotunnus.scrub_sql(f"regexp_replace({expr}, '{PNR_SHAPE}', '{MASK_REPLACEMENT_SQL}', 'g')")


def escape_controls(text: object) -> str:
    """`text` with control characters written as escapes (\\n, \\x1b): one line, no terminal codes."""
    return _CONTROL_RE.sub(lambda m: repr(m.group(0))[1:-1] if m.group(0) in "\n\r\t"
                           else f"\\x{ord(m.group(0)):02x}", str(text))


def display_name(name: str) -> str:
    """A file name as it may be stored and shown: personnummer masked, control characters escaped.
    Used for every name the loader writes to the audit tables, Dagster and the terminal."""
    return escape_controls(scrub(name))


# --- spreadsheet formulas ----------------------------------------------------------------------

# A text value a spreadsheet would run when the data is exported and opened: '=' anything, or
# '+', '-' or '@' directly before a function call (+HYPERLINK(...), @SUM(...)) or a DDE pipe
# (-cmd|'...'!A0), after optional leading whitespace (tab and CR included). Narrower than the
# export's neutralising (every cell starting with = + - @): a supplier called "@Work AB" or a
# unit named "- vakant" is legitimate text here. Only text columns are checked; numbers are
# parsed as numbers, so a negative amount never reaches this rule. RE2 syntax (DuckDB).
# A '+' or '-' followed by a number and then an operator is a formula too (+1+1, -1+HYPERLINK(...)):
# the spreadsheet computes it, and whatever follows the number runs. A lone signed number or a
# phone number (+46 70 123 45 67) has no operator and stays text.
FORMULA_SHAPE = (r"^\s*(=|[+@-]\s*[A-Za-z_][A-Za-z0-9_.]*\(|[+-]\s*[0-9.(][^|]*?[-+*/^&]|[+@=-][^|]*\|)")
FORMULA_RULE = ("no spreadsheet formulas in text (a value must not start with =, with + - @ before a function "
                "call or |, or with + - before a number and an operator)")


def sql_formula_like(v: str) -> str:
    """DuckDB predicate: the VARCHAR expression `v` starts like a spreadsheet formula."""
    return f"regexp_matches({v}, '{FORMULA_SHAPE}')"


# --- personnummer ------------------------------------------------------------------------------

_PNR_RE = re.compile(r"(\d{2})?(\d{6})(" + _SEP_CLASS + r"?)(\d{4})")
# In longer text: not part of a longer digit run.
_PNR_IN_TEXT_RE = re.compile(r"(?<!\d)(?:\d{8}|\d{6})" + _SEP_CLASS + r"?\d{4}(?!\d)")


class InvalidPersonnummer(ValueError):
    """The value is not a valid personnummer or samordningsnummer; the message holds no digits
    of the number beyond the masked form."""


@dataclass(frozen=True)
class Personnummer:
    normalised: str  # 12 digits, YYYYMMDDNNNN (samordningsnummer keep their day + 60)
    birth_date: date
    coordination: bool  # samordningsnummer

    @property
    def birth_year(self) -> int:
        return self.birth_date.year

    @property
    def legal_gender(self) -> str:
        # The second-to-last digit is odd for men and even for women.
        return "M" if int(self.normalised[-2]) % 2 else "K"

    @property
    def masked(self) -> str:
        return f"{self.normalised[:8]}-****"


_DOUBLED = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}


def luhn_ok(ten_digits: str) -> bool:
    """Luhn over YYMMDDNNNN: every other digit from the first doubled (digits of the product added)."""
    total = sum(_DOUBLED[ch] for ch in ten_digits[0::2]) + sum(map(int, ten_digits[1::2]))
    return total % 10 == 0


def mask_personnummer(value: str) -> str:
    """The masked form for messages: the date part kept, the last four digits hidden.
    Works on invalid values too, so a rejected number is never shown whole."""
    v = (value or "").strip()
    m = _PNR_RE.fullmatch(v)
    if m:
        century, ymd, _sep, _last = m.groups()
        return f"{century or ''}{ymd}-****"
    return scrub(v) if _PNR_SHAPE_RE.search(v) else re.sub(r"\d", "*", v)


def parse_personnummer(value: str, reference: date) -> Personnummer:
    """Parse any of YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN (also YYMMDDNNNN).

    For the 10-digit forms the century is the one that makes the person younger than 100 at
    `reference` (the end of the file's period), or at least 100 when the separator is `+`.
    """
    v = (value or "").strip()
    m = _PNR_RE.fullmatch(v)
    if not m:
        raise InvalidPersonnummer("not in a personnummer format (YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN)")
    century, ymd, sep, last = m.groups()
    # A dash or a space is the hyphen retyped by autocorrect or copy-paste; only '+' means 100+.
    sep = sep if sep in ("", "+") else "-"
    if century and sep == "+":
        raise InvalidPersonnummer("'+' is only used with the 10-digit form YYMMDD+NNNN")
    if not luhn_ok(ymd + last):
        raise InvalidPersonnummer("the Luhn check digit is wrong")
    yy, mm, dd = int(ymd[:2]), int(ymd[2:4]), int(ymd[4:6])
    coordination = dd > 60
    day = dd - 60 if coordination else dd
    if century:
        years = [int(century) * 100 + yy]
    else:
        # Candidates from the newest century back; keep the first that fits the age rule.
        base = reference.year - reference.year % 100 + yy
        years = [base, base - 100, base - 200]
    for year in years:
        try:
            born = date(year, mm, day)
        except ValueError:
            if century:
                raise InvalidPersonnummer("the date part is not a valid date") from None
            continue
        if century:
            return Personnummer(f"{year:04d}{ymd[2:]}{last}", born, coordination)
        if born > reference:
            continue
        age = reference.year - born.year - ((reference.month, reference.day) < (born.month, born.day))
        if (sep == "+") == (age >= 100):
            return Personnummer(f"{year:04d}{ymd[2:]}{last}", born, coordination)
    raise InvalidPersonnummer("the date part is not a valid date")


def holds_personnummer(text: str, reference: date) -> bool:
    """Whether `text` holds a valid personnummer or samordningsnummer anywhere, in any spelling
    (`PNR_SEPARATORS`): date and Luhn digit checked, so an invoice number of the same shape is not
    taken for one."""
    for m in _PNR_IN_TEXT_RE.finditer(text or ""):
        try:
            parse_personnummer(m.group(0), reference)
            return True
        except InvalidPersonnummer:
            continue
    return False


# --- file level --------------------------------------------------------------------------------

# A UTF-8 encoded Swedish letter (å ä ö é Å Ä Ö ...): in Windows-1252 these byte pairs read as
# 'Ã' and a symbol, which real Windows-1252 text does not hold.
_UTF8_LATIN_LETTER = re.compile(rb"\xc3[\x80-\xbf]")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def detect_encoding(data: bytes) -> str:
    """'utf-8-sig', 'utf-8' or 'cp1252', decided from the bytes: valid UTF-8 is UTF-8.

    A file that is mostly UTF-8 with some Windows-1252 lines (two exports pasted together) is
    an error rather than Windows-1252: reading it as either would garble the other half.
    NUL bytes (UTF-16, a spreadsheet or other binary saved as .csv) are an error too.
    """
    if data.startswith(UTF16_BOMS):
        raise FileFormatError("the file is UTF-16; save it as UTF-8 or Windows-1252", offset=0)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise FileFormatError("the file holds NUL bytes (0x00): not a text file (UTF-16, a spreadsheet "
                              "or another binary format saved as .csv?)", offset=nul)
    if data.startswith(UTF8_BOM):
        start = len(UTF8_BOM)
    else:
        start = 0
    try:
        data[start:].decode("utf-8")
        return "utf-8-sig" if start else "utf-8"
    except UnicodeDecodeError as exc:
        bad = start + exc.start
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"neither UTF-8 nor Windows-1252: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            offset=exc.start) from None
    if start or _UTF8_LATIN_LETTER.search(data):
        raise FileFormatError(
            f"mixed encodings: the file has UTF-8 letters but byte 0x{data[bad]:02x} at offset {bad} is not "
            "UTF-8 (a Windows-1252 line?); save the whole file in one encoding", offset=bad)
    return "cp1252"


def normalise_header(header: str) -> str:
    """Header key for matching: trimmed, inner whitespace collapsed, case-folded (Å = å)."""
    return " ".join(header.replace("\ufeff", "").split()).casefold()


def split_header(line: str) -> list[str]:
    """The header row's fields. A row that does not use `;` is an error, not a one-column file."""
    fields = next(csv.reader([line], delimiter=DELIMITER, quotechar='"'), [])
    if len(fields) <= 1:
        for other in OTHER_DELIMITERS:
            if other in line:
                shown = {"\t": "tab"}.get(other, f"'{other}'")
                raise FileFormatError(f"the delimiter must be ';' but the header row is separated by {shown}",
                                      offset=0)
    return [f.strip() for f in fields]


# --- value level: DuckDB expressions over a VARCHAR expression ----------------------------------

def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_decimal(v: str, type_: str = "DECIMAL(18,4)") -> str:
    """Decimal comma or point; spaces (also non-breaking) as thousands separators allowed."""
    cleaned = f"replace(replace(replace({v}, ' ', ''), chr(160), ''), ',', '.')"
    return (f"case when regexp_full_match({cleaned}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)') "
            f"then try_cast({cleaned} as {type_}) end")


def sql_integer(v: str) -> str:
    return f"case when regexp_full_match({v}, '[+-]?[0-9]+') then try_cast({v} as BIGINT) end"


def sql_date(v: str) -> str:
    """YYYY-MM-DD or YYYYMMDD; impossible dates (2025-02-30) give NULL."""
    return (f"case when regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            f"then try_strptime({v}, '%Y-%m-%d')::DATE "
            f"when regexp_full_match({v}, '[0-9]{{8}}') then try_strptime({v}, '%Y%m%d')::DATE end")


def sql_period(v: str) -> str:
    """YYYYMM with a month 01-12, as INTEGER."""
    return (f"case when regexp_full_match({v}, '[0-9]{{4}}(0[1-9]|1[0-2])') "
            f"then cast({v} as INTEGER) end")


# Swedish J/Ja and N/Nej, Finnish K/Kyllä and E/Ei.
TRUE_WORDS = ("J", "JA", "1", "K", "KYLLÄ")
FALSE_WORDS = ("N", "NEJ", "0", "E", "EI")


def sql_bool(v: str) -> str:
    t = ", ".join(sql_string(w) for w in TRUE_WORDS)
    f = ", ".join(sql_string(w) for w in FALSE_WORDS)
    return f"case when upper({v}) in ({t}) then true when upper({v}) in ({f}) then false end"
