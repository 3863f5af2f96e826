"""Corrections and update notes in the article admin (editors only, checked
on the server), and the "Updated" time that a minor edit leaves alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, Correction
from articles.tests.factories import ArticleFactory, article_form_data
from newsroom import services
from newsroom.models import Role

pytestmark = pytest.mark.django_db
ARTICLES = "/admin/articles/article/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(django_user_model):
    """login(role): a client signed in with an account of that role."""

    def make(role: Role) -> tuple[Client, object]:
        user = django_user_model.objects.create_user(
            role.value, f"{role.value}@example.test", "a-long-test-password"
        )
        services.set_role(user, role)
        services.ensure_byline(user)
        client = Client()
        client.force_login(user)
        return client, user

    return make


@pytest.fixture
def story(category):
    return ArticleFactory(
        category=category,
        headline="Navy signs for four frigates",
        published_at=timezone.now() - dt.timedelta(days=1),
    )


def form_data(article: Article, notes=(), **changes) -> dict:
    """What the article form posts: the story's fields, then its notes."""
    data = article_form_data(article) | {
        "corrections-TOTAL_FORMS": str(len(notes)),
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    now = timezone.localtime()
    for n, note in enumerate(notes):
        data |= {
            f"corrections-{n}-kind": note.get("kind", "correction"),
            f"corrections-{n}-text": note["text"],
            f"corrections-{n}-published_at_0": note.get("day", f"{now:%Y-%m-%d}"),
            f"corrections-{n}-published_at_1": f"{now:%H:%M:%S}",
            f"corrections-{n}-article": str(article.pk),
        }
    return data | changes


WRONG_COUNT = "An earlier version said six frigates; the order is for four."


def test_an_editor_adds_a_correction_to_a_published_story(login, story):
    client, _ = login(Role.EDITOR)
    response = client.post(
        f"{ARTICLES}{story.pk}/change/", form_data(story, [{"text": WRONG_COUNT}])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [note] = story.corrections.all()
    assert note.kind == Correction.Kind.CORRECTION and note.text == WRONG_COUNT
    story.refresh_from_db()
    assert story.was_updated  # a note is a change of substance
    page = client.get(f"{ARTICLES}{story.pk}/change/").content.decode()
    assert WRONG_COUNT in page  # listed in the form with the story


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUTHOR])
def test_a_writer_cannot_add_a_correction_even_with_a_crafted_post(
    login, category, role
):
    client, user = login(role)
    # Their own story, published (a contributor's was published by an editor).
    story = ArticleFactory(category=category, author=user.author_profile)
    page = client.get(f"{ARTICLES}{story.pk}/change/").content.decode()
    # The form offers no note to add (the admin's script shows no button).
    assert 'name="corrections-MAX_NUM_FORMS" value="0"' in page
    response = client.post(
        f"{ARTICLES}{story.pk}/change/", form_data(story, [{"text": WRONG_COUNT}])
    )
    assert response.status_code == 403
    assert not Correction.objects.exists()


def test_a_writer_sees_the_notes_on_their_story_but_cannot_delete_them(login, category):
    client, user = login(Role.AUTHOR)
    story = ArticleFactory(category=category, author=user.author_profile)
    note = Correction.objects.create(article=story, text=WRONG_COUNT)
    page = client.get(f"{ARTICLES}{story.pk}/change/").content.decode()
    assert WRONG_COUNT in page
    data = form_data(story) | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-INITIAL_FORMS": "1",
        "corrections-0-id": str(note.pk),
        "corrections-0-article": str(story.pk),
        "corrections-0-DELETE": "on",
    }
    client.post(f"{ARTICLES}{story.pk}/change/", data)
    assert Correction.objects.filter(pk=note.pk).exists()


def test_a_huge_note_is_refused_with_a_clear_error(login, story):
    client, _ = login(Role.EDITOR)
    response = client.post(
        f"{ARTICLES}{story.pk}/change/", form_data(story, [{"text": "x" * 100_000}])
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert not Correction.objects.exists()


def test_a_note_dated_in_the_future_is_refused(login, story):
    client, _ = login(Role.EDITOR)
    next_week = f"{timezone.localtime() + dt.timedelta(days=7):%Y-%m-%d}"
    response = client.post(
        f"{ARTICLES}{story.pk}/change/",
        form_data(story, [{"text": WRONG_COUNT, "day": next_week}]),
    )
    assert response.status_code == 200
    assert "A note cannot be dated in the future." in response.content.decode()
    assert not Correction.objects.exists()


def test_a_draft_gets_no_correction_it_is_simply_edited(login, category):
    client, _ = login(Role.EDITOR)
    draft = ArticleFactory(
        category=category, status=Article.Status.DRAFT, published_at=None
    )
    response = client.post(
        f"{ARTICLES}{draft.pk}/change/", form_data(draft, [{"text": WRONG_COUNT}])
    )
    assert response.status_code == 200
    assert "Corrections and updates are for published stories" in (
        response.content.decode()
    )
    assert not Correction.objects.exists()


def test_a_save_without_the_notes_part_of_the_form_keeps_them(login, story):
    client, _ = login(Role.EDITOR)
    Correction.objects.create(article=story, text=WRONG_COUNT)
    data = {k: v for k, v in form_data(story).items() if "corrections" not in k}
    response = client.post(f"{ARTICLES}{story.pk}/change/", data)
    assert response.status_code == 302
    assert story.corrections.get().text == WRONG_COUNT


def test_a_minor_edit_does_not_show_the_story_as_updated(login, story):
    client, _ = login(Role.EDITOR)
    response = client.post(
        f"{ARTICLES}{story.pk}/change/",
        form_data(story, body="<p>The ministry is comparing two designs.</p>")
        | {"minor_edit": "on"},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.substantive_update_at is None
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "Updated" not in html


def test_a_change_of_substance_shows_the_story_as_updated(login, story):
    client, _ = login(Role.EDITOR)
    response = client.post(
        f"{ARTICLES}{story.pk}/change/",
        form_data(story, body="<p>The ministry chose the second design.</p>"),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.was_updated
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "The ministry chose the second design." in html
    stamp = timezone.localtime(story.substantive_update_at)
    assert f'Updated <time datetime="{stamp.isoformat()}">' in html


def test_the_minor_edit_box_is_not_remembered(login, story):
    client, _ = login(Role.EDITOR)
    client.post(
        f"{ARTICLES}{story.pk}/change/",
        form_data(story, standfirst="Typo fixed.") | {"minor_edit": "on"},
    )
    page = client.get(f"{ARTICLES}{story.pk}/change/").content.decode()
    assert 'name="minor_edit"' in page
    assert 'name="minor_edit" checked' not in page
