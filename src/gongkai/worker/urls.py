from django.urls import path

from . import views

app_name = "worker"
urlpatterns = [
    path("<uuid:task_id>/retry/", views.task_retry, name="task_retry"),
]
