from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comments import services
from comments.models import Comment, DiscussionSettings


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return not DiscussionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PrivacyForm(forms.Form):
    email = forms.EmailField(label=_("Commenter's email address"))


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "author_name", "author_email", "article", "status",
                    "created_at", "reply_link"]  # fmt: skip
    list_filter = ["status", "created_at"]
    list_select_related = ["article"]
    search_fields = ["body", "author_name", "author_email", "ip_address"]
    date_hierarchy = "created_at"
    raw_id_fields = ["article", "parent", "user"]
    readonly_fields = ["ip_address", "user_agent", "created_at", "depth", "body_format"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["approve", "unapprove", "mark_spam", "move_to_trash"]
    fields = ["article", "parent", "author_name", "author_email", "author_url",
              "body", "body_format", "status", "notify_replies", "created_at",
              "ip_address", "user_agent", "depth"]  # fmt: skip

    @admin.display(description=_("comment"))
    def excerpt(self, obj: Comment) -> str:
        return obj.body[:80] + ("…" if len(obj.body) > 80 else "")

    @admin.display(description=_("reply"))
    def reply_link(self, obj: Comment):
        if not obj.is_public:
            return ""
        url = reverse("admin:comments_comment_add")
        return format_html(
            '<a href="{}?parent={}&amp;article={}">{}</a>',
            url,
            obj.pk,
            obj.article_id,
            _("Reply"),
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        user = request.user
        initial.setdefault("author_name", user.get_full_name() or user.get_username())
        initial.setdefault("author_email", user.email)
        initial.setdefault("status", Comment.Status.APPROVED)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.user = request.user
            wanted = obj.status
            obj.status = Comment.Status.PENDING
            super().save_model(request, obj, form, change)
            services.set_status(obj, wanted)
            return
        if "status" in form.changed_data:
            wanted = obj.status
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            services.set_status(obj, wanted)
        else:
            super().save_model(request, obj, form, change)
            if obj.is_public:
                services.recount([obj.article_id])

    def _bulk(self, request, queryset, status: str, label: str) -> None:
        changed = sum(services.set_status(c, status) for c in queryset)
        self.message_user(request, _("%(n)d comments %(label)s.") % {
            "n": changed, "label": label})  # fmt: skip

    @admin.action(description=_("Approve"))
    def approve(self, request, queryset):
        self._bulk(request, queryset, Comment.Status.APPROVED, _("approved"))

    @admin.action(description=_("Unapprove (back to pending)"))
    def unapprove(self, request, queryset):
        self._bulk(request, queryset, Comment.Status.PENDING, _("unapproved"))

    @admin.action(description=_("Mark as spam"))
    def mark_spam(self, request, queryset):
        self._bulk(request, queryset, Comment.Status.SPAM, _("marked as spam"))

    @admin.action(description=_("Move to trash"))
    def move_to_trash(self, request, queryset):
        self._bulk(request, queryset, Comment.Status.TRASH, _("moved to trash"))

    def changelist_view(self, request, extra_context=None):
        extra_context = (extra_context or {}) | {
            "status_counts": services.pending_counts()
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        privacy = path(
            "privacy/",
            self.admin_site.admin_view(self.privacy_view),
            name="comments_comment_privacy",
        )
        return [privacy, *super().get_urls()]

    def privacy_view(self, request):
        """Export or erase a commenter's personal data (GDPR requests)."""
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = PrivacyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if "erase" in request.POST:
                erased = services.erase_personal_data(email)
                messages.success(
                    request,
                    _("Erased the personal data of %(n)d comments.") % {"n": erased},
                )
                return redirect("admin:comments_comment_privacy")
            data = services.export_personal_data(email)
            response = HttpResponse(
                json.dumps({"email": email, "comments": data}, indent=2),
                content_type="application/json",
            )
            response["Content-Disposition"] = (
                'attachment; filename="comment-data-export.json"'
            )
            return response
        context = self.admin_site.each_context(request) | {
            "form": form,
            "title": _("Commenters' personal data"),
            "opts": self.model._meta,
        }
        return render(request, "admin/comments/privacy.html", context)
