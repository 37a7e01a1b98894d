"""Mount under ``/api/v1/``: ``path("api/v1/", include("gongkai.applications.api_urls"))``."""

from django.urls import path

from . import api

app_name = "applications_api"
urlpatterns = [
    path("applications", api.submit, name="submit"),
    path("applications/<str:tracking>", api.status, name="status"),
]
