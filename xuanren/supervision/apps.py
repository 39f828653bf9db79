from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xuanren.supervision"
    label = "supervision"
    verbose_name = "干部监督"

    def ready(self) -> None:
        from xuanren.record.labels import choice_labels, register_action_labels, register_labels
        from xuanren.supervision.models import Complaint

        register_action_labels(
            {
                "verification_started": "开始核查信访举报",
            }
        )
        register_labels(
            keys={
                "channel": "方式",
                "received_on": "受理日期",
                "started_on": "开始核查日期",
                "due_on": "核查期限",
                "verifiers": "核查单位",
                "answer": "答复",
                "answered_on": "答复日期",
                "fed_back_on": "反馈日期",
                "published": "公开",
                "complaint": "举报编号",
            },
            values_by_key={"channel": choice_labels(Complaint.Channel)},
        )
