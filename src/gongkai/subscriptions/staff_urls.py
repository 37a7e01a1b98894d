from django.urls import path

from . import staff_views

app_name = "subscriptions_staff"
urlpatterns = [path("", staff_views.index, name="index")]
