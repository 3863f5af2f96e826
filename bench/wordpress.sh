#!/usr/bin/env bash
# Newshub against the WordPress benchmark peer, side by side: page throughput of
# the same content (the peer's own WXR export, imported with import_wxr) on the
# same pages (a post, a category, a tag, an author, the home page, the feed),
# measured with wrk on 127.0.0.1.
#
#   bench/wordpress.sh                                 # SQLite, 12 s per run
#   SECONDS=6 bench/wordpress.sh                       # shorter runs
#   source var/services.env && bench/wordpress.sh      # SQLite, then PostgreSQL + Redis
#   BENCH_ENGINES=postgres bench/wordpress.sh          # one engine (sqlite or postgres)
#
# On PostgreSQL the import goes to a database of its own on the server of
# DATABASE_URL (its name + _bench_wordpress, created when missing): the
# database given is shared (bench/cluster.sh seeds it when it is empty).
#
# The peer (WORDPRESS_PEER, default ../shared/peers/wordpress; see its README)
# serves WordPress with no page cache on :8081 and behind nginx's fastcgi_cache
# on :8082. Newshub runs in three modes: cache off (PAGE_CACHE_SECONDS=0),
# default (page cache and its fast lane) and behind its own nginx
# (scripts/proxy.sh). Each Newshub figure is taken right after its WordPress
# counterpart: the machine is shared and noisy, so compare ratios within a run.
#
# Everything lives in var/bench-wordpress/: the export, one Newshub data folder
# per engine (imported once per peer data set), raw wrk output under runs/.
# The tables are printed and saved to var/bench-wordpress/results-<UTC stamp>.md.
set -euo pipefail
# bash counts SECONDS up from the value the environment gave it: read the
# requested duration from the environment itself, before any time passes.
DURATION=$(printenv SECONDS || echo 12)
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
PEER=${WORDPRESS_PEER:-../shared/peers/wordpress}
OUT=$ROOT/var/bench-wordpress
THREADS=2
CONNECTIONS=32
WARMUP=2
WP=http://127.0.0.1:8081         # WordPress, no page cache
WP_CACHED=http://127.0.0.1:8082  # the same behind nginx fastcgi_cache
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$OUT/runs/$STAMP
RESULTS=$OUT/results-$STAMP.md
TABLES=$RAW/results.md  # copied to RESULTS once every engine is measured
export NEWSHUB_ADMIN_PASSWORD=bench-only-password
# The peer's nginx logs nothing (access_log off): neither does Newshub here,
# unless asked.
export WEB_ACCESS_LOG=${WEB_ACCESS_LOG:-false}
# The import and the servers use the default task queue (the database); the
# serve processes run no worker, so nothing queued by the import runs meanwhile.
unset TASKS_BACKEND
# PostgreSQL + Redis are measured when both are given; SQLite always is.
PG_DATABASE_URL=${DATABASE_URL:-}
PG_REDIS_URL=${REDIS_URL:-}
unset DATABASE_URL REDIS_URL

say() { echo "bench-wordpress: $*" >&2; }
die() {
  echo "bench-wordpress: ERROR: $*" >&2
  exit 1
}

[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a whole number of seconds, not '$DURATION'"
if [ ! -d "$PEER" ] || [ ! -x "$PEER/export.sh" ]; then
  die "no WordPress peer at $PEER (set WORDPRESS_PEER to the folder holding its setup.sh and export.sh)"
fi
PEER=$(cd "$PEER" && pwd)
for tool in wrk curl mysql setsid; do
  command -v "$tool" >/dev/null || die "$tool is missing (wrk: apt-get install wrk; mysql comes with the peer's setup.sh)"
done
[ -x "$PY" ] || die "no $PY: run make bench-wordpress (or make run) to install Newshub first"
mkdir -p "$RAW"

# -- The peer -----------------------------------------------------------------

peer_answers() {
  curl -fs -o /dev/null --max-time 5 "$WP/robots.txt" &&
    curl -fs -o /dev/null --max-time 5 "$WP_CACHED/robots.txt"
}

# The peer is normally left running by its setup.sh; when it is not, setup.sh
# (idempotent) starts it, and generates the data set if the database lacks it.
# It is left running afterwards, as setup.sh does ($PEER/stop.sh stops it).
if ! peer_answers; then
  [ "$(id -u)" = 0 ] || die "the WordPress peer does not answer on :8081/:8082; start it as root: $PEER/setup.sh"
  say "the WordPress peer does not answer on :8081/:8082: running $PEER/setup.sh (this takes minutes when it must install or generate the data set)"
  "$PEER/setup.sh" >&2 || die "$PEER/setup.sh failed"
  peer_answers || die "the WordPress peer still does not answer after setup.sh"
fi

q() { mysql -N -B wordpress -e "$1"; }
DATASET=$(q "SELECT option_value FROM wp_options WHERE option_name='wpbench_dataset'") ||
  die "cannot read the peer's database with mysql (run as root, like the peer's scripts)"
[ -n "$DATASET" ] || die "the peer's database has no wpbench_dataset option: run $PEER/setup.sh"
DATA_POSTS=$(sed -n 's/^posts=\([0-9]*\);.*/\1/p' <<<"$DATASET")
DATA_COMMENTS=$(sed -n 's/.*;comments=\([0-9]*\);.*/\1/p' <<<"$DATASET")
WP_VERSION=$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php 2>/dev/null || true)

