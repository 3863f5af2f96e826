"""The signed preview of an unpublished story, for colleagues without an
account: never cached, never indexed."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from newsroom import services
from reader.views import _render_article as render_article

_REFUSED = {
    400: "This preview link is not valid: it may have been cut short or "
    "changed. Ask the editor who sent it for a new one.",
    404: "The story of this preview link no longer exists.",
    410: "This preview link has expired. Ask the editor who sent it for a new one.",
}


def _private(response: HttpResponse) -> HttpResponse:
    """Never kept by a cache, never indexed, and the link (a key) never
    sent on to the sites the story links to."""
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _refused(request: HttpRequest, status: int) -> HttpResponse:
    context = {"message": _REFUSED[status], "site_name": services.back_office_name()}
    page = render(request, "newsroom/preview_refused.html", context, status=status)
    return _private(page)


@never_cache
@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponse:
    try:
        article_id = services.read_preview_token(token)
    except signing.SignatureExpired:
        return _refused(request, 410)
    except signing.BadSignature:
        return _refused(request, 400)
    article = Article.objects.for_page().filter(pk=article_id).first()
    if article is None:
        return _refused(request, 404)
    if article.is_live:
        return redirect(article)
    return _private(render_article(request, article))
