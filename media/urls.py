from __future__ import annotations

from django.urls import path

from media import views

app_name = "media"

urlpatterns = [
    path("media-library/chooser/", views.chooser, name="chooser"),
]
