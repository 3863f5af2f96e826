"""A revision per save; the history page's word diff; restore."""

from __future__ import annotations

import pytest

from articles.models import Article, Tag
from newsroom.models import Role
from revisions import services
from revisions.models import Revision

from .helpers import ARTICLES, change_url, open_form

pytestmark = pytest.mark.django_db


def revisions_url(article) -> str:
    return f"{ARTICLES}{article.pk}/revisions/"


@pytest.fixture
def desk(client, make_account):
    editor = make_account(Role.EDITOR, "desk")
    client.force_login(editor)
    return editor


def test_each_save_keeps_who_when_and_what(client, desk, story_of):
    story = story_of(desk, headline="Frigate order", body="<p>Four ships.</p>")
    tag = Tag.objects.create(name="Shipbuilding", slug="shipbuilding")
    data = open_form(client, story) | {"body": "<p>Six ships.</p>", "tags": [tag.pk]}
    assert client.post(change_url(story), data).status_code == 302

    baseline, saved = Revision.objects.filter(article=story).order_by("number")
    assert baseline.number == 1 and baseline.user is None
    assert baseline.snapshot["body"] == "<p>Four ships.</p>"
    assert saved.number == 2 and saved.user == desk
    assert saved.snapshot["body"] == "<p>Six ships.</p>"
    assert saved.snapshot["tags"] == [{"id": tag.pk, "name": "Shipbuilding"}]
    assert saved.snapshot["headline"] == "Frigate order"
    assert saved.snapshot["author"]["name"] == desk.author_profile.display_name
    assert saved.created_at >= baseline.created_at

    data = open_form(client, story) | {
        "standfirst": "The navy grows.",
        "tags": [tag.pk],
    }
    client.post(change_url(story), data)
    assert story.revisions.saved().first().snapshot["standfirst"] == "The navy grows."
    # A save that changes nothing adds no revision (as in WordPress).
    client.post(change_url(story), open_form(client, story) | {"tags": [tag.pk]})
    assert story.revisions.saved().count() == 3


def test_a_new_story_starts_with_its_first_revision(client, desk, story_of):
    template = story_of(desk)
    data = open_form(client, template) | {"slug": "new-one", "headline": "New one"}
    data.pop("base_version")
    assert client.post(f"{ARTICLES}add/", data).status_code == 302
    created = Article.objects.get(slug="new-one")
    (first,) = created.revisions.saved()
    assert (first.number, first.user, first.note) == (1, desk, "Created")


def test_the_diff_shows_added_and_removed_words_with_markup_escaped(
    client, desk, story_of
):
    story = story_of(desk, body="<p>The navy ordered four frigates.</p>")
    client.post(
        change_url(story),
        open_form(client, story)
        | {"body": "<p>The navy ordered <strong>six</strong> frigates.</p>"},
    )
    html = client.get(revisions_url(story)).content.decode()
    assert "<del>four</del>" in html
    assert "<ins>&lt;strong&gt;six&lt;/strong&gt;</ins>" in html
    assert "ordered " in html and "<strong>six" not in html


