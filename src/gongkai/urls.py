from django.contrib import admin
from django.urls import include, path

from gongkai.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/applications/", include("gongkai.applications.staff_urls")),
    path("staff/screening/", include("gongkai.screening.urls")),
    path("staff/reports/", include("gongkai.reports.urls")),
    path("api/v1/", api.urls),
    path("staff/", include("gongkai.staff.urls")),
    path("apply/", include("gongkai.applications.urls")),
    path("search/", include("gongkai.search.urls")),
    path("", include("gongkai.portal.urls")),
]

handler404 = "gongkai.core.middleware.page_not_found"
handler500 = "gongkai.core.middleware.server_error"
