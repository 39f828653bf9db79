from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xuanren.supervision"
    label = "supervision"
    verbose_name = "干部监督"

    def ready(self) -> None:
        from xuanren.record.labels import register_action_labels

        register_action_labels(
            {
                "verification_started": "开始核查信访举报",
            }
        )
