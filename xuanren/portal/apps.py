from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xuanren.portal"
    label = "portal"
    verbose_name = "公开"
