"""Sign-up with double opt-in; mail read from a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import signing
from django.test import Client

from subscriptions.models import CONFIRM_SALT, Subscriber

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_settings"),
]
SEND = "/subscribe/send/"


def _confirm_path(message) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S+/subscribe/confirm/\S+/", text)
    assert match is not None
    url = match.group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_subscribing_sends_a_confirmation_and_only_the_button_confirms(
    client, smtp_server
):
    response = client.post(SEND, {"email": "Reader@Example.test"})
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("reader@example.test", "pending")
    [(to, message)] = smtp_server.messages
    assert to == ["reader@example.test"]
    assert "Confirm your subscription to Frontline Test Desk" == message["Subject"]
    assert message.get_body(("html",)) is not None
    path = _confirm_path(message)
    page = client.get(path)  # a mail scanner following the link
    assert "Confirm my subscription" in page.content.decode()
    assert Subscriber.objects.get().status == "pending"
    done = client.post(path)
    assert "You are subscribed" in done.content.decode()
    assert Subscriber.objects.get().status == "confirmed"


def test_the_answer_is_the_same_for_new_pending_and_confirmed_addresses(
    client, smtp_server
):
    Subscriber.objects.create(email="known@example.test", status="confirmed")
    Subscriber.objects.create(email="waiting@example.test")
    bodies = {
        email: client.post(SEND, {"email": email}).content
        for email in ("new@example.test", "known@example.test", "waiting@example.test")
    }
    assert len(set(bodies.values())) == 1
    assert Subscriber.objects.get(email="known@example.test").status == "confirmed"
    assert sorted(to[0] for to, _m in smtp_server.messages) == [
        "new@example.test", "waiting@example.test"]  # fmt: skip


def test_duplicate_submissions_make_one_subscriber_and_one_email(client, smtp_server):
    for _ in range(3):
        client.post(SEND, {"email": "twice@example.test"})
    assert Subscriber.objects.filter(email="twice@example.test").count() == 1
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(
    "email",
    ["", "not-an-address", "a@b", "x" * 300 + "@example.test",
     "evil@example.test\r\nBcc: victim@example.test", "<script>@x.test"],
)  # fmt: skip
def test_bad_addresses_get_a_clear_message_and_nothing_is_stored(
    client, smtp_server, email
):
    response = client.post(SEND, {"email": email})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please enter" in html
    assert "<script>@" not in html
    assert Subscriber.objects.count() == 0 and smtp_server.messages == []


def test_the_honeypot_pretends_to_succeed_and_stores_nothing(client, smtp_server):
    response = client.post(SEND, {"email": "bot@example.test", "website_hp": "x"})
    assert "Check your inbox" in response.content.decode()
    assert Subscriber.objects.count() == 0 and smtp_server.messages == []


def test_a_flood_from_one_address_is_limited(client, smtp_server):
    codes = [
        client.post(SEND, {"email": f"r{i}@example.test"}).status_code
        for i in range(12)
    ]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    assert Subscriber.objects.count() == 10


def test_tampered_or_expired_links_are_refused(client):
    subscriber = Subscriber.objects.create(email="late@example.test")
    token = subscriber.confirm_token()
    assert client.get(f"/subscribe/confirm/{token}x/").status_code == 400
    old = signing.TimestampSigner(salt=CONFIRM_SALT)
    with time_machine.travel("2020-01-01"):
        stale = old.sign(str(subscriber.pk))
    response = client.post(f"/subscribe/confirm/{stale}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def test_unsubscribing_takes_a_click_on_the_page_and_works_at_once(client):
    subscriber = Subscriber.objects.create(email="bye@example.test", status="confirmed")
    path = f"/subscribe/stop/{subscriber.unsubscribe_token()}/"
    assert "Stop these emails?" in client.get(path).content.decode()
    assert Subscriber.objects.get().status == "confirmed"
    client.post(path)
    assert Subscriber.objects.get().status == "unsubscribed"


def test_the_box_on_an_article_posts_to_the_sign_up(published_article, smtp_server):
    page = Client().get(published_article.get_absolute_url()).content.decode()
    assert 'action="/subscribe/send/"' in page
    strict = Client(enforce_csrf_checks=True)
    token = strict.get("/csrf/").json()["token"]
    response = strict.post(SEND, {"email": "box@example.test",
                                  "csrfmiddlewaretoken": token})  # fmt: skip
    assert response.status_code == 200
    assert Subscriber.objects.filter(email="box@example.test").exists()


def test_the_home_page_carries_the_box_too(published_article):
    page = Client().get("/").content.decode()
    assert "Discover more from Frontline Test Desk" in page
    assert 'action="/subscribe/send/"' in page
