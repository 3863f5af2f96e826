from __future__ import annotations

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from comments import services
from comments.forms import CommentForm, comment_initial
from comments.models import Comment, DiscussionSettings
from lib import fragments, pagecache
from lib.html import text_to_html

register = template.Library()


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


def _render_node(node: services.ThreadNode, can_reply: bool, max_depth: int) -> str:
    """One comment and its replies, as HTML. Built in Python with every value
    escaped, rather than a recursive template include: a thread of 1,000
    comments renders in tens of milliseconds instead of a second."""
    c = node.comment
    name = escape(c.author_name)
    if c.author_url and c.is_public:
        author = (
            f'<a href="{escape(c.author_url)}" rel="nofollow ugc noopener">{name}</a>'
        )
    else:
        author = name
    when = localtime(c.created_at)
    shown = f"{when:%B} {when.day}, {when.year} at {when:%H:%M}"
    pending = "" if c.is_public else " comment--pending"
    parts = [
        f'<li class="comment{pending}" id="comment-{c.pk}">'
        f'<article aria-label="Comment by {name}">'
        f'<p class="comment__meta"><strong class="comment__author">{author}</strong>'
        f' · <a class="comment__permalink" href="#comment-{c.pk}">'
        f'<time datetime="{when.isoformat()}">{shown}</time></a></p>'
    ]
    if not c.is_public:
        parts.append(
            '<p class="comment__moderation" role="status">'
            "Your comment is awaiting moderation.</p>"
        )
    body = c.body_html or text_to_html(c.body)
    parts.append(f'<div class="comment__body">{body}</div>')
    if c.is_public and can_reply and c.depth < max_depth:
        parts.append(
            f'<p class="comment__reply"><a href="#respond" data-reply-to="{c.pk}" '
            f'data-reply-name="{name}">Reply</a></p>'
        )
    parts.append("</article>")
    if node.children:
        parts.append('<ol class="comment-children">')
        parts.extend(_render_node(n, can_reply, max_depth) for n in node.children)
        parts.append("</ol>")
    parts.append("</li>")
    return "".join(parts)


@register.inclusion_tag("includes/comments.html", takes_context=True)
def comments_block(context, article):
    """The article's comments: the page of threads is a fragment
    (lib/fragments) kept by the version of the article's comments tag (bumped
    when one becomes public or changes) and of SITE, unless the poster's own
    held comment is shown."""
    request = context["request"]
    discussion = DiscussionSettings.load()
    own = _own_pending(request, article)
    is_open = services.comments_open(article, discussion)
    # Past the last page Paginator shows the last one: the key's page is kept
    # within what the article's comment count allows.
    last = max(1, -(-article.comment_count // max(1, discussion.per_page)))
    page = min(_page_number(request), last)

    def render_list() -> str:
        thread = services.discussion_page(
            article, page=page, discussion=discussion, own_pending=own
        )
        html = "".join(
            _render_node(node, is_open, discussion.thread_depth)
            for node in thread.nodes
        )
        return render_to_string(
            "includes/comment_list.html",
            {"discussion": thread, "thread_html": mark_safe(html)},
        )  # every value is escaped in _render_node

    if own is None:
        name = fragments.key(
            "comments",
            article.pk,
            page,
            is_open,
            *pagecache.versions(
                [pagecache.tag("comments", article.slug), pagecache.SITE]
            ),
            timezone.get_current_timezone_name(),
        )
        comment_list = fragments.fragment(name, render_list)
    else:
        comment_list = mark_safe(render_list())
    return {
        "article": article,
        "site": context.get("site"),
        "comment_list": comment_list,
        "comments_open": is_open,
        "form": CommentForm(initial=comment_initial(article.pk)) if is_open else None,
    }
