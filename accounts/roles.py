"""Roles are data: the `national team` group holds the staff's model permissions.

Each app grants the group the permissions on its own models in a data migration through
`grant_national_team_migration`, so no app needs to know about another's models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

NATIONAL_TEAM = "national team"


def grant_national_team(apps, app_label: str, models: Iterable[str] | None = None) -> None:
    """Give the national team every permission on `app_label`'s models (or only `models`)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create them now so they can be granted.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=NATIONAL_TEAM)
    perms = Permission.objects.filter(content_type__app_label=app_label)
    if models is not None:
        perms = perms.filter(content_type__model__in=[m.lower() for m in models])
    group.permissions.add(*perms)


def grant_national_team_migration(app_label: str, models: Iterable[str] | None = None) -> Callable:
    def forwards(apps, schema_editor) -> None:
        grant_national_team(apps, app_label, models)

    return forwards
