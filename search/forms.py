from __future__ import annotations

import datetime as dt

from django import forms
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from articles.models import Author, Category

DATE = forms.DateInput(attrs={"type": "date"})
#: Dates a search can be bounded by: at the ends of Python's calendar, the
#: day after (for "to") or a time zone's offset would overflow (a 500).
DATE_RANGE = [
    MinValueValidator(dt.date(1000, 1, 1), _("Enter a date after the year 1000.")),
    MaxValueValidator(dt.date(9998, 12, 31), _("Enter a date before the year 9999.")),
]
CHOICES_KEY = "search:filter-choices:v3"


def filter_choices(cached: dict | None = None) -> dict:
    """(slug, name) of every section and author, for the form's two lists; each
    section's (name, address) by id, for the results; and what a chosen slug
    stands for: an author's id, a section's id with those of the sections
    below it. Cached (and dropped when a section or author changes,
    search/signals.py): querying and rendering them through the widget
    templates on every search cost more than the search itself. `cached`: as
    core.middleware read them already."""
    choices = cache.get(CHOICES_KEY) if cached is None else cached
    if choices is None:
        categories = list(Category.objects.select_related("parent__parent"))
        authors = list(Author.objects.all())
        tree: dict[int | None, list[int]] = {}
        for c in categories:
            tree.setdefault(c.parent_id, []).append(c.pk)
        choices = {
            "category": [(c.slug, str(c)) for c in categories],
            "author": [(a.slug, str(a)) for a in authors],
            "sections": {c.pk: (c.name, c.get_absolute_url()) for c in categories},
            "category_ids": {c.slug: c.descendant_ids(tree) for c in categories},
            "author_ids": {a.slug: a.pk for a in authors},
        }
        cache.set(CHOICES_KEY, choices, 600)
    return choices


class _Listed(forms.ChoiceField):
    """One of the form's lists: a slug from the cached choices, or nothing."""

    default_error_messages = {
        # Without the value sent: it may be anything, of any length.
        "invalid_choice": _("That section or author is not on the list."),
    }

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(required=False, **kwargs)
        self.empty_label = empty_label  # the first option, as on a model list


class SearchForm(forms.Form):
    """The search page's form. The section and author lists are checked
    against `choices` (filter_choices()): no query for a chosen slug."""

    q = forms.CharField(label=_("Search"), required=False, max_length=10_000)
    category = _Listed(label=_("Section"), empty_label=_("All sections"))
    author = _Listed(label=_("Author"), empty_label=_("Any author"))
    date_from = forms.DateField(
        label=_("From"), required=False, widget=DATE, validators=DATE_RANGE
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=DATE, validators=DATE_RANGE
    )
    order = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("relevance", _("Relevance")), ("newest", _("Newest"))],
        required=False,
    )

    def __init__(self, data, choices: dict):
        super().__init__(data)
        for name in ("category", "author"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", ""), *choices[name]]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
