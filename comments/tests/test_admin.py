from __future__ import annotations

import json

import pytest

from comments.models import Comment
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def admin_client(client, django_user_model, site_settings):
    user = django_user_model.objects.create_superuser(
        "chief", "chief@example.test", "a-long-test-password", first_name="Chief"
    )
    client.force_login(user)
    return client


def test_the_queue_filters_by_status_and_shows_counts(admin_client, published_article):
    CommentFactory(
        article=published_article,
        status=Comment.Status.PENDING,
        body="Held remark about radars",
    )
    CommentFactory(
        article=published_article,
        status=Comment.Status.SPAM,
        body="Spam remark about pills",
    )
    CommentFactory(article=published_article, body="Approved remark about ships")
    html = admin_client.get(CHANGELIST + "?status__exact=pending").content.decode()
    assert "Held remark about radars" in html
    assert "Spam remark" not in html and "Approved remark" not in html
    assert "Pending (1)" in html and "Spam (1)" in html and "Approved (1)" in html
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Comments awaiting moderation" in dashboard


def test_bulk_actions_approve_spam_and_trash(admin_client, published_article):
    held = [
        CommentFactory(article=published_article, status=Comment.Status.PENDING)
        for _ in range(3)
    ]
    response = admin_client.post(
        CHANGELIST,
        {"action": "approve", "_selected_action": [c.pk for c in held[:2]]},
    )
    assert response.status_code == 302
    statuses = [Comment.objects.get(pk=c.pk).status for c in held]
    assert statuses == ["approved", "approved", "pending"]
    published_article.refresh_from_db()
    assert published_article.comment_count == 2
    admin_client.post(
        CHANGELIST, {"action": "mark_spam", "_selected_action": [held[2].pk]}
    )
    admin_client.post(
        CHANGELIST, {"action": "move_to_trash", "_selected_action": [held[0].pk]}
    )
    assert Comment.objects.get(pk=held[2].pk).status == "spam"
    assert Comment.objects.get(pk=held[0].pk).status == "trash"
    published_article.refresh_from_db()
    assert published_article.comment_count == 1


def test_an_editor_replies_from_the_admin(admin_client, published_article):
    question = CommentFactory(article=published_article, body="Which shipyard?")
    form = admin_client.get(
        f"/admin/comments/comment/add/?parent={question.pk}&article={published_article.pk}"
    ).content.decode()
    assert "Chief" in form
    response = admin_client.post(
        "/admin/comments/comment/add/",
        {
            "article": published_article.pk,
            "parent": question.pk,
            "author_name": "Chief",
            "author_email": "chief@example.test",
            "body": "The northern yard, as the article says.",
            "status": "approved",
            "created_at_0": "2026-11-25",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    reply = Comment.objects.get(body__startswith="The northern yard")
    assert reply.parent == question and reply.is_public and reply.user is not None
    html = admin_client.get(published_article.get_absolute_url() + "?x").content
    assert b"The northern yard" in html


def test_the_privacy_tools_export_and_erase_a_commenters_data(
    admin_client, published_article
):
    CommentFactory(
        article=published_article,
        author_name="Ines Duarte",
        author_email="Ines@Example.test",
        author_url="https://ines.example.test",
        ip_address="198.51.100.7",
        body="My remark",
    )
    CommentFactory(article=published_article, author_email="other@example.test")
    url = "/admin/comments/comment/privacy/"
    assert admin_client.get(url).status_code == 200
    export = admin_client.post(url, {"email": "ines@example.test", "export": "1"})
    data = json.loads(export.content)
    assert [c["comment"] for c in data["comments"]] == ["My remark"]
    assert data["comments"][0]["ip_address"] == "198.51.100.7"
    admin_client.post(url, {"email": "ines@example.test", "erase": "1"})
    erased = Comment.objects.get(body="My remark")
    assert (erased.author_name, erased.author_email, erased.author_url) == (
        "Anonymous", "", "")  # fmt: skip
    assert erased.ip_address is None
    assert Comment.objects.filter(author_email="other@example.test").exists()
    bad = admin_client.post(url, {"email": "not an email", "erase": "1"})
    assert (
        bad.status_code == 200 and "Enter a valid email address" in bad.content.decode()
    )


def test_readers_cannot_reach_the_privacy_tools(client, published_article):
    response = client.get("/admin/comments/comment/privacy/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _edit(admin_client, comment: Comment, body: str):
    return admin_client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {
            "article": comment.article_id,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "body": body,
            "status": "approved",
        },
    )


def test_editing_an_imported_comment_keeps_its_markup_and_still_sanitises(
    admin_client, published_article
):
    imported = CommentFactory(
        article=published_article,
        body="<p>As <strong>reported</strong> before.</p>",
        body_format=Comment.Format.HTML,
    )
    typed = CommentFactory(article=published_article, body="I like <b>tags</b>.")
    response = _edit(
        admin_client,
        imported,
        '<p>As <strong>reported</strong> on <a href="https://example.test/a">'
        "the wire</a>.</p><script>alert(1)</script>",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _edit(admin_client, typed, "I like <b>tags</b> a lot.").status_code == 302
    html = admin_client.get(published_article.get_absolute_url() + "?x").content
    assert b"As <strong>reported</strong> on" in html
    assert b'href="https://example.test/a"' in html
    assert b"<script>alert(1)" not in html
    assert b"I like &lt;b&gt;tags&lt;/b&gt; a lot." in html  # typed text stays text
