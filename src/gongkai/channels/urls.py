from django.urls import path

from . import views

app_name = "channels"
urlpatterns = [
    path("boards/", views.boards, name="boards"),
    path("boards/add/", views.board_add, name="board_add"),
    path("boards/<int:pk>/", views.board_detail, name="board"),
    path("boards/<int:pk>/post/", views.board_post, name="board_post"),
    path("postings/<int:pk>/takedown/", views.posting_takedown, name="posting_takedown"),
    path("postings/<int:pk>/photo/", views.posting_photo, name="posting_photo"),
    path("screens/", views.screens, name="screens"),
    path("screens/save/", views.screen_save, name="screen_save"),
    path("entries/<int:pk>/poster/", views.entry_poster, name="entry_poster"),
    path("entries/<int:pk>/wechat/", views.entry_wechat, name="entry_wechat"),
    path("entries/<int:pk>/posted/", views.entry_posted, name="entry_posted"),
]
