#!/usr/bin/env bash
# Sets Selko up and runs it: the web server and a Celery worker in the foreground. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash selko/scripts/setup.sh

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
PORT=${SELKO_PORT:-8000}
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py seed_demo

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A worker caught mid-start-up, or finishing a long task, may not stop on TERM: after 15 s it is killed
  # (an interrupted training job is requeued by the next worker's watchdog), so Ctrl-C always returns.
  for _ in $(seq 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do pkill -KILL -P "$pid" 2>/dev/null || true; kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A selko worker -Q default,ingest,predict,train -c "${SELKO_WORKER_CONCURRENCY:-2}" \
  -n "selko@%h" --loglevel INFO &
pids+=($!)
.venv/bin/python manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)

echo
echo "Selko is running at http://127.0.0.1:$PORT/  (Ctrl-C stops the web server and the worker)"
echo "Log in as: demo / ${SELKO_DEMO_PASSWORD:-selko-demo}"
echo
wait -n "${pids[@]}"
