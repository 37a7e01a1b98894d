from django.urls import path

from . import views_public as views

app_name = "applications"
urlpatterns = [
    path("", views.index, name="index"),
    path("track/", views.track, name="track"),
    path("track/letters/<int:pk>/", views.letter, name="letter"),
    path("done/", views.done, name="done"),
    path("<slug:slug>/", views.apply, name="form"),
]
