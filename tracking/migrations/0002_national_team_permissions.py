from django.db import migrations

from accounts.roles import grant_national_team_migration


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0001_initial"),
        ("accounts", "0002_national_team_group"),
    ]

    operations = [
        migrations.RunPython(grant_national_team_migration("tracking"), migrations.RunPython.noop),
    ]
