from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<uuid:pk>/", views.job_page, name="job"),
    path("<uuid:pk>/retry/", views.job_retry, name="retry"),
    path("<uuid:pk>/file/", views.job_file, name="file"),
]
