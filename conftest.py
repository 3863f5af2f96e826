"""Shared test setup: a clean cache, a temporary media folder, and the actors."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches

from articles.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from lib import fragments, pagecache


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
    settings.MAILERS = {
        "default": {
            "BACKEND": "lib.outbox.OutboxBackend",
            "OPTIONS": {"path": tmp_path / "outbox"},
        }
    }
    if "FileBasedCache" in settings.CACHES["default"]["BACKEND"]:
        # Not the cache of a site running from this checkout (make run).
        settings.CACHES = {
            "default": {
                **settings.CACHES["default"],
                "LOCATION": str(tmp_path / "cache"),
            },
            "fragments": {
                **settings.CACHES["fragments"],
                "LOCATION": str(tmp_path / "fragments"),
            },
        }
    settings.AUDIENCE_SPOOL = tmp_path / "audience" / "reads"
    if settings.PAGE_CACHE_TAGS_DIR:
        settings.PAGE_CACHE_TAGS_DIR = tmp_path / "cache-tags"
    pagecache.forget()
    fragments.forget()
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()


@pytest.fixture
def site_settings(db):
    from core.models import SiteSettings

    site = SiteSettings.load()
    site.site_name = "Frontline Test Desk"
    site.tagline = "Defense News Hub, Military Updates, Security Insights"
    site.time_zone = "UTC"
    site.posts_per_page = 5
    site.save()
    return site


@pytest.fixture
def public_site(site_settings, settings):
    """The site at a public https address: links in feeds, sitemaps and
    structured data are absolute (lib.testing.PUBLIC_URL)."""
    from lib.testing import PUBLIC_URL

    settings.SITE_URL = PUBLIC_URL
    return site_settings


@pytest.fixture
def category(db):
    return CategoryFactory(name="Naval Affairs", slug="naval-affairs")


@pytest.fixture
def author(db):
    return AuthorFactory(
        display_name="Amina Rauf",
        slug="amina-rauf",
        role_line="Special Correspondent",
        location="Lahore",
    )


@pytest.fixture
def published_article(db, category, author):
    return ArticleFactory(category=category, author=author)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.test", "a-long-test-password", is_staff=True
    )


class _Inbox:
    """Messages a real SMTP server on loopback received."""

    def __init__(self):
        self.messages: list = []
        self.busy: set[str] = set()  # mailboxes refused for now (4xx)

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        """Like a real server, refuse mailboxes that do not exist, and for now
        those it cannot take yet."""
        if address.startswith("nobody"):
            return "550 5.1.1 No such mailbox here"
        if address in self.busy:
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.content, policy=default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that the site sends mail to."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield inbox
    controller.stop()


@pytest.fixture
def mail_server_down(settings, smtp_server):
    """The site's mail goes to a port where nothing listens (connection
    refused) and to a task queue that keeps what is due later (the database
    queue; retries after MAIL_RETRY_SECONDS = 1). Returns what brings the
    server back, and `work()`, one run of the task worker."""
    import socket
    import time
    from types import SimpleNamespace

    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAIL_RETRY_SECONDS = 1
    working = settings.MAILERS
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }

    def back() -> None:
        settings.MAILERS = working

    def work(wait: float = 0) -> None:
        time.sleep(wait)  # for a retry to fall due
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return SimpleNamespace(back=back, work=work, inbox=smtp_server)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (no browser download)."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls in the test body are still synchronous and safe.
    import os

    from lib.testing import CHROMIUM, CHROMIUM_ARGS

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
