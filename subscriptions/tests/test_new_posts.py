"""New-post emails: one per confirmed subscriber and post, over real SMTP."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.tasks import publish_due_articles
from articles.tests.factories import ArticleFactory
from subscriptions.models import Delivery, Subscriber
from subscriptions.tasks import fan_out, send_batch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_settings"),
]


def _subscribers(n: int, status: str = "confirmed") -> list[Subscriber]:
    return Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"s{i}-{status}@example.test", status=status)
            for i in range(n)
        ]
    )


def test_publishing_emails_every_confirmed_subscriber_once(client, smtp_server):
    _subscribers(3)
    _subscribers(2, "pending")
    _subscribers(1, "unsubscribed")
    scheduled = ArticleFactory(
        headline="Navy confirms frigate order",
        status=Article.Status.SCHEDULED,
        featured_image=None,
    )
    publish_due_articles.call()  # its time has come: published, then announced
    scheduled.refresh_from_db()
    assert sorted(to[0] for to, _m in smtp_server.messages) == [
        f"s{i}-confirmed@example.test" for i in range(3)]  # fmt: skip
    _to, message = smtp_server.messages[0]
    assert message["Subject"] == "Navy confirms frigate order"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = message["List-Unsubscribe"].strip("<>")
    assert one_click.startswith("http://127.0.0.1:8000/subscribe/one-click/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert scheduled.get_absolute_url() in text and "Unsubscribe:" in text
    assert "Read the full story" in html
    # The mail provider's one-click POST needs no CSRF token and acts at once.
    path = "/" + one_click.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Subscriber.objects.filter(status="unsubscribed").count() == 2
    # Running the fan-out again sends nothing new.
    fan_out.call(scheduled.pk)
    assert len(smtp_server.messages) == 3
    assert Delivery.objects.filter(status="sent").count() == 3


def test_an_smtp_refusal_is_recorded_and_the_rest_still_go(smtp_server, settings):
    article = ArticleFactory()
    _subscribers(2)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    fan_out.call(article.pk)  # nothing listens on port 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"queued"}
    assert Delivery.objects.filter(attempts=1).exclude(error="").count() == 2


def test_an_unpublished_post_is_not_sent(smtp_server):
    article = ArticleFactory()
    _subscribers(2)
    Delivery.objects.bulk_create(
        [Delivery(article=article, subscriber=s) for s in Subscriber.objects.all()]
    )
    article.status = Article.Status.DRAFT
    article.save()
    assert (
        send_batch.call(
            article.pk, list(Subscriber.objects.values_list("pk", flat=True))
        )
        == 0
    )
    assert smtp_server.messages == []


def test_a_worker_killed_mid_fan_out_resumes_and_sends_each_email_once(
    settings, smtp_server
):
    """2,000 subscribers, the database task backend and real db_worker runs:
    the first worker stops after a few batches (as if killed), a second one
    finishes; every subscriber gets exactly one email."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"r{i}@example.test", status="confirmed")
            for i in range(2000)
        ]
    )
    article = ArticleFactory()
    fan_out.enqueue(article.pk)
    # Worker 1 runs the fan-out and 3 of the 10 sending tasks, then dies.
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "4",
                 verbosity=0)  # fmt: skip
    sent_first = len(smtp_server.messages)
    assert 0 < sent_first < 2000
    # Worker 2 picks up what is left.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    recipients = [to[0] for to, _m in smtp_server.messages]
    assert len(recipients) == 2000
    assert len(set(recipients)) == 2000
    assert Delivery.objects.filter(status="sent").count() == 2000


def test_publishing_in_the_admin_announces_the_post_once(
    client, django_user_model, smtp_server, category, author
):
    _subscribers(2)
    client.force_login(
        django_user_model.objects.create_superuser(
            "desk", "d@example.test", "pw-123456"
        )
    )
    form = {
        "headline": "Coast guard buys patrol boats",
        "slug": "coast-guard-buys-patrol-boats",
        "status": "draft",
        "category": category.pk,
        "author": author.pk,
    }
    client.post("/admin/articles/article/add/", form)
    assert smtp_server.messages == []  # a draft announces nothing
    article = Article.objects.get()
    change = f"/admin/articles/article/{article.pk}/change/"
    client.post(change, form | {"status": "published"})
    client.post(change, form | {"status": "published", "headline": "Edited"})
    assert len(smtp_server.messages) == 2  # once per subscriber, not per save


def test_the_sending_log_shows_each_delivery_and_can_send_again(
    client, django_user_model, smtp_server
):
    article = ArticleFactory(headline="Radar upgrade")
    [ok, broken] = _subscribers(2)
    Delivery.objects.create(article=article, subscriber=ok, status="sent")
    stuck = Delivery.objects.create(
        article=article, subscriber=broken, status="failed", error="550 mailbox"
    )
    client.force_login(
        django_user_model.objects.create_superuser(
            "desk", "d@example.test", "pw-123456"
        )
    )
    page = client.get("/admin/subscriptions/delivery/").content.decode()
    assert "Sent: 1" in page and "Failed: 1" in page and "550 mailbox" in page
    client.post(
        "/admin/subscriptions/delivery/",
        {"action": "send_again", "_selected_action": [stuck.pk]},
    )
    stuck.refresh_from_db()
    assert stuck.status == "sent"
    assert [to for to, _m in smtp_server.messages] == [[broken.email]]
