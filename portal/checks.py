"""Deploy checks for what `check --deploy` does not know about our production needs."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def check_production_services(app_configs, **kwargs):
    warnings = []
    if settings.CELERY_TASK_ALWAYS_EAGER:
        warnings.append(
            Warning(
                "Celery runs tasks eagerly inside web requests.",
                hint="Set REDIS_URL so that PDF rendering and reminders run in workers.",
                id="portal.W001",
            )
        )
    backend = settings.MAILERS["default"]["BACKEND"]
    if backend.endswith(("console.EmailBackend", "dummy.EmailBackend", "locmem.EmailBackend")):
        warnings.append(
            Warning(
                "Email is not really sent (console/dummy backend).",
                hint="Set EMAIL_URL, e.g. smtp://user:password@smtp.example.org:587/?tls=1",
                id="portal.W002",
            )
        )
    if not settings.ADMINS:
        warnings.append(
            Warning(
                "ADMINS is empty: nobody is told when the portal has a server error.",
                hint="Set ADMINS to a comma-separated list of email addresses.",
                id="portal.W003",
            )
        )
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        warnings.append(
            Warning(
                "The database is SQLite.",
                hint="Set DATABASE_URL to a PostgreSQL database.",
                id="portal.W004",
            )
        )
    if settings.DEMO_MODE:
        warnings.append(Warning("DEMO_MODE is on: demo logins exist.", hint="Unset DEMO_MODE.", id="portal.W005"))
    return warnings
