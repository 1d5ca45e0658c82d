"""The Universal Human Rights Index export: a small file made here in its format (an .xlsx with a title row, and
the same as CSV), filling in the 2015 review, with affected persons and SDGs."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from upr.importer import ImportRefused
from upr.loaders import load_cycles, load_themes
from upr.models import AffectedGroup, Recommendation
from upr.uhri import import_recommendation_file, import_uhri

HEADER = [
    "Annotation",
    "Document symbol",
    "Body",
    "Country",
    "UPR cycle",
    "UPR position",
    "Themes",
    "Affected persons",
    "SDGs",
]
ROWS = [
    [
        "176.1 Ratify the Convention on the Rights of the Child (Uruguay) (Estonia);",
        "A/HRC/30/12",
        "UPR",
        "United States of America",
        "2nd cycle",
        "Supported/Noted",
        "Ratification of & accession to international instruments; Rights of the Child",
        "Children",
        "16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
    ],
    [
        "176.258 Take measures to reduce homelessness and guarantee adequate housing for all (Cuba);",
        "A/HRC/30/12",
        "UPR",
        "United States of America",
        "2nd cycle",
        "Noted",
        "Right to adequate housing",
        "Persons living in poverty\nWomen & girls",
        "1 - NO POVERTY\n11 - SUSTAINABLE CITIES AND COMMUNITIES",
    ],
    # Another mechanism and another country: skipped, counted.
    ["12. The Committee recommends ...", "CRC/C/OPAC/USA/CO/2", "CRC", "United States of America", "", "", "", "", ""],
    ["120.3 Ratify ... (Chile);", "A/HRC/43/15", "UPR", "Slovenia", "3rd cycle", "Supported", "", "", ""],
]


def _xlsx(rows, header=HEADER, title=True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["Universal Human Rights Index - search results"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture
def cycles(db):
    load_themes()
    load_cycles()


@pytest.mark.parametrize("make", [_xlsx, _csv], ids=["xlsx", "csv"])
def test_the_2015_review_is_filled_in_with_affected_persons_and_sdgs(cycles, make):
    result, skipped = import_uhri(make(ROWS))

    assert (result.created, skipped.other_mechanisms, skipped.other_countries) == (2, 1, 1)
    child, housing = Recommendation.objects.filter(cycle__number=2).order_by("sort_key")
    assert (child.paragraph, child.text, child.recommending_states, child.response) == (
        "176.1",
        "Ratify the Convention on the Rights of the Child",
        "Uruguay; Estonia",
        "supported in part",
    )
    assert [g.name for g in child.affected_groups.all()] == ["Children"]
    assert [g.number for g in child.sdgs.all()] == [16]
    assert [t.slug for t in housing.themes.all()] == ["housing"]
    assert sorted(g.name for g in housing.affected_groups.all()) == ["Persons living in poverty", "Women & girls"]
    assert [g.number for g in housing.sdgs.order_by("number")] == [1, 11]
    assert housing.document == "A/HRC/30/12"


def test_a_second_import_changes_nothing_and_a_changed_row_updates(cycles):
    import_uhri(_xlsx(ROWS))
    again, _ = import_uhri(_xlsx(ROWS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AffectedGroup.objects.count() == 3

    changed = [list(ROWS[0]), ROWS[1]]
    changed[0][8] = "4 - QUALITY EDUCATION; 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"
    result, _ = import_uhri(_xlsx(changed))
    assert (result.updated, result.unchanged) == (1, 1)
    assert [g.number for g in Recommendation.objects.get(paragraph="176.1").sdgs.order_by("number")] == [4, 16]


def test_the_cycle_comes_from_the_document_symbol_when_the_export_has_no_cycle_column(cycles):
    header = [h for h in HEADER if h != "UPR cycle"]
    rows = [[c for i, c in enumerate(row) if HEADER[i] != "UPR cycle"] for row in ROWS[:2]]
    result, _ = import_uhri(_csv(rows, header))
    assert result.created == 2
    assert set(Recommendation.objects.values_list("cycle__number", flat=True)) == {2}


def test_states_and_paragraph_columns_win_over_the_text(cycles):
    header = ["Recommendation", "Paragraph", "Recommending State", "Symbol", "Position"]
    rows = [["Strengthen the national human rights institution (the Paris Principles) (Philippines)", "176.91",
             "Philippines", "A/HRC/30/12", "Supported"]]  # fmt: skip
    import_uhri(_csv(rows, header))
    rec = Recommendation.objects.get(paragraph="176.91")
    assert rec.text == "Strengthen the national human rights institution (the Paris Principles)"
    assert rec.recommending_states == "Philippines"
    # A file without the affected persons or SDG columns leaves what the recommendation has.
    assert rec.affected_groups.count() == 0


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_stored(cycles):
    bad = [
        ["Reduce poverty (Cuba)", "A/HRC/30/12", "UPR", "United States of America", "2", "Supported", "", "", ""],
        ["176.5 Do it (Chile)", "A/HRC/99/1", "UPR", "United States of America", "", "Maybe", "", "", "18 - OCEANS"],
        ROWS[0],
        ROWS[0],
    ]
    with pytest.raises(ImportRefused) as refused:
        import_uhri(_xlsx(bad))
    errors = refused.value.errors
    assert len(errors) == 3
    assert errors[0].startswith("Row 3:") and "“paragraph”" in errors[0]
    assert "Row 4:" in errors[1]
    assert "“document”" in errors[1] and "A/HRC/99/1" in errors[1]
    assert "“position”" in errors[1] and "“sdgs”" in errors[1]
    assert errors[2].startswith("Row 6:") and "also on row 5" in errors[2]
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"just some text\nwith lines\n", "No header row"),
        (b"PK\x03\x04 not really a workbook", "not an Excel workbook"),
        (_csv([], HEADER), "no UPR recommendation"),
    ],
)
def test_files_that_are_not_an_export_are_refused_plainly(cycles, data, message):
    with pytest.raises(ImportRefused) as refused:
        import_uhri(data)
    assert message in refused.value.errors[0]


def test_the_portal_csv_still_imports_through_the_same_entry(cycles):
    header = "cycle,document,paragraph,recommendation,recommending_states,position,source_themes\n"
    data = (header + "3,A/HRC/46/15,26.1,Consider ratifying,Somalia,supported,\n").encode()
    result, skipped = import_recommendation_file(data)
    assert result.created == 1 and skipped.other_mechanisms == 0


def test_the_admin_imports_an_export(cycles, superuser_client):
    url = reverse("admin:upr_recommendation_import")
    upload = io.BytesIO(_xlsx(ROWS))
    upload.name = "uhri-export.xlsx"
    response = superuser_client.post(url, {"file": upload}, follow=True)
    assert "2 created" in response.content.decode()
    assert "1 of other mechanisms, 1 of other countries" in response.content.decode()


def test_the_command_imports_an_export(cycles, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(_xlsx(ROWS))
    out = io.StringIO()
    call_command("import_recommendations", str(path), stdout=out)
    assert "2 created" in out.getvalue() and "1 of other mechanisms" in out.getvalue()
    path.write_bytes(
        _xlsx(ROWS[:1] + [["176.9 x (Cuba)", "A/HRC/30/12", "UPR", "United States", "", "Perhaps", "", "", ""]])
    )
    with pytest.raises(CommandError, match="refused"):
        call_command("import_recommendations", str(path))
