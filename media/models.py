from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet["Image"]):
    def matching(self, text: str) -> ImageQuerySet:
        """Images whose title, alt text, caption or credit hold every word."""
        found = self
        for word in text.split()[:8]:
            found = found.filter(
                Q(title__icontains=word)
                | Q(alt__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
            )
        return found

    def newest_first(self) -> ImageQuerySet:
        return self.order_by("-created_at", "-pk")


class Image(models.Model):
    """One picture of the library, used by any number of stories and authors.

    `renditions` holds what the task worker made (media.services.RENDITIONS):
    the names and sizes of each shape's widths, so a page prints a srcset
    from the row it already has, with no query per image."""

    file = models.FileField(_("file"), upload_to="images/%Y/%m/", max_length=300)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    size = models.PositiveBigIntegerField(_("bytes"), default=0, editable=False)
    digest = models.CharField(
        _("SHA-256 of the uploaded file"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("The same file uploaded again reuses this image"),
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("e.g. Frigate at dawn")
    )
    alt = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for readers who cannot see it; required to "
            "publish a story that shows it"
        ),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("credit"), max_length=150, blank=True, help_text=_("e.g. Staff photo")
    )
    focal_x = models.FloatField(_("focal point x"), default=0.5, validators=_UNIT)
    focal_y = models.FloatField(_("focal point y"), default=0.5, validators=_UNIT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    renditions: models.JSONField[Any] = models.JSONField(
        _("renditions"), default=dict, blank=True, editable=False
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [
            ("edit_others_image", _("Can edit and delete other people's images")),
        ]
        constraints = [
            # Duplicate uploads: one row per file content (legacy rows whose
            # file was missing have no digest).
            models.UniqueConstraint(
                fields=["digest"], condition=~Q(digest=""), name="image_digest_uniq"
            ),
        ]
        indexes = [
            # The chooser and the admin list: newest first.
            models.Index(fields=["-created_at", "-id"], name="image_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.alt or str(self.file.name or "").rsplit("/", 1)[-1]

    @property
    def focus(self) -> tuple[float, float]:
        return (self.focal_x, self.focal_y)

    def editable_by(self, user: Any) -> bool:
        """Contributors change their own uploads; editors anyone's."""
        return bool(
            user.has_perm("media.change_image")
            and (
                self.uploaded_by_id == user.pk
                or user.has_perm("media.edit_others_image")
            )
        )
