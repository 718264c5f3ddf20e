from django.urls import path

from vrhub.web.uploads import formats, views

app_name = "uploads"
urlpatterns = [
    path("", views.upload_list, name="list"),
    path("new/", views.upload_new, name="new"),
    path("formats/", formats.formats, name="formats"),
    path("<int:pk>/", views.upload_detail, name="detail"),
    path("<int:pk>/status.json", views.upload_status, name="status"),
    path("<int:pk>/quarantine.csv", views.quarantine_csv, name="quarantine_csv"),
    path("<int:pk>/rows/", views.upload_rows, name="rows"),
]
