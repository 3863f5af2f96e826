"""Every back-office save of an article, and each editor's autosave."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class RevisionQuerySet(models.QuerySet["Revision"]):
    def saved(self) -> RevisionQuerySet:
        """Revisions of saves and restores, newest first (no autosaves)."""
        return self.filter(is_autosave=False).order_by("-number")

    def autosaves(self) -> RevisionQuerySet:
        return self.filter(is_autosave=True)


class Revision(models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("1 for the article's first revision, then 2, 3...; empty for "
                    "an autosave"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot: models.JSONField[Any] = models.JSONField(
        _("snapshot"),
        help_text=_('The article\'s fields, e.g. {"headline": "Navy orders frigates"}'),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("e.g. Restored from revision 3 by Ana Reyes"),
    )
    is_autosave = models.BooleanField(
        _("autosave"),
        default=False,
        help_text=_("Unsaved text of an editor's open form, one per editor and story"),
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            # An article's history page, newest first (saved()), and the
            # next number; the unique index serves both.
            models.UniqueConstraint(
                fields=["article", "number"],
                condition=Q(is_autosave=False),
                name="revision_number_unique",
            ),
            # One autosave per editor and article, overwritten; the change
            # page looks up the editor's own.
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(is_autosave=True),
                name="revision_one_autosave_per_user",
            ),
        ]

    def __str__(self) -> str:
        if self.is_autosave:
            return f"Autosave of {self.article_id} by {self.user_id}"
        return f"Revision {self.number} of {self.article_id}"

    @property
    def by(self) -> str:
        """Who made it, as the history page says it."""
        if self.user is None:
            return str(_("unknown"))
        return self.user.get_full_name() or self.user.get_username()
