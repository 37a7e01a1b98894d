from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.subscribe, name="subscribe"),
]
