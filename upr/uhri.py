"""Read the export of the UN's Universal Human Rights Index (uhri.ohchr.org) into recommendations.

The Index's search offers its results as an Excel (.xlsx) or CSV file, one row per recommendation, with the text
(the "annotation", which starts with the paragraph number and ends with the recommending states in brackets,
as the Working Group report prints it), the document symbol, the UPR position, themes, affected persons and
SDGs. Column titles are matched without regard to case, spaces or punctuation, under the names the Index has
used (`COLUMNS`); cells holding several values separate them with semicolons, line breaks or "|".

- Rows of other mechanisms (treaty bodies, special procedures) and of other countries are skipped and counted.
- The review cycle is the one whose Working Group report has the row's document symbol (or the "UPR cycle"
  column where the export has one): the cycles themselves come first, from the admin.
- The paragraph number and the recommending states come from their own columns where present, from the text
  otherwise.
- Themes are mapped onto the portal's themes through each theme's OHCHR labels, as for the portal's CSV;
  affected persons are created as the Index names them (the national team writes their Spanish names).

The whole file is checked first; any bad row refuses it whole (`ImportRefused`, each row and column named).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from upr.enums import Response
from upr.importer import (
    PARAGRAPH_RE,
    REQUIRED_COLUMNS,
    ImportRefused,
    ImportResult,
    Row,
    _decode,
    import_recommendations,
    write_rows,
)
from upr.models import ReviewCycle

COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (
        "annotation",
        "recommendation",
        "recommendations",
        "text",
        "recommendationtext",
        "recommendationobservation",
    ),
    "document": ("documentsymbol", "symbol", "document", "sourcedocument", "sourceofrecommendation"),
    "paragraph": ("paragraph", "paragraphnumber", "para"),
    "position": ("uprposition", "position", "response", "positionofthestateunderreview", "stateposition"),
    "states": ("recommendingstate", "recommendingstates", "recommendingstatess"),
    "themes": ("themes", "theme", "themess", "humanrightsthemes"),
    "affected": ("affectedpersons", "groupsofpersons", "affectedpersonsgroups", "concernedgroups"),
    "sdgs": ("sdgs", "sdg", "sustainabledevelopmentgoals", "relevantsdgs"),
    "cycle": ("uprcycle", "cycle"),
    "country": ("country", "countries", "stateunderreview", "countryunderreview"),
    "body": ("body", "bodies", "mechanism", "mechanisms"),
}
REQUIRED = ("text", "document", "position")
MULTI_SEPARATOR = re.compile(r"\s*(?:;|\n|\|)\s*")
POSITIONS = {
    "supported": Response.SUPPORTED,
    "accepted": Response.SUPPORTED,
    "noted": Response.NOTED,
    "supportednoted": Response.SUPPORTED_IN_PART,
    "supportedinpart": Response.SUPPORTED_IN_PART,
    "partiallysupported": Response.SUPPORTED_IN_PART,
    "pending": Response.PENDING,
    "": Response.PENDING,
}
# "26.112 Take ... (Cuba);" -> the paragraph number in front, the states in the brackets at the end.
LEADING_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.\d{1,4})\.?\s+")
TRAILING_STATES = re.compile(r"\s*\(([^()]+)\)\s*[;.]?\s*$")
SDG_NUMBER = re.compile(r"^(?:sdg|goal)?\s*(\d{1,2})\b", re.IGNORECASE)
UPR_BODIES = {"upr", "universalperiodicreview"}


def _key(title: str) -> str:
    return re.sub(r"[^a-z]", "", title.casefold())


def split_cell(cell: str) -> list[str]:
    return [part for part in MULTI_SEPARATOR.split(cell.strip()) if part]


@dataclass
class Skipped:
    other_mechanisms: int = 0
    other_countries: int = 0


def _records_from_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    for cells in reader:
        yield reader.line_num, cells


def _records_from_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # noqa: PLC0415 - only the .xlsx path needs it
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(
            [_("The file is not an Excel workbook (.xlsx) that can be read: %(e)s") % {"e": exc}]
        ) from None
    try:
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else str(v) for v in values]
    finally:
        book.close()


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _header(records: Iterator[tuple[int, list[str]]]) -> dict[str, int]:
    """The columns of the first row that names at least the required ones (an export may open with a title)."""
    for line, cells in records:
        found: dict[str, int] = {}
        for index, title in enumerate(cells):
            key = _key(title)
            for field, names in COLUMNS.items():
                if key in names and field not in found:
                    found[field] = index
        if all(field in found for field in REQUIRED):
            return found
        if line >= 10:
            break
    raise ImportRefused(
        [
            _(
                "No header row with the Index's columns was found in the first ten rows. The file needs at least "
                "the columns Annotation (the recommendation's text), Document symbol and UPR position."
            )
        ]
    )


def parse_uhri(data: bytes, *, country: str = "United States of America") -> tuple[list[Row], Skipped]:
    records = _records_from_xlsx(data) if is_xlsx(data) else _records_from_csv(data)
    columns = _header(records)
    cycles = list(ReviewCycle.objects.filter(country=country))
    by_symbol = {c.report_symbol.casefold(): c for c in cycles if c.report_symbol}
    by_number = {c.number: c for c in cycles}
    own_country = {_key(country), _key(country.removesuffix(" of America"))}
    rows: list[Row] = []
    errors: list[str] = []
    skipped = Skipped()
    seen: dict[tuple[int, str], int] = {}

    for line, cells in records:

        def cell(field: str) -> str:
            index = columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""  # noqa: B023

        if not any(c.strip() for c in cells):
            continue
        if "body" in columns and _key(cell("body")) not in UPR_BODIES:
            skipped.other_mechanisms += 1
            continue
        if "country" in columns and not own_country & {_key(c) for c in split_cell(cell("country"))}:
            skipped.other_countries += 1
            continue
        problems: list[str] = []

        def problem(field: str, message: str) -> None:
            problems.append(_("column “%(column)s”: %(message)s") % {"column": field, "message": message})  # noqa: B023

        text = cell("text")
        paragraph = cell("paragraph")
        if match := LEADING_PARAGRAPH.match(text):
            paragraph = paragraph or match.group(1)
            text = text[match.end() :]
        named = split_cell(cell("states"))
        trailing: list[str] = []
        # The brackets that close the text name its states; where a column names them too, only brackets holding
        # those are taken off (a text may end with its own brackets, "(the Paris Principles)").
        while (match := TRAILING_STATES.search(text)) and (
            not named or match.group(1).strip().casefold() in {n.casefold() for n in named}
        ):
            trailing.insert(0, match.group(1).strip())
            text = text[: match.start()]
        text = text.strip().rstrip(";").strip()
        states = "; ".join(named or trailing)
        if not text:
            problem("text", _("the recommendation's text is empty"))
        if not PARAGRAPH_RE.match(paragraph):
            problem("paragraph", _("no paragraph number like 26.112 (neither a column nor at the start of the text)"))
        if not states:
            problem("states", _("no recommending state (neither a column nor in brackets after the text)"))
        document = cell("document")
        raw_cycle = cell("cycle")
        cycle = None
        if raw_cycle:
            digits = re.search(r"\d+", raw_cycle)
            cycle = by_number.get(int(digits.group())) if digits else None
            if cycle is None:
                problem(
                    "cycle",
                    _("no review cycle “%(c)s” of %(country)s in the portal") % {"c": raw_cycle, "country": country},
                )
        else:
            symbol = re.sub(r"/Add\.\d+$", "", document, flags=re.IGNORECASE).casefold()
            cycle = by_symbol.get(symbol)
            if cycle is None:
                problem(
                    "document",
                    _(
                        "the document symbol “%(s)s” is the report of no review cycle of %(country)s in the portal "
                        "(add the cycle with its report symbol first)"
                    )
                    % {"s": document, "country": country},
                )
        position = POSITIONS.get(_key(cell("position")))
        if position is None:
            problem("position", _("“%(p)s” is not Supported, Noted or Supported/Noted") % {"p": cell("position")})
        sdgs: list[int] = []
        for value in split_cell(cell("sdgs")):
            match = SDG_NUMBER.match(value)
            number = int(match.group(1)) if match else 0
            if not 1 <= number <= 17:
                problem("sdgs", _("“%(v)s” is not one of the 17 SDGs") % {"v": value})
            elif number not in sdgs:
                sdgs.append(number)
        if cycle is not None and PARAGRAPH_RE.match(paragraph):
            key = (cycle.number, paragraph)
            if key in seen:
                problem("paragraph", _("paragraph %(p)s also on row %(first)s") % {"p": paragraph, "first": seen[key]})
            else:
                seen[key] = line
        if problems:
            errors.append(_("Row %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)})
            continue
        assert cycle is not None and position is not None
        rows.append(
            Row(
                line=line,
                cycle=cycle,
                document=document or cycle.report_symbol,
                paragraph=paragraph,
                text=text,
                states=states,
                response=position,
                source_themes="; ".join(split_cell(cell("themes"))),
                affected_groups=split_cell(cell("affected")) if "affected" in columns else None,
                sdgs=sdgs if "sdgs" in columns else None,
            )
        )
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([_("The file holds no UPR recommendation to %(country)s.") % {"country": country}])
    return rows, skipped


def import_uhri(data: bytes, *, country: str = "United States of America") -> tuple[ImportResult, Skipped]:
    """Check the whole export, then create or update every recommendation in it in one transaction."""
    rows, skipped = parse_uhri(data, country=country)
    return write_rows(rows), skipped


def is_portal_csv(data: bytes) -> bool:
    """The portal's own CSV format starts with its own header (`upr.importer.REQUIRED_COLUMNS`)."""
    first_line = data[:500].decode("utf-8-sig", errors="replace").splitlines()[:1]
    return bool(first_line) and set(REQUIRED_COLUMNS) <= {c.strip() for c in first_line[0].split(",")}


def import_recommendation_file(
    data: bytes, *, country: str = "United States of America"
) -> tuple[ImportResult, Skipped]:
    """Either format, told apart by its first bytes: the portal's CSV, or the Index's export (.xlsx or CSV)."""
    if not is_xlsx(data) and is_portal_csv(data):
        return import_recommendations(data, country=country), Skipped()
    return import_uhri(data, country=country)
