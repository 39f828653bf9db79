from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "xuanren.ballots"
    label = "ballots"
    verbose_name = "投票与计票"
