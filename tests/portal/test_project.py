"""The project guards itself: migrations match models, the compose file defines the whole stack."""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_no_pending_migrations(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "No changes detected"


def test_docker_compose_defines_the_stack_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert sorted(services) == ["backup", "beat", "cache", "db", "redis", "web", "worker"]
    assert all("healthcheck" in services[name] for name in services)
    assert services["worker"]["command"].startswith("celery -A uprcities worker")
    assert services["beat"]["command"].startswith("celery -A uprcities beat")
    assert "gunicorn uprcities.wsgi:application" in services["web"]["command"]
    assert services["backup"]["command"].startswith("sh -c 'while true; do python manage.py backup --keep ")
    for name in ("web", "worker", "beat", "backup"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "cache": {"condition": "service_healthy"},
        }


def test_readme_gives_the_two_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_vendored_libraries_carry_their_licences():
    for folder in ("bootstrap", "htmx"):
        assert (ROOT / "static" / "vendor" / folder / "LICENSE").stat().st_size > 100


@pytest.mark.parametrize("name", ["403.html", "404.html", "500.html"])
def test_error_pages_exist(name):
    assert (ROOT / "templates" / name).exists()
