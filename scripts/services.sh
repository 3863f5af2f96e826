#!/usr/bin/env bash
# Private PostgreSQL + Redis for the "real services" test tier (make test-postgres).
#
#   scripts/services.sh start    install if missing, start (or reuse), write var/services.env
#   scripts/services.sh stop     stop the instances this script started
#   scripts/services.sh status   say whether each is up (exit 0 only if both are)
#
# The servers belong to this checkout only: data lives under var/services/, they
# listen on 127.0.0.1 only, and the system-wide clusters/services are never touched.
# Settings (environment): NEWSHUB_PG_PORT (54329), NEWSHUB_REDIS_PORT (63799) are
# the preferred ports (the next free one is used if taken); SERVICES_TIMEOUT (60s).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SVC=$ROOT/var/services           # script state: passwords, ports, logs of apt
ENV_FILE=$ROOT/var/services.env
PG_PORT_WANTED=${NEWSHUB_PG_PORT:-54329}
REDIS_PORT_WANTED=${NEWSHUB_REDIS_PORT:-63799}
TIMEOUT=${SERVICES_TIMEOUT:-60}
DB_NAME=newshub
DB_USER=newshub

say() { echo "services: $*"; }
die() { echo "services: ERROR: $*" >&2; exit 1; }

# Print the end of a log so a CI failure explains itself.
log_tail() {
  if [ -f "$1" ]; then
    echo "---- last lines of $1 ----" >&2
    tail -n 30 "$1" >&2 || true
    echo "----" >&2
  fi
}

# Start each run with a fresh log so an error shows only this run's lines.
keep_old_log() { if [ -f "$1" ]; then mv -f "$1" "$1.1"; fi; }

# A random password without characters that would need URL escaping.
new_secret() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

# Something already accepts connections on 127.0.0.1:$1 (bash's /dev/tcp, no extra tools).
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# First free port at or after $1 (skipping $2, the port just given to the other server).
free_port() {
  local p
  for ((p = $1; p < $1 + 200; p++)); do
    [ "$p" != "${2:-}" ] || continue
    port_busy "$p" || { echo "$p"; return 0; }
  done
  die "no free TCP port found in $1-$(($1 + 199))"
}

# PostgreSQL refuses to run as root, and a root-owned Redis reachable by every local
# user is a risk: when we are root, run each server as its Debian system user.
IS_ROOT=0 PG_USER=$(id -un) REDIS_USER=$(id -un)
if [ "$(id -u)" -eq 0 ]; then IS_ROOT=1 PG_USER=postgres REDIS_USER=redis; fi

# Run "$@" as user $1, from / (a private cwd would cause permission warnings) and
# without fd 9, the lock: a daemon inheriting it would hold the lock forever.
as_user() {
  local user=$1; shift
  if [ "$IS_ROOT" = 1 ]; then
    (cd / && exec runuser -u "$user" -- "$@" 9>&-)
  else
    (cd / && exec "$@" 9>&-)
  fi
}

