from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from articles.forms import BodyEditor, clean_body
from articles.models import Article, Author, Category, Correction, Tag
from articles.services import announce, schedule_publication

# Roles (newsroom app) are groups of permissions; what they mean for one
# article is decided here and in Article.editable_by, from two permissions:
# articles.publish_article (authors and up) and articles.edit_others_article
# (editors and up). Every check is made again on the POST, whatever the form
# showed.
PUBLISH = "articles.publish_article"
EDIT_OTHERS = "articles.edit_others_article"
#: Corrections and update notes: editors' (the model's permissions, given to
#: the Editor role), and only with the permission to publish.
CORRECT = "articles.add_correction"


class ArticleForm(forms.ModelForm):
    #: The account filling the form in (set by ArticleAdmin.get_form).
    account = None

    # Qualifies this save only: not stored on the article.
    minor_edit = forms.BooleanField(
        label=_("Minor edit"),
        required=False,
        help_text=_(
            "A typo or style fix: readers are not shown the story as updated. "
            "Leave unticked when the story changes in substance."
        ),
    )

    class Meta:
        widgets = {"body": BodyEditor}
        help_texts = {
            "body": _(
                "Headings, lists, links, quotes, images from the media library "
                "and embedded videos or posts: the toolbar. Cleaned on save."
            )
        }

    def clean_body(self):
        return clean_body(self.cleaned_data["body"])

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == Article.Status.SCHEDULED and not data.get("published_at"):
            self.add_error(
                "published_at", _("Give the date and time to publish it at.")
            )
        if status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
            self._check_alt_text(data)
        account = self.account
        if (
            account is not None
            and not self.instance.author_id
            and not account.has_perm(EDIT_OTHERS)
            and not Author.objects.filter(user=account).exists()
        ):
            raise forms.ValidationError(
                _(
                    "Your account has no byline (author profile) yet: ask an "
                    "editor to link one to it."
                )
            )
        return data

    def _check_alt_text(self, data: dict) -> None:
        """No story goes live with an image that has no alt text (drafts and
        stories sent for review may)."""
        probe = Article(
            featured_image=data.get("featured_image"),
            body=data.get("body", self.instance.body or ""),
        )
        missing = probe.images_without_alt()
        if missing:
            raise forms.ValidationError(
                _(
                    "Add alt text (what the image shows) to %(images)s in the "
                    "media library before publishing or scheduling this story."
                )
                % {"images": ", ".join(missing)},
                code="alt_missing",
            )


def may_correct(user, article: Article | None) -> bool:
    """Whether the account may add, change or delete the notes of a story."""
    return (
        user.has_perm(PUBLISH)
        and user.has_perm(CORRECT)
        and (article is None or article.editable_by(user))
    )


class CorrectionFormSet(BaseInlineFormSet):
    """The notes of one story. A POST without them (a script, a page from
    before they existed) leaves them as they are, instead of failing on the
    missing management form."""

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data")
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
            kwargs["data"] = data
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        adding = [
            form
            for form in self.extra_forms
            if form.has_changed() and not self._should_delete_form(form)
        ]
        if adding and self.instance.status != Article.Status.PUBLISHED:
            raise forms.ValidationError(
                _(
                    "Corrections and updates are for published stories; before "
                    "publication, edit the story itself."
                )
            )


class CorrectionInline(admin.StackedInline):
    """Corrections and update notes, added by editors to a published story.
    Writers see them, read only. Django's inline drops a form the account
    may not add or change; save_formset checks again."""

    model = Correction
    formset = CorrectionFormSet
    fields = ["kind", "published_at", "text"]
    extra = 0
    verbose_name = _("correction or update note")
    verbose_name_plural = _("corrections and updates (shown to readers)")

    def has_view_permission(self, request, obj=None) -> bool:
        user = request.user
        return user.has_perm("articles.view_article") or may_correct(user, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return may_correct(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and may_correct(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and may_correct(request.user, obj)


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
    autocomplete_fields = ["user", "photo"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "headline", "status", "published_at", "category", "author", "sticky",
        "comments_open",
    ]  # fmt: skip
    list_filter = ["status", "category", "author", "sticky", "published_at"]
    list_select_related = ["category", "author"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = [
        "category", "author", "coauthors", "tags", "featured_image",
    ]  # fmt: skip
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["make_published", "unpublish"]
    inlines = [CorrectionInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "minor_edit",
                    "sticky",
                    "comments_open",
                ]
            },
        ),
        (_("Filing"), {"fields": ["category", "tags", "author", "coauthors"]}),
        (
            _("Featured image"),
            {
                "fields": ["featured_image"],
                "description": _(
                    "Choose from the media library (search by title, alt "
                    "text, caption or credit); upload new images there."
                ),
            },
        ),
        (
            _("Search engines and shares"),
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        """Writers see their own stories only; editors everyone's."""
        return super().get_queryset(request).open_to(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return obj.editable_by(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        allowed = super().has_delete_permission(request, obj)
        return allowed and obj.editable_by(request.user)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(EDIT_OTHERS):
            fields += ["author", "sticky"]
        if not request.user.has_perm(PUBLISH):
            fields += ["published_at"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"account": request.user})

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        """Without the permission to publish, a story can only be a draft or
        sent for review: any other status posted is refused by the form."""
        if db_field.name == "status" and not request.user.has_perm(PUBLISH):
            kwargs["choices"] = [
                c for c in Article.Status.choices if c[0] in Article.WRITER_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and not request.user.has_perm(EDIT_OTHERS):
            obj.author = Author.objects.get(user=request.user)
        if not obj.editable_by(request.user):
            raise PermissionDenied  # the form allows nothing else: a crafted POST
        was_published = form.initial.get("status") == Article.Status.PUBLISHED
        if (
            change
            and was_published
            and obj.is_live
            and not form.cleaned_data.get("minor_edit")
            and Article.SUBSTANCE_FIELDS.intersection(form.changed_data)
        ):
            obj.note_update()  # readers see it as updated
        super().save_model(request, obj, form, change)
        schedule_publication(obj)
        if obj.status == Article.Status.PUBLISHED and not was_published:
            announce(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction and not may_correct(request.user, form.instance):
            # Django's inline drops the notes the account may not add; one
            # posted all the same is a crafted POST (the admin's transaction
            # rolls the story's save back).
            if any(forms.BaseForm.has_changed(f) for f in formset.extra_forms):
                raise PermissionDenied
        super().save_formset(request, form, formset, change)

    @admin.action(
        description=_("Publish selected articles now"), permissions=["publish"]
    )
    def make_published(self, request, queryset):
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            if not article.editable_by(request.user):
                raise PermissionDenied
            missing = article.images_without_alt()
            if missing:
                self.message_user(
                    request,
                    _("“%(story)s” was not published: add alt text to %(images)s.")
                    % {"story": article, "images": ", ".join(missing)},
                    messages.ERROR,
                )
                continue
            article.status = Article.Status.PUBLISHED
            article.save()
            announce(article)

    @admin.action(
        description=_("Unpublish selected articles (take them off the site)"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        """Each is saved: the cached pages that show it are outdated
        (reader/signals.py), the search index and feeds drop it."""
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            if not article.editable_by(request.user):
                raise PermissionDenied
            article.status = Article.Status.UNPUBLISHED
            article.save()
