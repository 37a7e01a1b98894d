from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.accounts import security

from . import catalog_views, token_views, views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", security.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("entries/", views.entry_list, name="entry_list"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/suggest", views.entry_suggest, name="entry_suggest"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/do/<slug:action>/", views.entry_action, name="entry_action"),
    path("entries/<int:pk>/validity/", views.entry_validity, name="entry_validity"),
    path("entries/<int:pk>/attachments/", views.entry_attach, name="entry_attach"),
    path("entries/<int:pk>/attachments/<int:att_id>/", views.attachment_download, name="attachment_download"),
    path("entries/<int:pk>/attachments/<int:att_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("review/", views.review_queue, name="review_queue"),
    path("signoff/", views.signoff_queue, name="signoff_queue"),
    path("catalog/", catalog_views.catalog, name="catalog"),
    path("catalog/<int:pk>/services/", catalog_views.service_links, name="service_links"),
    path("catalog/services/<int:pk>/remove/", catalog_views.remove_service_link, name="remove_service_link"),
    path("catalog/<int:pk>/<slug:action>/", catalog_views.category_action, name="category_action"),
    path("api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", token_views.api_token_revoke, name="api_token_revoke"),
]
# Security baseline (gongkai.core): password change, second factor, lockouts, password reset, audit log.
from gongkai.accounts import views as security_views  # noqa: E402

urlpatterns += [
    path("password/", security_views.password_change, name="password_change"),
    path("otp/", security_views.otp_verify, name="otp_verify"),
    path("otp/setup/", security_views.otp_setup, name="otp_setup"),
    path("security/lockouts/", security_views.lockouts, name="lockouts"),
    path("security/lockouts/<int:pk>/unlock/", security_views.unlock, name="unlock"),
    path("security/users/<int:user_id>/reset-password/", security_views.reset_password, name="reset_password"),
    path("security/resets/", security_views.resets_page, name="resets"),
    path("security/resets/<int:pk>/confirm/", security_views.confirm_reset, name="confirm_reset"),
    path("password/reset/", security_views.password_reset_use, name="password_reset_use"),
    path("audit/", security_views.audit_log, name="audit_log"),
    path("audit/export.csv", security_views.audit_export, name="audit_export"),
]
