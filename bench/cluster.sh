#!/usr/bin/env bash
# Page throughput of the several-machines layout (scripts/cluster.sh: two web
# nodes behind nginx, two RQ workers, the clock, PostgreSQL + Redis), measured
# with wrk on 127.0.0.1: the home page and an article through the proxy, then
# the same directly on one web node.
#
#   bench/cluster.sh            # make bench runs it after the others
#
# Starts the test services (scripts/services.sh start; stopped again at the end
# only if they were not running before), seeds 2,000 demo articles into their
# database when it has none (seed_demo --if-empty), starts the cluster with its
# data folder var/bench-cluster/ and stops it at the end. The cluster uses a
# Redis database of its own (BENCH_REDIS_DB, 2) so that its workers never take
# the test suite's jobs. Prints a Markdown table.
# Settings: SECONDS_PER_RUN (10), CONNECTIONS (32), WEB_WORKERS per node (1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CONNECTIONS=${CONNECTIONS:-32}
export NEWSHUB_VAR_DIR=$ROOT/var/bench-cluster
export NEWSHUB_ADMIN_PASSWORD=${NEWSHUB_ADMIN_PASSWORD:-bench-only-password}
export WEB_ACCESS_LOG=false CACHE_KEY_PREFIX=newshub-bench
export WEB_WORKERS=${WEB_WORKERS:-1} TASKS_BACKEND=rq TRUSTED_PROXY_COUNT=1
unset EMAIL_URL  # mail stays in var/bench-cluster/outbox/

command -v wrk >/dev/null || {
  echo "wrk is missing: apt-get install wrk" >&2
  exit 1
}

services_were_up=0
if scripts/services.sh status >/dev/null 2>&1; then services_were_up=1; fi
finish() {
  scripts/cluster.sh stop >/dev/null || true
  if [ "$services_were_up" = 0 ]; then scripts/services.sh stop >/dev/null || true; fi
}
trap finish EXIT
scripts/services.sh start >&2
# shellcheck disable=SC1091
source var/services.env
export REDIS_URL=${REDIS_URL%/*}/${BENCH_REDIS_DB:-2}

URL=$(scripts/cluster.sh start | tee /dev/stderr | tail -n 1)
start=$(date +%s)
$PY manage.py seed_demo --articles 2000 --if-empty >&2
echo "seed_demo --if-empty: $(($(date +%s) - start)) s" >&2
ARTICLE=$($PY manage.py shell --no-imports -v 0 -c "
from django.utils import timezone
from core.models import SiteSettings
from articles.models import Article
with timezone.override(SiteSettings.load().tzinfo):
    print(Article.objects.published().newest_first()[20].get_absolute_url())
")
# shellcheck disable=SC1091
NODE=http://127.0.0.1:$(source "$NEWSHUB_VAR_DIR/cluster.env" && echo "$NODE_A_PORT")
ARTICLES=$($PY manage.py shell --no-imports -v 0 -c "
from articles.models import Article
print(Article.objects.count())")

run() {
  local name=$1 base=$2 path=$3 out
  out=$NEWSHUB_VAR_DIR/wrk-${name// /-}.txt
  curl -fs -o /dev/null "$base$path" # warm up
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$base$path" >"$out"
  local rps p50 p90 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p90=$(awk '$1=="90%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$out" | tr '\n' ' ')
  # shellcheck disable=SC2016  # the backquotes are Markdown
  printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$name" "$path" "$rps" "$p50" "$p90" "$p99" "${errors:-none}"
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(date -u +%Y-%m-%d)"
echo "Data: $ARTICLES articles, PostgreSQL + Redis; cluster: 2 web nodes (uvicorn $WEB_WORKERS worker each, Django in ${WEB_THREADS:-4} threads) behind nginx, 2 RQ workers, clock; wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s"
echo
echo "| target | path | requests/s | p50 | p90 | p99 | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
run "proxy home" "$URL" /
run "proxy article" "$URL" "$ARTICLE"
run "node A home" "$NODE" /
run "node A article" "$NODE" "$ARTICLE"
