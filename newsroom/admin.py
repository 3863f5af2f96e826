"""Accounts with a role, and the article form's preview link."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from audience.admin import AudienceArticleAdmin
from newsroom import services
from newsroom.models import Role
from revisions.admin import RevisionsAdminMixin

User = get_user_model()

NO_ROLE = ""
ROLE_CHOICES = [(NO_ROLE, _("No access to the back office")), *Role.choices]


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        required=False,
        help_text=_(
            "Contributors write and send stories for review; authors also "
            "publish their own; editors publish and edit everyone's, moderate "
            "comments, manage sections, tags and subscribers; administrators "
            "also manage accounts, settings and imports."
        ),
    )
    #: The account filling the form in (set by AccountAdmin.get_form).
    account = None

    def clean_role(self):
        role = self.cleaned_data["role"]
        current = services.role_of(self.instance) if self.instance.pk else None
        if self.instance.pk and self.instance.pk == getattr(self.account, "pk", None):
            if role != (current or NO_ROLE):
                raise forms.ValidationError(
                    _("You cannot change your own role; ask another administrator.")
                )
        if (
            role == Role.ADMINISTRATOR
            and current != Role.ADMINISTRATOR
            and not getattr(self.account, "is_superuser", False)
        ):
            raise forms.ValidationError(
                _("Only an administrator can make someone an administrator.")
            )
        return Role(role) if role else None


class AccountCreationForm(RoleFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "first_name", "last_name", "email")


class AccountChangeForm(RoleFormMixin, UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role"].initial = services.role_of(self.instance) or NO_ROLE


class RoleAccountAdmin:
    """Accounts, each with one role chosen from a list (the groups and the
    staff and superuser flags follow from it: services.set_role). Mixed into
    whichever account admin is registered (Django's, or accounts'), so this
    app is installed after the apps that register one."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "email", "first_name", "last_name", "role",
                    "is_active", "last_login"]  # fmt: skip
    list_filter = ["groups", "is_active"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["role", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "first_name", "last_name", "email", "role",
                           "usable_password", "password1", "password2"],
            },
        ),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"account": request.user})

    @admin.display(description=_("role"))
    def role(self, obj) -> str:
        role = services.role_of(obj)
        return str(role.label) if role else "–"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.set_role(obj, form.cleaned_data["role"])


_account_admin = type(admin.site.get_model_admin(User))
admin.site.unregister(User)
admin.site.register(
    User, type("NewsroomAccountAdmin", (RoleAccountAdmin, _account_admin), {})
)

admin.site.unregister(Article)


@admin.register(Article)
class NewsroomArticleAdmin(RevisionsAdminMixin, AudienceArticleAdmin):
    """The article admin with a signed preview link for colleagues, and
    revisions (revisions.admin)."""

    readonly_fields = [*AudienceArticleAdmin.readonly_fields, "preview_link"]
    fieldsets = [
        *AudienceArticleAdmin.fieldsets[:1],
        (_("Preview"), {"fields": ["preview_link"]}),
        *AudienceArticleAdmin.fieldsets[1:],
    ]

    @admin.display(description=_("preview link"))
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return str(_("Save the story first."))
        if obj.is_live:
            return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())
        expires = timezone.localtime(services.preview_expires(timezone.now()))
        return format_html(
            '<a class="preview-link" href="{0}">{0}</a><br><span class="help">'
            "Anyone with this link can read the story until {1}, without an "
            "account. Not indexed by search engines.</span>",
            services.preview_url(obj),
            expires.strftime("%A %-d %B, %H:%M"),
        )
