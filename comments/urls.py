from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/post/", views.post_comment, name="post"),
    path("comments/stamp/<int:article_id>/", views.form_stamp, name="stamp"),
    path("comments/stop-replies/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "comments/stop-replies/<str:token>/confirm/",
        views.unsubscribe_confirm,
        name="unsubscribe_confirm",
    ),
]