def test_a_script_in_a_body_is_shown_as_text_in_the_diff(client, desk, story_of):
    story = story_of(desk, headline="Plain headline")
    Revision.objects.create(
        article=story, number=1, user=desk, snapshot=services.snapshot(story)
    )
    hostile = services.snapshot(story) | {
        "headline": '<img src=x onerror="alert(1)">',
        "body": "<script>alert('body')</script>",
    }
    Revision.objects.create(article=story, number=2, user=desk, snapshot=hostile)
    response = client.get(revisions_url(story) + "?from=1&to=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in html
    assert "&lt;img" in html


def test_asking_for_a_revision_that_does_not_exist_says_so(client, desk, story_of):
    story = story_of(desk)
    services.record(article=story, user=desk)
    for query in ("?from=1&to=7", "?from=abc&to=1"):
        response = client.get(revisions_url(story) + query)
        assert response.status_code == 400
        assert b"errornote" in response.content


def test_restoring_puts_the_old_text_back_as_a_new_revision(client, desk, story_of):
    story = story_of(desk, headline="Old headline", body="<p>Old text.</p>")
    client.post(
        change_url(story),
        open_form(client, story)
        | {"headline": "New headline", "body": "<p>New text.</p>"},
    )
    assert story.revisions.saved().count() == 2
    page = client.get(change_url(story)).content.decode()
    assert f'href="{revisions_url(story)}"' in page  # the link to them

    response = client.post(f"{revisions_url(story)}1/restore/")
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Old headline", "<p>Old text.</p>")
    newest = story.revisions.saved().first()
    assert newest.number == 3 and newest.user == desk
    assert newest.note == "Restored from revision 1 by Desk Tester"
    assert newest.snapshot["body"] == "<p>Old text.</p>"
    assert (
        "Restored from revision 1" in client.get(revisions_url(story)).content.decode()
    )


def test_restore_leaves_the_status_and_byline_alone(client, desk, story_of):
    story = story_of(desk, headline="Draft headline")
    services.record(article=story, user=desk)
    story.headline, story.status = "Live headline", Article.Status.PUBLISHED
    story.save()
    services.record(article=story, user=desk)
    client.post(f"{revisions_url(story)}1/restore/")
    story.refresh_from_db()
    assert story.headline == "Draft headline"
    assert story.status == Article.Status.PUBLISHED


def test_restore_only_by_post(client, desk, story_of):
    story = story_of(desk)
    services.record(article=story, user=desk)
    assert client.get(f"{revisions_url(story)}1/restore/").status_code == 405
    assert story.revisions.saved().count() == 1


def test_a_contributor_cannot_see_or_restore_anothers_revisions(
    client, make_account, colleague, story_of
):
    theirs = story_of(colleague, headline="Their draft", body="<p>Theirs.</p>")
    services.record(article=theirs, user=colleague)
    theirs.body = "<p>Edited.</p>"
    theirs.save()
    services.record(article=theirs, user=colleague)
    writer = make_account(Role.CONTRIBUTOR, "writer")
    client.force_login(writer)

    assert client.get(revisions_url(theirs)).status_code == 404
    assert client.post(f"{revisions_url(theirs)}1/restore/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.body == "<p>Edited.</p>"
    assert theirs.revisions.saved().count() == 2


def test_a_contributor_cannot_restore_their_own_published_story(
    client, make_account, story_of
):
    """Who may restore is who may change: a contributor's published story
    is the editors' now."""
    writer = make_account(Role.CONTRIBUTOR, "writer")
    story = story_of(writer, status=Article.Status.PUBLISHED, body="<p>Live.</p>")
    Revision.objects.create(
        article=story,
        number=1,
        user=writer,
        snapshot=services.snapshot(story) | {"body": "<p>Early.</p>"},
    )
    client.force_login(writer)
    assert client.get(revisions_url(story)).status_code == 403
    assert client.post(f"{revisions_url(story)}1/restore/").status_code == 403
    story.refresh_from_db()
    assert story.body == "<p>Live.</p>"


def test_a_contributor_restores_their_own_draft(client, make_account, story_of):
    writer = make_account(Role.CONTRIBUTOR, "writer")
    story = story_of(writer, body="<p>First go.</p>")
    services.record(article=story, user=writer)
    story.body = "<p>Second go.</p>"
    story.save()
    services.record(article=story, user=writer)
    client.force_login(writer)
    assert client.get(revisions_url(story)).status_code == 200
    client.post(f"{revisions_url(story)}1/restore/")
    story.refresh_from_db()
    assert story.body == "<p>First go.</p>"


def test_word_diff_marks_words_not_characters():
    html = services.word_diff("a quick brown fox", "a slow brown fox")
    assert html == "a <del>quick</del><ins>slow</ins> brown fox"
    assert services.word_diff("x < y", "x < z") == "x &lt; <del>y</del><ins>z</ins>"
