from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/recheck/", views.recheck, name="recheck"),
    path("<str:code>/items/", views.item_applies, name="item_applies"),
]
