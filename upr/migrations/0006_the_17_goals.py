"""The 17 Sustainable Development Goals, with the UN's own short names in English and Spanish
(https://www.un.org/sustainabledevelopment/ and https://www.un.org/sustainabledevelopment/es/)."""

from django.db import migrations

from accounts.roles import grant_national_team_migration

GOALS = [
    (1, "No poverty", "Fin de la pobreza"),
    (2, "Zero hunger", "Hambre cero"),
    (3, "Good health and well-being", "Salud y bienestar"),
    (4, "Quality education", "Educación de calidad"),
    (5, "Gender equality", "Igualdad de género"),
    (6, "Clean water and sanitation", "Agua limpia y saneamiento"),
    (7, "Affordable and clean energy", "Energía asequible y no contaminante"),
    (8, "Decent work and economic growth", "Trabajo decente y crecimiento económico"),
    (9, "Industry, innovation and infrastructure", "Industria, innovación e infraestructura"),
    (10, "Reduced inequalities", "Reducción de las desigualdades"),
    (11, "Sustainable cities and communities", "Ciudades y comunidades sostenibles"),
    (12, "Responsible consumption and production", "Producción y consumo responsables"),
    (13, "Climate action", "Acción por el clima"),
    (14, "Life below water", "Vida submarina"),
    (15, "Life on land", "Vida de ecosistemas terrestres"),
    (16, "Peace, justice and strong institutions", "Paz, justicia e instituciones sólidas"),
    (17, "Partnerships for the goals", "Alianzas para lograr los objetivos"),
]


def add_goals(apps, schema_editor):
    Goal = apps.get_model("upr", "SustainableDevelopmentGoal")
    for number, name, name_es in GOALS:
        Goal.objects.update_or_create(number=number, defaults={"name": name, "name_es": name_es})


class Migration(migrations.Migration):
    dependencies = [("upr", "0005_affected_persons_sdgs_clusters")]

    operations = [
        migrations.RunPython(add_goals, migrations.RunPython.noop),
        # The national team edits affected persons, goals' names and clusters in the admin.
        migrations.RunPython(grant_national_team_migration("upr"), migrations.RunPython.noop),
    ]
