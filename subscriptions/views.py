from __future__ import annotations

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from lib import ratelimit
from subscriptions import services
from subscriptions.forms import PreferencesForm, SubscribeForm
from subscriptions.models import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    PREFERENCES_SALT,
    UNSUBSCRIBE_SALT,
    Subscriber,
)

SIGNUPS_PER_HOUR = 10


@never_cache
@require_POST
def subscribe(request):
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        context = {"form": form}
        return render(request, "subscriptions/subscribe.html", context, status=400)
    if form.cleaned_data["website_hp"]:
        return render(request, "subscriptions/check_inbox.html")
    ip = ratelimit.client_ip(request)
    if not ratelimit.allow("subscribe", ip, limit=SIGNUPS_PER_HOUR, window=3600):
        context = {"form": form, "limited": True}
        return render(request, "subscriptions/subscribe.html", context, status=429)
    services.subscribe(email=form.cleaned_data["email"])
    return render(request, "subscriptions/check_inbox.html")


@never_cache
@require_safe
def subscribe_page(request):
    return render(request, "subscriptions/subscribe.html", {"form": SubscribeForm()})


def _from_token(token: str, salt: str, max_age: int | None) -> Subscriber | None:
    try:
        if max_age:
            pk = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
        else:
            pk = signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(pk=pk).first()


@never_cache
def confirm(request, token: str):
    """The link in the email opens this page; only its button (a POST) confirms,
    so mail scanners that follow links confirm nobody."""
    subscriber = _from_token(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    if subscriber is None:
        return render(request, "subscriptions/link_invalid.html", status=400)
    if request.method == "POST":
        subscriber.confirm()
        return render(
            request, "subscriptions/confirmed.html", {"subscriber": subscriber}
        )
    return render(request, "subscriptions/confirm.html", {"token": token})


@never_cache
def unsubscribe(request, token: str):
    subscriber = _from_token(token, UNSUBSCRIBE_SALT, None)
    if subscriber is None:
        return render(request, "subscriptions/link_invalid.html", status=400)
    if request.method == "POST":
        subscriber.unsubscribe()
        return render(request, "subscriptions/unsubscribed.html")
    return render(request, "subscriptions/unsubscribe.html", {"token": token})


@never_cache
def preferences(request, token: str):
    """Reached from the link in every email: how often, and which sections.
    Only the form's POST changes anything."""
    subscriber = _from_token(token, PREFERENCES_SALT, None)
    if subscriber is None:
        return render(request, "subscriptions/link_invalid.html", status=400)
    form = PreferencesForm(request.POST or None, instance=subscriber)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        form.save()
    status = 400 if request.method == "POST" and not saved else 200
    context = {"form": form, "token": token, "saved": saved, "subscriber": subscriber}
    return render(request, "subscriptions/preferences.html", context, status=status)


@csrf_exempt
@require_POST
def one_click(request, token: str):
    """RFC 8058 one-click unsubscribe: the mail provider POSTs here."""
    subscriber = _from_token(token, UNSUBSCRIBE_SALT, None)
    if subscriber is None:
        return HttpResponse("This link is not valid.", status=400)
    subscriber.unsubscribe()
    return HttpResponse("Unsubscribed.", content_type="text/plain")
