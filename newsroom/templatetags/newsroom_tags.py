"""The back office's newsroom bar and landing page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom import services

register = template.Library()

#: The newsroom bar: (label, admin URL name, query string, permission).
SHORTCUTS = [
    (_("Write"), "admin:articles_article_add", "", "articles.add_article"),
    (_("Stories"), "admin:articles_article_changelist", "", "articles.view_article"),
    (_("For review"), "admin:articles_article_changelist", "?status__exact=pending",
     "articles.publish_article"),
    (_("Comments"), "admin:comments_comment_changelist", "?status__exact=pending",
     "comments.change_comment"),
    (_("Sections"), "admin:articles_category_changelist", "",
     "articles.change_category"),
    (_("Tags"), "admin:articles_tag_changelist", "", "articles.change_tag"),
    (_("Subscribers"), "admin:subscriptions_subscriber_changelist", "",
     "subscriptions.view_subscriber"),
    (_("Reads"), "admin:audience_dailyreads_changelist", "",
     "audience.view_dailyreads"),
    (_("Accounts"), "admin:auth_user_changelist", "", "auth.change_user"),
    (_("Settings"), "admin:core_sitesettings_changelist", "",
     "core.change_sitesettings"),
]  # fmt: skip


def shortcuts(user: Any) -> list[dict[str, str]]:
    return [
        {"label": str(label), "url": reverse(name) + query}
        for label, name, query, permission in SHORTCUTS
        if user.has_perm(permission)
    ]


@register.inclusion_tag("admin/newsroom/bar.html", takes_context=True)
def newsroom_bar(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {"links": shortcuts(user) if user.is_active and user.is_staff else []}


@register.inclusion_tag("admin/newsroom/dashboard.html", takes_context=True)
def newsroom_dashboard(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {
        "board": services.dashboard(user),
        "role": services.role_of(user),
        "can_publish": user.has_perm("articles.publish_article"),
    }
