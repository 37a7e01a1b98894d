from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("", views.index, name="index"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("rectifications/<int:pk>/notice/", views.rectification_notice, name="rectification_notice"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/recheck/", views.recheck, name="recheck"),
    path("<str:code>/items/", views.item_applies, name="item_applies"),
    path("<str:code>/rectify/", views.issue_rectification, name="issue_rectification"),
]
