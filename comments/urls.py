from django.urls import path, re_path

from comments import feeds, views
from lib.urls import DAY, MONTH, SLUG, YEAR

app_name = "comments"

urlpatterns = [
    # WordPress: the comments feed of an article is its permalink + feed/.
    re_path(
        rf"^{YEAR}/{MONTH}/{DAY}/{SLUG}/feed/$",
        feeds.article_comments_feed,
        name="feed",
    ),
    path("comments/post/", views.post_comment, name="post"),
    path("comments/stamp/<int:article_id>/", views.form_stamp, name="stamp"),
    path("comments/stop-replies/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "comments/stop-replies/<str:token>/confirm/",
        views.unsubscribe_confirm,
        name="unsubscribe_confirm",
    ),
]
