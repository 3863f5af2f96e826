from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Category, Tag
from articles.services import announce, schedule_publication
from lib import pagecache


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_editable = ["position"]
    list_filter = [("parent", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "role_line", "location", "user"]
    search_fields = ["display_name", "role_line", "location"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline", "status", "published_at", "category", "author", "sticky",
        "comments_open",
    ]  # fmt: skip
    list_filter = ["status", "category", "author", "sticky", "published_at"]
    list_select_related = ["category", "author"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["category", "author", "coauthors", "tags"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["make_published", "make_draft"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "sticky", "comments_open"]},
        ),
        (_("Filing"), {"fields": ["category", "tags", "author", "coauthors"]}),
        (
            _("Featured image"),
            {
                "fields": [
                    "featured_image",
                    "image_alt",
                    "image_caption",
                    "image_credit",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        was_published = form.initial.get("status") == Article.Status.PUBLISHED
        super().save_model(request, obj, form, change)
        schedule_publication(obj)
        if obj.status == Article.Status.PUBLISHED and not was_published:
            announce(obj)

    @admin.action(description=_("Publish selected articles now"))
    def make_published(self, request, queryset):
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            article.save()
            announce(article)

    @admin.action(description=_("Move selected articles back to draft"))
    def make_draft(self, request, queryset):
        queryset.update(status=Article.Status.DRAFT)
        pagecache.invalidate_site()  # no save signals: every list may change
