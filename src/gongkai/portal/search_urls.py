"""Mounted at ``/search/`` (``/search`` is a reserved top-level path of the public site)."""

from django.urls import path

from . import search_views as views

app_name = "search"
urlpatterns = [path("", views.search_page, name="page")]
