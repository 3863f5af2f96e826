#!/usr/bin/env bash
# Newshub's several-machines layout on one machine, on loopback: two web nodes
# behind the proxy (as two web machines would be), two RQ task workers, one
# clock, sharing one PostgreSQL and one Redis (docs/operations.md, "Several
# machines").
#
#   scripts/cluster.sh start               bootstrap --no-demo, start what is not running, print the proxy URL
#   scripts/cluster.sh stop                stop exactly the processes it started, and the proxy
#   scripts/cluster.sh status              say what runs (exit 0 only if everything does)
#   scripts/cluster.sh restart-node a|b    stop (if running) and start one web node, on its port
#   scripts/cluster.sh restart-worker 1|2  the same for one task worker
#   scripts/cluster.sh kill NAME           SIGKILL one process group (node-a, node-b, worker-1, worker-2, clock)
#   scripts/cluster.sh url                 print the proxy URL
#
# Environment: DATABASE_URL (PostgreSQL) and REDIS_URL are required (source
# var/services.env after scripts/services.sh start); TASKS_BACKEND=rq and
# TRUSTED_PROXY_COUNT=1 are set unless given; EMAIL_URL, SITE_URL (default: the
# proxy URL), WEB_WORKERS (1 per node) and the other settings are passed on.
# NEWSHUB_VAR_DIR (var/cluster) holds the static files, the secret key, and the
# cluster's state: run/*.pid, logs/*.log, proxy/ (nginx), cluster.env (ports and
# the environment it was started with, so restarts by hand use the same).
# Ports: CLUSTER_PROXY_PORT, CLUSTER_WEB_PORTS ("PORT_A PORT_B"), else free ones.
# CLUSTER_TIMEOUT (60 s): how long a process may take to answer or to stop.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON_BIN:-$ROOT/.venv/bin/python}
VAR=${NEWSHUB_VAR_DIR:-$ROOT/var/cluster}
case "$VAR" in /*) ;; *) VAR=$PWD/$VAR ;; esac
RUN=$VAR/run
LOGS=$VAR/logs
STATE=$VAR/cluster.env
TIMEOUT=${CLUSTER_TIMEOUT:-60}
NODES=(node-a node-b)
WORKERS=(worker-1 worker-2)
ALL=("${NODES[@]}" "${WORKERS[@]}" clock)
# The settings a restarted process must share with the running ones.
SAVED_VARS='^(DATABASE_URL|REDIS_URL|TASKS_BACKEND|TRUSTED_PROXY_COUNT|EMAIL_.*|SECRET_KEY.*|SITE_.*|ALLOWED_HOSTS|CSRF_TRUSTED_ORIGINS|DEBUG|BEHIND_TLS_PROXY|SERVE_MEDIA|MEDIA_ROOT|DEFAULT_FROM_EMAIL|MAIL_MAX_PER_SECOND|WEB_.*|PAGE_CACHE_.*|PROXY_CACHE_.*|SEARCH_CACHE_SECONDS|CACHE_.*|LOG_LEVEL|TIME_ZONE|AUDIENCE_.*|NEWSHUB_ADMIN_PASSWORD|DATA_UPLOAD_MAX_MEMORY_SIZE)$'

say() { echo "cluster: $*"; }
die() { echo "cluster: ERROR: $*" >&2; exit 1; }

log_tail() {
  if [ -s "$1" ]; then
    echo "---- last lines of $1 ----" >&2
    tail -n 25 "$1" >&2 || true
    echo "----" >&2
  fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# N free ports on 127.0.0.1, all different (held open together while chosen).
free_ports() {
  "$PY" -c '
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))' "$1"
}

# ---------------------------------------------------------------- processes

# Live (not zombie) processes of process group $1.
group_pids() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] || return 0
  ps -e -o pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^[ZX]/ {print $1}'
}

# The process group recorded for NAME still runs, and is ours: one of its
# processes is a manage.py command or the web server.
recorded() { cat "$RUN/$1.pid" 2>/dev/null; }
running() {
  local pgid pid
  pgid=$(recorded "$1") || return 1
  for pid in $(group_pids "$pgid"); do
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE 'manage\.py|newshub\.asgi'; then
      return 0
    fi
  done
  return 1
}

# launch NAME COMMAND...: in its own session and process group (setsid: the
# pid is the group id), from the checkout, output appended to logs/NAME.log.
launch() {
  local name=$1
  shift
  mkdir -p "$RUN" "$LOGS"
  echo "==== $(date -u +%FT%TZ) start: $*" >>"$LOGS/$name.log"
  # 9>&-: the lock must not outlive this script.
  (cd "$ROOT" && exec setsid "$@") </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  echo $! >"$RUN/$name.pid"
}

# stop_some NAME...: SIGTERM to each one's process group at once (web nodes
# finish their requests, workers the job in hand), then wait; SIGKILL after
# TIMEOUT. Only groups recorded here and still ours are signalled.
stop_some() {
  local name pgid i started=$SECONDS waiting=()
  for name in "$@"; do
    pgid=$(recorded "$name") || continue
    if running "$name"; then
      kill -TERM -- "-$pgid" 2>/dev/null || true
      waiting+=("$name")
    elif [ -n "$(group_pids "$pgid")" ]; then
      # Leftovers of a group whose manage.py is gone (its leader was killed).
      kill -KILL -- "-$pgid" 2>/dev/null || true
      rm -f "$RUN/$name.pid"
    else
      rm -f "$RUN/$name.pid"
    fi
  done
  for name in "${waiting[@]}"; do
    pgid=$(recorded "$name")
    for ((i = 0; i < TIMEOUT * 10; i++)); do
      [ -n "$(group_pids "$pgid")" ] || break
      [ "$((SECONDS - started))" -lt "$TIMEOUT" ] || break
      sleep 0.1
    done
    if [ -n "$(group_pids "$pgid")" ]; then
      say "$name did not stop within ${TIMEOUT}s: SIGKILL"
      kill -KILL -- "-$pgid" 2>/dev/null || true
    else
      say "stopped $name (process group $pgid, $((SECONDS - started)) s)"
    fi
    rm -f "$RUN/$name.pid"
  done
}

kill_one() {
  local name=$1 pgid
  pgid=$(recorded "$name") || die "$name: no pid file in $RUN"
  running "$name" || die "$name is not running"
  kill -KILL -- "-$pgid"
  # Back once the processes are gone: until the kernel has torn them down, a
  # web node's socket still takes connections that nobody will answer.
  local i
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    [ -n "$(group_pids "$pgid")" ] || break
    sleep 0.1
  done
  [ -z "$(group_pids "$pgid")" ] || die "$name: still running ${TIMEOUT}s after SIGKILL"
  say "killed $name (process group $pgid, SIGKILL)"
}

# ---------------------------------------------------------------- state

load_state() {
  [ -f "$STATE" ] || die "no cluster in $VAR (run '$0 start' first)"
  # shellcheck disable=SC1090
  source "$STATE"
}

# Record ports and settings for later restarts (0600: the database password).
save_state() {
  local tmp=$STATE.tmp.$$ name
  mkdir -p "$VAR"
  (
    umask 077
    {
      echo "# Written by scripts/cluster.sh start: what the running cluster uses."
      echo "PROXY_PORT=$PROXY_PORT NODE_A_PORT=$NODE_A_PORT NODE_B_PORT=$NODE_B_PORT"
      echo "PROXY_URL=http://127.0.0.1:$PROXY_PORT"
      printf 'WORKER_COMMAND=%q\n' "$WORKER_COMMAND"
      for name in $(compgen -e | grep -E "$SAVED_VARS" || true); do
        printf 'export %s=%q\n' "$name" "${!name}"
      done
      echo "export NEWSHUB_VAR_DIR=$(printf %q "$VAR")"
    } >"$tmp"
  )
  mv -f "$tmp" "$STATE"
}

check_env() {
  [ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set (scripts/services.sh start && source var/services.env)"
  case "$DATABASE_URL" in
    postgres://* | postgresql://* | pgsql://*) ;;
    *) die "DATABASE_URL must be PostgreSQL: every node and worker shares one database server" ;;
  esac
  [ -n "${REDIS_URL:-}" ] || die "REDIS_URL is not set (scripts/services.sh start && source var/services.env)"
  [ "$TASKS_BACKEND" = rq ] || die "TASKS_BACKEND=$TASKS_BACKEND: the cluster's task workers are RQ workers (TASKS_BACKEND=rq)"
  [ -x "$PY" ] || die "$PY is missing (make run or make test creates .venv)"
}

# ---------------------------------------------------------------- starting

port_of() { if [ "$1" = node-a ]; then echo "${NODE_A_PORT:-?}"; else echo "${NODE_B_PORT:-?}"; fi; }

start_node() {
  local name=$1 port
  port=$(port_of "$name")
  ! port_busy "$port" || die "$name: port $port on 127.0.0.1 is taken by another program"
  launch "$name" "$PY" manage.py serve --no-worker --host 127.0.0.1 --port "$port" \
    --workers "${WEB_WORKERS:-1}"
}

start_worker() {
  # shellcheck disable=SC2086  # the command is words
  launch "$1" "$PY" manage.py $WORKER_COMMAND
}

# wait_ready NAME: a web node answers /healthz/; a worker listens on its queue;
# the clock is still running after a moment. Dies (with the log) otherwise.
wait_ready() {
  local name=$1 deadline=$((SECONDS + TIMEOUT)) from=${2:-0}
  while :; do
    running "$name" || { log_tail "$LOGS/$name.log"; die "$name exited during start"; }
    case "$name" in
      node-*) curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$(port_of "$name")/healthz/" 2>/dev/null && return 0 ;;
      worker-*) tail -c "+$((from + 1))" "$LOGS/$name.log" | grep -q "Listening on" && return 0 ;;
      clock) [ "$SECONDS" -ge "$((deadline - TIMEOUT + 1))" ] && return 0 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$LOGS/$name.log"
      die "$name is not ready after ${TIMEOUT}s"
    fi
    sleep 0.2
  done
}

log_size() { stat -c %s "$LOGS/$1.log" 2>/dev/null || echo 0; }

# launch_one NAME: start it unless it runs (FROM[NAME]: where its log stood).
declare -A FROM=()
launch_one() {
  local name=$1
  if running "$name"; then
    say "$name already running (process group $(recorded "$name"))"
    return 0
  fi
  FROM[$name]=$(log_size "$name")
  case "$name" in
    node-*) start_node "$name" ;;
    worker-*) start_worker "$name" ;;
    clock) launch clock "$PY" manage.py clock ;;
  esac
}

# wait_all NAME...: wait until each one launched here is ready.
wait_all() {
  local name
  for name in "$@"; do
    [ -n "${FROM[$name]:-}" ] || continue
    wait_ready "$name" "${FROM[$name]}"
    case "$name" in
      node-*) say "$name: process group $(recorded "$name"), http://127.0.0.1:$(port_of "$name")/" ;;
      *) say "$name: process group $(recorded "$name")" ;;
    esac
  done
}

proxy() {
  PROXY_DIR=$VAR/proxy PROXY_LISTEN=127.0.0.1:$PROXY_PORT \
    UPSTREAMS="127.0.0.1:$NODE_A_PORT 127.0.0.1:$NODE_B_PORT" \
    "$ROOT/scripts/proxy.sh" "$@" 9>&-
}

proxy_running() { [ -f "$VAR/proxy/nginx.pid" ] && kill -0 "$(cat "$VAR/proxy/nginx.pid")" 2>/dev/null; }

# Serialise start/stop/restarts of one cluster.
take_lock() {
  mkdir -p "$VAR"
  exec 9>"$VAR/.lock"
  flock -w "$((TIMEOUT * 2))" 9 || die "another scripts/cluster.sh is still running (lock $VAR/.lock)"
}

anything_running() {
  local name
  for name in "${ALL[@]}"; do running "$name" && return 0; done
  proxy_running
}

cmd_start() {
  take_lock
  export TASKS_BACKEND=${TASKS_BACKEND:-rq} TRUSTED_PROXY_COUNT=${TRUSTED_PROXY_COUNT:-1}
  export NEWSHUB_VAR_DIR=$VAR
  local fresh=1 out
  if anything_running && [ -f "$STATE" ]; then
    say "part of the cluster runs already: starting what is missing, with its recorded settings"
    load_state
    fresh=0
  else
    check_env
    local ports
    ports=$(free_ports 3)
    read -r PROXY_PORT NODE_A_PORT NODE_B_PORT <<<"$ports"
    PROXY_PORT=${CLUSTER_PROXY_PORT:-$PROXY_PORT}
    if [ -n "${CLUSTER_WEB_PORTS:-}" ]; then
      read -r NODE_A_PORT NODE_B_PORT <<<"${CLUSTER_WEB_PORTS//,/ }"
      [ -n "$NODE_B_PORT" ] || die "CLUSTER_WEB_PORTS needs two ports, e.g. '8001 8002'"
    fi
    local port
    for port in "$PROXY_PORT" "$NODE_A_PORT" "$NODE_B_PORT"; do
      ! port_busy "$port" || die "port $port on 127.0.0.1 is taken by another program"
    done
    export SITE_URL=${SITE_URL:-http://127.0.0.1:$PROXY_PORT}
    mkdir -p "$LOGS"
    say "bootstrap --no-demo (migrate, collectstatic) into $VAR"
    # The worker command (serve.worker_command()) is read meanwhile.
    (cd "$ROOT" && "$PY" manage.py shell --no-imports -v 0 -c "
from core.management.commands.serve import worker_command
print(' '.join(worker_command()))") >"$VAR/worker.cmd" 2>"$LOGS/worker-command.log" 9>&- &
    local reader=$!
    if ! (cd "$ROOT" && "$PY" manage.py bootstrap --no-demo) >"$LOGS/bootstrap.log" 2>&1 9>&-; then
      wait "$reader" || true
      log_tail "$LOGS/bootstrap.log"
      die "manage.py bootstrap failed (is the database reachable?)"
    fi
    grep -i "admin" "$LOGS/bootstrap.log" || true  # a new admin's password, shown once
    if ! wait "$reader" || ! WORKER_COMMAND=$(cat "$VAR/worker.cmd") || [ -z "$WORKER_COMMAND" ]; then
      log_tail "$LOGS/worker-command.log"
      die "could not read the task worker's command from Django's settings"
    fi
    rm -f "$VAR/worker.cmd"
    save_state
  fi
  PROXY_URL_NOW=http://127.0.0.1:$PROXY_PORT
  # A fresh start that fails leaves nothing running.
  if [ "$fresh" = 1 ]; then
    trap 'echo "cluster: start failed; stopping what was started" >&2; stop_all >&2' EXIT
  fi
  local name
  for name in "${ALL[@]}"; do launch_one "$name"; done
  # nginx is configured and started while the nodes boot.
  if ! out=$(proxy start 2>&1); then
    echo "$out" >&2
    die "the proxy did not start (log: $VAR/proxy/error.log)"
  fi
  wait_all "${ALL[@]}"
  local deadline=$((SECONDS + TIMEOUT))
  until curl -fsS -o /dev/null --max-time 2 "$PROXY_URL_NOW/healthz/" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { log_tail "$VAR/proxy/error.log"; die "the proxy does not answer on $PROXY_URL_NOW"; }
    sleep 0.2
  done
  trap - EXIT
  say "proxy: 127.0.0.1:$PROXY_PORT -> node-a :$NODE_A_PORT, node-b :$NODE_B_PORT (logs: $LOGS)"
  say "ready: $PROXY_URL_NOW"
  echo "$PROXY_URL_NOW"
}

stop_all() {
  local failed=0 out
  if proxy_running; then
    if [ -f "$STATE" ]; then load_state; fi
    PROXY_PORT=${PROXY_PORT:-0} NODE_A_PORT=${NODE_A_PORT:-0} NODE_B_PORT=${NODE_B_PORT:-0}
    if out=$(proxy stop 2>&1); then
      say "stopped the proxy"
    else
      echo "$out" >&2
      failed=1
    fi
  fi
  # The web nodes first (no new work), then the clock and the workers (each
  # finishes the job in hand).
  stop_some "${NODES[@]}"
  stop_some clock "${WORKERS[@]}"
  return "$failed"
}

cmd_stop() {
  [ -d "$VAR" ] || { say "nothing to stop in $VAR"; return 0; }
  take_lock
  stop_all
  say "stopped"
}

cmd_status() {
  local name up=0 total=$((${#ALL[@]} + 1)) extra
  [ -f "$STATE" ] && load_state
  for name in "${ALL[@]}"; do
    extra=
    case "$name" in node-*) extra=" on 127.0.0.1:$(port_of "$name")" ;; esac
    if running "$name"; then
      echo "$name: up$extra (process group $(recorded "$name"), log $LOGS/$name.log)"
      up=$((up + 1))
    else
      echo "$name: down"
    fi
  done
  if proxy_running; then
    echo "proxy: up on ${PROXY_URL:-?} (nginx pid $(cat "$VAR/proxy/nginx.pid"))"
    up=$((up + 1))
  else
    echo "proxy: down"
  fi
  [ "$up" -eq "$total" ]
}

cmd_restart() {
  local name=$1
  take_lock
  load_state
  stop_some "$name"
  launch_one "$name"
  wait_all "$name"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart-node)
    case "${2:-}" in a | b) cmd_restart "node-$2" ;; *) die "usage: $0 restart-node a|b" ;; esac ;;
  restart-worker)
    case "${2:-}" in 1 | 2) cmd_restart "worker-$2" ;; *) die "usage: $0 restart-worker 1|2" ;; esac ;;
  kill)
    case "${2:-}" in
      node-a | node-b | worker-1 | worker-2 | clock) kill_one "$2" ;;
      *) die "usage: $0 kill node-a|node-b|worker-1|worker-2|clock" ;;
    esac ;;
  url) load_state; echo "$PROXY_URL" ;;
  *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
