from __future__ import annotations

import re
import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

TIMESTAMP_SALT = "comments.form-timestamp"
MAX_BODY = 5000


def sign_timestamp(article_id: int, now: float | None = None) -> str:
    value = f"{article_id}:{int(now if now is not None else time.time())}"
    return signing.Signer(salt=TIMESTAMP_SALT).sign(value)


#: Characters nobody can see or type on purpose (NUL, bell, escape, ...):
#: pasted text brings them, and XML (the comment feeds) cannot carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TextField(forms.CharField):
    """A CharField that drops control characters (tabs and newlines stay)
    before it is validated, so stray ones never refuse or break a comment."""

    def to_python(self, value: Any) -> str | None:
        if isinstance(value, str):
            value = _CONTROL.sub("", value)
        return super().to_python(value)


class CommentForm(forms.Form):
    """The "Leave a reply" form. `website_hp` is a honeypot: people never see it,
    bots fill it in. `ts` is a signed time the form was shown."""

    article = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    ts = forms.CharField(widget=forms.HiddenInput, max_length=200)
    body = TextField(
        label=_("Comment"),
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Please enter your comment!"),
            "max_length": _("Your comment is too long (at most %(limit_value)d "
                            "characters; it has %(show_value)d)."),
        },
    )  # fmt: skip
    name = TextField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Please enter your name here")},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("You have entered an incorrect email address!"),
            "invalid": _("You have entered an incorrect email address!"),
        },
    )
    url = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Please enter a valid website address.")},
    )
    notify_replies = forms.BooleanField(required=False)
    website_hp = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, min_seconds: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_seconds = min_seconds

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name here"))
        return name

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if not body.strip():
            raise forms.ValidationError(_("Please enter your comment!"))
        return body

    def clean_website_hp(self) -> str:
        if self.cleaned_data.get("website_hp"):
            raise forms.ValidationError(_("Your comment could not be accepted."))
        return ""

    def clean(self):
        data = super().clean()
        article_id, stamp = data.get("article"), data.get("ts")
        if article_id is None or not stamp:
            return data
        try:
            signed_article, shown_at = (
                signing.Signer(salt=TIMESTAMP_SALT).unsign(stamp).split(":")
            )
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(
                _("The form has expired. Please send your comment again.")
            ) from None
        if signed_article != str(article_id):
            raise forms.ValidationError(
                _("The form has expired. Please send your comment again.")
            )
        if time.time() - int(shown_at) < self.min_seconds:
            raise forms.ValidationError(
                _("That was quick! Please take a moment and send your comment again.")
            )
        return data


def comment_initial(article_id: int, parent: Comment | None = None) -> dict:
    return {
        "article": article_id,
        "parent": parent.pk if parent else None,
        "ts": sign_timestamp(article_id),
    }
