"""Old WordPress addresses answer with a 301 to where the item lives now."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect

from importers.models import ImportedItem, OldLink
from importers.wpcontent import QUERY_KEYS, old_path


def new_address(link: OldLink) -> str | None:
    """The item's current address, or None when it is not public any more."""
    item: ImportedItem = link.item
    if item.article_id:
        article = item.article
        return article.get_absolute_url() if article.is_live else None
    if item.page_id:
        return None if item.page.registration_required else item.page.url
    if item.category_id:
        return item.category.get_absolute_url()
    if item.tag_id:
        return item.tag.get_absolute_url()
    if item.author_id:
        return item.author.get_absolute_url()
    if item.kind == ImportedItem.Kind.ATTACHMENT and item.file:
        return default_storage.url(item.file)
    return None


def redirect_for(key: str | None) -> HttpResponsePermanentRedirect | None:
    if not key:
        return None
    link = OldLink.objects.resolving().filter(path=key).first()
    target = new_address(link) if link else None
    return HttpResponsePermanentRedirect(target) if target else None


class OldLinkMiddleware:
    """/?p=123, /?page_id=45, /?cat=3 (before the home page answers) and old
    permalink paths (only when nothing else answered: after a 404), each one
    indexed lookup. A 301 is never stored by the page cache (it keeps 200s)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            key = next((k for k in QUERY_KEYS if request.GET.get(k)), None)
            if key and "s" not in request.GET:
                response = redirect_for(f"?{key}={request.GET[key]}")
                if response is None:
                    raise Http404("No such old link")
                return response
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return redirect_for(old_path(request.path)) or response
        return response
