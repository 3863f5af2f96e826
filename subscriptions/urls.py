from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("subscribe/", views.subscribe_page, name="page"),
    path("subscribe/send/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscribe/preferences/<str:token>/", views.preferences, name="preferences"),
    path("subscribe/one-click/<str:token>/", views.one_click, name="one_click"),
]
