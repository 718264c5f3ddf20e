from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "vrhub.web.schedule"
    label = "schedule"
    verbose_name = "Scheduled work"
