from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.singleton import SingletonModel


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SiteSettings(SingletonModel):
    """The newsroom's own settings, edited in the admin. There is one row."""

    cache_key = "core:site-settings:v1"

    site_name = models.CharField(
        _("site name"), max_length=100, help_text=_("For example: Frontline Desk")
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example: Defense News Hub, Military Updates, Security Insights"
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=_time_zone_choices,
        help_text=_("Dates on the site and in permalinks use it, e.g. Asia/Karachi"),
    )
    posts_per_page = models.PositiveSmallIntegerField(
        _("posts per page"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Articles on each page of an archive, e.g. 12"),
    )
    feed_items = models.PositiveSmallIntegerField(
        _("items in feeds"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "How many of the newest stories (or comments) each RSS and Atom "
            "feed lists, e.g. 20"
        ),
    )
    feed_full_text = models.BooleanField(
        _("full text in feeds"),
        default=False,
        help_text=_(
            "Give the whole article in the RSS and Atom feeds; otherwise the "
            "standfirst (excerpt) only"
        ),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return self.site_name

    @classmethod
    def first_values(cls) -> dict[str, Any]:
        return {"site_name": settings.SITE_NAME, "time_zone": settings.TIME_ZONE}

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)
