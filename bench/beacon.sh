#!/usr/bin/env bash
# Read-beacon ingest and article page throughput with and without beacon load,
# on the production server (uvicorn, as `make run` starts it) with the embedded
# defaults (SQLite, file cache, spool-file read buffer). wrk on 127.0.0.1.
#
#   bench/beacon.sh [ARTICLES] [SECONDS]
#
# Uses its own data folder (var/bench-audience/). Prints Markdown rows.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${1:-2000}
SECONDS_PER_RUN=${2:-15}
CONNECTIONS=${CONNECTIONS:-32}
WORKERS=${WEB_WORKERS:-2}
PY=$PWD/.venv/bin/python
export NEWSHUB_VAR_DIR=$PWD/var/bench-audience
export NEWSHUB_ADMIN_PASSWORD=bench-only-password
export TRUSTED_PROXY_COUNT=1  # wrk sends a random reader address per beacon
unset DATABASE_URL REDIS_URL
mkdir -p "$NEWSHUB_VAR_DIR"
if [ ! -f "$NEWSHUB_VAR_DIR/seeded-$ARTICLES" ]; then
  rm -rf "$NEWSHUB_VAR_DIR" && mkdir -p "$NEWSHUB_VAR_DIR"
  $PY manage.py bootstrap --articles "$ARTICLES" >/dev/null
  touch "$NEWSHUB_VAR_DIR/seeded-$ARTICLES"
fi
$PY manage.py bootstrap --no-demo >/dev/null
export BEACON_IDS=$NEWSHUB_VAR_DIR/ids.txt
$PY manage.py shell --no-imports -v 0 -c "
from articles.models import Article
print('\n'.join(str(pk) for pk in Article.objects.published().values_list('pk', flat=True)))
" >"$BEACON_IDS"
ARTICLE=$($PY manage.py shell --no-imports -v 0 -c "
from django.utils import timezone
from core.models import SiteSettings
from articles.models import Article
with timezone.override(SiteSettings.load().tzinfo):
    print(Article.objects.published().newest_first()[20].get_absolute_url())
")
flush() {
  $PY manage.py shell --no-imports -v 0 -c "
import time
from audience import services
t = time.perf_counter(); r = services.flush_reads()
print(f'{r.received} {r.counted} {time.perf_counter() - t:.1f}')
"
}
flush >/dev/null

PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WEB_THREADS=${WEB_THREADS:-4} $PY manage.py serve --port "$PORT" --workers "$WORKERS" \
  --no-worker >"$NEWSHUB_VAR_DIR/serve.log" 2>&1 &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz/" >/dev/null && break; sleep 0.2; done
BASE=http://127.0.0.1:$PORT
curl -fs -o /dev/null "$BASE$ARTICLE"

row() {  # name file
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1=="50%" {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$2")
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
OUT=$NEWSHUB_VAR_DIR
tree() {  # the server's process tree (serve, uvicorn supervisor and workers)
  local pids=$1 next=$1
  while [ -n "$next" ]; do
    next=$(for p in $next; do ps -o pid= --ppid "$p"; done | tr -d ' ')
    pids="$pids $next"
  done
  echo $pids
}
cpu_ticks() {  # user + system clock ticks used so far by the server's processes
  local total=0
  for p in $(tree "$SERVER"); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $total
}
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%d); $ARTICLES articles; uvicorn $WORKERS workers, Django in ${WEB_THREADS:-4} threads each; wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s"
echo
echo "| run | requests/s | p50 | p99 | non-2xx |"
echo "| --- | --- | --- | --- | --- |"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$BASE$ARTICLE" >"$OUT/wrk-page-alone.txt"
row "article page (cached), alone" "$OUT/wrk-page-alone.txt"
before=$(cpu_ticks)
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/beacon.lua "$BASE" >"$OUT/wrk-beacon-alone.txt"
after=$(cpu_ticks)
row "beacon, alone" "$OUT/wrk-beacon-alone.txt"
requests=$(awk '/requests in/ {print $1}' "$OUT/wrk-beacon-alone.txt")
echo
echo "server CPU per beacon: $(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f us (%d requests, %.1f CPU s)", t / hz / n * 1e6, n, t / hz}')"
read -r received counted took <<<"$(flush)"
echo
echo "flush after the beacon run: $received reads received, $counted counted, in $took s"
echo
wrk -t1 -c"$((CONNECTIONS / 2))" -d"${SECONDS_PER_RUN}s" --latency -s bench/beacon.lua "$BASE" >"$OUT/wrk-beacon-mixed.txt" &
BEACONS=$!
wrk -t1 -c"$((CONNECTIONS / 2))" -d"${SECONDS_PER_RUN}s" --latency "$BASE$ARTICLE" >"$OUT/wrk-page-mixed.txt"
wait $BEACONS
row "article page (cached), with beacon load" "$OUT/wrk-page-mixed.txt"
row "beacon, beside the page load" "$OUT/wrk-beacon-mixed.txt"
read -r received counted took <<<"$(flush)"
echo
echo "flush after the mixed run: $received reads received, $counted counted, in $took s"