# Process $1 exists and is not a zombie (state is the field after "(comm)").
alive() {
  local state
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# ---------------------------------------------------------------- installation

find_pgbin() {
  # Highest major version with a server installed (a lone newer client package
  # has psql but no initdb); Debian 12 ships 15, but never hard-code it.
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/pg_isready" ] && [ -x "$d/psql" ]; then
      echo "$d"
      return 0
    fi
  done
}

ensure_installed() {
  local pkgs=()
  [ -n "$(find_pgbin)" ] || pkgs+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || pkgs+=(redis-tools)
  [ ${#pkgs[@]} -gt 0 ] || return 0

  [ "$IS_ROOT" = 1 ] || die "missing ${pkgs[*]}; install them as root: apt-get install ${pkgs[*]}"
  command -v apt-get >/dev/null 2>&1 || die "missing ${pkgs[*]} and apt-get is not available"
  say "installing ${pkgs[*]} from Debian packages"
  local log=$SVC/apt.log
  # update once, only because something is missing; output goes to a log (quiet CI).
  # 9>&-: package scripts may start the system-wide daemons; they must not inherit the lock.
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
           -o Dpkg::Use-Pty=0 "${pkgs[@]}"; } >"$log" 2>&1 9>&-; then
    log_tail "$log"
    die "apt-get could not install ${pkgs[*]}"
  fi
  [ -n "$(find_pgbin)" ] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    die "redis-server/redis-cli still missing after apt-get install"
  fi
}

# ---------------------------------------------------------------- data directories

# Where the server-owned directories live. Normally var/services/; if the service
# users cannot reach it (e.g. a checkout under a 0700 home directory), fall back to
# a root-owned directory in /tmp named after the checkout.
DATA_BASE=
choose_data_base() {
  DATA_BASE=$SVC
  if [ "$IS_ROOT" = 1 ] && ! { as_user "$PG_USER" test -x "$SVC" && as_user "$REDIS_USER" test -x "$SVC"; }; then
    DATA_BASE=${TMPDIR:-/tmp}/newshub-services-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)
    mkdir -m 755 "$DATA_BASE" 2>/dev/null || true
    # Never use a directory someone else prepared for us in a world-writable /tmp.
    if [ -L "$DATA_BASE" ] || [ ! -d "$DATA_BASE" ] || [ ! -O "$DATA_BASE" ]; then
      die "$DATA_BASE exists and is not ours"
    fi
    chmod 755 "$DATA_BASE"
  fi
}

PG_DIR='' PGDATA='' PG_LOG='' PG_SUPER_PASS=''
REDIS_DIR='' REDIS_PID='' REDIS_LOG=''
set_paths() {
  mkdir -p "$SVC"
  chmod 755 "$SVC"   # the service users must be able to traverse it
  choose_data_base
  PG_DIR=$DATA_BASE/postgres
  PGDATA=$PG_DIR/data
  PG_LOG=$PG_DIR/postgres.log
  PG_SUPER_PASS=$PG_DIR/superuser.pass
  REDIS_DIR=$DATA_BASE/redis
  REDIS_PID=$REDIS_DIR/redis.pid
  REDIS_LOG=$REDIS_DIR/redis.log
}

# A directory owned by the user the server runs as, private to it.
owned_dir() {
  mkdir -p "$2"
  if [ "$IS_ROOT" = 1 ]; then chown "$1:" "$2"; fi
  chmod 700 "$2"
}

# ---------------------------------------------------------------- PostgreSQL

PGBIN=
pick_pgbin() {
  # An existing cluster must be run by the major version that created it.
  if [ -f "$PGDATA/PG_VERSION" ]; then
    local v
    v=$(cat "$PGDATA/PG_VERSION")
    PGBIN=/usr/lib/postgresql/$v/bin
    [ -x "$PGBIN/pg_ctl" ] || die "cluster in $PGDATA was created by PostgreSQL $v, which is not installed; run '$0 stop' and delete $PG_DIR to recreate it"
  else
    PGBIN=$(find_pgbin)
    [ -n "$PGBIN" ] || die "PostgreSQL is not installed (run '$0 start' as root to install it)"
  fi
}

# Our postmaster is alive: the pid in postmaster.pid is a live (not zombie) process
# started on this data directory. Stricter than 'pg_ctl status', which a reused pid
# or an unreaped zombie (containers whose init does not reap) would fool.
pg_running() {
  local pid
  pid=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null) || return 1
  alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$PGDATA"
}

# The port a running cluster listens on (line 4 of postmaster.pid).
pg_port() { sed -n 4p "$PGDATA/postmaster.pid"; }

pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1" -t 2 >/dev/null 2>&1; }

