"""Preferences (how often, which sections), digests, blocked domains, bounces."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine

from articles.tests.factories import ArticleFactory, CategoryFactory
from lib import mail
from subscriptions.models import (
    Delivery,
    Digest,
    DigestDelivery,
    MailingSettings,
    Subscriber,
)
from subscriptions.tasks import (
    INTERRUPTED,
    fan_out,
    resume_sending,
    send_confirmation,
    send_confirmations,
    send_due_digests,
)

pytestmark = pytest.mark.django_db(transaction=True)
KARACHI = zoneinfo.ZoneInfo("Asia/Karachi")  # UTC+5, the site's time zone here


@pytest.fixture(autouse=True)
def _site(site_settings):
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    return site_settings


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _link(message, kind: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://\S+/subscribe/{kind}/\S+/", text)
    assert match is not None
    return _path(match.group(0))


def test_every_email_links_to_preferences_that_only_a_post_changes(client, smtp_server):
    naval, cyber = CategoryFactory(name="Naval"), CategoryFactory(name="Cyber")
    reader = Subscriber.objects.create(email="r@example.test", status="confirmed")
    fan_out.call(ArticleFactory(category=naval).pk)
    [(_to, message)] = smtp_server.messages
    page = _link(message, "preferences")
    response = client.get(page)
    assert response.status_code == 200
    assert "r@example.test" in response.content.decode()
    reader.refresh_from_db()
    assert reader.frequency == "instant"  # looking changes nothing
    response = client.post(page, {"frequency": "daily", "categories": [cyber.pk]})
    assert "Saved." in response.content.decode()
    reader.refresh_from_db()
    assert reader.frequency == "daily"
    assert list(reader.categories.all()) == [cyber]
    # Nonsense and tampered links get a clear answer and change nothing.
    assert client.post(page, {"frequency": "hourly"}).status_code == 400
    assert client.get(page[:-3] + "xx/").status_code == 400
    reader.refresh_from_db()
    assert reader.frequency == "daily"


def test_a_section_id_too_long_for_the_database_is_refused_not_an_error(client):
    reader = Subscriber.objects.create(email="r@example.test", status="confirmed")
    page = f"/subscribe/preferences/{reader.preferences_token()}/"
    response = client.post(page, {"frequency": "daily", "categories": ["9" * 25]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    reader.refresh_from_db()
    assert reader.frequency == "instant"


def test_instant_mail_goes_only_to_those_who_follow_the_section(smtp_server):
    naval = CategoryFactory(name="Naval")
    submarines = CategoryFactory(name="Submarines", parent=naval)
    cyber = CategoryFactory(name="Cyber")
    everything = Subscriber.objects.create(email="all@example.test", status="confirmed")
    sailor = Subscriber.objects.create(email="navy@example.test", status="confirmed")
    sailor.categories.set([naval])
    hacker = Subscriber.objects.create(email="cyber@example.test", status="confirmed")
    hacker.categories.set([cyber])
    Subscriber.objects.create(
        email="daily@example.test", status="confirmed", frequency="daily"
    )
    fan_out.call(ArticleFactory(category=submarines).pk)
    got = sorted(to[0] for to, _m in smtp_server.messages)
    assert got == sorted([everything.email, sailor.email])


def _digest_world():
    naval, cyber = CategoryFactory(name="Naval"), CategoryFactory(name="Cyber")
    day = dt.datetime(2026, 3, 11, 6, tzinfo=KARACHI)
    ArticleFactory(headline="Frigate sea trials begin", category=naval,
                   published_at=day - dt.timedelta(hours=20))  # fmt: skip
    ArticleFactory(headline="Ransomware hits port", category=cyber,
                   published_at=day - dt.timedelta(hours=2))  # fmt: skip
    ArticleFactory(headline="Too old for the digest", category=naval,
                   published_at=day - dt.timedelta(days=3))  # fmt: skip
    daily = Subscriber.objects.create(
        email="d@example.test", status="confirmed", frequency="daily"
    )
    navy_only = Subscriber.objects.create(
        email="n@example.test", status="confirmed", frequency="daily"
    )
    navy_only.categories.set([naval])
    Subscriber.objects.create(
        email="w@example.test", status="confirmed", frequency="weekly"
    )
    Subscriber.objects.create(email="i@example.test", status="confirmed")
    return daily, navy_only


def test_the_daily_digest_goes_out_at_the_set_local_hour_once(smtp_server):
    daily, navy_only = _digest_world()
    settings = MailingSettings.load()
    settings.digest_hour = 7
    settings.weekly_digest_day = 0  # Monday; 11 March 2026 is a Wednesday
    settings.save()
    with time_machine.travel(dt.datetime(2026, 3, 11, 6, 59, tzinfo=KARACHI)):
        send_due_digests.call()  # yesterday's 07:00 is over 6 hours ago: nothing
    assert smtp_server.messages == []
    with time_machine.travel(dt.datetime(2026, 3, 11, 7, 4, tzinfo=KARACHI)):
        send_due_digests.call()
        send_due_digests.call()  # the clock runs every few minutes
    assert Digest.objects.get().edition == dt.date(2026, 3, 11)
    by_reader = {to[0]: message for to, message in smtp_server.messages}
    assert sorted(by_reader) == [daily.email, navy_only.email]  # no weekly, instant
    full = by_reader[daily.email].get_body(("plain",)).get_content()
    assert "Ransomware hits port" in full and "Frigate sea trials begin" in full
    assert "Too old for the digest" not in full
    assert full.index("Ransomware") < full.index("Frigate")  # newest first
    assert by_reader[daily.email]["Subject"].startswith("Today at Frontline Test Desk")
    assert by_reader[daily.email]["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    naval = by_reader[navy_only.email].get_body(("plain",)).get_content()
    assert "Frigate sea trials begin" in naval and "Ransomware" not in naval
    html = by_reader[daily.email].get_body(("html",)).get_content()
    assert "Email preferences" in html


def test_a_digest_with_nothing_in_a_readers_sections_is_skipped(smtp_server):
    _digest_world()
    quiet = Subscriber.objects.create(
        email="q@example.test", status="confirmed", frequency="weekly"
    )
    quiet.categories.set([CategoryFactory(name="Space")])
    with time_machine.travel(dt.datetime(2026, 3, 16, 7, 30, tzinfo=KARACHI)):
        send_due_digests.call()  # Monday 07:30: the weekly edition
    weekly = Digest.objects.get(frequency="weekly")
    assert (weekly.period_start.date(), weekly.edition) == (
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
    )
    assert sorted(to[0] for to, _m in smtp_server.messages) == ["w@example.test"]
    assert DigestDelivery.objects.get(subscriber=quiet).status == "skipped"


def test_blocked_domains_are_refused_with_a_clear_message(client, smtp_server):
    settings = MailingSettings.load()
    settings.blocked_domains = "# throwaway\nspam-farm.test\n"
    settings.save()
    for address in ("bot@spam-farm.test", "bot@mx.SPAM-FARM.test"):
        response = client.post("/subscribe/send/", {"email": address})
        assert response.status_code == 400
        assert "email domain are not accepted" in response.content.decode()
        assert 'value="' in response.content.decode()  # the address is kept
    assert not Subscriber.objects.exists()
    assert client.post("/subscribe/send/", {"email": "ok@farm.test"}).status_code == 200
    # The default list keeps out well-known throwaway services.
    assert MailingSettings().is_blocked("x@mailinator.com")


def test_an_address_the_server_refuses_is_marked_bounced_and_not_retried(
    smtp_server,
):
    article = ArticleFactory()
    Subscriber.objects.create(email="nobody@example.test", status="confirmed")
    Subscriber.objects.create(email="real@example.test", status="confirmed")
    fan_out.call(article.pk)
    assert [to for to, _m in smtp_server.messages] == [["real@example.test"]]
    refused = Delivery.objects.get(subscriber__email="nobody@example.test")
    assert refused.status == "failed" and refused.error.startswith("550")
    assert Subscriber.objects.get(email="nobody@example.test").status == "bounced"
    # A pending sign-up whose confirmation bounces is marked too.
    pending = Subscriber.objects.create(email="nobody-else@example.test")
    assert send_confirmation.call(pending.pk) is False
    pending.refresh_from_db()
    assert pending.status == "bounced"


def test_emails_abandoned_by_a_dead_worker_are_resumed_or_flagged(smtp_server):
    article = ArticleFactory()
    waiting, caught = [
        Subscriber.objects.create(email=f"{n}@example.test", status="confirmed")
        for n in ("waiting", "caught")
    ]
    long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    Delivery.objects.create(article=article, subscriber=waiting, changed_at=long_ago)
    Delivery.objects.create(
        article=article, subscriber=caught, status="sending", changed_at=long_ago
    )
    assert resume_sending.call() == 1
    assert [to for to, _m in smtp_server.messages] == [["waiting@example.test"]]
    flagged = Delivery.objects.get(subscriber=caught)
    assert (flagged.status, flagged.error) == ("failed", INTERRUPTED)


def test_the_sending_rate_is_kept_across_calls(settings, monkeypatch):
    settings.MAIL_MAX_PER_SECOND = 2
    clock = {"now": 1_000_000.25}
    naps = []
    monkeypatch.setattr(mail.time, "time", lambda: clock["now"])

    def sleep(seconds):
        naps.append(seconds)
        clock["now"] += seconds

    monkeypatch.setattr(mail.time, "sleep", sleep)
    for _ in range(5):
        mail.pace()
    assert len(naps) == 2  # messages 3 and 5 waited for the next second
    assert int(clock["now"]) == 1_000_002


def test_confirmations_an_import_asked_for_wait_for_the_mail_server(
    mail_server_down,
):
    """The batch of confirmations an import sends: with the SMTP server
    down, each not sent yet is tried again on its own and arrives once."""
    imported = [
        Subscriber.objects.create(email=f"reader{i}@example.test") for i in range(3)
    ]
    assert send_confirmations.call([s.pk for s in imported]) == 0
    assert mail_server_down.inbox.messages == []
    mail_server_down.back()
    mail_server_down.work(wait=1.2)  # MAIL_RETRY_SECONDS
    mail_server_down.work()  # nothing sent twice
    received = sorted(to[0] for to, _m in mail_server_down.inbox.messages)
    assert received == [f"reader{i}@example.test" for i in range(3)]
