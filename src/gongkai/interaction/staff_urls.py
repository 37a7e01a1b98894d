from django.urls import path

from . import views_staff as views

app_name = "interaction_staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.enter, name="enter"),
    path("import/", views.import_orders, name="import"),
    path("settings/", views.review_settings, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:name>/", views.action, name="action"),
]
