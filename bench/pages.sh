#!/usr/bin/env bash
# Page throughput and latency of the production server (uvicorn, as `make run`
# starts it) on 10,000 demo articles, measured with wrk on 127.0.0.1.
#
#   bench/pages.sh [ARTICLES] [SECONDS]
#
# Uses its own data folder (var/bench/), so the `make run` database is untouched.
# Prints a Markdown table to paste into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${1:-10000}
SECONDS_PER_RUN=${2:-20}
CONNECTIONS=${CONNECTIONS:-16}
WORKERS=${WEB_WORKERS:-2}
PY=.venv/bin/python
export NEWSHUB_VAR_DIR=$PWD/var/bench
export NEWSHUB_ADMIN_PASSWORD=bench-only-password
unset DATABASE_URL REDIS_URL

command -v wrk >/dev/null || {
  echo "wrk is missing: apt-get install wrk" >&2
  exit 1
}
mkdir -p "$NEWSHUB_VAR_DIR"
if [ ! -f "$NEWSHUB_VAR_DIR/seeded-$ARTICLES" ]; then
  rm -rf "$NEWSHUB_VAR_DIR" && mkdir -p "$NEWSHUB_VAR_DIR"
  start=$(date +%s)
  $PY manage.py bootstrap --articles "$ARTICLES" >/dev/null
  echo "seeded $ARTICLES articles in $(($(date +%s) - start)) s" >&2
  touch "$NEWSHUB_VAR_DIR/seeded-$ARTICLES"
fi
$PY manage.py bootstrap --no-demo >/dev/null  # migrations of newer code

start_server() {
  PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PAGE_CACHE_SECONDS=$1 WEB_THREADS=${WEB_THREADS:-4} $PY manage.py serve --port "$PORT" \
    --workers "$WORKERS" --no-worker >"$NEWSHUB_VAR_DIR/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz/" >/dev/null && break
    sleep 0.2
  done
  BASE=http://127.0.0.1:$PORT
}
SERVER=
stop_server() {
  [ -n "$SERVER" ] || return 0
  kill -INT "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  SERVER=
}
trap stop_server EXIT

ARTICLE=$($PY manage.py shell --no-imports -v 0 -c "
from django.utils import timezone
from core.models import SiteSettings
from articles.models import Article
with timezone.override(SiteSettings.load().tzinfo):
    print(Article.objects.published().newest_first()[20].get_absolute_url())
")
CATEGORY=$($PY manage.py shell --no-imports -v 0 -c "
from articles.models import Category
print(Category.objects.filter(parent__isnull=True).first().get_absolute_url())
")

run() {
  local name="$MODE $1" path=$2
  curl -fs -o /dev/null "$BASE$path"  # warm up
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$BASE$path" >"$NEWSHUB_VAR_DIR/wrk-$name.txt"
  local rps p50 p90 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$NEWSHUB_VAR_DIR/wrk-$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$NEWSHUB_VAR_DIR/wrk-$name.txt")
  p90=$(awk '$1=="90%" {print $2}' "$NEWSHUB_VAR_DIR/wrk-$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$NEWSHUB_VAR_DIR/wrk-$name.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$NEWSHUB_VAR_DIR/wrk-$name.txt" | tr '\n' ' ')
  printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$name" "$path" "$rps" "$p50" "$p90" "$p99" "${errors:-none}"
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(date -u +%Y-%m-%d)"
echo "Data: $ARTICLES articles, SQLite (WAL), file cache; "cached" = page cache on (default), "uncached" = PAGE_CACHE_SECONDS=0; uvicorn $WORKERS workers, Django in ${WEB_THREADS:-4} threads each; wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s"
echo
echo "| page | path | requests/s | p50 | p90 | p99 | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for MODE in cached uncached; do
  if [ "$MODE" = cached ]; then start_server 300; else start_server 0; fi
  run home /
  run article "$ARTICLE"
  run category "$CATEGORY"
  run category-page-50 "${CATEGORY}page/50/"
  stop_server
done
