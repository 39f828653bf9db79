from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "xuanren.record"
    label = "record"
    verbose_name = "全程纪实"
