from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from vrhub.web.dashboard import analysis_views, report_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.public, name="public"),
    # Browsers ask for /favicon.ico on pages that name no icon (Django's admin): GOV.UK's, from the assets.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("vendor/govuk/assets/images/favicon.ico"), permanent=True),
        name="favicon",
    ),
    path("published.csv", views.published_csv, name="published_csv"),
    path("dashboard/", views.overview, name="overview"),
    path("measures/<str:measure_id>/", views.measure, name="measure"),
    path("measures/<str:measure_id>.csv", views.measure_csv, name="measure_csv"),
    path("measures/<str:measure_id>.xlsx", views.measure_xlsx, name="measure_xlsx"),
    path("boroughs/<str:code>/", views.borough, name="borough"),
    path("hotspots/", analysis_views.hotspots, name="hotspots"),
    path("hotspots.geojson", analysis_views.hotspots_geojson, name="hotspots_geojson"),
    path("quality/", analysis_views.quality, name="quality"),
    path("definitions/", analysis_views.definitions, name="definitions"),
    path("reports/", report_views.reports, name="reports"),
    path("reports/status.json", report_views.report_status, name="report_status"),
    path("reports/generate/", report_views.generate, name="report_generate"),
    path("reports/<str:edition>.<str:kind>", report_views.download, name="report_download"),
]
