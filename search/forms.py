from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from articles.models import Author, Category

DATE = forms.DateInput(attrs={"type": "date"})
CHOICES_KEY = "search:filter-choices:v2"


def filter_choices() -> dict:
    """(slug, name) of every section and author, for the form's two lists, and
    each section's (name, address) by id, for the results. Cached (and dropped
    when a section or author changes, search/signals.py): querying and
    rendering them through the widget templates on every search cost more than
    the search itself."""
    choices = cache.get(CHOICES_KEY)
    if choices is None:
        categories = list(Category.objects.select_related("parent__parent"))
        choices = {
            "category": [(c.slug, str(c)) for c in categories],
            "author": [(a.slug, str(a)) for a in Author.objects.all()],
            "sections": {c.pk: (c.name, c.get_absolute_url()) for c in categories},
        }
        cache.set(CHOICES_KEY, choices, 600)
    return choices


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
