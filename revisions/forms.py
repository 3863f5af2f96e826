"""The optimistic lock of the article form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from revisions import services


class VersionedFormMixin(forms.Form):
    """Carries the version of the article the form was opened from; a save
    made from an older version is refused, and the form keeps the editor's
    text and shows what differs (`conflict`). Saving again after that
    replaces the newer version on purpose (the field now names it)."""

    base_version = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64
    )
    #: The version to open the form from instead of the stored one (set by
    #: the admin when the form shows an autosave made from an older one).
    opened_from: str | None = None
    #: After a refused save: what differs between the stored story and the
    #: editor's, and who saved it when.
    conflict: dict[str, Any] | None = None

    instance: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            version = self.opened_from
            if not version:
                version = services.current_version(self.instance.pk)[1]
            self.initial["base_version"] = version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        posted = data.get("base_version")
        # No version posted (a script, or a form from before this release):
        # nothing to compare with, the save goes ahead as before.
        if not posted or not self.instance.pk:
            return data
        stored, version = services.current_version(self.instance.pk, lock=True)
        if posted == version:
            return data
        self._refuse(stored, version, data)
        return data

    def _refuse(self, stored: Any, version: str, data: dict[str, Any]) -> None:
        current = services.snapshot(stored)
        last = services.latest(stored)
        self.conflict = {
            "by": last.by if last else _("someone"),
            "at": timezone.localtime(last.created_at if last else stored.updated_at),
            "changes": services.compare(current, services.as_submitted(current, data)),
        }
        # Saving again after this replaces the stored version on purpose.
        posted = cast(QueryDict, self.data).copy()
        posted[self.add_prefix("base_version")] = version
        self.data = posted
        raise forms.ValidationError(
            _(
                "%(by)s saved this story at %(at)s, after you opened it. Your "
                "changes have NOT been saved, so theirs are not lost. What differs "
                "is shown below (struck out: only in the saved version; "
                "underlined: only in yours). Your text is still in the form: "
                "bring in what you need and save again to replace their version."
            ),
            code="conflict",
            params={
                "by": self.conflict["by"],
                "at": self.conflict["at"].strftime("%H:%M:%S on %d %B"),
            },
        )
