"""An SVG bar chart of daily reads, drawn on the server (no script, so the
Content Security Policy has nothing to allow: only attributes, no style)."""

from __future__ import annotations

import datetime as dt
import math

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDTH, HEIGHT = 900, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 40


def _nice_ceiling(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 x 10^n)."""
    if value <= 5:
        return 5
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return int(step * power)
    return 10 * power


@register.simple_tag
def reads_chart(series: list[tuple[dt.date, int]], label: str = "") -> SafeString:
    """Bars per day with a labelled y axis, a date every week and a tooltip
    (<title>) on each bar."""
    if not series:
        return mark_safe("")
    top = _nice_ceiling(max(n for _d, n in series))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(series)
    bar = max(1.0, slot * 0.8)
    grid = _grid(top, plot_h)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#2c6fbb">'
        "<title>{}: {} reads</title></rect>",
        (
            (
                f"{LEFT + i * slot + (slot - bar) / 2:.1f}",
                f"{TOP + plot_h - plot_h * n / top:.1f}",
                f"{bar:.1f}",
                f"{plot_h * n / top:.1f}",
                day.strftime("%a %d %b %Y"),
                f"{n:,}",
            )
            for i, (day, n) in enumerate(series)
        ),
    )
    every = max(1, math.ceil(len(series) / 12))
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#555">{}</text>',
        (
            (
                f"{LEFT + i * slot + slot / 2:.1f}",
                HEIGHT - BOTTOM + 16,
                day.strftime("%d %b"),
            )
            for i, (day, _n) in enumerate(series)
            if (len(series) - 1 - i) % every == 0
        ),
    )
    return format_html(
        '<svg class="reads-chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{label}</title>{grid}{bars}{ticks}"
        '<line x1="{l}" y1="{base}" x2="{r}" y2="{base}" stroke="#333"/></svg>',
        w=WIDTH, h=HEIGHT, label=label, grid=grid, bars=bars, ticks=ticks,
        l=LEFT, r=WIDTH - RIGHT, base=TOP + plot_h,
    )  # fmt: skip


def _grid(top: int, plot_h: int) -> SafeString:
    rows = []
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        rows.append((LEFT, f"{y:.1f}", WIDTH - RIGHT, LEFT - 6, f"{top * i // 4:,}"))
    return format_html_join(
        "",
        '<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#ddd"/>'
        '<text x="{3}" y="{1}" dy="4" text-anchor="end" font-size="11" '
        'fill="#555">{4}</text>',
        rows,
    )
