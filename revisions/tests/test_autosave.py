"""The autosave endpoint, and the change page's offer to restore."""

from __future__ import annotations

import pytest
from django.test import Client

from newsroom.models import Role
from revisions import services
from revisions.models import Revision

from .helpers import ARTICLES, change_url, open_form

pytestmark = pytest.mark.django_db


def autosave_url(article) -> str:
    return f"{ARTICLES}{article.pk}/autosave/"


@pytest.fixture
def writer(client, make_account):
    user = make_account(Role.CONTRIBUTOR, "writer")
    client.force_login(user)
    return user


def test_an_autosave_is_kept_once_per_editor_and_story(client, writer, story_of):
    story = story_of(writer, body="<p>Saved.</p>")
    for text in ("<p>Saved. More</p>", "<p>Saved. More and more</p>"):
        response = client.post(autosave_url(story), {"body": text, "headline": "H"})
        assert response.status_code == 200
        assert response.json()["message"].startswith("Autosaved at")
    (saved,) = Revision.objects.autosaves()
    assert (
        saved.user == writer and saved.snapshot["body"] == "<p>Saved. More and more</p>"
    )
    story.refresh_from_db()
    assert story.body == "<p>Saved.</p>"  # not a published change
    assert story.revisions.saved().count() == 0


def test_a_huge_autosave_is_refused_with_a_clear_error(client, writer, story_of):
    story = story_of(writer)
    huge = "<p>" + "x" * services.AUTOSAVE_MAX_CHARS + "</p>"
    response = client.post(autosave_url(story), {"body": huge})
    assert response.status_code == 413
    assert "longer than 1,000,000 characters" in response.json()["error"]
    assert not Revision.objects.exists()


def test_another_writers_story_is_refused(client, writer, colleague, story_of):
    theirs = story_of(colleague)
    response = client.post(autosave_url(theirs), {"body": "<p>Mine now</p>"})
    assert response.status_code == 403
    assert "not yours to edit" in response.json()["error"]
    assert not Revision.objects.exists()


def test_readers_and_forged_requests_are_refused(make_account, writer, story_of):
    story = story_of(writer)
    anonymous = Client()
    response = anonymous.post(autosave_url(story), {"body": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(writer)
    assert forged.post(autosave_url(story), {"body": "x"}).status_code == 403
    assert not Revision.objects.exists()


def test_the_endpoint_takes_posts_only(client, writer, story_of):
    story = story_of(writer)
    assert client.get(autosave_url(story)).status_code == 405


def test_the_change_page_offers_the_autosave_back(client, writer, story_of):
    story = story_of(writer, body="<p>Saved text.</p>")
    base = open_form(client, story)["base_version"]
    client.post(
        autosave_url(story),
        {"body": "<p>Saved text. Unsaved paragraph.</p>", "base_version": base},
    )
    page = client.get(change_url(story)).content.decode()
    assert "autosaved at" in page and "Restore my autosaved text" in page

    restored = client.get(change_url(story) + "?autosave=restore").content.decode()
    assert "Unsaved paragraph." in restored
    assert "This form shows your autosaved text" in restored
    story.refresh_from_db()
    assert "Unsaved paragraph" not in story.body  # only when saved

    # Saving stores it, and the offer is gone with the autosave.
    data = open_form(client, story) | {"body": "<p>Saved text. Unsaved paragraph.</p>"}
    assert client.post(change_url(story), data).status_code == 302
    assert not Revision.objects.autosaves().exists()
    assert (
        "Restore my autosaved text"
        not in client.get(change_url(story)).content.decode()
    )


def test_no_offer_when_the_autosave_matches_the_story(client, writer, story_of):
    story = story_of(writer, body="<p>Same.</p>")
    client.post(autosave_url(story), {"body": "<p>Same.</p>"})
    assert (
        "Restore my autosaved text"
        not in client.get(change_url(story)).content.decode()
    )


def test_a_colleagues_autosave_is_not_offered_to_me(
    client, writer, make_account, story_of
):
    story = story_of(writer, body="<p>Text.</p>")
    editor = make_account(Role.EDITOR, "desk")
    desk = Client()
    desk.force_login(editor)
    desk.post(autosave_url(story), {"body": "<p>The desk's idea.</p>"})
    page = client.get(change_url(story) + "?autosave=restore").content.decode()
    assert "Restore my autosaved text" not in page and "desk&#x27;s idea" not in page


def test_discarding_the_autosave(client, writer, story_of):
    story = story_of(writer, body="<p>Text.</p>")
    client.post(autosave_url(story), {"body": "<p>Abandoned.</p>"})
    response = client.post(f"{ARTICLES}{story.pk}/autosave/discard/")
    assert response.status_code == 302
    assert not Revision.objects.autosaves().exists()


def test_restoring_an_autosave_made_before_a_colleagues_save_shows_the_conflict(
    client, writer, make_account, story_of
):
    story = story_of(writer, body="<p>One.</p>")
    base = open_form(client, story)["base_version"]
    client.post(
        autosave_url(story), {"body": "<p>One. Mine.</p>", "base_version": base}
    )
    desk = Client()
    desk.force_login(make_account(Role.EDITOR, "desk"))
    desk.post(change_url(story), open_form(desk, story) | {"body": "<p>Two.</p>"})

    page = client.get(change_url(story) + "?autosave=restore").content.decode()
    data = open_form(client, story) | {
        "body": "<p>One. Mine.</p>",
        "base_version": base,
    }
    assert f'value="{base}"' in page  # the version the autosave was made from
    response = client.post(change_url(story), data)
    assert (
        response.status_code == 200
        and "have NOT been saved" in response.content.decode()
    )
    story.refresh_from_db()
    assert story.body == "<p>Two.</p>"
