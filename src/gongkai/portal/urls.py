"""Public pages at the site root. Must stay the last include: its ``<unit>/`` pattern is a catch-all."""

from django.urls import path, register_converter

from . import views


class UnitSlug:
    """Unit and column slugs: lower-case letters, digits and hyphens (as the catalog allows)."""

    regex = "[a-z0-9][a-z0-9-]{0,59}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnitSlug, "uslug")

app_name = "portal"
urlpatterns = [
    path("", views.county_home, name="county_home"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("media/<path:name>", views.attachment, name="attachment"),
    path("<uslug:unit>/", views.unit_home, name="unit_home"),
    path("<uslug:unit>/guide/", views.guide, name="guide"),
    path("<uslug:unit>/catalog/", views.catalog, name="catalog"),
    path("<uslug:unit>/codes/", views.codes, name="codes"),
    path("<uslug:unit>/annual-reports/", views.annual_reports, name="annual_reports"),
    path("<uslug:unit>/feed.xml", views.unit_feed, name="unit_feed"),
    path("<uslug:unit>/sitemap.xml", views.unit_sitemap, name="unit_sitemap"),
    path("<uslug:unit>/list/<uslug:category>/", views.category_list, name="category"),
    path("<uslug:unit>/list/<uslug:category>/p<int:page>/", views.category_list, name="category_page"),
    path("<uslug:unit>/list/<uslug:category>/feed.xml", views.category_feed, name="category_feed"),
    path("<uslug:unit>/info/<int:entry_id>/", views.entry_page, name="entry"),
    path("<uslug:unit>/info/<int:entry_id>/print/", views.entry_print, name="entry_print"),
]
