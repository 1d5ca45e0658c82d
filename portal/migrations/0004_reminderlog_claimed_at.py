from django.db import migrations, models


class Migration(migrations.Migration):
    """A ReminderLog row is a claim, written before the email it stands for goes out: the column says so."""

    dependencies = [
        ("portal", "0003_outgoing_email"),
    ]

    operations = [
        migrations.RenameField(model_name="reminderlog", old_name="sent_at", new_name="claimed_at"),
        migrations.AlterField(
            model_name="reminderlog",
            name="claimed_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="claimed at"),
        ),
    ]
