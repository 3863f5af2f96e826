"""Two people editing the same story: the second save is refused, shown
what differs, and keeps their text."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from newsroom.models import Role

from .helpers import change_url, open_form

pytestmark = pytest.mark.django_db


def test_the_second_save_from_an_older_form_is_refused_with_the_difference(
    make_account, story_of
):
    ana, ben = Client(), Client()
    ana.force_login(make_account(Role.EDITOR, "ana"))
    ben.force_login(make_account(Role.EDITOR, "ben"))
    story = story_of(make_account(Role.AUTHOR, "writer"), body="<p>Four frigates.</p>")
    ana_form, ben_form = open_form(ana, story), open_form(ben, story)

    ana_form["body"] = "<p>Six frigates.</p>"
    assert ana.post(change_url(story), ana_form).status_code == 302
    ben_form["body"] = "<p>Four frigates and two tankers.</p>"
    response = ben.post(change_url(story), ben_form)

    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "Ana Tester saved this story at" in html
    assert "have NOT been saved" in html
    story.refresh_from_db()
    assert story.body == "<p>Six frigates.</p>"  # Ana's text stands
    # What differs, word by word, from the saved version to Ben's.
    assert "<del>Six</del><ins>Four</ins>" in html
    assert "frigates<ins> and two tankers</ins>.&lt;/p&gt;" in html
    # Ben's text is still in the form.
    assert "Four frigates and two tankers." in re.search(
        r'<textarea name="body".*?</textarea>', html, re.S
    ).group(0)

    # Having seen the difference, saving again replaces Ana's version.
    version = re.search(r'name="base_version" value="([0-9a-f]+)"', html).group(1)
    assert version != ben_form["base_version"]
    assert (
        ben.post(change_url(story), ben_form | {"base_version": version}).status_code
        == 302
    )
    story.refresh_from_db()
    assert story.body == "<p>Four frigates and two tankers.</p>"


def test_a_save_from_an_up_to_date_form_goes_through(client, make_account, story_of):
    editor = make_account(Role.EDITOR, "desk")
    client.force_login(editor)
    story = story_of(editor)
    first = open_form(client, story) | {"headline": "First"}
    assert client.post(change_url(story), first).status_code == 302
    second = open_form(client, story) | {"headline": "Second"}
    assert client.post(change_url(story), second).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Second"


def test_a_tag_change_by_a_colleague_is_a_conflict_too(make_account, story_of):
    from articles.models import Tag

    ana, ben = Client(), Client()
    ana.force_login(make_account(Role.EDITOR, "ana"))
    ben.force_login(make_account(Role.EDITOR, "ben"))
    story = story_of(make_account(Role.AUTHOR, "writer"))
    tag = Tag.objects.create(name="Submarines", slug="submarines")
    ana_form, ben_form = open_form(ana, story), open_form(ben, story)
    ana.post(change_url(story), ana_form | {"tags": [tag.pk]})
    response = ben.post(change_url(story), ben_form | {"headline": "Ben's"})
    assert response.status_code == 200
    assert "<del>Submarines</del>" in response.content.decode()
    story.refresh_from_db()
    assert list(story.tags.all()) == [tag] and story.headline != "Ben's"
