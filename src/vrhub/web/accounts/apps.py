from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vrhub.web.accounts"
    label = "accounts"
    verbose_name = "People, roles and audit"

    def ready(self) -> None:
        from vrhub.web import checks  # noqa: F401  (registers the deployment checks)
        from vrhub.web.accounts import signals  # noqa: F401  (connects the login/logout audit)
