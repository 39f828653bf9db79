from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "xuanren.policies"
    label = "policies"
    verbose_name = "选任政策"
