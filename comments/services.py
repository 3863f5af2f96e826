"""Comment workflows: posting, moderation, threads, privacy tools."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, DiscussionSettings
from comments.tasks import notify_about_comment
from core.models import SiteSettings
from lib import pagecache

#: What showing a comment needs (not the email, address or browser).
DISPLAY_FIELDS = ["parent_id", "thread_id", "depth", "author_name", "author_url",
                  "body", "body_html", "status", "created_at"]  # fmt: skip
_LINK_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def comments_open(article: Article, discussion: DiscussionSettings) -> bool:
    """Open per article, and closed automatically after the configured days."""
    # is_live implies a publication time; the last test tells mypy so.
    if not article.comments_open or not article.is_live or article.published_at is None:
        return False
    if discussion.close_after_days == 0:
        return True
    age = timezone.now() - article.published_at
    return age <= dt.timedelta(days=discussion.close_after_days)


def moderation_status(comment: Comment, discussion: DiscussionSettings) -> str:
    """Decide the status of a new comment, WordPress style: spam on a blocklist
    word; held on a moderation word, too many links, or a first comment."""
    text = " ".join(
        [comment.body, comment.author_name, comment.author_email, comment.author_url]
    ).lower()
    if any(word in text for word in discussion.blocklist_words):
        return Comment.Status.SPAM
    if comment.user_id and comment.user is not None and comment.user.is_staff:
        return Comment.Status.APPROVED
    if any(word in text for word in discussion.moderation_words):
        return Comment.Status.PENDING
    if len(_LINK_RE.findall(comment.body)) > discussion.max_links:
        return Comment.Status.PENDING
    if discussion.hold_first_comment and not (
        Comment.objects.approved().by_email(comment.author_email).exists()
    ):
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


def is_duplicate(article: Article, body: str, email: str) -> bool:
    return (
        Comment.objects.on(article)
        .by_email(email)
        .filter(content_hash=Comment.hash_for(body))
        .exclude(status=Comment.Status.TRASH)
        .exists()
    )


def post_comment(
    *,
    article: Article,
    parent: Comment | None,
    name: str,
    email: str,
    url: str,
    body: str,
    notify_replies: bool,
    ip_address: str | None,
    user_agent: str,
    user=None,
) -> Comment:
    """Save a reader's comment with the status the moderation rules give it."""
    discussion = DiscussionSettings.load()
    comment = Comment(
        article=article,
        parent=parent,
        author_name=name,
        author_email=email,
        author_url=url,
        body=body,
        notify_replies=notify_replies,
        ip_address=ip_address,
        user_agent=user_agent[:255],
        user=user if user is not None and user.is_authenticated else None,
    )
    comment.status = moderation_status(comment, discussion)
    with transaction.atomic():
        comment.save()
        if comment.is_public:
            _comment_became_public(comment)
        transaction.on_commit(
            lambda: notify_about_comment.enqueue(comment.pk, comment.status)
        )
    return comment


def set_status(comment: Comment, status: str) -> bool:
    """Move a comment between pending, approved, spam and trash."""
    if comment.status == status:
        return False
    was_public = comment.is_public
    with transaction.atomic():
        comment.status = status
        comment.save(update_fields=["status"])
        if comment.is_public or was_public:
            _comment_became_public(comment)
        if comment.is_public:
            transaction.on_commit(
                lambda: notify_about_comment.enqueue(comment.pk, "approved")
            )
    return True


def _comment_became_public(comment: Comment) -> None:
    """The article's comments changed: recount, and outdate its cached page
    and comments feed (tagged ("comments", slug); only those: listings show
    the count and catch up within PAGE_CACHE_SECONDS)."""
    recount([comment.article_id])
    discussion = pagecache.tag("comments", comment.article.slug)
    pagecache.invalidate_on_commit(discussion)


def article_path(article: Article) -> str:
    with timezone.override(SiteSettings.load().tzinfo):
        return article.get_absolute_url()


def recount(article_ids: Iterable[int]) -> None:
    """Store how many approved comments each of these articles has
    (`Article.comment_count`, what lists and feeds show): one UPDATE."""
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.filter(pk__in=list(article_ids)).update(
        comment_count=Coalesce(Subquery(approved), 0)
    )


@dataclass
class ThreadNode:
    comment: Comment
    children: list[ThreadNode] = field(default_factory=list)


@dataclass
class Discussion:
    nodes: list[ThreadNode]
    page_obj: object


def discussion_page(
    article: Article,
    *,
    page: int = 1,
    discussion: DiscussionSettings,
    own_pending: Comment | None = None,
) -> Discussion:
    """One page of threads and all their replies: three queries whatever the
    number of comments."""
    threads = Comment.objects.approved().on(article).threads().only("pk")
    order = ("-created_at", "-pk") if discussion.newest_first else ("created_at", "pk")
    paginator = Paginator(threads.order_by(*order), discussion.per_page)
    page_obj = paginator.get_page(page)
    root_ids = [c.pk for c in page_obj.object_list]
    comments = (
        list(
            # The article's own comments first (comment_thread_page_idx): on
            # its own, the OR below made SQLite walk every approved comment of
            # the site in date order (24 ms at 50,000 comments).
            Comment.objects.approved()
            .filter(article=article)
            .filter(Q(pk__in=root_ids) | Q(thread_id__in=root_ids))
            .only(*DISPLAY_FIELDS)
            .order_by("created_at", "pk")
        )
        if root_ids
        else []
    )
    if own_pending is not None and own_pending.thread_id in (None, *root_ids):
        comments.append(own_pending)
    nodes = {c.pk: ThreadNode(c) for c in comments}
    roots = []
    for comment in comments:
        node = nodes[comment.pk]
        if comment.parent_id and comment.parent_id in nodes:
            nodes[comment.parent_id].children.append(node)
        elif comment.parent_id is None:
            roots.append(node)
    position = {pk: index for index, pk in enumerate(root_ids)}
    if own_pending is not None and own_pending.parent_id is None:
        position[own_pending.pk] = -1 if discussion.newest_first else len(position)
    roots.sort(key=lambda n: position.get(n.comment.pk, 0))
    return Discussion(roots, page_obj)


def pending_counts() -> dict[str, int]:
    rows = Comment.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def export_personal_data(email: str) -> list[dict]:
    """Everything stored about a commenter, as WordPress's exporter gives it."""
    return [
        {
            "article": c.article.headline,
            "article_url": c.article.get_absolute_url(),
            "posted_at": c.created_at.isoformat(),
            "name": c.author_name,
            "email": c.author_email,
            "website": c.author_url,
            "ip_address": c.ip_address,
            "browser": c.user_agent,
            "status": c.status,
            "comment": c.body,
        }
        for c in Comment.objects.by_email(email).select_related("article")
    ]


def erase_personal_data(email: str) -> int:
    """Anonymise a commenter's comments; the text stays, who wrote it goes."""
    with transaction.atomic():
        erased = Comment.objects.by_email(email).update(
            author_name="Anonymous",
            author_email="",
            author_url="",
            ip_address=None,
            user_agent="",
            notify_replies=False,
        )
    if erased:
        transaction.on_commit(pagecache.invalidate_site)
    return erased
