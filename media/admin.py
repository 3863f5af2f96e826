from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.files.base import ContentFile
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from media import renditions, services, usage
from media.forms import ImageAdminForm
from media.models import Image

EDIT_OTHERS = "media.edit_others_image"


class MissingAltFilter(admin.SimpleListFilter):
    title = _("alt text")
    parameter_name = "alt"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [("missing", _("Missing")), ("given", _("Given"))]

    def queryset(self, request: Any, queryset: Any) -> Any:
        if self.value() == "missing":
            return queryset.filter(alt="")
        if self.value() == "given":
            return queryset.exclude(alt="")
        return queryset


class RenditionsFilter(admin.SimpleListFilter):
    title = _("renditions")
    parameter_name = "renditions"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [("failed", _("Failed"))]

    def queryset(self, request: Any, queryset: Any) -> Any:
        if self.value() == "failed":
            return queryset.filter(renditions__has_key="error")
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "title", "alt", "credit", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "alt", "caption", "credit"]
    list_filter = [MissingAltFilter, RenditionsFilter, "created_at"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["focal_picker", "crops", "used_in", "details"]

    class Media:
        js = ["js/focal-point.js"]
        css = {"all": ["css/admin-media.css"]}

    def get_fieldsets(self, request: Any, obj: Image | None = None) -> Any:
        words = ["title", "alt", "caption", "credit"]
        if obj is None:
            return [(None, {"fields": ["file", *words]})]
        return [
            (None, {"fields": words}),
            (
                _("Focal point"),
                {
                    "fields": ["focal_picker", "focal_x", "focal_y", "crops"],
                    "description": _(
                        "Click on what must stay in every crop; the previews "
                        "show the shapes the pages use."
                    ),
                },
            ),
            (_("Used in"), {"fields": ["used_in"]}),
            (_("File"), {"fields": ["details"]}),
        ]

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).select_related("uploaded_by")

    def has_change_permission(self, request: Any, obj: Image | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return obj.editable_by(request.user)

    def has_delete_permission(self, request: Any, obj: Image | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and obj.editable_by(request.user)

    @admin.display(description=_("image"))
    def thumbnail(self, obj: Image) -> str:
        return format_html(
            '<img class="media-thumb" src="{}" alt="" width="80" loading="lazy">',
            services.thumbnail_url(obj),
        )

    @admin.display(description=_("size"))
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width}×{obj.height}"

    @admin.display(description=_("image"))
    def focal_picker(self, obj: Image) -> str:
        return format_html(
            '<div class="focal-picker" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-picker__dot" aria-hidden="true"></span></div>',
            obj.focal_x,
            obj.focal_y,
            services.chooser_url(obj),
            obj.alt,
            obj.width,
            obj.height,
        )

    @admin.display(description=_("crops"))
    def crops(self, obj: Image) -> str:
        shapes = [
            ("wide", _("Cards and lead story (16:9)")),
            ("square", _("Author photo (1:1)")),
            ("full", _("Article")),
        ]
        return format_html_join(
            "",
            '<figure class="crop-preview crop-preview--{}">{}'
            "<figcaption>{}</figcaption></figure>",
            ((shape, _preview(obj, shape), label) for shape, label in shapes),
        )

    @admin.display(description=_("used in"))
    def used_in(self, obj: Image) -> str:
        found = usage.used_in(obj.pk)
        if not found:
            return _("Not used yet.")  # type: ignore[return-value]
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", '<li><a href="{}">{}</a></li>', ((u, t) for t, u in found)
            ),
        )

    @admin.display(description=_("file"))
    def details(self, obj: Image) -> str:
        state = obj.renditions or {}
        made = (
            _("failed: %s") % state["error"]
            if "error" in state
            else _("made")
            if services._sets(obj, "full")
            else _("not made yet")
        )
        return format_html(
            '<a href="{}">{}</a> · {}×{} · {} KB · {} {} · {}',
            obj.file.url,
            obj.file.name,
            obj.width,
            obj.height,
            obj.size // 1024,
            _("renditions"),
            made,
            obj.uploaded_by or "",
        )

    def save_model(self, request: Any, obj: Image, form: Any, change: bool) -> None:
        checked = form.checked
        if not change and checked is not None:
            found = Image.objects.filter(digest=checked.digest).first()
            if found is not None:  # refused by the form; a race lands here
                messages.warning(request, _("This file is already in the library."))
                obj.pk = found.pk
                return
            upload = form.cleaned_data["file"]
            obj.width, obj.height = checked.width, checked.height
            obj.size, obj.digest = len(checked.content), checked.digest
            obj.uploaded_by = request.user
            stem = upload.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            obj.title = obj.title or stem.replace("_", " ").replace("-", " ")[:200]
            filename = f"{stem[:80] or 'image'}.{services.EXTENSIONS[checked.format]}"
            obj.file.save(filename, ContentFile(checked.content), save=False)
        super().save_model(request, obj, form, change)
        if not change:
            services.queue_renditions(obj.pk)
            return
        if {"focal_x", "focal_y"} & set(form.changed_data):
            services.queue_renditions(obj.pk)
        if {"alt", "caption", "credit", "title"} & set(form.changed_data):
            renditions.announce_change(obj.pk)


def _preview(obj: Image, shape: str) -> str:
    """The whole image, cut to the shape by CSS (object-fit) around the focal
    point, which focal-point.js moves as the editor clicks."""
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" loading="lazy">',
        services.chooser_url(obj),
        obj.width,
        obj.height,
    )
