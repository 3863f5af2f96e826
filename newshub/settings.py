"""Newshub settings: every value comes from the environment, with safe defaults
for the embedded mode (SQLite, file cache, database task queue)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from lib.embeds import FRAME_ORIGINS
from lib.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    mailer_from_env,
    persistent_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("NEWSHUB_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or persistent_secret(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Newshub")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django_tasks_db",
    # The body editor's assets (Tiptap, built into the wheel): static files only.
    "django_prose_editor",
    "core",
    "media",
    "articles",
    "comments",
    "search",
    "subscriptions",
    "importers",
    "audience",
    "revisions",
    "reader",
    "demo",
    # Two-factor for staff (accounts); accounts after them, as its admin
    # replaces theirs.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    # Last: its admin adds roles to the account admin (accounts') and a
    # preview link to the article admin (audience's).
    "newsroom",
]

MIDDLEWARE = [
    # Outermost: a hit is answered before anything else runs, and a page is
    # stored with the headers every other middleware added (lib/pagecache.py).
    "lib.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions' age, two-factor, lockout pages, the audit log's "who".
    "accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SiteTimezoneMiddleware",
    # WordPress migration: pages imported as flat pages, then old addresses.
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "importers.middleware.OldLinkMiddleware",
]
SITE_ID = 1  # django.contrib.sites, needed by flatpages (imported WordPress pages)

ROOT_URLCONF = "newshub.urls"
WSGI_APPLICATION = "newshub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "reader.context_processors.site",
            ],
        },
    },
]

_sqlite_default = f"sqlite:///{VAR_DIR / 'newshub.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _sqlite_default),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each web thread keeps its connection (opening one, with the PRAGMAs
    # below and the schema read, costs 1.2 ms of CPU: as much as a page made
    # from stored fragments).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run while the task worker writes; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers wait instead of failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # A kept connection is checked before a request uses it; lib/postgresql
    # does it without a round trip to the server.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "lib.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# With Redis down (or unreachable) the site goes on without its cache: a read
# finds nothing, a write is dropped (and logged), so pages are made from the
# database and rate limits are not counted until it is back
# (docs/operations.md, "When parts fail"). A connection attempt gives up after
# REDIS_CONNECT_TIMEOUT seconds, and a command without an answer (a Redis that
# hangs) after REDIS_TIMEOUT, rather than holding a request for good.
_REDIS_OPTIONS = {
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": env_int("REDIS_CONNECT_TIMEOUT", 2),
    "SOCKET_TIMEOUT": env_float("REDIS_TIMEOUT", 0.5),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newshub"),
            "OPTIONS": _REDIS_OPTIONS,
        },
        # Rendered fragments (lib/fragments.py), apart so that clearing or
        # culling one store leaves the other.
        "fragments": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newshub") + ":fragments",
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
else:
    # A file cache is shared by every web worker on the machine, unlike locmem.
    # lib.filecache counts its files every few seconds, not on every write.
    CACHES = {
        "default": {
            "BACKEND": "lib.filecache.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newshub"),
            # Django's default of 300 entries would evict cached pages of a
            # 10,000-article site almost at once.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        },
        "fragments": {
            "BACKEND": "lib.filecache.FileBasedCache",
            "LOCATION": str(VAR_DIR / "fragments"),
            # About four per article: its cards, its text, its comments.
            "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_MAX_ENTRIES", 100_000)},
        },
    }

# Seconds an anonymous reader's page stays in the page cache; 0 turns it off.
# Edits invalidate it at once (lib/pagecache.py), so this only bounds staleness
# of what changes without an edit (the lists of Top 5 and Popular Articles).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# An article's page: its own changes and comments outdate it at once, its Top 5
# and Popular are filled in at each hit, its Related Posts outdate it when they
# change; what is left to age is the comment counts of the cards it shows.
ARTICLE_CACHE_SECONDS = env_int("ARTICLE_CACHE_SECONDS", 86_400)
# Seconds a rendered fragment (a teaser card, an article's text, a page of
# comments; lib/fragments.py) is kept. Its key moves on when what it shows
# changes, so this only bounds the room old ones take; 0 turns them off.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 7 * 86_400)
# Seconds a reverse proxy or CDN may serve a page before asking again
# (Cache-Control s-maxage; deploy/nginx.conf): with the time one refresh takes
# on a busy machine, an edit shows there within 10 s.
PROXY_CACHE_SECONDS = env_int("PROXY_CACHE_SECONDS", 4)
# Answer page-cache hits in the ASGI server before Django (lib/pagecache.py
# with_page_cache): on by default with the embedded file cache, off with Redis
# (a lookup across the network would stop the event loop).
PAGE_CACHE_FAST_LANE = env_bool("PAGE_CACHE_FAST_LANE", not REDIS_URL)
# Where the page cache keeps its tags' versions without Redis: one small file
# per tag, shared by the web workers of the machine (with Redis: in Redis).
PAGE_CACHE_TAGS_DIR = None if REDIS_URL else VAR_DIR / "cache-tags"
# Seconds a search's results stay cached (search.backends.search); edits and
# reindexing invalidate them at once. 0 turns it off, the default without Redis:
# the embedded file cache's room (CACHE_MAX_ENTRIES) is for the cached pages.
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 300 if REDIS_URL else 0)

# Audience signals (audience app): the read beacon, its buffer and the rankings.
# Without REDIS_URL, reads wait in a spool file shared by the web workers.
AUDIENCE_SPOOL = Path(env_str("AUDIENCE_SPOOL", str(VAR_DIR / "audience" / "reads")))
AUDIENCE_BUFFER_MAX_READS = env_int("AUDIENCE_BUFFER_MAX_READS", 5_000_000)
AUDIENCE_FLUSH_SECONDS = env_int("AUDIENCE_FLUSH_SECONDS", 60)
AUDIENCE_RANKINGS_SECONDS = env_int("AUDIENCE_RANKINGS_SECONDS", 300)
AUDIENCE_DEDUPE_MINUTES = env_int("AUDIENCE_DEDUPE_MINUTES", 30)
AUDIENCE_BEACONS_PER_MINUTE = env_int("AUDIENCE_BEACONS_PER_MINUTE", 60)
AUDIENCE_POPULAR_DAYS = env_int("AUDIENCE_POPULAR_DAYS", 30)

# Hours a signed preview link of an unpublished story opens it (newsroom).
PREVIEW_LINK_HOURS = env_int("PREVIEW_LINK_HOURS", 48)

# Tasks `manage.py clock` enqueues, with their interval in seconds.
PERIODIC_TASKS = {
    "articles.tasks.publish_due_articles": 60,  # safety net for scheduled posts
    "subscriptions.tasks.send_due_digests": 300,
    "subscriptions.tasks.resume_sending": 300,  # after a worker died mid-batch
    "audience.tasks.tick": AUDIENCE_FLUSH_SECONDS,  # read flush; rankings when due
    "search.tasks.refresh_search_statistics": 600,  # PostgreSQL search windows
    "core.tasks.analyze_database": 3600,  # SQLite's index statistics
}

# The django.tasks queue: "database" (the embedded default, `db_worker`) or
# "rq" (Redis through RQ, `rqworker`; needs REDIS_URL), or a backend's path.
TASK_QUEUES = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": TASK_QUEUES.get(TASKS_BACKEND, TASKS_BACKEND)}}
if "RQBackend" in TASKS["default"]["BACKEND"]:
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)},
    },
    # Django's list of the 20,000 most common leaked passwords (offline).
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Validates nothing: a changed password ends the account's other sessions.
    {"NAME": "accounts.validators.EndSessionsOnPasswordChange"},
]

# Accounts (accounts app, README "Security"). The lockout check runs before
# the password is; every authenticate() with a request goes through it.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/admin/login/"
# Failed sign-ins of one account from one address before a lockout, and of
# one address over all accounts; counters forget after the window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 3600)
# The first lockout; each next one in a row doubles it, up to the maximum.
LOGIN_COOLOFF_SECONDS = env_int("LOGIN_COOLOFF_SECONDS", 300)
LOGIN_COOLOFF_MAX_SECONDS = env_int("LOGIN_COOLOFF_MAX_SECONDS", 86_400)
# Password reset emails asked for, per address and per email, each hour.
PASSWORD_RESETS_PER_HOUR = env_int("PASSWORD_RESETS_PER_HOUR", 5)
# A staff session ends this long after signing in, however active it is.
STAFF_SESSION_SECONDS = env_int("STAFF_SESSION_SECONDS", 12 * 3600)
# Every staff account must use two-factor (also a switch in Security settings).
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = SITE_NAME  # the name authenticator apps show

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# In the embedded mode Django serves uploads itself; behind a reverse proxy,
# let the proxy serve MEDIA_ROOT and set SERVE_MEDIA=false.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "lib.staticfiles.StaticFilesStorage"},
}
# Uploads and their renditions in an S3-compatible store (README "Media"):
# MEDIA_STORAGE=s3 with the bucket, its endpoint and credentials; the pages
# then link to AWS_S3_CUSTOM_DOMAIN (a CDN or the bucket's public address).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": env_str("AWS_S3_URL_PROTOCOL", "https:"),
            # Public files at stable addresses: pages are cached, so signed
            # links that expire would break them.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": env_str("AWS_DEFAULT_ACL") or None,
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("MEDIA_STORAGE is local or s3.")


def _media_origins() -> list[str]:
    """Where the pages' images come from besides the site (the policy's
    img-src): the S3 store's public host, or its endpoint."""
    if MEDIA_STORAGE != "s3":
        return []
    options = STORAGES["default"]["OPTIONS"]
    if options["custom_domain"]:
        scheme = options["url_protocol"].rstrip(":") or "https"
        return [f"{scheme}://{options['custom_domain'].split('/')[0]}"]
    endpoint = options["endpoint_url"] or "https://*.amazonaws.com"
    return ["/".join(endpoint.split("/")[:3])]


