"""The article body's rich-text editor, a textarea that static/js/body-editor.js
turns into a Tiptap editor (django-prose-editor's build, served by the site).

What the editor writes is cleaned again on save (lib/html.py: clean_html) and
is checked here for depth first, so that a pathological body gets a message
rather than a long parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.widgets import Script
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lib.embeds import MASTODON_HOSTS
from lib.html import MAX_DEPTH, too_deep

#: The media library's chooser (media app): search and upload, JSON.
CHOOSER_URL_NAME = "media:chooser"


class BodyEditor(forms.Textarea):
    """The body as HTML in a textarea, which the editor fills on every change
    (the autosave reads it). Without JavaScript, or for a story the editor
    cannot hold exactly, the textarea stays."""

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "css/body-editor.css",
            ]
        }
        js = [Script("js/body-editor.js", type="module")]

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        try:
            chooser = reverse(CHOOSER_URL_NAME)
        except NoReverseMatch:  # no media library: no image button
            chooser = ""
        attrs = {
            **(attrs or {}),
            "data-body-editor": "",
            "data-editor-module": static("django_prose_editor/editor.js"),
            "data-chooser-url": chooser,
            "data-mastodon-hosts": ",".join(sorted(MASTODON_HOSTS)),
        }
        return super().get_context(name, value, attrs)


def clean_body(value: str) -> str:
    """Refuse a body nested too deeply to parse in good time."""
    if too_deep(value):
        raise forms.ValidationError(
            _(
                "This text is nested more than %(depth)s levels deep: paste it "
                "as plain text or simplify its markup."
            ),
            params={"depth": MAX_DEPTH},
            code="too_deep",
        )
    return value
