from __future__ import annotations

import re

import nh3
from django import template
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

from comments import services
from comments.forms import CommentForm, comment_initial
from comments.models import Comment, DiscussionSettings

register = template.Library()
_PARAGRAPHS = re.compile(r"\n\s*\n")


@register.filter
def comment_text(text: str) -> SafeString:
    """Plain text to paragraphs with links (rel="nofollow ugc"); nothing a
    commenter types becomes markup."""
    parts = []
    for paragraph in _PARAGRAPHS.split((text or "").strip()):
        html = urlize(paragraph, trim_url_limit=60, nofollow=True, autoescape=True)
        html = html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
        parts.append("<p>" + html.replace("\n", "<br>") + "</p>")
    clean = nh3.clean(
        "".join(parts),
        tags={"p", "br", "a"},
        attributes={"a": {"href", "rel"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return mark_safe(clean)


def _own_pending(request, article) -> Comment | None:
    """The poster's own held comment, shown to them only (their link has the hash)."""
    raw = request.GET.get("unapproved", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    comment = Comment.objects.filter(
        pk=int(raw),
        article=article,
        status__in=[Comment.Status.PENDING, Comment.Status.SPAM],
    ).first()
    if comment and comment.check_moderation_hash(request.GET.get("moderation-hash")):
        return comment
    return None


def _page_number(request) -> int:
    raw = request.GET.get("cpage", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


@register.inclusion_tag("includes/comments.html", takes_context=True)
def comments_block(context, article):
    request = context["request"]
    discussion = DiscussionSettings.load()
    own = _own_pending(request, article)
    thread = services.discussion_page(
        article, page=_page_number(request), discussion=discussion, own_pending=own
    )
    is_open = services.comments_open(article, discussion)
    return {
        "article": article,
        "site": context.get("site"),
        "discussion": thread,
        "max_depth": discussion.thread_depth,
        "comments_open": is_open,
        "form": CommentForm(initial=comment_initial(article.pk)) if is_open else None,
    }
