"""Reads per article and day, the rankings built from them, and related posts."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from lib.singleton import SingletonModel


class DailyReadsQuerySet(models.QuerySet):
    def since(self, day) -> DailyReadsQuerySet:
        return self.filter(day__gte=day)

    def total(self) -> int:
        return self.aggregate(n=Sum("count"))["n"] or 0


class DailyReads(models.Model):
    """Counted reads of one article on one day of the site's time zone."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="daily_reads",
    )
    day = models.DateField(_("day"), help_text=_("In the site's time zone"))
    count = models.PositiveIntegerField(_("reads"), default=0)

    objects = DailyReadsQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily reads")
        verbose_name_plural = _("daily reads")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day"], name="audience_daily_reads_unique"
            )
        ]
        indexes = [
            # Rankings: reads per article since a day (an index-only range scan).
            models.Index(fields=["day", "article", "count"], name="audience_day_idx")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.count}"


class DailySalt(models.Model):
    """The secret mixed into the visitor hashes of one (UTC) day. Kept two days,
    so a visitor's hash cannot be linked across days once it is deleted."""

    day = models.DateField(_("day"), primary_key=True)
    salt = models.CharField(_("salt"), max_length=64)

    class Meta:
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self) -> str:
        return str(self.day)


class RecentRead(models.Model):
    """Who read what in the last half hour, as a salted hash: the flush counts a
    read only if the same hash was not counted within the dedupe window."""

    digest = models.CharField(_("digest"), max_length=32, primary_key=True)
    counted_at = models.DateTimeField(_("counted at"), db_index=True)

    class Meta:
        verbose_name = _("recent read")
        verbose_name_plural = _("recent reads")

    def __str__(self) -> str:
        return self.digest


class RankedArticle(models.Model):
    """One place in a precomputed list (Top 5 This Week, Popular Articles)."""

    class List(models.TextChoices):
        WEEK = "week", _("Top this week")
        POPULAR = "popular", _("Popular")

    list = models.CharField(_("list"), max_length=10, choices=List.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="rankings",
    )
    reads = models.PositiveIntegerField(_("reads in the window"), default=0)

    class Meta:
        verbose_name = _("ranked article")
        verbose_name_plural = _("ranked articles")
        ordering = ["list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["list", "position"], name="audience_ranked_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.list} #{self.position}"


class RelatedArticle(models.Model):
    """A computed (or pinned) related post of an article, in display order."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="related_set",
    )
    related = models.ForeignKey(
        Article,
        verbose_name=_("related article"),
        on_delete=models.CASCADE,
        related_name="listed_as_related",
    )
    score = models.FloatField(_("score"), default=0)
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related"], name="audience_related_unique"
            )
        ]
        indexes = [
            # related_articles(): the list of one article in display order.
            models.Index(fields=["article", "rank"], name="audience_related_rank_idx")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id}"


class RelatedChoice(models.Model):
    """An editor's hand-made choice: pin an article as related, or exclude it."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Pin (always show, first)")
        EXCLUDE = "exclude", _("Exclude (never show)")

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="related_choices",
    )
    other = models.ForeignKey(
        Article,
        verbose_name=_("related article"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The article to pin or exclude"),
    )
    kind = models.CharField(_("choice"), max_length=8, choices=Kind.choices)

    class Meta:
        verbose_name = _("related post choice")
        verbose_name_plural = _("related post choices")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "other"], name="audience_choice_unique"
            ),
            models.CheckConstraint(
                condition=~Q(article=models.F("other")), name="audience_choice_other"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.other_id}"


class TermPosting(models.Model):
    """One of the distinctive terms of an article and its weight (a unit TF-IDF
    vector, truncated): the inverted index Related Posts are found with."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    term = models.CharField(_("term"), max_length=64)
    weight = models.FloatField(_("weight"))

    class Meta:
        verbose_name = _("term posting")
        verbose_name_plural = _("term postings")
        indexes = [
            # similar_to(): every article carrying one of a few terms.
            models.Index(
                fields=["term", "article", "weight"], name="audience_term_idx"
            ),
            # Replacing one article's vector.
            models.Index(fields=["article"], name="audience_term_article_idx"),
        ]

    def __str__(self) -> str:
        return self.term


class TermStat(models.Model):
    """Document frequency of a term over all indexed articles (for the IDF)."""

    term = models.CharField(_("term"), max_length=64, primary_key=True)
    df = models.PositiveIntegerField(_("articles"), default=0)

    class Meta:
        verbose_name = _("term statistic")
        verbose_name_plural = _("term statistics")

    def __str__(self) -> str:
        return f"{self.term} ({self.df})"


class RelatedSettings(SingletonModel):
    """How Related Posts are chosen, edited in the admin. There is one row."""

    cache_key = "audience:related-settings:v1"

    max_age_days = models.PositiveIntegerField(
        _("maximum age (days)"),
        default=365,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Articles published this many days or more before the article are "
            "offered as related only when they are very close, e.g. 365"
        ),
    )
    very_close = models.FloatField(
        _("very close score"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Similarity (0 to 1) from which age does not matter, e.g. 0.5"),
    )
    recency_half_life_days = models.PositiveIntegerField(
        _("recency half-life (days)"),
        default=180,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A candidate published this many days apart scores half as much, e.g. 180"
        ),
    )

    class Meta:
        verbose_name = _("related posts settings")
        verbose_name_plural = _("related posts settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class TaskSchedule(models.Model):
    """When a periodic task is next due; claimed with a conditional UPDATE so
    that only one chain of the task keeps running."""

    name = models.CharField(_("task"), max_length=50, primary_key=True)
    next_run_at = models.DateTimeField(_("next run at"))

    class Meta:
        verbose_name = _("task schedule")
        verbose_name_plural = _("task schedules")

    def __str__(self) -> str:
        return self.name
