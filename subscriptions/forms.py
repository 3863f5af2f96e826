from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address."),
        },
    )
    website_hp = forms.CharField(required=False)  # honeypot: people leave it empty

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