MEDIA_ORIGINS = _media_origins()
# The media library (media app): uploads larger than this many MiB, or with
# more pixels than this (checked from the header, before decoding), are refused.
MEDIA_MAX_UPLOAD_MB = env_int("MEDIA_MAX_UPLOAD_MB", 20)
MEDIA_MAX_PIXELS = env_int("MEDIA_MAX_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Only the video players a reader asked for, by a click on an embed's
    # placeholder (lib/embeds.py, static/js/site.js).
    "frame-src": list(FRAME_ORIGINS),
    "form-action": [CSP.SELF],
    # What the policy blocked, posted by browsers to core.views.csp_report
    # (logged, CSP_REPORTS_PER_MINUTE at most). Not report-to: Chromium then
    # ignores report-uri and sends its reports up to a minute late.
    "report-uri": ["/csp-report/"],
}
CSP_REPORTS_PER_MINUTE = env_int("CSP_REPORTS_PER_MINUTE", 10)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Nothing frames the site (the admin's related-object popups are windows).
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the site uses, refused to any script in it
# (core.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), "
    "display-capture=(), encrypted-media=(), geolocation=(), gyroscope=(), "
    "hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), "
    "payment=(), serial=(), usb=(), xr-spatial-tracking=()"
)
# RFC 9116 /.well-known/security.txt: where to report a vulnerability.
SECURITY_CONTACT = env_str(
    "SECURITY_CONTACT", f"mailto:security@{SITE_URL.split('://', 1)[-1].split('/')[0]}"
)
_https = SITE_URL.startswith("https://")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A public https site: plain http is redirected (but /healthz/, for checks on
# loopback) and browsers are told to use https only (HSTS). Behind a TLS
# proxy this needs BEHIND_TLS_PROXY, or every request would be redirected.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _https else 0)
# Subdomains and the browsers' preload list only when the operator opts in:
# they bind hosts and a future this site cannot see (so checks W005 and W021,
# which ask for them, are silenced).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
# How many reverse proxies append to X-Forwarded-For in front of the site; the
# reader's address for rate limits is read that many hops from the right.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Django 6.1 mail configuration: EMAIL_URL, or EMAIL_HOST and friends, or by
# default an outbox folder of .eml files under var/outbox.
MAILERS = {"default": mailer_from_env(VAR_DIR / "outbox")}
# Messages per second across all task workers (a provider's limit); 0: no limit.
MAIL_MAX_PER_SECOND = env_int("MAIL_MAX_PER_SECOND", 0)
# Seconds before an email the SMTP server refused or never answered (down,
# 4xx, a timeout: EMAIL_TIMEOUT) is tried again; the third try waits 3x that.
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 300)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# WordPress exports at least this many MiB are read and converted in a second
# process while the import writes to the database; -1: never (importers).
WXR_PARALLEL_MIN_MB = env_int("WXR_PARALLEL_MIN_MB", 8)
URLIZE_ASSUME_HTTPS = True  # Django 6.1 transitional: www.x links become https
