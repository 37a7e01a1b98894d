from django.urls import path

from . import views_public as views

app_name = "interaction"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("done/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("rate/", views.rate, name="rate"),
]
