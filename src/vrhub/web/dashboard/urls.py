from django.urls import path

from vrhub.web.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.public, name="public"),
    path("dashboard/", views.overview, name="overview"),
]
