from __future__ import annotations

import factory

from articles.tests.factories import ArticleFactory
from comments.models import Comment


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.test")
    body = factory.Sequence(
        lambda n: f"A considered point about the report, number {n}."
    )
    status = Comment.Status.APPROVED
