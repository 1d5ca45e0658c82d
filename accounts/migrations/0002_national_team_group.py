from django.db import migrations

from accounts.roles import grant_national_team_migration


class Migration(migrations.Migration):
    """Create the `national team` group; each app's own migration grants it that app's permissions."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_national_team_migration("accounts", ["user"]), migrations.RunPython.noop),
    ]
