from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("annual/<str:code>/<str:year>/", views.annual, name="annual"),
    path("annual/<str:code>/<str:year>/file.<slug:fmt>", views.annual_file, name="annual_file"),
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("bulletin/file.<slug:fmt>", views.bulletin_file, name="bulletin_file"),
]
