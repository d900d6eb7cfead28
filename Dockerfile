# Production image: gunicorn serves the site, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=kallpanchis.settings.production
# postgresql-client (15 on bookworm, as the postgres service) gives the backups pg_dump and pg_restore.
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# Static files and translations are built into the image; the secret key is only needed to import settings.
RUN DJANGO_SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && DJANGO_SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py compilemessages --ignore=.venv -v0
RUN useradd --create-home kallpanchis && mkdir -p /app/media /app/backups && chown kallpanchis /app/media /app/backups
USER kallpanchis
EXPOSE 8000
CMD ["gunicorn", "kallpanchis.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
