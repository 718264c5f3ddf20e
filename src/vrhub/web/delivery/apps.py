from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "vrhub.web.delivery"
    label = "delivery"
    verbose_name = "Delivery"
