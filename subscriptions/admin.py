from __future__ import annotations

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from subscriptions import services
from subscriptions.models import (
    Delivery,
    Digest,
    DigestDelivery,
    MailingSettings,
    SendStatus,
    Subscriber,
)
from subscriptions.tasks import new_post_message, send_batch

MAX_IMPORT_BYTES = 25 * 1024 * 1024


def _totals(queryset, field: str, values) -> dict[str, int]:
    return queryset.aggregate(
        **{v: Count("pk", filter=Q(**{field: v})) for v in values}
    )


@admin.register(MailingSettings)
class MailingSettingsAdmin(admin.ModelAdmin):
    """One row: the list page opens it straight away."""

    def has_add_permission(self, request) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        row = MailingSettings.load()
        return redirect(
            reverse("admin:subscriptions_mailingsettings_change", args=[row.pk])
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "An export from Jetpack, Mailchimp, Substack or a spreadsheet, "
            "with a column named 'email' or 'Email Address'."
        ),  # fmt: skip
    )
    consent = forms.TypedChoiceField(
        label=_("These people"),
        coerce=lambda v: v == "keep",
        widget=forms.RadioSelect,
        choices=[
            ("keep", _("agreed to receive our emails: keep their consent")),
            ("ask", _("must confirm: send each a confirmation email")),
        ],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 25 MB; split it and import each part.")
            )
        return upload


class TestSendForm(forms.Form):
    article = forms.ModelChoiceField(
        label=_("Post"),
        queryset=Article.objects.select_related("author").order_by("-updated_at"),
        help_text=_("Drafts and scheduled posts too, to check them before they go."),
    )
    email = forms.EmailField(label=_("Send to"), max_length=254)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "frequency", "source", "created_at",
                    "confirmed_at"]  # fmt: skip
    list_filter = ["status", "frequency", "source"]
    search_fields = ["email"]
    readonly_fields = ["created_at", "confirmed_at", "unsubscribed_at", "source"]
    filter_horizontal = ["categories"]
    show_full_result_count = False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view),
                 name="subscriptions_subscriber_import"),
            path("export/", self.admin_site.admin_view(self.export_view),
                 name="subscriptions_subscriber_export"),
        ] + super().get_urls()  # fmt: skip

    def changelist_view(self, request, extra_context=None):
        totals = _totals(Subscriber.objects, "status", Subscriber.Status.values)
        extra_context = (extra_context or {}) | {"totals": totals}
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        """The list as it is filtered on the page, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_changelist_instance(request).get_queryset(request)

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        rows = (writer.writerow(row) for row in services.export_rows(queryset))
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="subscribers-{stamp}.csv"'
        )
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = error = None
        if request.method == "POST" and form.is_valid():
            try:
                report = services.import_csv(
                    data=form.cleaned_data["file"].read(),
                    consent=form.cleaned_data["consent"],
                )
            except services.ImportRefused as refused:
                error = str(refused)
        context = self.admin_site.each_context(request) | {
            "title": _("Import subscribers"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "error": error,
        }
        status = 400 if request.method == "POST" and report is None else 200
        return TemplateResponse(
            request,
            "admin/subscriptions/subscriber/import.html",
            context,
            status=status,
        )


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

    def get_urls(self):
        return [
            path("test/", self.admin_site.admin_view(self.test_view),
                 name="subscriptions_delivery_test"),
        ] + super().get_urls()  # fmt: skip

    def changelist_view(self, request, extra_context=None):
        """Totals for what is shown: the whole log, or one post's when the
        list is filtered by post."""
        shown = Delivery.objects.all()
        if request.GET.get("article__id__exact", "").isdigit():
            shown = shown.filter(article_id=request.GET["article__id__exact"])
        totals = _totals(shown, "status", SendStatus.values)
        extra_context = (extra_context or {}) | {"totals": totals}
        return super().changelist_view(request, extra_context)

    def test_view(self, request):
        """Send the new-post email of any post to one address, to check it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = TestSendForm(request.POST or None, initial={"email": request.user.email})
        if request.method == "POST" and form.is_valid():
            article = form.cleaned_data["article"]
            reader = Subscriber(pk=0, email=form.cleaned_data["email"])
            message = new_post_message(article, reader)
            message.subject = f"[Test] {message.subject}"
            try:
                message.send()
            except OSError as error:
                messages.error(request, _("The mail server refused it: %s") % error)
            else:
                messages.success(
                    request, _("Test sent to %s.") % form.cleaned_data["email"]
                )
                return redirect(reverse("admin:subscriptions_delivery_test"))
        context = self.admin_site.each_context(request) | {
            "title": _("Send a test email of a post"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(
            request, "admin/subscriptions/delivery/test.html", context
        )

    @admin.action(description=_("Send again (failed or stuck while sending)"))
    def send_again(self, request, queryset):
        retry = queryset.filter(status__in=[SendStatus.FAILED, SendStatus.SENDING])
        by_article: dict[int, list[int]] = {}
        for article_id, subscriber_id in retry.values_list(
            "article_id", "subscriber_id"
        ):
            by_article.setdefault(article_id, []).append(subscriber_id)
        count = retry.update(status=SendStatus.QUEUED, error="")
        for article_id, subscriber_ids in by_article.items():
            send_batch.enqueue(article_id, subscriber_ids)
        self.message_user(request, _("%(n)d emails queued again.") % {"n": count})


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "period_start", "period_end", "sent", "skipped",
                    "failed", "waiting"]  # fmt: skip
    list_filter = ["frequency"]
    readonly_fields = ["frequency", "edition", "period_start", "period_end",
                       "created_at"]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        sends = "sends__status"
        return super().get_queryset(request).annotate(
            sent=Count("sends", filter=Q(**{sends: SendStatus.SENT})),
            skipped=Count("sends", filter=Q(**{sends: SendStatus.SKIPPED})),
            failed=Count("sends", filter=Q(**{sends: SendStatus.FAILED})),
            waiting=Count("sends", filter=Q(**{f"{sends}__in": [
                SendStatus.QUEUED, SendStatus.SENDING]})),
        )  # fmt: skip

    @admin.display(description=_("sent"), ordering="sent")
    def sent(self, obj):
        return obj.sent

    @admin.display(description=_("skipped"), ordering="skipped")
    def skipped(self, obj):
        return obj.skipped

    @admin.display(description=_("failed"), ordering="failed")
    def failed(self, obj):
        return obj.failed

    @admin.display(description=_("waiting"), ordering="waiting")
    def waiting(self, obj):
        return obj.waiting


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["digest", "subscriber", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "digest__frequency"]
    list_select_related = ["digest", "subscriber"]
    search_fields = ["subscriber__email"]
    readonly_fields = ["digest", "subscriber", "attempts", "sent_at", "error"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False
