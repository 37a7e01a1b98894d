from django.urls import path

from . import views_staff as views

app_name = "applications_staff"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.enter, name="enter"),
    path("notices/", views.notices, name="notices"),
    path("templates/", views.templates, name="templates"),
    path("templates/<slug:kind>/", views.template_edit, name="template_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:name>/", views.action, name="action"),
    path("<int:pk>/letters/<int:letter_id>/", views.letter_page, name="letter_page"),
    path("<int:pk>/letters/<int:letter_id>/retry/", views.letter_retry, name="letter_retry"),
    path("<int:pk>/letters/<int:letter_id>/<slug:fmt>/", views.letter_file, name="letter"),
]
