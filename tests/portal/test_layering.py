"""The apps keep the dependency direction of docs/ARCHITECTURE.md: an app imports only apps below it.

Checked three ways, because a dependency can hide in each: import statements (at module level or inside a
function), relations between models (a foreign key given as a string still needs the other app), and migration
dependencies. `uprcities` is the project's wiring: it may use every app, and no app may use it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parents[2]

# Lowest first: each app may import the apps before it in this list (and itself), nothing after it.
ORDER = [
    "portal",
    "accounts",
    "upr",
    "resources",
    "cities",
    "indicators",
    "events",
    "testimony",
    "reports",
    "tracking",
    "national",
    "search",
    "api",
]
WIRING = "uprcities"
OURS = {*ORDER, WIRING}


def allowed(app: str) -> set[str]:
    if app == WIRING:
        return OURS
    return set(ORDER[: ORDER.index(app) + 1])


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The project apps a module imports, with the line of each import."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".", 1)[0]
            if top in OURS:
                found.add((top, node.lineno))
    return found


def source_files(app: str) -> list[Path]:
    return sorted(path for path in (ROOT / app).rglob("*.py") if "__pycache__" not in path.parts)


def test_every_app_of_the_project_is_placed_in_the_order():
    ours = {config.name.split(".", 1)[0] for config in django_apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert ours == OURS


@pytest.mark.parametrize("app", sorted(OURS))
def test_app_imports_only_apps_below_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for path in source_files(app)
        for other, line in sorted(imported_apps(path))
        if other not in allowed(app)
    ]
    assert wrong == []


@pytest.mark.parametrize("app", ORDER)
def test_models_relate_only_to_apps_below_them(app):
    labels = {config.label: config.name.split(".", 1)[0] for config in django_apps.get_app_configs()}
    config = django_apps.get_app_config(app)
    wrong = []
    for model in config.get_models():
        for field in model._meta.get_fields(include_hidden=True):
            # Relations this model declares (not the reverse accessors other apps' models add to it).
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            if isinstance(field.related_model, str):
                continue
            target = labels[field.related_model._meta.app_label]
            if target in OURS and target not in allowed(app):
                wrong.append(f"{model.__name__}.{field.name} -> {field.related_model._meta.label}")
    assert wrong == []


@pytest.mark.parametrize("app", ORDER)
def test_migrations_depend_only_on_apps_below_them(app):
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    label = django_apps.get_app_config(app).label
    labels = {config.label: config.name.split(".", 1)[0] for config in django_apps.get_app_configs()}
    wrong = [
        f"{name} depends on {dep_app}.{dep_name}"
        for (migration_app, name), migration in loader.disk_migrations.items()
        if migration_app == label
        for dep_app, dep_name in migration.dependencies
        if labels.get(dep_app) in OURS and labels[dep_app] not in allowed(app)
    ]
    assert wrong == []
