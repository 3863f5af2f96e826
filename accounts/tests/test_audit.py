"""The audit log: what staff did, who, when, from where; readable by
administrators only, and never a way to inject markup."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import AuditEntry
from accounts.tests.conftest import sign_in
from articles.models import Article
from articles.tasks import publish_due_articles
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


@pytest.fixture
def chief_client(client, chief):
    client.force_login(chief)
    return client


def act(client, action, *objects, url="/admin/articles/article/"):
    return client.post(
        url,
        {"action": action, "index": 0, "_selected_action": [o.pk for o in objects]},
        REMOTE_ADDR="192.0.2.44",
    )


def test_publishing_and_unpublishing_in_the_admin_are_logged(chief_client, chief):
    draft = ArticleFactory(status=Article.Status.DRAFT, headline="Dockyard strike")
    act(chief_client, "make_published", draft)
    act(chief_client, "unpublish", draft)
    published, unpublished = (
        entries("article_published"),
        entries("article_unpublished"),
    )
    assert len(published) == 1 and len(unpublished) == 1
    assert published[0].actor == chief and published[0].address == "192.0.2.44"
    assert published[0].object_repr == "Dockyard strike"
    assert unpublished[0].details == {"status": ["published", "unpublished"]}


def test_a_scheduled_article_going_live_is_logged_as_the_schedules(db):
    import datetime as dt

    from django.utils import timezone

    ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(minutes=1),
    )
    publish_due_articles.call()
    (entry,) = entries("article_published")
    assert entry.actor is None and entry.details == {"by": "schedule"}


def test_deleting_an_article_is_logged(chief_client, chief):
    article = ArticleFactory(headline="Retracted story")
    response = chief_client.post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    (entry,) = entries("article_deleted")
    assert entry.actor == chief and entry.object_repr == "Retracted story"


def test_account_group_and_permission_changes_are_logged(chief_client, staff):
    staff.is_superuser = True
    staff.save()
    desk = Group.objects.create(name="Night desk")
    staff.groups.add(desk)
    desk.permissions.add(Permission.objects.get(codename="change_article"))
    (changed,) = entries("user_changed")
    assert changed.details == {"is_superuser": [False, True]}
    assert entries("groups_changed")[0].details == {
        "change": "add",
        "groups": ["Night desk"],
    }
    assert "change article" in str(entries("permissions_changed")[0].details)
    assert entries("group_changed")[0].object_repr == "Night desk"


def test_site_settings_changes_are_logged_with_before_and_after(
    chief_client, chief, site_settings
):
    response = chief_client.post(
        "/admin/core/sitesettings/1/change/",
        {
            "site_name": "Harbour Watch",
            "tagline": site_settings.tagline,
            "time_zone": "UTC",
            "posts_per_page": 5,
            "feed_items": 20,
        },
    )
    assert response.status_code == 302
    (entry,) = AuditEntry.objects.filter(action="settings_changed", actor=chief)
    assert entry.details["site_name"] == ["Frontline Test Desk", "Harbour Watch"]
    assert "tagline" not in entry.details


def test_a_wordpress_import_is_logged(chief_client, chief):
    from django.core.files.base import ContentFile

    from importers.models import ImportRun

    run = ImportRun(created_by=chief, dry_run=True)
    run.file.save("site.xml", ContentFile(b"<rss/>"), save=False)
    run.save()
    (entry,) = entries("import_started")
    assert entry.details["dry_run"] is True


def test_a_subscriber_export_is_logged_with_its_filters(chief_client, chief):
    response = chief_client.get(
        "/admin/subscriptions/subscriber/export/?status__exact=confirmed"
    )
    assert response.status_code == 200
    (entry,) = entries("subscribers_exported")
    assert entry.actor == chief
    assert entry.details == {"filters": {"status__exact": "confirmed"}}


def test_sign_ins_sign_outs_and_failures_are_logged(client, staff):
    sign_in(client, password="not-it")
    sign_in(client)
    client.post("/admin/logout/")
    actions = [e.action for e in AuditEntry.objects.order_by("id")]
    assert actions[-3:] == ["login_failed", "login", "logout"]


def test_only_administrators_read_the_audit_log(client, chief, staff):
    staff.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(staff)
    assert client.get("/admin/accounts/auditentry/").status_code == 403
    client.force_login(chief)
    assert (
        client.get("/admin/accounts/auditentry/?action__exact=login").status_code == 200
    )
    # Read-only, even for them.
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403
    entry = AuditEntry.objects.first()
    page = client.get(f"/admin/accounts/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
    )


def test_a_hostile_username_is_shown_escaped(client, chief):
    evil = '<img src=x onerror="alert(1)">'
    sign_in(client, evil, "guess")
    client.force_login(chief)
    html = client.get("/admin/accounts/auditentry/").content.decode()
    assert evil not in html and "&lt;img src=x onerror=" in html
    entry = AuditEntry.objects.get(action="login_failed")
    html = client.get(f"/admin/accounts/auditentry/{entry.pk}/change/").content.decode()
    assert evil not in html
