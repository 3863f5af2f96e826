from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from importers.models import ImportRun, OldLink, WordPressSite
from importers.tasks import run_import

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ImportRunForm(forms.ModelForm):
    class Meta:
        model = ImportRun
        fields = ["file", "media_dir", "dry_run"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        head = upload.read(512).lstrip()
        upload.seek(0)
        if not head.startswith((b"<?xml", b"<rss", b"\xef\xbb\xbf<")):
            raise forms.ValidationError(
                _(
                    "This is not an XML file. Upload the file WordPress's Tools → "
                    "Export gives you (it ends in .xml)."
                )  # fmt: skip
            )
        return upload

    def clean_media_dir(self):
        value = self.cleaned_data["media_dir"].strip()
        if value and not Path(value).is_dir():
            raise forms.ValidationError(_("There is no folder %(path)s on the server."),
                                        params={"path": value})  # fmt: skip
        return value


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    form = ImportRunForm
    list_display = ["__str__", "status", "progress", "created_at", "finished_at"]
    readonly_fields = ["status", "progress", "report_text", "created_by",
                       "created_at", "finished_at"]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        # The media folder is read from the server's disk: superusers only.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", "media_dir", "dry_run"]
        return ["file", "media_dir", "dry_run", *self.readonly_fields]

    @admin.display(description=_("progress"))
    def progress(self, obj: ImportRun) -> StrOrPromise:
        if obj.status == ImportRun.Status.RUNNING:
            return cache.get(obj.progress_key) or _("starting")
        return "100%" if obj.status == ImportRun.Status.DONE else "–"

    @admin.display(description=_("report"))
    def report_text(self, obj: ImportRun) -> str:
        return format_html('<pre class="wxr-report">{}</pre>', obj.report or "–")

    def save_model(self, request, obj, form, change) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: run_import.enqueue(obj.pk))


@admin.register(WordPressSite)
class WordPressSiteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "url", "key", "imported_at"]
    readonly_fields = ["url", "title", "key", "imported_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OldLink)
class OldLinkAdmin(admin.ModelAdmin):
    list_display = ["path", "item"]
    search_fields = ["path"]
    list_select_related = ["item__site"]
    raw_id_fields = ["item"]
