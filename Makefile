# The only way anyone runs Kallpanchis: `make run` (the demo) and `make test` (the whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
MANAGE := $(PY) manage.py
SERVICES = eval "$$($(PY) scripts/services.py $(1))"

.PHONY: help install system-deps run test lint format messages deploy-check lighthouse node-tools

help:
	@echo "make run    install, migrate, load territory + demo, serve http://127.0.0.1:8000 with worker and beat"
	@echo "make test   ruff, migrations check, deploy check, pytest (PostgreSQL, Redis, Celery, Chromium)"
	@echo "make lint   ruff check + format check"

.venv/.installed: requirements.lock pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: .venv/.installed system-deps

# Debian packages: gettext compiles the translations, chromium runs the browser tests, pango and a
# font let WeasyPrint make PDFs, poppler-utils (pdftotext) lets the tests read them, caddy runs the
# HTTPS test of deploy/Caddyfile, postgresql-client gives the backups pg_dump and pg_restore.
system-deps:
	@missing=""; command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v caddy >/dev/null || missing="$$missing caddy"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

# Without PostgreSQL the demo runs on an SQLite file (db-kallpanchis.sqlite3), saying so; without Redis, no
# worker or beat: tasks run in-line.
run: install messages
	@$(call SERVICES,kallpanchis --demo); \
	$(MANAGE) migrate --noinput -v0 && \
	$(MANAGE) load_territory && \
	$(MANAGE) seed_demo && \
	pids=""; \
	if [ -n "$$REDIS_URL" ]; then \
	  .venv/bin/celery -A kallpanchis worker --loglevel=INFO --concurrency=2 & pids="$$pids $$!"; \
	  .venv/bin/celery -A kallpanchis beat --loglevel=INFO & pids="$$pids $$!"; \
	fi; \
	trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	case "$$DATABASE_URL" in sqlite*) echo "!! Demo on SQLite (see the note above), not PostgreSQL.";; esac; \
	echo "Kallpanchis: http://127.0.0.1:8000/  (Ctrl-C stops it)"; \
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

deploy-check: install
	DJANGO_SETTINGS_MODULE=kallpanchis.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=kallpanchis.example.org \
	$(MANAGE) check --deploy --fail-level WARNING

# Lighthouse 12 (npm, pinned in package-lock.json) on the main pages, mobile and rural profiles.
node-tools:
	@test -x node_modules/.bin/lighthouse || npm install --no-audit --no-fund --loglevel=error

lighthouse: install messages node-tools
	CHROME_PATH=/usr/bin/chromium $(PY) scripts/lighthouse.py

test: install messages lint deploy-check
	@$(call SERVICES,kallpanchis --for-tests); \
	$(MANAGE) makemigrations --check --dry-run -v1 && \
	.venv/bin/pytest $(PYTEST_ARGS)

.PHONY: restore-drill
# Back up the demo database (kallpanchis, prepared as make run does when it is missing) and its uploaded
# files, restore the archive into a fresh database (kallpanchis_drill) and media folder, compare every
# table's row count and row checksum and every file's sha256 with the manifest: prints the differences,
# fails unless there are 0. Archives go to BACKUP_DIR (./backups by default).
restore-drill: install
	@$(call SERVICES,kallpanchis); \
	$(MANAGE) migrate --noinput -v0 && \
	$(MANAGE) load_territory && \
	if ! $(MANAGE) shell -v0 -c "from kallpanchis.accounts.models import User; raise SystemExit(0 if User.objects.filter(email__endswith='@demo.kallpanchis.pe').exists() else 1)"; then \
	  $(MANAGE) seed_demo; fi && \
	$(MANAGE) backup_drill

.PHONY: bench-reminders
# 100,000 due reminders dispatched and delivered by a real worker to the file channel (private Redis on
# port 6391); prints reminders per second and duplicates. BENCH_COUNT / BENCH_CONCURRENCY to change.
# Then the SMS run: 20,000 SMS (BENCH_SMS_COUNT) through the Twilio-compatible gateway to the local
# gateway server, duplicates counted on the server's side.
bench-reminders: install
	@$(call SERVICES,kallpanchis); \
	$(MANAGE) migrate --noinput -v0 && \
	$(MANAGE) bench_reminders --count $${BENCH_COUNT:-100000} $${BENCH_CONCURRENCY:+--concurrency $$BENCH_CONCURRENCY} && \
	$(MANAGE) bench_reminders --sms --count $${BENCH_SMS_COUNT:-20000} $${BENCH_CONCURRENCY:+--concurrency $$BENCH_CONCURRENCY}

