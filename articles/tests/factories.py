from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from articles.models import Article, Author, Category, Tag


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class AuthorFactory(factory.django.DjangoModelFactory[Author]):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    display_name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    role_line = "Defence Correspondent"
    location = "Brussels"
    bio = "<p>Covers procurement and alliance politics.</p>"


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Navy weighs frigate order number {n}")
    slug = factory.Sequence(lambda n: f"navy-weighs-frigate-order-{n}")
    standfirst = "Officials say a decision is due before the budget."
    body = "<p>The ministry is comparing two designs.</p><p>A second paragraph.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    category = factory.SubFactory(CategoryFactory)
    author = factory.SubFactory(AuthorFactory)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def article_form_data(article: Article, **changes) -> dict:
    """What the admin's article form posts for this article, with changes."""
    local = timezone.localtime(article.published_at) if article.published_at else None
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "status": article.status,
        "published_at_0": local.strftime("%Y-%m-%d") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "comments_open": "on",
        "category": article.category_id,
        "author": article.author_id,
        "featured_image": article.featured_image_id or "",
    }
    return data | changes
