from django.db import migrations

from accounts.roles import grant_national_team_migration


class Migration(migrations.Migration):
    """The national team reads the portal's logs in the admin: reminders sent, opt-outs, the outbox (failed emails
    with their errors). The portal app is below accounts and knows no role, so the role's owner grants them."""

    dependencies = [
        ("accounts", "0003_staff_enrolment_grant"),
        ("portal", "0003_outgoing_email"),
    ]

    operations = [
        migrations.RunPython(
            grant_national_team_migration(
                "portal", ["reminderlog", "emailoptout", "outgoingemail", "outgoingrecipient"]
            ),
            migrations.RunPython.noop,
        ),
    ]
