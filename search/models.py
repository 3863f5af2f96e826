from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """The text of one article as the search engines see it. SQLite indexes it
    with an FTS5 table kept in step by triggers; on PostgreSQL a trigger
    writes its weighted tsvector into the article's row (`search_vector`, GIN
    index). Both are defined in search/sql/<vendor>.sql (search.schema)."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    headline = models.TextField(_("headline"))
    standfirst = models.TextField(_("standfirst"), blank=True)
    body_text = models.TextField(_("body text"), blank=True)
    extra = models.TextField(
        _("tags, authors and category"), blank=True, help_text=_("Space-separated")
    )

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.headline
