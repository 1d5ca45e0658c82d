# One image for web, worker, beat and backup. Build: docker compose build
FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint's system libraries (Pango, harfbuzz) and fonts for the PDF renders; pg_dump and pg_restore for
# `manage.py backup` and `restore` (bookworm's client is 15, the version of the compose file's server).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation curl \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN useradd --create-home --uid 1000 portal && mkdir -p /data/media /data/private /data/backups && chown -R portal /data /app
USER portal
# collectstatic needs settings that are valid without a database; SECRET_KEY here is not used at run time.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput
ENV STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private BACKUP_DIR=/data/backups DEBUG=0
EXPOSE 8000
CMD ["gunicorn", "uprcities.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