.PHONY: bench
# Ten times the seed (30,000 families, 2,000 associations, 20,000 meetings, 400,000 attendance rows,
# 1,000,000 monthly production records) in its own database kallpanchis_bench, generated once; then the
# median / p95 / throughput of the dashboard, the homes of each role, person search, the lists (cached and
# after a write), the read API's lists and the results scorecard next to a minimal Django view, on gunicorn,
# with the load average beside each page. BENCH_SCALE=1,10,30 measures the same pages on 1×, 10× and 30× the
# seed (databases kallpanchis_bench_1x, kallpanchis_bench, kallpanchis_bench_30x, each generated once) and
# prints how each page's median grows. BENCH_ARGS="--requests 500" to change the rest.
bench: install
	@$(call SERVICES,kallpanchis); \
	export BENCH_DATABASE_URL="$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kallpanchis_bench}"; \
	export DATABASE_URL="$$BENCH_DATABASE_URL"; \
	export DJANGO_SETTINGS_MODULE=bench.settings; \
	$(PY) -m bench.run --scale $${BENCH_SCALE:-10} $(BENCH_ARGS)

.PHONY: bench-writers
# 8 writers and 8 readers of the cached lists for 30 s (BENCH_WRITERS_ARGS="--seconds 10" to change), in its
# own database kallpanchis_bench_writers: first with the data version behind one advisory lock (as it was),
# then with core 0002's steps. Prints commits per second, deadlocks and stale pages of each, and the ratio
# (target >= 3x, 0 deadlocks, 0 stale pages).
bench-writers: install
	@$(call SERVICES,kallpanchis); \
	export DATABASE_URL="$${BENCH_WRITERS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kallpanchis_bench_writers}"; \
	export DJANGO_SETTINGS_MODULE=bench.settings; \
	$(PY) -m bench.db && \
	$(MANAGE) migrate --noinput -v0 && \
	$(PY) -m bench.writers $(BENCH_WRITERS_ARGS)

.PHONY: bench-attendance
# The meeting log's attendance step for a space of 300 registered people, in its own database
# kallpanchis_bench_attendance (made once): median and p95 over 50 requests on gunicorn, target median
# <= 50 ms. BENCH_ATTENDANCE_ARGS="--requests 100 --people 500" to change.
bench-attendance: install
	@$(call SERVICES,kallpanchis); \
	export DATABASE_URL="$${BENCH_ATTENDANCE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kallpanchis_bench_attendance}"; \
	export DJANGO_SETTINGS_MODULE=bench.settings; \
	$(PY) -m bench.db && \
	$(MANAGE) migrate --noinput -v0 && \
	$(PY) -m bench.attendance $(BENCH_ATTENDANCE_ARGS)

.PHONY: bandit
# bandit on the project's own Python (not tests, migrations or .venv), medium severity and up; prints the
# count. A finding that is not a real risk gets `# nosec Bxxx: reason` on its line, by the code's owner.
bandit: install
	@files="$$(git ls-files '*.py' | grep -vE '^(tests|node_modules|\.venv)/|/migrations/')"; \
	.venv/bin/bandit -q -ll -f custom --msg-template '{relpath}:{line} {test_id} {severity} {msg}' $$files \
	  > .bandit.out 2>/dev/null; status=$$?; cat .bandit.out; \
	echo "BANDIT findings (medium or higher): $$(grep -c . .bandit.out)"; rm -f .bandit.out; exit $$status

.PHONY: loadtest
# locust, headless: 50 users (LOAD_USERS) for 5 minutes (LOAD_SECONDS) doing the journeys' GET requests as
# signed-in demo people against gunicorn on 127.0.0.1, demo data in its own database kallpanchis_load.
# Prints p50 / p95 and errors; fails when p95 > 300 ms or any request failed.
loadtest: install messages
	@$(call SERVICES,kallpanchis); \
	$(PY) load/run.py

.PHONY: chaos
# Outages survived (docs/operations.md): locust, 50 users (CHAOS_USERS) for 5 minutes (CHAOS_SECONDS) against
# gunicorn, a Celery worker and beat on a PostgreSQL cluster (port 5442) and a redis-server (6442) of its own
# and a local SMTP server; PostgreSQL stopped 20 s at minute 1, Redis 20 s at minute 3, SMTP in between. Prints
# errors per window, writes lost and reminders sent; fails unless each is 0. Never touches 5432 or 6379.
chaos: install messages
	$(PY) load/chaos.py

.PHONY: check-all
# Every quality gate (lint, deploy check, bandit, pytest, lighthouse, loadtest) and one summary table.
# CHECKS="lint bandit" for some of them only.
check-all: install
	@$(PY) scripts/check_all.py
