"""The Content-Security-Policy in Debian's Chromium: every kind of page of the
site, the reader's and the admin's, runs under the strict policy with no
violation. Violations are caught three ways: the reports the browser posts to
the policy's report-uri (core.views.csp_report logs them), the page's own
`securitypolicyviolation` events, and the console's CSP messages."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from subscriptions.models import Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
#: Recorded in every page before its own scripts run (Playwright's init
#: scripts are not subject to the page's policy).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI}`
                      + ` at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watch:
    """Collects the violations of one browser page, in the three ways."""

    def __init__(self, page, caplog) -> None:
        self.page, self.caplog = page, caplog
        self.console: list[str] = []
        self.events: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.console.append(f"{self.page.url}: {text}")

    def visit(self, url: str, *, status: int = 200) -> None:
        response = self.page.goto(url)
        assert response is not None
        assert response.status == status, url
        self.check_policy(response.headers.get("content-security-policy", ""), url)
        self.collect()

    @staticmethod
    def check_policy(policy: str, url: str) -> None:
        """The page was served under the strict policy (so no violation is not
        just no policy)."""
        assert "script-src 'self';" in policy, url
        assert "style-src 'self';" in policy, url
        assert "unsafe" not in policy, url
        assert "report-uri /csp-report/" in policy, url

    def collect(self) -> None:
        self.page.wait_for_load_state("load")
        found = self.page.evaluate("window.__csp || []")
        self.events += [f"{self.page.url}: {event}" for event in found]

    def reports(self) -> list[str]:
        return [r.getMessage() for r in self.caplog.records if r.name == "newshub.csp"]

    def assert_none(self) -> None:
        time.sleep(1)  # reports are posted after the page, by the browser
        assert self.events == []
        assert self.console == []
        assert self.reports() == []


@pytest.fixture
def watch(browser, caplog, settings):
    settings.CSP_REPORTS_PER_MINUTE = 0  # log every report the test causes
    caplog.set_level("WARNING", logger="newshub.csp")
    page = browser.new_page()
    yield Watch(page, caplog)
    page.close()


@pytest.fixture
def newsroom(site_settings):
    call_command("seed_demo", articles=12, comments=30, stdout=io.StringIO())
    FlatPage.objects.create(
        url="/about/", title="About us", content="<p>Who we are.</p>"
    ).sites.add(Site.objects.get_current())
    return list(Article.objects.published().for_page().newest_first())


def test_a_blocked_inline_script_is_reported_to_the_report_endpoint(
    live_server, newsroom, watch
):
    """The way violations are collected works: an inline script a page tried
    to run is blocked, and shows in all three places."""
    watch.visit(live_server.url + "/")
    watch.page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true";
                   document.body.append(s); }"""
    )
    assert watch.page.evaluate("window.ran === undefined")
    deadline = time.monotonic() + 10
    while not watch.reports() and time.monotonic() < deadline:
        time.sleep(0.1)
    watch.collect()
    [report] = watch.reports()
    assert "script-src" in report and "inline" in report
    assert any("script-src" in event for event in watch.events)
    assert any("inline script" in line for line in watch.console)


