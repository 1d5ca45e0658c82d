"""The national report's models move here from the reports app with their tables (db_table keeps each name), so
this migration changes the state only; the content types (and with them the permissions the national team holds
and the renders of national reports) are renamed to this app."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import national.models
import testimony.storage
from accounts.roles import grant_national_team_migration

MOVED = ["nationalreport", "jointsubmitter", "nationalparagraph", "unsubmission"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="national", model=model).exists():
            ContentType.objects.filter(app_label="reports", model=model).update(app_label="national")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="reports", model=model).exists():
            ContentType.objects.filter(app_label="national", model=model).update(app_label="reports")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0006_render_handed_over"),
        ("cities", "0004_join_team_requests_retention_indexes"),
        ("testimony", "0004_public_versions_pending_consent"),
        ("upr", "0003_local_report_limits"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NationalReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=250, verbose_name="title")),
                        (
                            "submitter",
                            models.CharField(
                                help_text="The name the UN will cite the submission under.",
                                max_length=200,
                                verbose_name="submitting coalition",
                            ),
                        ),
                        (
                            "acronym",
                            models.CharField(
                                help_text="The UN's summary cites submissions by acronym (JS1, JS2 … for joint ones).",
                                max_length=30,
                                verbose_name="acronym",
                            ),
                        ),
                        (
                            "description",
                            models.TextField(
                                help_text="One or two sentences on who the coalition is; printed on the first page.",
                                verbose_name="short description of the submitter",
                            ),
                        ),
                        ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="contact email")),
                        (
                            "submission_type",
                            models.CharField(
                                choices=[("individual", "Individual submission"), ("joint", "Joint submission")],
                                default="joint",
                                max_length=12,
                                verbose_name="type of submission",
                            ),
                        ),
                        ("period_start", models.DateField(blank=True, null=True, verbose_name="period covered: from")),
                        ("period_end", models.DateField(blank=True, null=True, verbose_name="period covered: to")),
                        (
                            "language",
                            models.CharField(
                                choices=[("en", "English"), ("es", "Spanish")],
                                default="en",
                                max_length=8,
                                verbose_name="language",
                            ),
                        ),
                        ("compiled_at", models.DateTimeField(blank=True, null=True, verbose_name="last compiled")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "cycle",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="national_reports",
                                to="upr.reviewcycle",
                                verbose_name="review cycle",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "national report",
                        "verbose_name_plural": "national reports",
                        "db_table": "reports_nationalreport",
                        "ordering": ["-cycle__number", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="UNSubmission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("sent_on", models.DateField(verbose_name="sent to the UN on")),
                        ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                        ("version", models.CharField(max_length=64, verbose_name="content version")),
                        (
                            "file",
                            models.FileField(
                                storage=testimony.storage.private_storage,
                                upload_to=national.models.sent_path,
                                verbose_name="file sent",
                            ),
                        ),
                        ("filename", models.CharField(max_length=200, verbose_name="file name")),
                        (
                            "quoted",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="testimony.testimony", verbose_name="testimony quoted"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="submissions",
                                to="national.nationalreport",
                                verbose_name="national report",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "submission sent to the UN",
                        "verbose_name_plural": "submissions sent to the UN",
                        "db_table": "reports_unsubmission",
                        "ordering": ["-sent_on", "-recorded_at"],
                    },
                ),
                migrations.CreateModel(
                    name="NationalParagraph",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("introduction", "Introduction"),
                                    ("challenge", "Challenge"),
                                    ("advance", "Positive development"),
                                    ("quote", "Testimony"),
                                    ("recommendation", "Recommendation"),
                                    ("follow_up", "Follow-up of an earlier recommendation"),
                                ],
                                default="challenge",
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0, verbose_name="order")),
                        ("text", models.TextField(verbose_name="text")),
                        (
                            "note",
                            models.CharField(
                                blank=True,
                                help_text='For example "Shared by 3 cities." Printed after the text.',
                                max_length=300,
                                verbose_name="note",
                            ),
                        ),
                        ("omitted", models.BooleanField(default=False, verbose_name="leave out")),
                        ("source_key", models.CharField(blank=True, editable=False, max_length=200)),
                        ("generated_text", models.TextField(blank=True, editable=False)),
                        (
                            "source_changed",
                            models.BooleanField(
                                default=False, editable=False, verbose_name="source changed since edited"
                            ),
                        ),
                        ("trail", models.JSONField(blank=True, default=list, editable=False, verbose_name="sources")),
                        (
                            "cities",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="cities.city", verbose_name="cited cities"
                            ),
                        ),
                        (
                            "testimony",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="testimony.testimony",
                                verbose_name="quoted testimony",
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="upr.theme",
                                verbose_name="theme",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="paragraphs",
                                to="national.nationalreport",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "paragraph",
                        "db_table": "reports_nationalparagraph",
                        "ordering": ["position", "pk"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("source_key", ""), _negated=True),
                                fields=("report", "source_key"),
                                name="nationalparagraph_source_once",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="JointSubmitter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="organisation")),
                        ("acronym", models.CharField(max_length=30, verbose_name="acronym")),
                        ("description", models.CharField(blank=True, max_length=300, verbose_name="short description")),
                        ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="contact email")),
                        ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("token", models.CharField(editable=False, max_length=64, unique=True)),
                        ("invited_at", models.DateTimeField(blank=True, null=True, verbose_name="sign-off requested")),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="confirmed")),
                        (
                            "confirmed_name",
                            models.CharField(blank=True, max_length=200, verbose_name="name as confirmed"),
                        ),
                        (
                            "confirmed_version",
                            models.CharField(blank=True, max_length=64, verbose_name="text version confirmed"),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="joint_submitters",
                                to="national.nationalreport",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "joint submitter",
                        "db_table": "reports_jointsubmitter",
                        "ordering": ["position", "pk"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("report", "acronym"),
                                name="jointsubmitter_acronym_unique",
                                violation_error_message="Two organisations of this submission have the same acronym.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        # Idempotent: on a new database the renamed content types carry the permissions granted before the move.
        migrations.RunPython(grant_national_team_migration("national"), migrations.RunPython.noop),
    ]
