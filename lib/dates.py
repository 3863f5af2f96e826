"""Dates in the site's time zone (the current one: core's middleware activates
the newsroom's for each request)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def start_of_trailing_days(days: int) -> dt.datetime:
    """Midnight, in the current (site) time zone, `days - 1` days before today."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    return dt.datetime.combine(
        first, dt.time.min, tzinfo=timezone.get_current_timezone()
    )
