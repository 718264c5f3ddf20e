from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "vrhub.web.dashboard"
    label = "dashboard"