pg_init() {
  owned_dir "$PG_USER" "$PG_DIR"
  # A half-made data directory (interrupted initdb) is ours and worthless.
  if [ -f "$PGDATA/PG_VERSION" ]; then return 0; fi
  rm -rf "$PGDATA"
  say "creating PostgreSQL cluster in $PGDATA"
  (umask 077 && new_secret >"$PG_SUPER_PASS")
  if [ "$IS_ROOT" = 1 ]; then chown "$PG_USER:" "$PG_SUPER_PASS"; fi
  # Password (scram) auth everywhere: any local user can reach 127.0.0.1.
  # C.UTF-8 always exists on Debian and keeps the cluster independent of $LANG.
  if ! as_user "$PG_USER" "$PGBIN/initdb" -D "$PGDATA" -U postgres --pwfile="$PG_SUPER_PASS" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-instructions \
        >"$PG_DIR/initdb.log" 2>&1; then
    log_tail "$PG_DIR/initdb.log"
    rm -rf "$PGDATA"
    die "initdb failed"
  fi
  cat >>"$PGDATA/postgresql.conf" <<'EOF'

# --- added by scripts/services.sh (private test cluster) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''   # TCP only: no dependency on /var/run/postgresql
# Throwaway test data: trade crash safety for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

pg_start() {
  pick_pgbin
  local port
  if pg_running; then
    port=$(pg_port)
    say "PostgreSQL already running (pid $(head -n 1 "$PGDATA/postmaster.pid"), port $port)"
  else
    pg_init
    # Left by a crash; postgres would trust it if the pid is a zombie or reused.
    # (postgres still refuses to start if old backends hold its shared memory.)
    rm -f "$PGDATA/postmaster.pid"
    keep_old_log "$PG_LOG"
    port=$(free_port "$PG_PORT_WANTED")
    say "starting PostgreSQL $(basename "$(dirname "$PGBIN")") on 127.0.0.1:$port"
    local out
    if ! out=$(as_user "$PG_USER" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w -t "$TIMEOUT" \
          -o "-p $port" start 2>&1); then
      echo "$out" >&2
      log_tail "$PG_LOG"
      die "PostgreSQL did not start (data: $PGDATA)"
    fi
  fi
  wait_for "PostgreSQL" "$PG_LOG" pg_ready "$port"
  PG_PORT=$port
  pg_provision
}

# Role and database for the app; CREATEDB so Django's test runner can create
# test_newshub. Run on every start: cheap, and repairs a half-provisioned cluster.
pg_provision() {
  local pw_file=$SVC/newshub-db.pass
  if [ ! -s "$pw_file" ]; then (umask 077 && new_secret >"$pw_file"); fi
  DB_PASSWORD=$(cat "$pw_file")
  [ -r "$PG_SUPER_PASS" ] || die "missing $PG_SUPER_PASS; run '$0 stop' and delete $PG_DIR to recreate the cluster"
  if ! PGPASSWORD=$(cat "$PG_SUPER_PASS") "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -v role="$DB_USER" -v db="$DB_NAME" -v pw="$DB_PASSWORD" \
        "host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres connect_timeout=10" \
        >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN CREATEDB PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
  then
    log_tail "$PG_LOG"
    die "could not create role/database $DB_USER/$DB_NAME"
  fi
}

pg_stop() {
  [ -d "$PGDATA" ] || { say "PostgreSQL: not initialised"; return 0; }
  pick_pgbin
  if pg_running; then
    say "stopping PostgreSQL (port $(pg_port))"
    as_user "$PG_USER" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t "$TIMEOUT" stop >/dev/null ||
      { log_tail "$PG_LOG"; die "PostgreSQL did not stop"; }
  else
    say "PostgreSQL: not running"
  fi
}

# ---------------------------------------------------------------- Redis

# Process $1 is a live redis-server (pids get reused).
is_redis() { alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q redis-server; }

# Pid from our pid file, only if that process is still our redis-server.
redis_pid() {
  local pid
  pid=$(cat "$REDIS_PID" 2>/dev/null) || return 1
  is_redis "$pid" || return 1
  echo "$pid"
}

redis_port() { cat "$SVC/redis.port" 2>/dev/null; }

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }

