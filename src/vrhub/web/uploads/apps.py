from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "vrhub.web.uploads"
    label = "uploads"
