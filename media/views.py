"""The editor's image chooser: a staff-only JSON endpoint (URL `media:chooser`)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from media import services
from media.forms import UploadForm
from media.models import Image

PER_PAGE = 20


def item(image: Image) -> dict[str, Any]:
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "thumbnail": services.thumbnail_url(image),
        "url": services.chooser_url(image),
    }


@staff_member_required
@require_http_methods(["GET", "POST"])
def chooser(request: HttpRequest) -> JsonResponse:
    """GET ?q=&page=: one page of images, newest first. POST: upload one."""
    if not request.user.has_perm("media.add_image"):
        return JsonResponse({"errors": {"__all__": ["Not allowed."]}}, status=403)
    if request.method == "POST":
        return _upload(request)
    # Printable text only: a NUL ends the pattern early in SQLite's LIKE.
    query = "".join(c for c in request.GET.get("q", "")[:200] if c.isprintable())
    try:
        number = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        number = 1
    images = Image.objects.matching(query).newest_first()
    paginator = Paginator(images, PER_PAGE, allow_empty_first_page=True)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return JsonResponse({"results": [], "has_next": False})
    return JsonResponse(
        {"results": [item(i) for i in page.object_list], "has_next": page.has_next()}
    )


def _upload(request: HttpRequest) -> JsonResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    data = form.cleaned_data
    image, created = services.add_image(
        form.checked,
        name=data["file"].name,
        uploaded_by=request.user,
        title=data["title"],
        alt=data["alt"],
        caption=data["caption"],
        credit=data["credit"],
    )
    return JsonResponse(
        item(image) | {"reused": not created}, status=201 if created else 200
    )
