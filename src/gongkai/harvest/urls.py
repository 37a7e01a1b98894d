from django.urls import path

from . import views

app_name = "harvest"
urlpatterns = [
    path("", views.push_page, name="push"),
    path("now/", views.push_now, name="push_now"),
]
