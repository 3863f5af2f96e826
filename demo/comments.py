"""Generated demo comments for `seed_demo --comments N`: original reader remarks
built from the project's own phrases, threaded, mostly approved."""

from __future__ import annotations

import datetime as dt
import random
from typing import cast

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.services import recount
from lib.html import text_to_html

FIRST = ["Anna", "Bilal", "Chen", "Dara", "Elif", "Femi", "Greta", "Hamza", "Ines",
         "Jonas", "Kemal", "Lina", "Marek", "Nadia", "Oskar", "Priya", "Rafael",
         "Saanvi", "Tomas", "Yara", "Zoltan", "Amara", "Bogdan", "Carmen"]  # fmt: skip
LAST = ["Adeyemi", "Berg", "Costa", "Dimitrov", "Eriksen", "Farouk", "Grant",
        "Horvat", "Ibrahim", "Jansen", "Kaya", "Lindqvist", "Moreau", "Novak",
        "Okoro", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka", "Varga",
        "Wolff"]  # fmt: skip
OPENINGS = [
    "Good piece.", "Thanks for the detail here.", "Useful summary.",
    "I have followed this for a while.", "Interesting angle.",
    "Not convinced, to be honest.", "This matches what I heard locally.",
    "Fair reporting, but one point.",
]  # fmt: skip
POINTS = [
    "The timeline in the middle section deserves a map of its own.",
    "Nobody has said who pays for the repairs, and that will decide the outcome.",
    "The same thing happened a decade ago and the inquiry took three years.",
    "I would like to know what the coast guard saw before the ministry spoke.",
    "The procurement numbers look optimistic given the last two programmes.",
    "Allies will read this very differently from the officials quoted.",
    "The quote from the minister says less than it seems to.",
    "Insurance costs are the part most coverage misses.",
    "Training is the bottleneck, not hardware.",
    "A follow-up on the local fishing communities would be welcome.",
    "It would help to see the budget line next to the announcement.",
    "The satellite images mentioned would settle the argument quickly.",
]  # fmt: skip
REPLIES = [
    "Agreed, and the budget documents back you up.",
    "I read it differently: the second statement walked much of that back.",
    "Good question. The article says a report is due next month.",
    "There is an older piece on this site that covers exactly that.",
    "That was my first thought too.",
    "Not sure that is right; the exercise was planned long before.",
]  # fmt: skip


def seed_comments(count: int, *, seed: int = 2026) -> int:
    """Write `count` comments on recent published articles; returns how many."""
    if count <= 0:
        return 0
    rng = random.Random(seed)
    # published(): each has a publication time.
    articles = cast(
        list[tuple[int, dt.datetime]],
        list(
            Article.objects.published()
            .newest_first()
            .values_list("pk", "published_at")[: max(20, count // 4)]
        ),
    )
    if not articles:
        return 0
    now = timezone.now()
    roots: list[Comment] = []
    replies: list[tuple[int, Comment]] = []
    for _ in range(count):
        article_id, published = rng.choice(articles)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        span = max(60, int((now - published).total_seconds()))
        comment = Comment(
            article_id=article_id,
            author_name=name,
            author_email=name.lower().replace(" ", ".") + "@example.test",
            body="",
            status=rng.choices(["approved", "pending", "spam"], [90, 7, 3])[0],
            created_at=published + dt.timedelta(seconds=rng.randint(60, span)),
        )
        if roots and rng.random() < 0.3:
            replies.append((rng.randrange(len(roots)), comment))
            comment.body = rng.choice(REPLIES)
        else:
            comment.body = f"{rng.choice(OPENINGS)} {rng.choice(POINTS)}"
            roots.append(comment)
    for c in roots + [r for _i, r in replies]:
        c.body_html = text_to_html(c.body)
        c.content_hash = Comment.hash_for(c.body)
    with transaction.atomic():
        Comment.objects.bulk_create(roots, batch_size=1000)
        for index, reply in replies:
            parent = roots[index]
            reply.article_id = parent.article_id
            reply.parent_id = reply.thread_id = parent.pk
            reply.depth = 2
            reply.created_at = max(reply.created_at, parent.created_at)
        Comment.objects.bulk_create([r for _i, r in replies], batch_size=1000)
        recount([a for a, _p in articles])
    return len(roots) + len(replies)
