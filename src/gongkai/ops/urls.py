from django.urls import path

from . import archive_views

app_name = "ops"
urlpatterns = [
    path("", archive_views.archive_page, name="archive"),
    path("<int:unit_id>/start/", archive_views.archive_start, name="archive_start"),
    path("exports/<int:pk>/", archive_views.export_page, name="archive_export"),
    path("exports/<int:pk>/download/", archive_views.export_download, name="archive_download"),
]