# The export is tied to the data set it was made from: a regenerated peer gets a
# new export, and (below) a new import.
EXPORT=$OUT/wordpress-export.xml
if [ ! -s "$EXPORT" ] || [ "$(cat "$EXPORT.dataset" 2>/dev/null)" != "$DATASET" ]; then
  say "exporting the peer's content with WordPress's own exporter (about 20 s)"
  "$PEER/export.sh" "$EXPORT.part" 2>"$OUT/export.log" || {
    cat "$OUT/export.log" >&2
    die "$PEER/export.sh failed"
  }
  mv "$EXPORT.part" "$EXPORT"
  echo "$DATASET" >"$EXPORT.dataset"
fi

# -- Comparable targets ---------------------------------------------------------
# The newest published post with at least 10 approved comments, as the peer's
# bench.sh picks it; its author; the tag on the most posts; the category `land`.

POST_ID=$(q "SELECT ID FROM wp_posts WHERE post_type='post' AND post_status='publish' AND comment_count>=10 ORDER BY post_date DESC, ID DESC LIMIT 1")
[ -n "$POST_ID" ] || die "the peer has no published post with 10 comments"
POST_SLUG=$(q "SELECT post_name FROM wp_posts WHERE ID=$POST_ID")
POST_COMMENTS=$(q "SELECT comment_count FROM wp_posts WHERE ID=$POST_ID")
WP_AUTHOR=$(q "SELECT u.user_nicename FROM wp_users u JOIN wp_posts p ON p.post_author=u.ID WHERE p.ID=$POST_ID")
TAG=$(q "SELECT t.slug FROM wp_terms t JOIN wp_term_taxonomy tt USING (term_id) WHERE tt.taxonomy='post_tag' ORDER BY tt.count DESC, t.slug LIMIT 1")
TAG_POSTS=$(q "SELECT tt.count FROM wp_terms t JOIN wp_term_taxonomy tt USING (term_id) WHERE tt.taxonomy='post_tag' AND t.slug='$TAG'")
CATEGORY=land
WP_POST_PATH=$(curl -s -o /dev/null -w '%{redirect_url}' "$WP/?p=$POST_ID" | sed "s#^$WP##")
[ -n "$WP_POST_PATH" ] || die "could not resolve the permalink of WordPress post $POST_ID"
WP_PUBLISHED=$(q "SELECT COUNT(*) FROM wp_posts WHERE post_type='post' AND post_status='publish'")
WP_APPROVED=$(q "SELECT COUNT(*) FROM wp_comments WHERE comment_approved='1'")
wp_option() { q "SELECT option_value FROM wp_options WHERE option_name='$1'"; }

PAGES=(post category tag author home feed)
declare -A LABEL=(
  [post]="post ($POST_COMMENTS comments)" [category]="category \`$CATEGORY\`"
  [tag]="tag \`$TAG\` ($TAG_POSTS posts)" [author]="author \`$WP_AUTHOR\`"
  [home]="home" [feed]="feed"
)
declare -A WP_PATH=(
  [post]=$WP_POST_PATH [category]=/category/$CATEGORY/ [tag]=/tag/$TAG/
  [author]=/author/$WP_AUTHOR/ [home]=/ [feed]=/feed/
)
declare -A NH_PATH=()  # filled per engine from Newshub's own URLs

# -- Newshub ------------------------------------------------------------------

manage() { "$PY" manage.py "$@"; }

