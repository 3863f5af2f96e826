"""Revisions, conflicts and autosave in the article admin (mixed into the
article admin that is registered: newsroom.admin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from revisions import services
from revisions.forms import VersionedFormMixin

_AUTOSAVE_BASE = "_revisions_autosave_base"


class RevisionsAdminMixin:
    """Keeps a revision per save; a History of revisions with diffs and
    restore; refuses a save made from an outdated form; autosave."""

    change_form_template: Any = "admin/revisions/change_form.html"

    # Provided by ModelAdmin.
    admin_site: Any
    opts: Any
    has_change_permission: Any
    log_change: Any

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(  # type: ignore[misc]
            js=["js/autosave.js"], css={"all": ["css/admin-revisions.css"]}
        )

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        urls = [
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name=self._url_name("revisions"),
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(require_POST(self.restore_view)),
                name=self._url_name("restore"),
            ),
            path(
                "<path:object_id>/autosave/",
                wrap(self.autosave_view),
                name=self._url_name("autosave"),
            ),
            path(
                "<path:object_id>/autosave/discard/",
                wrap(require_POST(self.discard_autosave_view)),
                name=self._url_name("discard_autosave"),
            ),
        ]
        return urls + super().get_urls()  # type: ignore[misc]

    # -- The change form ---------------------------------------------------------

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Article | None:
        """With ?autosave=restore, the article as the editor's autosave left
        it (in memory: the form shows it, a save stores it)."""
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is not None and request.GET.get("autosave") == "restore":
            saved = services.pending_autosave(obj, request.user)
            if saved is not None and obj.editable_by(request.user):
                services.apply_autosave(obj, saved)
                setattr(obj, _AUTOSAVE_BASE, saved.snapshot.get("base_version"))
        return obj

    def get_form(
        self,
        request: HttpRequest,
        obj: Article | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        attrs = {"opened_from": getattr(obj, _AUTOSAVE_BASE, None)}
        return type(form.__name__, (VersionedFormMixin, form), attrs)

    def save_model(
        self, request: HttpRequest, obj: Article, form: Any, change: bool
    ) -> None:
        if change:
            services.record_baseline(obj.pk)
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        """After tags and authors are saved: the revision, and the editor's
        autosave is done with."""
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        article = form.instance
        services.record(
            article=article, user=request.user, note="" if change else _("Created")
        )
        services.discard_autosave(article, request.user)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Article | None = None,
    ) -> HttpResponse:
        if obj is not None and obj.pk:
            context.update(self._revisions_context(request, context, obj))
        return super().render_change_form(  # type: ignore[misc]
            request, context, add, change, form_url, obj
        )

    def _revisions_context(
        self, request: HttpRequest, context: dict[str, Any], obj: Article
    ) -> dict[str, Any]:
        form = context["adminform"].form
        args = [quote(obj.pk)]
        extra: dict[str, Any] = {
            "revisions_url": reverse(f"admin:{self._url_name('revisions')}", args=args),
            "conflict": getattr(form, "conflict", None),
            "autosave_restored": hasattr(obj, _AUTOSAVE_BASE),
        }
        if not self.has_change_permission(request, obj):
            return extra  # read only: no autosave
        extra["autosave"] = {
            "url": reverse(f"admin:{self._url_name('autosave')}", args=args),
            "discard_url": reverse(
                f"admin:{self._url_name('discard_autosave')}", args=args
            ),
            "interval": getattr(settings, "REVISIONS_AUTOSAVE_SECONDS", 5),
            "max_chars": services.AUTOSAVE_MAX_CHARS,
            "fields": ",".join(services.AUTOSAVE_FIELDS),
        }
        if request.method == "GET" and not hasattr(obj, _AUTOSAVE_BASE):
            offer = services.pending_autosave(obj, request.user)
            if offer is not None:
                extra["autosave_offer"] = {
                    "at": timezone.localtime(offer.created_at),
                    "older": offer.created_at < obj.updated_at,
                }
        return extra

    # -- History, diff, restore -----------------------------------------------------

    def _article_for_editor(self, request: HttpRequest, object_id: str) -> Article:
        """The article, if the account may change it (who may change a story
        may see and restore its revisions); 404 when it may not even open it."""
        article = super().get_object(request, unquote(object_id))  # type: ignore[misc]
        if article is None:
            raise Http404(_("There is no such story, or it is not yours to open."))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self._article_for_editor(request, object_id)
        revisions = list(article.revisions.saved().select_related("user"))
        by_number = {r.number: r for r in revisions}
        error, old, new = "", None, None
        try:
            newest = (revisions[0].number or 0) if revisions else 0
            to, since = request.GET.get("to"), request.GET.get("from")
            new_number = int(to) if to else newest
            old_number = int(since) if since else new_number - 1
        except ValueError:
            error = _("Choose two revisions by their numbers.")
        else:
            old, new = by_number.get(old_number), by_number.get(new_number)
            if revisions and (new is None or (old is None and old_number >= 1)):
                error = _("This story has no revision with that number.")
        changes = []
        if not error and new is not None:
            changes = services.compare(old.snapshot if old else {}, new.snapshot)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Revisions of “%(story)s”") % {"story": article},
            "revisions": revisions,
            "old": old,
            "new": new,
            "changes": changes,
            "error": error,
            "change_url": reverse(
                f"admin:{self._url_name('change')}", args=[quote(article.pk)]
            ),
        }
        return TemplateResponse(
            request,
            "admin/revisions/revisions.html",
            context,
            status=400 if error else 200,
        )

    def restore_view(
        self, request: HttpRequest, object_id: str, number: int
    ) -> HttpResponse:
        article = self._article_for_editor(request, object_id)
        revision = article.revisions.saved().filter(number=number).first()
        if revision is None:
            raise Http404(_("This story has no revision with that number."))
        services.record_baseline(article.pk)
        restored = services.restore(revision=revision, user=request.user)
        self.log_change(request, article, restored.note)
        messages.success(request, restored.note)
        return redirect(f"admin:{self._url_name('change')}", quote(article.pk))

    # -- Autosave -------------------------------------------------------------------

    def autosave_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST the form's text fields: kept as the editor's autosave. JSON
        answers, as the script shows them."""
        if request.method != "POST":
            return JsonResponse({"error": _("Send the text with POST.")}, status=405)
        article = super().get_object(request, unquote(object_id))  # type: ignore[misc]
        if article is None or not article.editable_by(request.user):
            refused = _("This story does not exist or is not yours to edit.")
            return JsonResponse({"error": refused}, status=403)
        try:
            saved = services.autosave(
                article=article,
                user=request.user,
                fields=request.POST.dict(),
                base_version=request.POST.get("base_version", ""),
            )
        except services.AutosaveTooLarge:
            too_large = _(
                "Not autosaved: the text is longer than %(max)s characters. "
                "Save the story to keep it."
            ) % {"max": f"{services.AUTOSAVE_MAX_CHARS:,}"}
            return JsonResponse({"error": too_large}, status=413)
        at = timezone.localtime(saved.created_at).strftime("%H:%M:%S")
        return JsonResponse({"saved_at": at, "message": _("Autosaved at %s") % at})

    def discard_autosave_view(
        self, request: HttpRequest, object_id: str
    ) -> HttpResponse:
        article = self._article_for_editor(request, object_id)
        services.discard_autosave(article, request.user)
        messages.info(request, _("Your autosaved text was discarded."))
        return redirect(f"admin:{self._url_name('change')}", quote(article.pk))
