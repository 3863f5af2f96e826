from django.urls import path

from audience import views

app_name = "audience"
urlpatterns = [
    path("audience/read/", views.read, name="read"),
    path("audience/read/<int:article_id>.gif", views.pixel, name="pixel"),
]
