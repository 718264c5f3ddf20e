"""The cohort and linkage pages; a page's .json and .csv twins give its rows."""

from django.urls import path

from vrhub.web.dashboard import cohort_views

app_name = "cohorts"
urlpatterns = [
    path("cohorts/", cohort_views.cohorts, name="list"),
    path("cohorts.json", cohort_views.cohorts, {"fmt": "json"}, name="list_json"),
    path("cohorts.csv", cohort_views.cohorts, {"fmt": "csv"}, name="list_csv"),
    path("cohorts/<str:name>/", cohort_views.cohort, name="cohort"),
    path("cohorts/<str:name>.json", cohort_views.cohort, {"fmt": "json"}, name="cohort_json"),
    path("cohorts/<str:name>.csv", cohort_views.cohort, {"fmt": "csv"}, name="cohort_csv"),
    path("cohorts/<str:name>/members/", cohort_views.members, name="members"),
    path("cohorts/<str:name>/members.csv", cohort_views.members, {"fmt": "csv"}, name="members_csv"),
    path("linkage/", cohort_views.linkage, name="linkage"),
]
