"""Settings for the UPR Cities portal.

Everything comes from the environment (see README "Production settings"). With no environment at all the
portal runs on the embedded defaults: SQLite in var/, Celery eager, console email, media in var/media.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from uprcities.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
# Demo mode adds the demo logins; it is never on unless asked for (make run asks for it).
DEMO_MODE = env_bool("DEMO_MODE", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG=0")
    # Development only: a key that is obviously not a production secret.
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40  # noqa: S105

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# `make run HOST=192.168.1.20` (its SITE_URL names that address) serves other machines: in development the host
# the links name is one the portal answers, without having to set ALLOWED_HOSTS as well.
_DEV_HOSTS = list(dict.fromkeys(["127.0.0.1", "localhost", urlsplit(SITE_URL).hostname or "localhost"]))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _DEV_HOSTS if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "portal.apps.PortalConfig",
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
    "uprcities.apps.SiteConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    # CORS, the per-client rate limit and JSON errors of /api/; around BadInputMiddleware, so that a request it
    # refuses still answers JSON to an API client.
    "api.middleware.ApiMiddleware",
    "portal.middleware.BadInputMiddleware",
    "portal.middleware.ServiceUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AdminAccessMiddleware",
]

ROOT_URLCONF = "uprcities.urls"
WSGI_APPLICATION = "uprcities.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "uprcities.context_processors.site",
            ],
            # Available in every template without {% load %}: `machine_datetime` for <time datetime>.
            "builtins": ["portal.templatetags.machine_time"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        # Reconnecting on every request cost 3.6x throughput on a 50-row page (2 cores, loopback): keep connections,
        # check them.
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "uprcities.sqlite3"}}

# --- Cache, Celery --------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")


def _redis_database(url: str, number: int) -> str:
    """The same Redis server, another database: clearing the cache must never drop queued Celery tasks."""
    parts = urlsplit(url)
    return parts._replace(path=f"/{number}").geturl()


CACHE_URL = env_str("CACHE_URL", _redis_database(REDIS_URL, 1) if REDIS_URL else "")
if CACHE_URL:
    CACHES = {
        "default": {
            # Redis unreachable is a cache miss, never an error (portal/cache_backend.py); the short timeouts keep
            # a hung Redis from holding every request for the default minutes.
            "BACKEND": "portal.cache_backend.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A killed worker's unacknowledged task comes back after this many seconds (Redis visibility timeout). Running
# workers look for such tasks every unacked_restore_interval x unacked_restore_throttle seconds; kombu's defaults
# (10 x 10) would leave a short timeout waiting up to 100 s, so the sweep follows the timeout (at most every 10 s).
_visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    # A request that enqueues while the broker is down goes on without it after a short wait (uprcities.celery.Task)
    # instead of waiting forever on a dead connection; the read timeout stays above the workers' 1 s BRPOP.
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
    "unacked_restore_interval": max(1, min(10, _visibility_timeout // 3)),
    "unacked_restore_throttle": 1,
}
# A render (reports.rendering) is held by one worker this long; after that another worker may take it over.
RENDER_LEASE_SECONDS = env_int("RENDER_LEASE_SECONDS", 600)
CELERY_TIMEZONE = "UTC"
# One tick scans the database for what is due; the database, not the scheduler, knows what was sent.
CELERY_BEAT_SCHEDULE = {
    "tick": {"task": "portal.tick", "schedule": 15 * 60},
}

# --- Email ----------------------------------------------------------------------------------------------


def _mailer_from_url(url: str) -> dict:
    """`smtp://user:password@host:587/?tls=1`, `console://`, `locmem://` or `dummy://`."""
    parts = urlsplit(url)
    simple = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parts.scheme in simple:
        return {"BACKEND": simple[parts.scheme]}
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not one of smtp, smtps, console")
    query = parse_qs(parts.query)
    options: dict = {"host": parts.hostname or "localhost", "port": parts.port or 25}
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    if parts.scheme == "smtps":
        options["use_ssl"] = True
    elif query.get("tls", ["0"])[0] in {"1", "true", "yes"}:
        options["use_tls"] = True
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


MAILERS = {"default": _mailer_from_url(env_str("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "UPR Cities <noreply@uprcities.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [a for a in env_list("ADMINS", []) if a]
NATIONAL_TEAM_EMAIL = env_str("NATIONAL_TEAM_EMAIL", "national-team@uprcities.localhost")
EMAIL_SUBJECT_PREFIX_PORTAL = "[UPR Cities] "
# No address can be flooded through the public forms: at most this many emails to one address per hour, whatever
# sent them; the rest are recorded as suppressed (portal.mail, which names the few kinds that are exempt).
MAIL_PER_RECIPIENT_PER_HOUR = env_int("MAIL_PER_RECIPIENT_PER_HOUR", 5)
# Tries of one email when the mail server answers "try later" or cannot be reached (30 s doubling, at most an
# hour between tries: about two hours in all); then it is recorded as failed, for the national team to see.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8)

# Public forms: how many submissions one address may make per hour (a spam brake, not a security boundary).
RATE_LIMITS = {
    "city_request": (5, 3600),
    "get_involved": (10, 3600),
    "event_registration": (10, 3600),
    "testimony": (10, 3600),
    "contact": (5, 3600),
    "tracking_follow": (10, 3600),
    # Requests to the JSON API per client address and minute (cached answers count too).
    "api": (env_int("API_RATE_LIMIT_PER_MINUTE", 300), 60),
    # Staff asking for a two-factor enrolment link, and trying colleagues' codes.
    "staff_enrolment_link": (3, 3600),
    "staff_enrolment_code": (10, 3600),
}
TESTIMONY_RETENTION_DAYS_AFTER_REVIEW = 90
# Other people's data is kept only while needed (events.retention, cities.retention): event registrations' personal
# details are erased this many days after the event ends; offers to help are deleted this many days after they were
# made; requests to join (new cities, teams) this many days after they were decided.
REGISTRATION_RETENTION_DAYS_AFTER_EVENT = env_int("REGISTRATION_RETENTION_DAYS_AFTER_EVENT", 90)
GET_INVOLVED_RETENTION_DAYS = env_int("GET_INVOLVED_RETENTION_DAYS", 365)
CITY_REQUEST_RETENTION_DAYS_AFTER_DECISION = env_int("CITY_REQUEST_RETENTION_DAYS_AFTER_DECISION", 365)
# Messages to the national team from the contact page are deleted this many days after they were sent.
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 365)
# The largest request accepted (the largest upload, a 200 MB video, plus the form): refused before it is read.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 210 * 1024 * 1024)

# Public pages are rendered at most once per this many seconds for anonymous visitors (portal/cache.py).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 60)

# Lobby days: where supporters donate to send delegates, and what to write in the "funding designation" line.
DONATION_URL = env_str("DONATION_URL", "https://www.ushrnetwork.org/donate")
DONATION_DESIGNATION_NOTE = env_str(
    "DONATION_DESIGNATION_NOTE",
    "In the “Funding Designation” line, write “UPR Cities delegate” and the name of your city to support a "
    "delegate from your community.",
)

# Invitations to a city's team are valid this long.
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)

# --- Accounts (django-allauth) --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[UPR Cities] "
ACCOUNT_RATE_LIMITS = (
    {}
    if env_bool("DISABLE_RATE_LIMITS", False)
    else {
        "login_failed": "10/m/ip,5/5m/key",
        "signup": "20/m/ip",
    }
)
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A staff member's first authenticator needs an emailed link or a colleague's code (accounts.enrolment), valid
# this long and once.
STAFF_ENROLMENT_HOURS = env_int("STAFF_ENROLMENT_HOURS", 24)
MFA_TOTP_ISSUER = "UPR Cities"

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files that consent governs (testimony media): outside MEDIA_ROOT, served only through views that check it.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Where `manage.py backup` writes its archives (the database and both media folders); copy them off the machine.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development (and tests) WhiteNoise serves straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", not DEBUG) else None
# How many proxies of our own stand in front of the web processes: X-Forwarded-For is believed for exactly that many
# hops (portal.ratelimit.client_address, used by our rate limits and allauth's). 0 ignores the header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Our own pages load only our own scripts and styles; media embeds (YouTube nocookie, Vimeo) are frames.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"outage": {"()": "portal.faults.OutageLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint logs every layout step at INFO (dozens of lines per page rendered); its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # A database outage answers every request with a 503: a warning each, not an email to ADMINS each.
        "django.request": {"filters": ["outage"]},
    },
}

# Where the project's copies of the real UN data live (loaded by load_demo and the importers).
UPR_DATA_DIR = BASE_DIR / "upr" / "data"
