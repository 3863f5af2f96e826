from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from media import services
from media.models import Image


class UploadForm(forms.Form):
    """One file with its words (the editor's chooser)."""

    file = forms.FileField(label=_("file"))
    title = forms.CharField(max_length=200, required=False)
    alt = forms.CharField(max_length=250, required=False)
    caption = forms.CharField(max_length=300, required=False)
    credit = forms.CharField(max_length=150, required=False)

    checked: services.Checked

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.checked = services.check_upload(upload)
        return upload


class ImageAdminForm(forms.ModelForm):
    """The admin's form: the upload checked like every other, the focal point
    set by clicking on the image (static/js/focal-point.js)."""

    checked: services.Checked | None = None

    class Meta:
        model = Image
        fields = ["file", "title", "alt", "caption", "credit", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and not self.instance.pk:  # a new image
            self.checked = checked = services.check_upload(upload)
            found = Image.objects.filter(digest=checked.digest).first()
            if found is not None and found.pk != self.instance.pk:
                raise forms.ValidationError(
                    _(
                        "This file is already in the library as “%(title)s” "
                        "(image %(id)s): use that one."
                    )
                    % {"title": found, "id": found.pk},
                    code="duplicate",
                )
        return upload
