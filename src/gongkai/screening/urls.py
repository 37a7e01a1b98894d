"""Mounted by the project at /staff/screening/."""

from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("entries/<int:entry_id>/", views.entry_findings, name="entry"),
    path("entries/<int:entry_id>/mask/", views.mask, name="mask"),
    path("entries/<int:entry_id>/rescan/", views.rescan, name="rescan"),
    path("findings/<int:finding_id>/accept/", views.accept_finding, name="accept_finding"),
    path("results/<int:result_id>/accept/", views.accept_result, name="accept_result"),
    path("words/", views.words, name="words"),
    path("words/<int:word_id>/remove/", views.word_remove, name="word_remove"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/handle/", views.alert_handle, name="alert_handle"),
]
