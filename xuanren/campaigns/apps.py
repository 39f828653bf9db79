from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xuanren.campaigns"
    label = "campaigns"
    verbose_name = "选任工作"