# DATABASE_URL's server, a database of this benchmark's own (created when
# missing), so that neither it nor whoever uses the given database sees the
# other's articles.
own_database_url() {
  "$PY" - "$PG_DATABASE_URL" <<'PYTHON'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

given = urlsplit(sys.argv[1])
name = given.path.lstrip("/") + "_bench_wordpress"
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
print(urlunsplit(given._replace(path="/" + name)))
PYTHON
}

# Point the environment at one engine's data folder (and database).
use_engine() {
  export NEWSHUB_VAR_DIR=$OUT/$1
  if [ "$1" = postgres ]; then
    DATABASE_URL=$(own_database_url) || die "cannot create this benchmark's database on the server of DATABASE_URL"
    export DATABASE_URL REDIS_URL=$PG_REDIS_URL
    # The Redis is shared with the test tier: keep this site's keys apart.
    export CACHE_KEY_PREFIX=bench-wordpress
  else
    unset DATABASE_URL REDIS_URL CACHE_KEY_PREFIX
  fi
}

# Bootstrap and import the export once per peer data set and database (the
# marker holds both).
prepare_engine() {
  local engine=$1 marker=$OUT/$1/imported database=${DATABASE_URL:-sqlite} imported
  imported="$DATASET database=${database##*/}"
  if [ "$(cat "$marker" 2>/dev/null)" = "$imported" ]; then
    manage bootstrap --no-demo >/dev/null # migrations of newer code
    live_site_state
    return
  fi
  # A fresh SQLite database, so that nothing of an older data set is left; on
  # PostgreSQL the import updates the benchmark's database in place.
  [ "$engine" = sqlite ] && rm -rf "$NEWSHUB_VAR_DIR"
  mkdir -p "$NEWSHUB_VAR_DIR"
  manage bootstrap --no-demo >"$NEWSHUB_VAR_DIR/bootstrap.log" 2>&1 || {
    cat "$NEWSHUB_VAR_DIR/bootstrap.log" >&2
    die "[$engine] bootstrap failed"
  }
  say "[$engine] importing $(du -m "$EXPORT" | cut -f1) MB of WXR (no media)"
  local start=$SECONDS
  manage import_wxr "$EXPORT" >"$NEWSHUB_VAR_DIR/import.log" 2>&1 || {
    tail -n 30 "$NEWSHUB_VAR_DIR/import.log" >&2
    die "[$engine] import_wxr failed (log: $NEWSHUB_VAR_DIR/import.log)"
  }
  say "[$engine] imported in $((SECONDS - start)) s; report: $NEWSHUB_VAR_DIR/import.log"
  # On a live site the task worker computes each article's Related Posts; the
  # servers here run none, so compute them once, or article pages would lack them.
  say "[$engine] computing Related Posts (a minute or two)"
  start=$SECONDS
  manage rebuild_related --no-progress >"$NEWSHUB_VAR_DIR/related.log" 2>&1 || {
    tail -n 30 "$NEWSHUB_VAR_DIR/related.log" >&2
    die "[$engine] rebuild_related failed"
  }
  say "[$engine] Related Posts in $((SECONDS - start)) s"
  live_site_state
  echo "$imported" >"$marker"
}

# What a live site has and the servers here (no task worker, no clock) would
# not make: Top 5 This Week and Popular Articles, refreshed every few minutes
# by the clock; and the site settings. The import leaves Newshub's own site
# settings alone; they get the peer's values (its Settings -> General and
# Reading), so that both sites list as many posts per page and put as many
# items, with the same kind of text, in their feeds.
live_site_state() {
  manage audience_tick >"$NEWSHUB_VAR_DIR/audience-tick.log" 2>&1 || {
    cat "$NEWSHUB_VAR_DIR/audience-tick.log" >&2
    die "audience_tick failed"
  }
  BENCH_NAME=$(wp_option blogname) BENCH_TAGLINE=$(wp_option blogdescription) \
    BENCH_PER_PAGE=$(wp_option posts_per_page) BENCH_EXCERPT=$(wp_option rss_use_excerpt) \
    BENCH_FEED_ITEMS=$(wp_option posts_per_rss) \
    manage shell --no-imports -v 0 -c "
import os
from core.models import SiteSettings
site = SiteSettings.load()
wanted = {
    'site_name': os.environ['BENCH_NAME'],
    'tagline': os.environ['BENCH_TAGLINE'],
    'posts_per_page': int(os.environ['BENCH_PER_PAGE']),
    'feed_full_text': os.environ['BENCH_EXCERPT'] != '1',
    'feed_items': int(os.environ['BENCH_FEED_ITEMS']),
}
if any(getattr(site, k) != v for k, v in wanted.items()):
    for k, v in wanted.items():
        setattr(site, k, v)
    site.save()
"
}

