"""Every role x every action, each tried with a POST made by hand (what a
page would send, or what it would never offer): the server decides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Category, Tag
from articles.tests.factories import article_form_data
from comments.models import Comment
from comments.tests.factories import CommentFactory
from core.models import SiteSettings
from importers.models import ImportRun
from importers.tests.conftest import fixture_path
from newsroom.models import Role
from subscriptions.models import Subscriber

pytestmark = pytest.mark.django_db
ARTICLES = "/admin/articles/article/"


form_data = article_form_data


def add_story(client, user, story_of, colleague) -> bool:
    response = client.post(
        ARTICLES + "add/",
        form_data(
            story_of(user),  # a template for the fields; a new slug below
            slug="new-story-from-the-desk",
            headline="New story from the desk",
        ),
    )
    created = Article.objects.filter(slug="new-story-from-the-desk").first()
    return response.status_code == 302 and created is not None


def _change(client, article, **changes) -> None:
    client.post(f"{ARTICLES}{article.pk}/change/", form_data(article, **changes))


def change_own(client, user, story_of, colleague) -> bool:
    article = story_of(user)
    _change(client, article, headline="Rewritten headline")
    return Article.objects.get(pk=article.pk).headline == "Rewritten headline"


def change_others(client, user, story_of, colleague) -> bool:
    article = story_of(colleague, Article.Status.PENDING)
    _change(client, article, headline="Rewritten headline")
    return Article.objects.get(pk=article.pk).headline == "Rewritten headline"


def publish_own(client, user, story_of, colleague) -> bool:
    article = story_of(user)
    _change(client, article, status="published")
    return Article.objects.get(pk=article.pk).is_live


def publish_others(client, user, story_of, colleague) -> bool:
    article = story_of(colleague, Article.Status.PENDING)
    _change(client, article, status="published")
    return Article.objects.get(pk=article.pk).is_live


def schedule_own(client, user, story_of, colleague) -> bool:
    article = story_of(user, Article.Status.PENDING)
    later = timezone.now() + dt.timedelta(hours=3)
    _change(
        client,
        article,
        status="scheduled",
        published_at_0=timezone.localtime(later).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(later).strftime("%H:%M:%S"),
    )
    return Article.objects.get(pk=article.pk).status == Article.Status.SCHEDULED


def unpublish_own(client, user, story_of, colleague) -> bool:
    article = story_of(
        user, Article.Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(1)
    )
    client.post(ARTICLES, {"action": "unpublish", "_selected_action": [article.pk]})
    return Article.objects.get(pk=article.pk).status == Article.Status.UNPUBLISHED


def delete_own(client, user, story_of, colleague) -> bool:
    article = story_of(user)
    client.post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"})
    return not Article.objects.filter(pk=article.pk).exists()


def delete_others(client, user, story_of, colleague) -> bool:
    article = story_of(colleague)
    client.post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"})
    return not Article.objects.filter(pk=article.pk).exists()


def moderate_comment(client, user, story_of, colleague) -> bool:
    article = story_of(colleague, Article.Status.PUBLISHED, published_at=None)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    held = Comment.objects.pending().get()
    client.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [held.pk]},
    )
    return Comment.objects.get(pk=held.pk).status == Comment.Status.APPROVED


def manage_categories_and_tags(client, user, story_of, colleague) -> bool:
    client.post(
        "/admin/articles/category/add/",
        {"name": "Cyber Defence", "slug": "cyber-defence", "position": "5"},
    )
    client.post("/admin/articles/tag/add/", {"name": "Drones", "slug": "drones"})
    section = Category.objects.filter(slug="cyber-defence").exists()
    tag = Tag.objects.filter(slug="drones").exists()
    assert section == tag  # both or neither
    return section


def manage_subscribers(client, user, story_of, colleague) -> bool:
    client.post(
        "/admin/subscriptions/subscriber/add/",
        {
            "email": "reader@example.test",
            "status": Subscriber.Status.CONFIRMED,
            "frequency": Subscriber._meta.get_field("frequency").default,
        },
    )
    return Subscriber.objects.filter(email="reader@example.test").exists()


def manage_users(client, user, story_of, colleague) -> bool:
    client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Comer",
            "email": "newcomer@example.test",
            "role": "contributor",
            "usable_password": "true",
            "password1": "another-long-password-9",
            "password2": "another-long-password-9",
        },
    )
    return get_user_model().objects.filter(username="newcomer").exists()


def site_settings_action(client, user, story_of, colleague) -> bool:
    site = SiteSettings.load()
    client.post(
        f"/admin/core/sitesettings/{site.pk}/change/",
        {
            "site_name": "Border Watch",
            "time_zone": "UTC",
            "posts_per_page": "7",
            "feed_items": "20",
        },
    )
    return SiteSettings.objects.get(pk=site.pk).site_name == "Border Watch"


def run_import(client, user, story_of, colleague) -> bool:
    with fixture_path("classic-1.1.xml").open("rb") as upload:
        client.post(
            "/admin/importers/importrun/add/", {"file": upload, "media_dir": ""}
        )
    return ImportRun.objects.exists()


ACTIONS = {
    "add": add_story,
    "change own": change_own,
    "change other's": change_others,
    "publish own": publish_own,
    "schedule own": schedule_own,
    "publish other's": publish_others,
    "unpublish own": unpublish_own,
    "delete own": delete_own,
    "delete other's": delete_others,
    "moderate comment": moderate_comment,
    "manage sections and tags": manage_categories_and_tags,
    "manage subscribers": manage_subscribers,
    "manage accounts": manage_users,
    "site settings": site_settings_action,
    "run import": run_import,
}
WRITER = {"add", "change own", "delete own"}
AUTHOR = WRITER | {"publish own", "schedule own", "unpublish own"}
EDITOR = AUTHOR | {
    "change other's", "publish other's", "delete other's", "moderate comment",
    "manage sections and tags", "manage subscribers",
}  # fmt: skip
ALLOWED = {
    Role.CONTRIBUTOR: WRITER,
    Role.AUTHOR: AUTHOR,
    Role.EDITOR: EDITOR,
    Role.ADMINISTRATOR: set(ACTIONS),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_exactly_what_it_is_allowed(
    role, action, client, make_account, colleague, story_of, site_settings
):
    user = make_account(role)
    client.force_login(user)
    done = ACTIONS[action](client, user, story_of, colleague)
    assert done == (action in ALLOWED[role]), f"{role.label}: {action}"
