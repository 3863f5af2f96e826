#!/usr/bin/env bash
# nginx in front of Newshub's web workers, as in production (deploy/nginx.conf).
#
#   scripts/proxy.sh install  install Debian's nginx if it is missing (make test runs it)
#   scripts/proxy.sh start    install nginx if missing, render var/proxy/nginx.conf, start it
#   scripts/proxy.sh stop     stop the nginx this script started
#   scripts/proxy.sh reload   re-read the configuration (after changing UPSTREAMS)
#
# Settings (environment):
#   PROXY_LISTEN   address nginx listens on (127.0.0.1:8080)
#   UPSTREAMS      the web workers, space-separated host:port (127.0.0.1:8000)
#   SERVER_NAME    the site's host name (_ : any)
#   PROXY_CACHE_MAX_SIZE  disk the page cache may use (1g)
# Paths come from Django's settings (STATIC_ROOT, MEDIA_ROOT, the session cookie's
# name), read with manage.py; the branded 503 page is written by
# `manage.py error_pages`. Everything lives under var/proxy/; the system's nginx
# service and its sites are never touched.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN=${PROXY_DIR:-$ROOT/var/proxy}
CONF=$RUN/nginx.conf
PY=${PYTHON_BIN:-$ROOT/.venv/bin/python}
LISTEN=${PROXY_LISTEN:-127.0.0.1:8080}
UPSTREAMS=${UPSTREAMS:-127.0.0.1:8000}
say() { echo "proxy: $*"; }
die() { echo "proxy: ERROR: $*" >&2; exit 1; }

install_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || die "nginx is missing: sudo apt-get install nginx-light (or nginx)"
  say "installing nginx from Debian's packages"
  mkdir -p "$RUN"
  # Never let the package's postinst start nginx on its default site (port 80).
  local policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    policy=1
  fi
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 nginx; } \
       >"$RUN/apt.log" 2>&1; then
    [ "$policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    tail -n 20 "$RUN/apt.log" >&2
    die "apt-get could not install nginx"
  fi
  [ "$policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  command -v nginx >/dev/null 2>&1 || die "nginx installed but not on PATH"
}

render() {
  local settings static media cookie servers="" u mime
  settings=$("$PY" "$ROOT/manage.py" shell --no-imports -v 0 -c "
from django.conf import settings as s
print(s.STATIC_ROOT); print(s.MEDIA_ROOT); print(s.SESSION_COOKIE_NAME)")
  static=$(sed -n 1p <<<"$settings")
  media=$(sed -n 2p <<<"$settings")
  cookie=$(sed -n 3p <<<"$settings")
  for u in $UPSTREAMS; do
    servers+="server $u max_fails=1 fail_timeout=2s; "
  done
  mime=/etc/nginx/mime.types
  [ -f "$mime" ] || die "no $mime (Debian's nginx-common provides it)"
  mkdir -p "$RUN/cache" "$RUN/errors"
  sed -e "s|@RUN_DIR@|$RUN|g" \
      -e "s|@USER@|$(id -un) $(id -gn)|g" \
      -e "s|@MIME_TYPES@|$mime|g" \
      -e "s|@ACCESS_LOG@|${PROXY_ACCESS_LOG:-off}|g" \
      -e "s|@UPSTREAM_SERVERS@|$servers|g" \
      -e "s|@CACHE_DIR@|$RUN/cache|g" \
      -e "s|@CACHE_MAX_SIZE@|${PROXY_CACHE_MAX_SIZE:-1g}|g" \
      -e "s|@SESSION_COOKIE@|$cookie|g" \
      -e "s|@LISTEN@|$LISTEN|g" \
      -e "s|@SERVER_NAME@|${SERVER_NAME:-_}|g" \
      -e "s|@STATIC_ROOT@|$static|g" \
      -e "s|@MEDIA_ROOT@|$media|g" \
      "$ROOT/deploy/nginx.conf" >"$CONF"
  "$PY" "$ROOT/manage.py" error_pages "$RUN/errors"
  nginx -t -q -c "$CONF" -p "$RUN" 2>"$RUN/test.log" || { cat "$RUN/test.log" >&2; die "nginx -t failed"; }
}

running() { [ -f "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; }

case "${1:-}" in
  install)
    install_nginx
    ;;
  start)
    install_nginx
    mkdir -p "$RUN"
    render
    if running; then
      nginx -c "$CONF" -p "$RUN" -s reload
      say "reloaded on $LISTEN -> $UPSTREAMS"
    else
      nginx -c "$CONF" -p "$RUN"
      say "listening on $LISTEN -> $UPSTREAMS"
    fi
    ;;
  reload)
    render
    nginx -c "$CONF" -p "$RUN" -s reload
    ;;
  stop)
    if running; then
      pid=$(cat "$RUN/nginx.pid")
      nginx -c "$CONF" -p "$RUN" -s quit
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      say "stopped"
    fi
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
