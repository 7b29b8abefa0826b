#!/usr/bin/env bash
# Sets Selko up and runs every check: ruff, mypy, the import rules (no cycle, layers one way, no Django
# in the ML core), no missing migration, then the test suite twice: on the embedded
# defaults (SQLite + filesystem broker) and on PostgreSQL + Redis.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash selko/scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1

echo "== ruff, mypy, import rules and migrations"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
.venv/bin/python selko/scripts/check_imports.py
env -u DATABASE_URL SELKO_VAR_DIR="$(mktemp -d)" .venv/bin/python manage.py makemigrations --check --dry-run

PG_URL=${SELKO_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${SELKO_TEST_BROKER_URL:-redis://127.0.0.1:6379/15}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The two passes share nothing (own database, broker and media folder), so they run side by side: on a
# 2-core machine that takes the suite from the sum of the two passes to about the longer one. The
# PostgreSQL pass writes to a log that is printed when it ends; its exit status counts as much.
echo "== tests on PostgreSQL + Redis (in the background; heavy DB-independent 'slow' tests run only in the embedded pass)"
DATABASE_URL="$PG_URL" CELERY_BROKER_URL="$REDIS_URL" SELKO_VAR_DIR="$tmp/services" \
  .venv/bin/pytest -m "not slow" "$@" >"$tmp/services.log" 2>&1 &
services_pid=$!

echo "== tests on the embedded defaults (SQLite, filesystem broker, local media)"
embedded_status=0
env -u DATABASE_URL -u CELERY_BROKER_URL SELKO_VAR_DIR="$tmp/embedded" \
  .venv/bin/pytest "$@" || embedded_status=$?

services_status=0
wait "$services_pid" || services_status=$?
echo "== tests on PostgreSQL + Redis: output"
cat "$tmp/services.log"
echo "== embedded pass exit status $embedded_status, PostgreSQL + Redis pass exit status $services_status"
[ "$embedded_status" -eq 0 ] && [ "$services_status" -eq 0 ]
