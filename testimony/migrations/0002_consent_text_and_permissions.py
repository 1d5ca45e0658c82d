import datetime

from django.db import migrations

from accounts.roles import grant_national_team_migration

CONSENT_EN = """Your testimony is yours. You decide how you are named and where your words may be used. Each use below is
a separate choice; you can say yes to some and no to others.

- Shown on this portal: your words (after the organizers remove details that could identify you or others)
  appear on the city's page and in the public testimony list.
- Quoted in the city's local report: organizers may quote you in the short report they write for the review.
- Quoted in the national report sent to the UN: the national team may quote you in the civil-society report
  sent to the United Nations. Once it has been sent, it cannot be recalled.
- Used in public advocacy: organizers may quote you to the media and to officials.

Your name, email and phone are kept apart from your words, are seen only by your city's organizers, and are
deleted after the review. You can change your choices or withdraw your testimony at any time with the private
link we email you, except for what has already been sent to the UN."""

CONSENT_ES = """Su testimonio es suyo. Usted decide cómo se le nombra y dónde se pueden usar sus palabras. Cada uso es
una decisión aparte; puede decir que sí a unos y que no a otros.

- Mostrado en este portal: sus palabras (después de que el equipo organizador quite los detalles que podrían
  identificarle a usted o a otras personas) aparecen en la página de la ciudad y en la lista pública de testimonios.
- Citado en el informe local de la ciudad: el equipo organizador puede citarle en el informe breve que escribe
  para el examen.
- Citado en el informe nacional enviado a la ONU: el equipo nacional puede citarle en el informe de la sociedad
  civil que se envía a las Naciones Unidas. Una vez enviado, no se puede retirar.
- Usado en la incidencia pública: el equipo organizador puede citarle ante los medios y las autoridades.

Su nombre, correo electrónico y teléfono se guardan aparte de sus palabras, solo los ve el equipo organizador de
su ciudad y se borran después del examen. Puede cambiar sus decisiones o retirar su testimonio en cualquier
momento con el enlace privado que le enviamos por correo, salvo lo que ya se haya enviado a la ONU."""


def add_first_consent_text(apps, schema_editor):
    ConsentText = apps.get_model("testimony", "ConsentText")
    ConsentText.objects.get_or_create(
        version="2026-1",
        defaults={"text_en": CONSENT_EN, "text_es": CONSENT_ES, "effective_from": datetime.date(2026, 11, 25)},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("testimony", "0001_initial"),
        ("accounts", "0002_national_team_group"),
    ]

    operations = [
        migrations.RunPython(add_first_consent_text, migrations.RunPython.noop),
        migrations.RunPython(grant_national_team_migration("testimony"), migrations.RunPython.noop),
    ]
