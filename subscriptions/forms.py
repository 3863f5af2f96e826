from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles.models import Category
from subscriptions.models import MailingSettings, Subscriber


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
        email = self.cleaned_data["email"].strip().lower()
        if MailingSettings.load().is_blocked(email):
            raise ValidationError(
                _(
                    "Sign-ups from this email domain are not accepted. Please use "
                    "another address."
                ),  # fmt: skip
                code="blocked",
            )
        return email


class SectionsField(forms.ModelMultipleChoiceField):
    """Ticked sections by id. An id too long for the database's integers is
    refused like any unknown one (SQLite raised OverflowError: a 500)."""

    def _check_values(self, value):
        for pk in value:
            if len(str(pk).strip().lstrip("+-")) > 18:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["frequency", "categories"]
        field_classes = {"categories": SectionsField}
        widgets = {
            "frequency": forms.RadioSelect,
            "categories": forms.CheckboxSelectMultiple,
        }
        labels = {
            "frequency": _("How often would you like our posts?"),
            "categories": _("Only these sections (leave all unticked for everything)"),
        }
        help_texts = {"categories": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.order_by("name")