# Newshub's addresses of the same things, and its counts to compare with the
# peer's. The post is looked up by its WordPress slug.
newshub_targets() {
  local engine=$1 found
  found=$(BENCH_SLUG=$POST_SLUG manage shell --no-imports -v 0 -c "
import os
from django.utils import timezone
from articles.models import Article
from comments.models import Comment
from core.models import SiteSettings
article = Article.objects.published().filter(slug=os.environ['BENCH_SLUG']).first()
with timezone.override(SiteSettings.load().tzinfo):
    print(article.get_absolute_url() if article else '')
print(article.author.slug if article else '')
print(Comment.objects.approved().filter(article=article).count() if article else 0)
print(Article.objects.published().count())
print(Comment.objects.approved().count())
")
  NH_POST_PATH=$(sed -n 1p <<<"$found")
  NH_AUTHOR=$(sed -n 2p <<<"$found")
  NH_POST_COMMENTS=$(sed -n 3p <<<"$found")
  NH_PUBLISHED=$(sed -n 4p <<<"$found")
  NH_APPROVED=$(sed -n 5p <<<"$found")
  [ -n "$NH_POST_PATH" ] || die "[$engine] no published Newshub article with the slug $POST_SLUG (was the import complete? rm $OUT/$engine/imported imports again)"
  NH_PATH=(
    [post]=$NH_POST_PATH [category]=/category/$CATEGORY/ [tag]=/tag/$TAG/
    [author]=/author/$NH_AUTHOR/ [home]=/ [feed]=/feed/
  )
}

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The serve processes this script started: each leads its own process group
# (setsid), so its uvicorn workers are stopped with it and Ctrl-C reaches
# only this script, which then stops them in order.
SERVERS=()
start_serve() { # name port [VAR=value ...]
  local name=$1 port=$2 pid
  shift 2
  env "$@" setsid "$PY" manage.py serve --no-worker --port "$port" >"$RAW/serve-$name.log" 2>&1 &
  pid=$!
  SERVERS+=("$pid")
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz/" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$RAW/serve-$name.log" >&2
  die "Newshub ($name) did not come up on port $port"
}

stop_servers() {
  local pid
  for pid in "${SERVERS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true # serve stops its uvicorn and waits for it
  done
  for pid in "${SERVERS[@]}"; do
    wait "$pid" 2>/dev/null || true
    kill -KILL -- "-$pid" 2>/dev/null || true # anything of its group left over
  done
  SERVERS=()
}

PROXY_RUN=
start_proxy() { # listen-port upstream-port
  PROXY_RUN=$NEWSHUB_VAR_DIR/proxy
  PROXY_DIR=$PROXY_RUN PROXY_LISTEN=127.0.0.1:$1 UPSTREAMS=127.0.0.1:$2 \
    scripts/proxy.sh start >"$RAW/proxy.log" 2>&1 || {
    cat "$RAW/proxy.log" >&2
    die "scripts/proxy.sh start failed"
  }
}

stop_proxy() {
  [ -n "$PROXY_RUN" ] || return 0
  PROXY_DIR=$PROXY_RUN scripts/proxy.sh stop >>"$RAW/proxy.log" 2>&1 || true
  PROXY_RUN=
}

cleanup() {
  stop_servers
  stop_proxy
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# -- Measuring ------------------------------------------------------------------

# The status of one request, without following redirects: anything but 200 is a
# wrong target (a 404: a slug that differs), or a broken site.
require_200() { # what url
  local code
  code=$(curl -s -o /dev/null --max-time 30 -w '%{http_code}' "$2")
  [ "$code" = 200 ] || die "$1: $2 answered HTTP $code, not 200 (a 404 means a wrong target)"
}

# Size, stories linked (distinct /YYYY/MM/DD/slug/ paths) and cache state of a
# page, to see how much each system puts on it.
describe() { # url -> "bytes stories cache-state"
  local body headers state
  body=$(mktemp) headers=$(mktemp)
  curl -s -D "$headers" -o "$body" --max-time 30 "$1" || true
  state=$(tr -d '\r' <"$headers" | awk -F': ' 'tolower($1)=="x-cache" || tolower($1)=="x-page-cache" {print $2}' | paste -sd/)
  echo "$(wc -c <"$body") $(grep -oE '/[0-9]{4}/[0-9]{2}/[0-9]{2}/[a-z0-9%-]+/' "$body" | sort -u | wc -l) ${state:--}"
  rm -f "$body" "$headers"
}

declare -A RPS=() NOTE=() STATE=()
# One run: a warm-up (fills the caches), a second for queued requests to drain,
# then wrk. Non-2xx answers and socket errors are noted beside the figure.
measure() { # key url
  local key=$1 url=$2 f=$RAW/$1.txt non2xx errors code
  require_200 "$key" "$url"
  wrk -t"$THREADS" -c8 -d"${WARMUP}s" "$url" >/dev/null
  STATE[$key]=$(describe "$url" | cut -d' ' -f3)
  sleep 1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "$url" >"$f"
  RPS[$key]=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  [ -n "${RPS[$key]}" ] || die "$key: no figure from wrk (see $f)"
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")
  errors=$(awk '/Socket errors:/ {gsub(",", ""); for (i = 3; i < NF; i += 2) if ($(i + 1) > 0) printf "%s%s %s", (n++ ? ", " : ""), $(i + 1), $i}' "$f")
  NOTE[$key]=
  if [ -n "$non2xx" ]; then
    code=$(curl -s -o /dev/null --max-time 30 -w '%{http_code}' "$url")
    [[ $code == 4* ]] && die "$key: $url answered HTTP $code during the run ($non2xx non-2xx): a wrong target"
    NOTE[$key]="$non2xx non-2xx"
  fi
  [ -n "$errors" ] && NOTE[$key]+="${NOTE[$key]:+, }socket errors: $errors"
  say "$key $url: ${RPS[$key]} req/s${NOTE[$key]:+ (${NOTE[$key]})} [load $(cut -d' ' -f1 /proc/loadavg)]"
}

# 12345 -> 12,345 (the locale may have no thousands separator)
thousands() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[^0-9]\)/\1,\2\3/' -e 'ta' <<<"$1"; }
rate() { # key -> requests/s, rounded to what the noise allows
  thousands "$(awk -v r="${RPS[$1]}" 'BEGIN { printf (r < 100 ? "%.1f" : "%.0f"), r }')"
}
ratio() { # key key -> "0.45×"
  awk -v a="${RPS[$1]}" -v b="${RPS[$2]}" 'BEGIN { if (b <= 0) print "–"; else printf (a / b < 10 ? "%.2f×" : "%.0f×"), a / b }'
}
cell() { # key [ratio-to-key]
  local text
  text=$(rate "$1")
  [ -n "${2:-}" ] && text+=" ($(ratio "$1" "$2"))"
  [ -n "${NOTE[$1]}" ] && text+=" ⚠ ${NOTE[$1]}"
  printf '%s' "$text"
}

# One engine: three Newshub servers side by side (cache off; default; default
# with TRUSTED_PROXY_COUNT=1 behind nginx), then every page in every mode, the
# Newshub runs right next to their WordPress counterparts.
bench_engine() {
  local engine=$1 title=$2 cold off default proxied proxy page nh wp
  use_engine "$engine"
  prepare_engine "$engine"
  newshub_targets "$engine"
  cold=$(free_port) off=$(free_port) default=$(free_port) proxied=$(free_port) proxy=$(free_port)
  start_serve "$engine-cold" "$cold" PAGE_CACHE_SECONDS=0 FRAGMENT_CACHE_SECONDS=0
  start_serve "$engine-cache-off" "$off" PAGE_CACHE_SECONDS=0
  start_serve "$engine-default" "$default"
  start_serve "$engine-proxied" "$proxied" TRUSTED_PROXY_COUNT=1
  start_proxy "$proxy" "$proxied"

  for page in "${PAGES[@]}"; do
    wp=${WP_PATH[$page]} nh=${NH_PATH[$page]}
    measure "$engine-$page-wp" "$WP$wp"
    measure "$engine-$page-off" "http://127.0.0.1:$off$nh"
    measure "$engine-$page-cold" "http://127.0.0.1:$cold$nh"
    measure "$engine-$page-default" "http://127.0.0.1:$default$nh"
    measure "$engine-$page-wpcache" "$WP_CACHED$wp"
    measure "$engine-$page-proxy" "http://127.0.0.1:$proxy$nh"
  done

  {
    echo
    echo "### $title"
    echo
    echo "Requests/s; in brackets the ratio Newshub / WordPress. Cache off: the page cache off (PAGE_CACHE_SECONDS=0), pages assembled from stored fragments (lib/fragments.py), as after an edit outdated them. Cold: fragments off too (FRAGMENT_CACHE_SECONDS=0), every page rendered whole."
    echo
    echo "| page | WordPress no cache | Newshub cache off | Newshub cold | Newshub default | WordPress nginx cache | Newshub behind nginx | Newshub default / WordPress nginx cache |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for page in "${PAGES[@]}"; do
      local k=$engine-$page
      echo "| ${LABEL[$page]} | $(cell "$k-wp") | $(cell "$k-off" "$k-wp") | $(cell "$k-cold" "$k-wp") | $(cell "$k-default") | $(cell "$k-wpcache") | $(cell "$k-proxy" "$k-wpcache") | $(ratio "$k-default" "$k-wpcache") |"
    done
    echo
    echo "What each page holds (bytes, distinct stories linked), and the cache headers right after the warm-up: X-Cache (nginx), X-Page-Cache (Newshub's page cache; behind nginx, the one nginx stored with the page)."
    echo
    echo "| page | WordPress path | Newshub path | bytes WP / Newshub | stories WP / Newshub | WP nginx | Newshub default | Newshub behind nginx |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for page in "${PAGES[@]}"; do
      local k=$engine-$page w n
      read -r -a w <<<"$(describe "$WP${WP_PATH[$page]}")"
      read -r -a n <<<"$(describe "http://127.0.0.1:$off${NH_PATH[$page]}")"
      echo "| $page | \`${WP_PATH[$page]}\` | \`${NH_PATH[$page]}\` | $(thousands "${w[0]}") / $(thousands "${n[0]}") | ${w[1]} / ${n[1]} | ${STATE[$k-wpcache]} | ${STATE[$k-default]} | ${STATE[$k-proxy]} |"
    done
    echo
    echo "Newshub after the import: $(thousands "$NH_PUBLISHED") published articles, $(thousands "$NH_APPROVED") approved comments (WordPress: $(thousands "$WP_PUBLISHED"), $(thousands "$WP_APPROVED")); the post has $NH_POST_COMMENTS approved comments (WordPress: $POST_COMMENTS)."
  } >>"$TABLES"

  stop_servers
  stop_proxy
}

# -- The run ----------------------------------------------------------------------

ENGINES=(sqlite)
[ -n "$PG_DATABASE_URL" ] && [ -n "$PG_REDIS_URL" ] && ENGINES+=(postgres)
if [ -n "${BENCH_ENGINES:-}" ]; then # e.g. BENCH_ENGINES=postgres: one engine only
  read -r -a ENGINES <<<"$BENCH_ENGINES"
  for engine in "${ENGINES[@]}"; do
    case $engine in
      sqlite) ;;
      postgres) [ -n "$PG_DATABASE_URL" ] && [ -n "$PG_REDIS_URL" ] || die "BENCH_ENGINES=postgres needs DATABASE_URL and REDIS_URL (source var/services.env)" ;;
      *) die "BENCH_ENGINES: unknown engine $engine (sqlite, postgres)" ;;
    esac
  done
