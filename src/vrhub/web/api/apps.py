from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vrhub.web.api"
    label = "api"