def test_every_reader_page_runs_without_a_policy_violation(
    live_server, newsroom, watch
):
    article = newsroom[0]
    base = live_server.url
    published = timezone.localtime(article.published_at)
    tag = article.tags.first()
    pages = [
        "/",
        article.get_absolute_url(),
        article.category.get_absolute_url(),
        article.author.get_absolute_url(),
        f"/{published:%Y}/{published:%m}/",
        "/page/2/",
        "/search/?s=" + article.headline.split()[0],
        "/search/?s=zzqxnothingmatches",
        "/search/?s=a&order=newest&date_from=2001-01-01",
        "/about/",
        "/subscribe/",
        "/.well-known/security.txt",
    ]
    if tag is not None:
        pages.append(tag.get_absolute_url())
    for path in pages:
        watch.visit(base + path)
    watch.visit(base + "/no/such/page/", status=404)
    watch.visit(base + "/subscribe/confirm/forged-token/", status=400)

    # Feeds are XML documents, shown by the browser's own viewer.
    watch.visit(base + "/feed/")
    watch.visit(base + article.get_absolute_url() + "feed/")

    # The comment form sent back with its errors, then the subscription path.
    watch.visit(base + article.get_absolute_url())
    watch.page.fill("#comment-body", "Too quick to be a person.")
    watch.page.fill("#comment-name", "Quick")
    # An address the browser takes and the server refuses (no dot).
    watch.page.fill("#comment-email", "quick@example")
    with watch.page.expect_navigation():
        watch.page.locator(".comment-form button[type=submit]").click()
    assert watch.page.locator("#comment-email-error").is_visible()
    watch.collect()
    watch.visit(base + "/subscribe/")
    watch.page.fill("#subscribe-email", "csp-reader@example.test")
    with watch.page.expect_navigation():
        watch.page.locator(".subscribe-box button[type=submit]").click()
    watch.collect()
    subscriber = Subscriber.objects.get(email="csp-reader@example.test")
    watch.visit(base + f"/subscribe/confirm/{subscriber.confirm_token()}/")
    watch.visit(base + f"/subscribe/preferences/{subscriber.preferences_token()}/")
    watch.visit(base + f"/subscribe/stop/{subscriber.unsubscribe_token()}/")
    watch.assert_none()


def _nginx_503_policy() -> str:
    """The policy deploy/nginx.conf sends with its branded 503 page."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    location = conf.split("location = /503.html", 1)[1].split("}", 1)[0]
    match = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', location)
    assert match is not None
    return match[1]


def test_the_proxys_503_page_runs_without_a_policy_violation(
    live_server, site_settings, watch, tmp_path
):
    """The page nginx serves when no web worker answers, with nginx's headers
    (its stylesheet comes from the site)."""
    call_command("error_pages", str(tmp_path), stdout=io.StringIO())
    html = (tmp_path / "503.html").read_text()
    policy = _nginx_503_policy()
    assert "script-src 'self';" in policy and "unsafe" not in policy
    url = live_server.url + "/busy/"
    watch.page.route(
        url,
        lambda route: route.fulfill(
            status=503,
            body=html,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Content-Security-Policy": policy,
            },
        ),
    )
    watch.page.goto(url)
    watch.collect()
    heading = watch.page.locator("h1").inner_text()
    assert heading == "This page is not available right now"
    # The site's stylesheet loaded under the policy.
    rules = watch.page.evaluate("document.styleSheets[0].cssRules.length")
    assert rules > 10
    watch.assert_none()


def test_the_admin_runs_without_a_policy_violation(
    live_server, newsroom, watch, django_user_model
):
    django_user_model.objects.create_superuser(
        "chief", "chief@example.test", "a-long-test-password"
    )
    base = live_server.url
    watch.visit(base + "/admin/login/")
    watch.page.fill("#id_username", "chief")
    watch.page.fill("#id_password", "a-long-test-password")
    with watch.page.expect_navigation():
        watch.page.locator("input[type=submit]").click()
    watch.collect()
    article = newsroom[0]
    comment = Comment.objects.filter(article__isnull=False).first()
    assert comment is not None
    subscriber = Subscriber.objects.create(email="admin-view@example.test")
    pages = [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/?q=a&status__exact=published",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/category/add/?_to_field=id&_popup=1",
        "/admin/comments/comment/",
        f"/admin/comments/comment/{comment.pk}/change/",
        f"/admin/subscriptions/subscriber/{subscriber.pk}/change/",
        "/admin/audience/dailyreads/",
        "/admin/flatpages/flatpage/add/",
        "/admin/auth/user/add/",
    ]
    for path in pages:
        watch.visit(base + path)

    # The widgets that build markup in the browser: the autocomplete
    # (select2), the calendar, the two-list selector, the action bar.
    watch.visit(base + f"/admin/articles/article/{article.pk}/change/")
    watch.page.locator(".select2-selection").first.click()
    watch.page.wait_for_selector(".select2-results__option")
    watch.page.keyboard.press("Escape")
    watch.page.locator("[id^=calendarlink]").first.click()
    watch.page.wait_for_selector(".calendarbox >> visible=true")
    watch.collect()
    watch.visit(base + "/admin/articles/article/")
    watch.page.locator("input.action-select").first.check()
    watch.collect()
    watch.assert_none()