redis_start() {
  local pid port
  if pid=$(redis_pid) && port=$(redis_port) && [ -n "$port" ]; then
    say "Redis already running (pid $pid, port $port)"
  else
    owned_dir "$REDIS_USER" "$REDIS_DIR"
    rm -f "$REDIS_PID"
    keep_old_log "$REDIS_LOG"
    port=$(free_port "$REDIS_PORT_WANTED" "${PG_PORT:-}")
    echo "$port" >"$SVC/redis.port"
    say "starting Redis on 127.0.0.1:$port"
    # No config file: only these settings apply. No persistence (cache only);
    # protected mode stays on. Binds 127.0.0.1 only.
    local out
    if ! out=$(as_user "$REDIS_USER" redis-server --bind 127.0.0.1 --port "$port" --daemonize yes \
          --save '' --appendonly no --dir "$REDIS_DIR" --pidfile "$REDIS_PID" \
          --logfile "$REDIS_LOG" 2>&1); then
      echo "$out" >&2
      log_tail "$REDIS_LOG"
      die "redis-server did not start"
    fi
  fi
  wait_for "Redis" "$REDIS_LOG" redis_ready "$port"
  REDIS_PORT=$port
}

redis_stop() {
  local pid port
  if ! pid=$(redis_pid); then
    say "Redis: not running"
    rm -f "$REDIS_PID"
    return 0
  fi
  port=$(redis_port)
  say "stopping Redis (pid $pid, port $port)"
  # shutdown nosave: nothing worth keeping; fall back to SIGTERM if it won't answer.
  redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    is_redis "$pid" || { rm -f "$REDIS_PID"; return 0; }
    sleep 0.1
  done
  log_tail "$REDIS_LOG"
  die "Redis (pid $pid) did not stop"
}

# ---------------------------------------------------------------- common

# wait_for NAME LOG CHECK PORT: poll CHECK PORT until it succeeds or TIMEOUT passes.
wait_for() {
  local name=$1 log=$2 check=$3 port=$4 deadline=$((SECONDS + TIMEOUT))
  until "$check" "$port"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$log"
      die "$name is not answering on 127.0.0.1:$port after ${TIMEOUT}s"
    fi
    sleep 0.2
  done
}

write_env() {
  local tmp=$ENV_FILE.tmp.$$
  # 0600: it holds the database password.
  (umask 077 && cat >"$tmp" <<EOF
# Written by scripts/services.sh start; source it to use the private test services.
export DATABASE_URL='postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME'
export REDIS_URL='redis://127.0.0.1:$REDIS_PORT/0'
EOF
  )
  mv -f "$tmp" "$ENV_FILE"
}

# Serialise start/stop so parallel CI jobs cannot both initdb or grab a port.
take_lock() {
  exec 9>"$SVC/.lock"
  flock -w "$((TIMEOUT * 2))" 9 || die "another scripts/services.sh is still running (lock $SVC/.lock)"
}

cmd_start() {
  mkdir -p "$SVC"
  take_lock
  ensure_installed
  set_paths
  pg_start
  redis_start
  write_env
  say "ready: PostgreSQL 127.0.0.1:$PG_PORT, Redis 127.0.0.1:$REDIS_PORT (source var/services.env)"
}

cmd_stop() {
  [ -d "$SVC" ] || { say "nothing to stop"; return 0; }
  take_lock
  set_paths
  local failed=0
  # Stop Redis even if PostgreSQL fails to stop, and vice versa.
  (pg_stop) || failed=1
  (redis_stop) || failed=1
  rm -f "$ENV_FILE"   # its URLs point at stopped servers now
  return "$failed"
}

cmd_status() {
  local up=0 pid port
  if [ ! -d "$SVC" ]; then
    echo "postgresql: down"; echo "redis: down"; return 1
  fi
  set_paths
  PGBIN=/usr/lib/postgresql/$(cat "$PGDATA/PG_VERSION" 2>/dev/null)/bin
  if [ -x "$PGBIN/pg_ctl" ] && pg_running && port=$(pg_port) && pg_ready "$port"; then
    echo "postgresql: up on 127.0.0.1:$port (pid $(head -n 1 "$PGDATA/postmaster.pid"), data $PGDATA)"
    up=$((up + 1))
  else
    echo "postgresql: down"
  fi
  if pid=$(redis_pid) && port=$(redis_port) && redis_ready "$port"; then
    echo "redis: up on 127.0.0.1:$port (pid $pid, dir $REDIS_DIR)"
    up=$((up + 1))
  else
    echo "redis: down"
  fi
  [ "$up" -eq 2 ]
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) "$0" stop && "$0" start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
