from __future__ import annotations

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import models
from django.utils.translation import gettext_lazy as _


class WordPressSite(models.Model):
    """One WordPress site whose export was imported; keeps two sites apart."""

    url = models.URLField(
        _("site address"),
        max_length=300,
        unique=True,
        help_text=_("wp:base_blog_url of the export, e.g. https://news.example.org"),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    key = models.SlugField(
        _("key"),
        max_length=60,
        unique=True,
        help_text=_("Folder name of its media under wordpress/, e.g. news-example"),
    )
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("WordPress site")
        verbose_name_plural = _("WordPress sites")

    def __str__(self) -> str:
        return self.title or self.url


class ImportedItem(models.Model):
    """What a WordPress object became here, keyed by the site and its WordPress
    ID, so a second import updates in place instead of duplicating."""

    class Kind(models.TextChoices):
        POST = "post", _("post")
        PAGE = "page", _("page")
        ATTACHMENT = "attachment", _("attachment")
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        COMMENT = "comment", _("comment")

    site = models.ForeignKey(
        WordPressSite, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    wp_id = models.CharField(
        _("WordPress ID"),
        max_length=100,
        help_text=_("The numeric ID; for authors the login, e.g. 123 or jdoe"),
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True
    )
    page = models.ForeignKey(FlatPage, on_delete=models.CASCADE, null=True, blank=True)
    author = models.ForeignKey(
        "articles.Author", on_delete=models.CASCADE, null=True, blank=True
    )
    category = models.ForeignKey(
        "articles.Category", on_delete=models.CASCADE, null=True, blank=True
    )
    tag = models.ForeignKey(
        "articles.Tag", on_delete=models.CASCADE, null=True, blank=True
    )
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, null=True, blank=True
    )
    file = models.CharField(
        _("stored file"),
        max_length=300,
        blank=True,
        help_text=_("Attachments: name in media storage, empty when not found"),
    )
    permalink = models.CharField(_("WordPress permalink"), max_length=500, blank=True)
    guid = models.CharField(_("guid"), max_length=500, blank=True)
    extra = models.JSONField(
        _("WordPress details"),
        default=dict,
        blank=True,
        help_text=_("What has no field here: local date, status, extra terms"),
    )

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            # The importer's lookup of a batch of WordPress IDs of one kind.
            models.UniqueConstraint(
                fields=["site", "kind", "wp_id"], name="importers_item_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.kind} {self.wp_id}"


class OldLinkQuerySet(models.QuerySet):
    def resolving(self) -> OldLinkQuerySet:
        """Everything needed to build the new address, in the same query."""
        return self.select_related(
            "item__article",
            "item__page",
            "item__author",
            "item__tag",
            "item__category__parent__parent",
        )


class OldLink(models.Model):
    """An address of the old WordPress site (a path such as /2019/05/slug/, or a
    query such as ?p=123) that answers with a 301 to the item's new address."""

    path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,  # The index serves the one lookup per unknown address.
        help_text=_("Path or query of the old site, e.g. /2019/05/slug/ or ?p=123"),
    )
    item = models.ForeignKey(
        ImportedItem, on_delete=models.CASCADE, related_name="old_links"
    )

    objects = OldLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("old link")
        verbose_name_plural = _("old links")

    def __str__(self) -> str:
        return self.path


class ImportRun(models.Model):
    """An export uploaded in the admin, imported by the task worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(
        _("WordPress export (WXR)"),
        upload_to="wxr-imports/",
        help_text=_("Tools → Export → All content in WordPress, e.g. site.xml"),
    )
    media_dir = models.CharField(
        _("media folder on the server"),
        max_length=500,
        blank=True,
        help_text=_("A copy of wp-content/uploads, e.g. /srv/old-site/uploads"),
    )
    dry_run = models.BooleanField(
        _("dry run"), default=False, help_text=_("Report only; keep nothing")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    report = models.TextField(_("report"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")

    def __str__(self) -> str:
        return f"{self.file.name} ({self.get_status_display()})"

    @property
    def progress_key(self) -> str:
        return f"importers:progress:{self.pk}"
