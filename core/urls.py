from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("healthz/", views.health, name="health"),
    path("csrf/", views.csrf_token, name="csrf"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("csp-report/", views.csp_report, name="csp_report"),
]
