from django.db import migrations

from accounts.roles import grant_national_team_migration


class Migration(migrations.Migration):
    """0002 granted the national team the reports app's permissions before 0003 created the national report's
    models; grant them again so the team can open the national report without being superusers."""

    dependencies = [("reports", "0003_national_report")]

    operations = [migrations.RunPython(grant_national_team_migration("reports"), migrations.RunPython.noop)]
