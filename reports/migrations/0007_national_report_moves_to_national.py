"""The national report's models moved to the national app with their tables: removed from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_render_handed_over"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="jointsubmitter",
                    name="jointsubmitter_acronym_unique",
                ),
                migrations.RemoveConstraint(
                    model_name="nationalparagraph",
                    name="nationalparagraph_source_once",
                ),
                migrations.RemoveField(
                    model_name="nationalreport",
                    name="cycle",
                ),
                migrations.RemoveField(
                    model_name="jointsubmitter",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="nationalparagraph",
                    name="cities",
                ),
                migrations.RemoveField(
                    model_name="nationalparagraph",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="nationalparagraph",
                    name="testimony",
                ),
                migrations.RemoveField(
                    model_name="nationalparagraph",
                    name="theme",
                ),
                migrations.DeleteModel(
                    name="UNSubmission",
                ),
                migrations.DeleteModel(
                    name="JointSubmitter",
                ),
                migrations.DeleteModel(
                    name="NationalReport",
                ),
                migrations.DeleteModel(
                    name="NationalParagraph",
                ),
            ],
            database_operations=[],
        ),
    ]
