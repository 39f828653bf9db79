from django.apps import AppConfig


class CompetitionConfig(AppConfig):
    name = "xuanren.competition"
    label = "competition"
    verbose_name = "公开选拔和竞争上岗考试"

    def ready(self) -> None:
        from xuanren.campaigns.models import Candidate
        from xuanren.competition.models import ExamRound
        from xuanren.record.labels import choice_labels, register_action_labels, register_labels

        register_action_labels(
            {
                "exam_round_created": "设立考试",
                "examiner_added": "确定考官（含回避声明）",
                "exam_scores_entered": "录入考试成绩",
                "exam_round_locked": "复核并锁定考试成绩",
                "exam_score_corrected": "更正考试成绩",
                "exam_results_published": "公布考官姓名和评分",
                "candidate_stopped_by_pass_line": "未达考试合格线或缺考，终止",
                "candidate_resumed_after_correction": "更正成绩后达到合格线，恢复",
            }
        )
        register_labels(
            steps={
                "competition": "竞争性选拔考试",
                "written": "笔试",
                "interview": "面试",
                "evaluation": "测评",
            },
            keys={
                "round": "考试编号",
                "round_title": "考试",
                "examiners": "考官",
                "examiner": "考官编号",
                "examiner_name": "考官",
                "name": "姓名",
                "unit_post": "单位职务",
                "quote": "依据",
                "results": "结果",
                "candidate": "人选编号",
                "declaration": "回避声明",
                "declared_on": "声明日期",
                "no_relationship": "无利害关系",
                "created_on": "设立日期",
                "held_on": "举行日期",
                "max_score": "满分",
                "pass_line": "合格线",
                "method": "评分方法",
                "weight": "权重",
                "scores": "成绩",
                "score": "成绩",
                "value": "数值",
                "old_value": "更正前",
                "new_value": "更正后",
                "sheet": "成绩单条目",
                "rank": "名次",
                "shared": "并列",
                "vacancy": "职位",
                "rule": "规则",
                "state_before": "终止前状态",
                "resumed_state": "恢复后状态",
                "previous_reason": "原终止原因",
                "cause": "所依据的条目",
                "stop": "原终止条目",
            },
            # Values are labelled wherever they appear: only those no other record uses
            # ("interview" is also a form of recommendation, "evaluation" a kind of poll).
            values={"written": "笔试", "chief": "主考官"},
            values_by_key={
                "method": choice_labels(ExamRound.Method),
                "state_before": choice_labels(Candidate.State),
                "resumed_state": choice_labels(Candidate.State),
            },
        )
