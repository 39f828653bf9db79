from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "xuanren.ballots"
    label = "ballots"
    verbose_name = "投票与计票"

    def ready(self) -> None:
        from xuanren.ballots.models import Poll
        from xuanren.record.labels import register_labels

        register_labels(
            keys={
                "poll.create.items": "表决事项数",
                "cast": "投票数",
                "valid": "有效票",
                "invalid": "无效票",
            },
            steps={f"poll.{kind.value}": f"{kind.label}投票" for kind in Poll.Kind},
        )
