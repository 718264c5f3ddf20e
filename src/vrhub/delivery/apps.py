from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "vrhub.delivery"
    label = "delivery"
    verbose_name = "Delivery"
