import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from upr.importer import ImportRefused, import_recommendations
from upr.loaders import US, load_cycles, load_themes, recommendation_files
from upr.models import Recommendation, ReviewCycle

DATA = Path(__file__).resolve().parents[2] / "upr" / "data"
HEADER = "cycle,document,paragraph,recommendation,recommending_states,position,source_themes\n"


@pytest.fixture
def cycles(db):
    load_themes()
    load_cycles()


def _snapshot():
    return sorted(Recommendation.objects.values_list("cycle__number", "paragraph", "text", "response"))


def test_import_real_files_counts_positions_and_themes(cycles):
    first = import_recommendations((DATA / "us_recommendations_cycle1.csv").read_bytes())
    third = import_recommendations((DATA / "us_recommendations_cycle3.csv").read_bytes())

    assert (first.created, third.created) == (228, 347)
    cycle3 = Recommendation.objects.filter(cycle__number=3)
    assert [cycle3.filter(response=r).count() for r in ("supported", "supported in part", "noted")] == [263, 17, 67]
    rec = Recommendation.objects.get(cycle__number=3, paragraph="26.1")
    assert (rec.text, rec.recommending_states) == (
        "Consider ratifying all remaining human rights conventions",
        "Somalia",
    )
    assert [t.slug for t in rec.themes.all()] == ["un-engagement"]
    # Only UPR Info's "Other" maps to no portal theme (SOURCES.md).
    assert first.unmapped_labels == {"Other"}
    assert third.unmapped_labels == set()


def test_paragraphs_sort_numerically(cycles):
    import_recommendations((DATA / "us_recommendations_cycle3.csv").read_bytes())
    paragraphs = list(Recommendation.objects.filter(cycle__number=3).values_list("paragraph", flat=True)[:12])
    assert paragraphs[8:12] == ["26.9", "26.10", "26.11", "26.12"]


def test_reimport_is_a_no_op(cycles):
    data = (DATA / "us_recommendations_cycle3.csv").read_bytes()
    import_recommendations(data)
    before = _snapshot()

    again = import_recommendations(data)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 347)
    assert _snapshot() == before


def test_reimport_with_a_changed_row_updates_only_that_row(cycles):
    import_recommendations((HEADER + "3,A/HRC/46/15,26.1,Old text,Somalia,noted,\n").encode())
    result = import_recommendations((HEADER + "3,A/HRC/46/15,26.1,New text,Somalia,supported,\n").encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert _snapshot() == [(3, "26.1", "New text", "supported")]


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        pytest.param(
            b"cycle,paragraph,text\n3,26.1,Ratify\n",
            [
                "Line 1: the header lacks the column(s) document, recommendation, recommending_states, position, "
                "source_themes. Expected columns: cycle, document, paragraph, recommendation, recommending_states, "
                "position, source_themes."
            ],
            id="wrong-columns",
        ),
        pytest.param(
            (HEADER + "3,A/HRC/46/15,26.1,Ratify,Somalia,supported,\n").encode()
            + "3,A/HRC/46/15,26.2,Ratifier à,France,supported,\n".encode("latin-1"),
            ["The file is not UTF-8 text: line 3 has bytes that are not UTF-8. Save it as “CSV UTF-8” and try again."],
            id="bad-encoding",
        ),
        pytest.param(
            (HEADER + "3,A/HRC/46/15,26.1,Ratify,Somalia,supported,\n9,A/HRC/99/1,1.1,Ratify,Chile,noted,\n").encode(),
            ["Line 3: unknown cycle “9” (add the review cycle first)."],
            id="unknown-cycle",
        ),
        pytest.param(
            (
                HEADER + "3,A/HRC/46/15,26.1,Ratify,Somalia,supported,\n3,A/HRC/46/15,26.2,Act,Ghana,supported,\n"
                "3,A/HRC/46/15,26.1,Ratify again,Chile,noted,\n"
            ).encode(),
            ["Line 4: paragraph 26.1 of cycle 3 already appears on line 2."],
            id="duplicate-paragraph",
        ),
        pytest.param(
            (HEADER + "3,A/HRC/46/15,twenty,,Somalia,maybe,\n").encode(),
            [
                "Line 2: paragraph “twenty” is not a number like 26.112; the recommendation text is empty; position "
                "“maybe” is not one of noted, pending, supported, supported in part."
            ],
            id="bad-values",
        ),
    ],
)
def test_bad_file_is_refused_whole_naming_each_line(cycles, content, errors):
    import_recommendations((HEADER + "1,A/HRC/16/11,92.1,Existing,France,supported,\n").encode())
    before = _snapshot()

    with pytest.raises(ImportRefused) as refused:
        import_recommendations(content)

    assert refused.value.errors == errors
    assert _snapshot() == before


def test_command_imports_and_reports(cycles):
    out = io.StringIO()
    call_command("import_recommendations", str(DATA / "us_recommendations_cycle1.csv"), stdout=out)
    assert out.getvalue().splitlines()[0] == "us_recommendations_cycle1.csv: 228 created, 0 updated, 0 unchanged"


def test_command_refuses_bad_file(cycles, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "7,A/HRC/1/1,1.1,Text,Chile,noted,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Line 2: unknown cycle “7”"):
        call_command("import_recommendations", str(bad))
    assert Recommendation.objects.count() == 0


def test_every_recommendation_file_present_is_found():
    assert [p.name for p in recommendation_files()] == [
        "us_recommendations_cycle1.csv",
        "us_recommendations_cycle3.csv",
    ]


def test_cycles_load_with_status_and_counts(cycles):
    assert list(ReviewCycle.objects.filter(country=US).values_list("number", "status", "report_symbol")) == [
        (1, "held", "A/HRC/16/11"),
        (2, "held", "A/HRC/30/12"),
        (3, "held", "A/HRC/46/15"),
        (4, "non_cooperation", ""),
    ]


def test_admin_upload_imports(superuser_client, cycles):
    client = superuser_client
    with (DATA / "us_recommendations_cycle3.csv").open("rb") as handle:
        response = client.post(reverse("admin:upr_recommendation_import"), {"file": handle}, follow=True)
    assert response.status_code == 200
    assert "Imported: 347 created, 0 updated, 0 unchanged." in response.text
    assert Recommendation.objects.count() == 347


def test_admin_upload_refused_lists_lines_and_imports_nothing(superuser_client, cycles):
    client = superuser_client
    bad = io.BytesIO((HEADER + "3,A/HRC/46/15,26.1,Ok,Chile,noted,\n3,A/HRC/46/15,26.1,Dup,Peru,noted,\n").encode())
    bad.name = "bad.csv"
    response = client.post(reverse("admin:upr_recommendation_import"), {"file": bad})
    assert response.status_code == 200
    assert "Line 3: paragraph 26.1 of cycle 3 already appears on line 2." in response.text
    assert Recommendation.objects.count() == 0
