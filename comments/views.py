from __future__ import annotations

from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from articles.models import Article
from comments import services
from comments.forms import CommentForm, sign_timestamp
from comments.models import Comment, DiscussionSettings
from comments.tasks import UNSUBSCRIBE_SALT
from lib import ratelimit


def _rejected(request, form, article, message: str, status: int = 400):
    """Say what went wrong and give the reader's text back in the form."""
    if message:
        form.add_error(None, message)
    context = {"form": form, "article": article}
    return render(request, "comments/post_error.html", context, status=status)


def _find_parent(form, article, discussion) -> tuple[Comment | None, str]:
    parent_id = form.cleaned_data.get("parent")
    if not parent_id:
        return None, ""
    parent = Comment.objects.approved().filter(pk=parent_id, article=article).first()
    if parent is None:
        return None, _("The comment you replied to is no longer available.")
    if parent.depth >= discussion.thread_depth:
        return None, _("Replies cannot go deeper here; reply to an earlier comment.")
    return parent, ""


@never_cache
@require_POST
def post_comment(request: HttpRequest) -> HttpResponse:
    discussion = DiscussionSettings.load()
    form = CommentForm(request.POST, min_seconds=discussion.min_seconds_to_submit)
    valid = form.is_valid()
    article_id = form.cleaned_data.get("article")
    article = (
        Article.objects.published().filter(pk=article_id).first()
        if article_id
        else None
    )
    if not valid or article is None:
        return _rejected(request, form, article, "")
    if not services.comments_open(article, discussion):
        return _rejected(request, form, article, _("Comments are closed here."))
    parent, problem = _find_parent(form, article, discussion)
    if problem:
        return _rejected(request, form, article, problem)
    data = form.cleaned_data
    ip = ratelimit.client_ip(request)
    if services.is_duplicate(article, data["body"], data["email"]):
        message = _("Duplicate comment detected; it looks as though you’ve already "
                    "said that!")  # fmt: skip
        return _rejected(request, form, article, message, status=409)
    if not ratelimit.first_within("comment-flood", ip, discussion.flood_seconds):
        message = _("You are posting comments too quickly. Slow down.")
        return _rejected(request, form, article, message, status=429)
    if not ratelimit.allow(
        "comment-hour", ip, limit=discussion.max_per_hour, window=3600
    ):
        message = _("Too many comments from your address this hour. Please try "
                    "again later.")  # fmt: skip
        return _rejected(request, form, article, message, status=429)
    comment = services.post_comment(
        article=article,
        parent=parent,
        name=data["name"],
        email=data["email"],
        url=data["url"],
        body=data["body"],
        notify_replies=data["notify_replies"],
        ip_address=ip or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        user=request.user,
    )
    url = services.article_path(article)
    if comment.is_public:
        # The query string skips the page cache: the poster sees the page with
        # their comment even while other readers still get the previous copy.
        return redirect(f"{url}?comment={comment.pk}#comment-{comment.pk}")
    query = urlencode(
        {"unapproved": comment.pk, "moderation-hash": comment.moderation_hash()}
    )
    return redirect(f"{url}?{query}#comment-{comment.pk}")


@never_cache
@require_GET
def form_stamp(request: HttpRequest, article_id: int) -> JsonResponse:
    """A fresh signed time for a form on a cached page, taken when the reader
    starts writing."""
    return JsonResponse({"ts": sign_timestamp(article_id)})


@never_cache
@require_safe
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A link in an email opens this page; only its button (a POST) acts."""
    return _unsubscribe_page(request, token, done=False)


@never_cache
@require_POST
def unsubscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _unsubscribe_page(request, token, done=True)


def _unsubscribe_page(request, token: str, *, done: bool) -> HttpResponse:
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    try:
        comment_id = signer.unsign(token, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        return render(
            request, "comments/unsubscribe.html", {"invalid": True}, status=400
        )
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=comment_id
    )
    if done:
        Comment.objects.filter(pk=comment.pk).update(notify_replies=False)
    context = {"comment": comment, "token": token, "done": done}
    return render(request, "comments/unsubscribe.html", context)
