"""Editors: the subscriber list, CSV import and export, a test send."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory
from subscriptions.models import Subscriber

pytestmark = pytest.mark.django_db(transaction=True)
IMPORT = "/admin/subscriptions/subscriber/import/"
EXPORT = "/admin/subscriptions/subscriber/export/"


@pytest.fixture
def desk(client, django_user_model, site_settings):
    client.force_login(
        django_user_model.objects.create_superuser(
            "desk", "desk@example.test", "pw-123456"
        )
    )
    return client


def _upload(desk, content: bytes | str, consent: str = "keep"):
    data = content.encode() if isinstance(content, str) else content
    upload = SimpleUploadedFile("list.csv", data, content_type="text/csv")
    return desk.post(IMPORT, {"file": upload, "consent": consent})


def test_a_mailchimp_export_imports_with_consent_kept_and_a_report(desk, smtp_server):
    Subscriber.objects.create(email="left@example.test", status="unsubscribed")
    Subscriber.objects.create(email="waiting@example.test", status="pending")
    mailchimp = (
        "Email Address,First Name,Last Name,MEMBER_RATING\n"
        "ana@example.test,Ana,R,2\n"
        "LEFT@example.test,Was,Gone,1\n"
        "waiting@example.test,Wai,T,1\n"
        "not-an-address,Bad,Row,1\n"
        "ana@example.test,Ana,Again,2\n"
        '"=HYPERLINK(""http://evil.test"")@x.test",Eve,L,1\n'
        "bot@mailinator.com,Bot,Farm,1\n"
    )
    response = _upload(desk, mailchimp)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Added: 1" in page and "Pending addresses now confirmed: 1" in page
    assert "Already on the list, left as they were: 1" in page
    assert "repeated (first on line 2)" in page and "blocked domain" in page
    assert page.count("not a valid address") == 2
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses == {
        "ana@example.test": "confirmed",
        "left@example.test": "unsubscribed",  # an import never re-subscribes
        "waiting@example.test": "confirmed",
    }
    assert smtp_server.messages == []  # consent kept: nobody is asked again


def test_an_import_without_consent_asks_each_new_address_to_confirm(desk, smtp_server):
    response = _upload(desk, "email\nnew1@example.test\nnew2@example.test\n", "ask")
    assert "Confirmation emails queued: 2" in response.content.decode()
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"pending"}
    got = sorted(to[0] for to, _m in smtp_server.messages)
    assert got == ["new1@example.test", "new2@example.test"]
    assert all("Confirm" in m["Subject"] for _to, m in smtp_server.messages)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"email\nok@example.test\n\xff\xfe broken\n", "Line 3: the file is not UTF-8"),
        ("name,phone\nAna,123\n", "expected a column named"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV file"),
        ("", "The submitted file is empty"),
        ('email\n"unterminated@example.test\n' + "x" * 200_000, "Line"),
    ],
)
def test_broken_files_are_refused_whole_with_the_line_named(desk, content, says):
    response = _upload(desk, content)
    page = response.content.decode()
    assert response.status_code == 400
    assert says in page
    assert not Subscriber.objects.exists()


def test_an_oversized_file_is_refused(desk, monkeypatch):
    from subscriptions import admin as subscriptions_admin

    monkeypatch.setattr(subscriptions_admin, "MAX_IMPORT_BYTES", 1000)
    response = _upload(desk, "email\n" + "a@example.test\n" * 200)
    assert response.status_code == 400
    assert "larger than 25 MB" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_export_gives_the_filtered_list_as_safe_csv(desk):
    naval = CategoryFactory(slug="naval")
    keen = Subscriber.objects.create(email="keen@example.test", status="confirmed",
                                     frequency="weekly")  # fmt: skip
    keen.categories.set([naval])
    Subscriber.objects.create(email="=1+2@example.test", status="confirmed")
    Subscriber.objects.create(email="gone@example.test", status="unsubscribed")
    response = desk.get(EXPORT + "?status__exact=confirmed")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    by_email = {row["email"]: row for row in rows}
    assert sorted(by_email) == ["'=1+2@example.test", "keen@example.test"]
    assert by_email["keen@example.test"]["frequency"] == "weekly"
    assert by_email["keen@example.test"]["sections"] == "naval"
    # And back in: an export imports into another install unchanged.
    Subscriber.objects.all().delete()
    exported = "email\nkeen@example.test\n"
    assert _upload(desk, exported).status_code == 200


def test_the_list_shows_counts_by_status_and_searches(desk):
    Subscriber.objects.create(email="a@example.test", status="confirmed")
    Subscriber.objects.create(email="b@example.test", status="bounced")
    page = desk.get("/admin/subscriptions/subscriber/?q=a%40example").content.decode()
    assert "Confirmed: 1" in page and "Bounced: 1" in page
    assert "a@example.test" in page and "b@example.test" not in page


def test_an_editor_sends_a_test_of_a_draft_to_herself(desk, smtp_server):
    draft = ArticleFactory(
        headline="Draft: new drone wing", status=Article.Status.DRAFT
    )
    page = desk.get("/admin/subscriptions/delivery/test/").content.decode()
    assert 'value="desk@example.test"' in page
    response = desk.post(
        "/admin/subscriptions/delivery/test/",
        {"article": draft.pk, "email": "desk@example.test"},
        follow=True,
    )
    assert "Test sent to desk@example.test" in response.content.decode()
    [(to, message)] = smtp_server.messages
    assert to == ["desk@example.test"]
    assert message["Subject"] == "[Test] Draft: new drone wing"
    assert not Subscriber.objects.exists()  # nobody was added to the list
    injection = {"article": draft.pk, "email": "x@y\r\nBcc: all@z.test"}
    bad = desk.post("/admin/subscriptions/delivery/test/", injection)
    assert bad.status_code == 200 and "Enter a valid email address" in (
        bad.content.decode()
    )
    assert len(smtp_server.messages) == 1


def test_newsletter_settings_are_one_row_in_the_admin(desk):
    page = desk.get("/admin/subscriptions/mailingsettings/", follow=True)
    assert (
        page.status_code == 200
        and "blocked email domains" in page.content.decode().lower()
    )
