from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from vrhub.web.api.api import api

admin.site.site_header = "vrhub administration"
admin.site.site_title = "vrhub"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    path("uploads/", include("vrhub.web.uploads.urls")),
    path("delivery/", include("vrhub.web.delivery.urls")),
    path("", include("vrhub.web.dashboard.cohort_urls")),
    path("", include("vrhub.web.dashboard.urls")),
]
