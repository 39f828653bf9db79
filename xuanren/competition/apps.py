from django.apps import AppConfig


class CompetitionConfig(AppConfig):
    name = "xuanren.competition"
    label = "competition"
    verbose_name = "公开选拔和竞争上岗考试"

    def ready(self) -> None:
        from xuanren.record.labels import register_action_labels

        register_action_labels(
            {
                "exam_round_created": "设立考试",
                "examiner_added": "确定考官（含回避声明）",
                "exam_scores_entered": "录入考试成绩",
                "exam_round_locked": "复核并锁定考试成绩",
                "exam_score_corrected": "更正考试成绩",
                "exam_results_published": "公布考官姓名和评分",
            }
        )
