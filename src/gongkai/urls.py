from django.urls import include, path

from gongkai.api.main import api
from gongkai.harvest.oai import endpoint as oai_endpoint

# No Django admin: every write goes through the audited services (issue 15), so nothing edits users, TOTP
# devices or lockouts behind the audit log's back.
urlpatterns = [
    path("staff/applications/", include("gongkai.applications.staff_urls")),
    path("staff/messages/", include("gongkai.interaction.staff_urls")),
    path("staff/screening/", include("gongkai.screening.urls")),
    path("staff/reports/", include("gongkai.reports.urls")),
    path("staff/documents/", include("gongkai.documents.urls")),
    path("staff/tasks/", include("gongkai.worker.urls")),
    path("staff/archive/", include("gongkai.ops.urls")),
    path("staff/inspection/", include("gongkai.inspection.urls")),
    path("staff/channels/", include("gongkai.channels.urls")),
    path("staff/harvest/", include("gongkai.harvest.urls")),
    path("staff/subscriptions/", include("gongkai.subscriptions.staff_urls")),
    path("api/v1/", api.urls),
    path("oai", oai_endpoint, name="oai"),
    path("staff/", include("gongkai.staff.urls")),
    path("apply/", include("gongkai.applications.urls")),
    path("messages/", include("gongkai.interaction.urls")),
    path("search/", include("gongkai.portal.search_urls")),
    path("subscribe/", include("gongkai.subscriptions.urls")),
    path("", include("gongkai.portal.urls")),
]

handler400 = "gongkai.core.middleware.bad_request"
handler404 = "gongkai.core.middleware.page_not_found"
handler500 = "gongkai.core.middleware.server_error"
