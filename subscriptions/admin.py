from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from subscriptions.models import Delivery, Subscriber
from subscriptions.tasks import send_batch


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    readonly_fields = ["created_at", "confirmed_at", "unsubscribed_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The sending log: one row per post and subscriber."""

    list_display = ["article", "subscriber", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article", "subscriber"]
    search_fields = ["subscriber__email", "article__headline"]
    readonly_fields = ["article", "subscriber", "attempts", "sent_at", "error"]
    show_full_result_count = False
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        totals = Delivery.objects.aggregate(
            **{s: Count("pk", filter=Q(status=s)) for s in Delivery.Status.values}
        )
        extra_context = (extra_context or {}) | {"totals": totals}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Send again (failed or stuck while sending)"))
    def send_again(self, request, queryset):
        retry = queryset.filter(
            status__in=[Delivery.Status.FAILED, Delivery.Status.SENDING]
        )
        by_article: dict[int, list[int]] = {}
        for article_id, subscriber_id in retry.values_list(
            "article_id", "subscriber_id"
        ):
            by_article.setdefault(article_id, []).append(subscriber_id)
        count = retry.update(status=Delivery.Status.QUEUED, error="")
        for article_id, subscriber_ids in by_article.items():
            send_batch.enqueue(article_id, subscriber_ids)
        self.message_user(request, _("%(n)d emails queued again.") % {"n": count})
