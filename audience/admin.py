"""Reads in the article admin, the stats page, and Related Posts controls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.admin import ArticleAdmin
from articles.models import Article
from audience import services
from audience.models import DailyReads, RelatedArticle, RelatedChoice, RelatedSettings

STATS_DAYS = (30, 90, 365)

if TYPE_CHECKING:

    class ListedArticle(Article):
        """An article of the admin's list, with what ReadsChangeList adds."""

        read_totals: services.ReadTotals


class ReadsChangeList(ChangeList):
    """Fetch the reads of the listed page of articles in one query."""

    def get_results(self, request) -> None:
        super().get_results(request)
        totals = services.read_totals([a.pk for a in self.result_list])
        for article in self.result_list:
            article.read_totals = totals[article.pk]


@admin.register(RelatedChoice)
class RelatedChoiceAdmin(admin.ModelAdmin):
    """Pins and exclusions, kept out of the article form so that its POST stays
    what it was (an inline would add a management form to every save)."""

    list_display = ["article", "kind", "other"]
    list_filter = ["kind"]
    list_select_related = ["article", "other"]
    search_fields = ["article__headline", "other__headline"]
    autocomplete_fields = ["article", "other"]


admin.site.unregister(Article)


@admin.register(Article)
class AudienceArticleAdmin(ArticleAdmin):
    """The article admin with reads (list and form) and Related Posts controls."""

    list_display = [*ArticleAdmin.list_display, "reads_week", "reads_total"]
    readonly_fields = [*ArticleAdmin.readonly_fields, "reads", "related_now"]
    fieldsets = [
        *ArticleAdmin.fieldsets,
        (_("Audience"), {"fields": ["reads", "related_now"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return ReadsChangeList

    @admin.display(description=_("reads 7 days"))
    def reads_week(self, obj: ListedArticle) -> int:
        return obj.read_totals.week

    @admin.display(description=_("reads all time"))
    def reads_total(self, obj: ListedArticle) -> int:
        return obj.read_totals.all_time

    @admin.display(description=_("reads"))
    def reads(self, obj: Article) -> str:
        if not obj.pk:
            return "–"
        t = services.read_totals([obj.pk])[obj.pk]
        url = reverse("admin:audience_dailyreads_changelist") + f"?article={obj.pk}"
        return format_html(
            "Today {} · 7 days {} · 30 days {} · all time {} · "
            '<a href="{}">daily chart</a>',
            t.today, t.week, t.month, t.all_time, url,
        )  # fmt: skip

    @admin.display(description=_("Related Posts now"))
    def related_now(self, obj: Article) -> str:
        rows = (
            RelatedArticle.objects.filter(article_id=obj.pk)
            .select_related("related")
            .order_by("rank")
            if obj.pk
            else []
        )
        items = format_html_join(
            "", "<li>{} <small>({})</small></li>", (
                (r.related.headline, f"{r.score:.2f}") for r in rows
            )
        )  # fmt: skip
        choices = reverse("admin:audience_relatedchoice_changelist")
        add = reverse("admin:audience_relatedchoice_add")
        links = format_html(
            '<p><a href="{}?article__id__exact={}">Pinned and excluded</a> · '
            '<a href="{}?article={}">pin or exclude one</a></p>',
            choices, obj.pk, add, obj.pk,
        )  # fmt: skip
        listing = format_html("<ol>{}</ol>", items) if rows else "–"
        return format_html("{}{}", listing, links) if obj.pk else listing


@admin.register(DailyReads)
class ReadsStatsAdmin(admin.ModelAdmin):
    """The "Daily reads" entry of the admin is a stats page with a chart."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        try:
            days = int(request.GET.get("days", 30))
        except ValueError:
            days = 30
        days = days if days in STATS_DAYS else 30
        article = None
        if (raw := request.GET.get("article", "")).isdigit() and len(raw) < 19:
            article = get_object_or_404(Article, pk=int(raw))
        series = services.daily_series(days, article.pk if article else None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reads of %(what)s")
            % {"what": article.headline if article else _("the whole site")},
            "opts": self.model._meta,
            "article": article,
            "series": series,
            "total": sum(n for _d, n in series),
            "days": days,
            "day_choices": STATS_DAYS,
            "top": services.most_read(days) if article is None else [],
        }
        return render(request, "admin/audience/stats.html", context)


@admin.register(RelatedSettings)
class RelatedSettingsAdmin(admin.ModelAdmin):
    """One row: the list goes straight to its form."""

    def has_add_permission(self, request) -> bool:
        return False  # the row is created on first use (load())

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        pk = RelatedSettings.load().pk
        return redirect("admin:audience_relatedsettings_change", pk)
