from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Author, Category

DATE = forms.DateInput(attrs={"type": "date"})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=10_000)
    category = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
    )
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=Author.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any author"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    order = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("relevance", _("Relevance")), ("newest", _("Newest"))],
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
