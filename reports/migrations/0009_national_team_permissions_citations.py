from django.db import migrations

from accounts.roles import grant_national_team_migration


class Migration(migrations.Migration):
    """The national team sees and corrects the resources a local report cites, as it does the rest of the report."""

    dependencies = [("reports", "0008_citations")]

    operations = [
        migrations.RunPython(grant_national_team_migration("reports", ["Citation"]), migrations.RunPython.noop)
    ]