fi
{
  echo "## Newshub and WordPress, page throughput"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average at start $(cut -d' ' -f1-3 /proc/loadavg);" \
    "data: $(thousands "$DATA_POSTS") posts, $(thousands "$DATA_COMMENTS") comments (peer data set \`$DATASET\`, WordPress ${WP_VERSION:-?});" \
    "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout 10s on 127.0.0.1, each after a ${WARMUP} s warm-up at -c8;" \
    "Newshub: \`manage.py serve --no-worker\`, ${WEB_WORKERS:-2} workers × ${WEB_THREADS:-4} threads, access log $([ "$WEB_ACCESS_LOG" = false ] && echo off || echo "$WEB_ACCESS_LOG"), site settings as the peer's (posts per page, feed text); Related Posts and Top 5 / Popular computed once, as the task worker and clock would."
} >"$TABLES"
for engine in "${ENGINES[@]}"; do
  case $engine in
    sqlite) bench_engine sqlite "SQLite (WAL), file cache" ;;
    postgres) bench_engine postgres "PostgreSQL + Redis (pages cached in Redis: no fast lane, the default there)" ;;
  esac
done
echo >>"$TABLES"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Raw wrk output: ${RAW#"$ROOT"/}/" >>"$TABLES"
cp "$TABLES" "$RESULTS"
cat "$RESULTS"
say "saved to ${RESULTS#"$ROOT"/}"
