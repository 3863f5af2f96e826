"""Old WordPress addresses answer with a 301 to where the item lives now."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect

from importers.models import ImportedItem, OldLink
from importers.wpcontent import QUERY_KEYS, old_path


def new_address(link: OldLink) -> str | None:
    """The item's current address, or None when it is not public any more."""
    item: ImportedItem = link.item
    # Each relation is read only when its id is set (then it is never None).
    article = item.article if item.article_id else None
    if article is not None:
        return article.get_absolute_url() if article.is_live else None
    page = item.page if item.page_id else None
    if page is not None:
        return None if page.registration_required else page.url
    category = item.category if item.category_id else None
    if category is not None:
        return category.get_absolute_url()
    tag = item.tag if item.tag_id else None
    if tag is not None:
        return tag.get_absolute_url()
    author = item.author if item.author_id else None
    if author is not None:
        return author.get_absolute_url()
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
