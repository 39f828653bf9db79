from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "xuanren.register"
    label = "register"
    verbose_name = "干部名册"
