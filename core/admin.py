from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin[SiteSettings]):
    list_display = [
        "site_name",
        "tagline",
        "time_zone",
        "posts_per_page",
        "feed_items",
        "feed_full_text",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(
        self, request: HttpRequest, obj: SiteSettings | None = None
    ) -> bool:
        return False
