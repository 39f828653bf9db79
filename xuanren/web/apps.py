from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xuanren.web"
    label = "web"
    verbose_name = "界面"
