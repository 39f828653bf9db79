from django.apps import AppConfig

# Chinese labels of the entries the campaign actions append (the record's pages show these).
ACTION_LABELS = {
    "campaign_created": "创建选任工作（确定适用政策）",
    "annual_plan_created": "制定年度选任计划",
    "annual_plan_published": "公布年度选任计划",
    "motion_proposed": "提出动议建议",
    "direction_recorded": "记录书记提出的方向原则和选拔标准",
    "motion_plan_agreed": "人事酝酿会议审定动议方案",
    "method_published": "公开选任方式和程序步骤",
    "vacancies_announced": "公布空缺职位和任职条件",
    "vacancy_conditions_changed": "修改任职条件（公布前）",
    "nomination_received": "受理推荐提名",
    "qualification_reviewed": "资格审核",
    "exceptional_promotion_declared": "申报破格提拔",
    "nomination_falsified": "弄虚作假，取消提名和任用资格",
    "nomination_proposed": "确定提名建议人选",
    "nominees_confirmed": "确定提名人选",
    "recommendation_result": "民主推荐得票",
    "recommendation_held": "组织民主推荐",
    "joint_review_recorded": "考察对象资格会审",
    "inspection_candidate_not_set": "未确定为考察对象",
    "inspection_team_formed": "组建考察组",
    "inspection_notice_published": "发布考察预告",
    "work_report_recorded": "述职",
    "evaluation_recorded": "民主测评",
    "talk_recorded": "个别谈话",
    "inspection_procedure_recorded": "考察程序（面谈、查档、走访）",
    "inspection_concluded": "实施考察完毕",
    "disclosure_started": "有关事项公开",
    "team_conclusion_signed": "考察组签署考察结论",
    "inspection_fed_back": "反馈考察结果",
    "appeal_filed": "提出申诉",
    "appeal_decided": "申诉处理",
    "inspection_reviewed": "考察结果会审",
    "department_meeting_held": "组织部部务会酝酿",
    "dual_managed_set": "确认为双重管理干部",
    "consultation_completed": "征求意见完毕",
    "personnel_deliberation_held": "人事酝酿会议酝酿",
    "plan_filed": "任免方案报上级组织部门备案",
    "procedure_form_generated": "生成人选产生程序情况表",
    "procedure_form_signed": "人选产生程序情况表签字",
    "meeting_convened": "召集会议",
    "member_signed_in": "会议签到",
    "meeting_opened": "会议开始讨论（到会判定）",
    "candidates_presented": "组织部门介绍人选情况",
    "position_stated": "表态",
    "committee_vote": "票决",
    "candidate_postponed": "缓议",
    "meeting_closed": "会议结束（会议记录）",
    "vote_counts_published": "公开表决情况",
    "pre_appointment_notice_published": "发布任前公示",
    "pre_appointment_notice_concluded": "任前公示期满",
    "appointed": "任职",
    "probation_reminder": "试用期满考核提醒",
    "probation_assessed": "试用期满考核",
}


class CampaignsConfig(AppConfig):
    name = "xuanren.campaigns"
    label = "campaigns"
    verbose_name = "选任工作"

    def ready(self) -> None:
        from xuanren.campaigns import record_labels
        from xuanren.record.labels import register_action_labels, register_labels

        register_action_labels(ACTION_LABELS)
        register_labels(
            keys=record_labels.KEYS, steps=record_labels.STEPS, values_by_key=record_labels.values_by_key()
        )

        from xuanren.campaigns import online  # noqa: F401 — registers the online submissions' labels
        from xuanren.record.hooks import register_campaign_info

        register_campaign_info(campaign_info)


def campaign_info(campaign_id: int):  # type: ignore[no-untyped-def]
    """The record form's title and procedure for a campaign: its own title and pinned policy."""
    from xuanren.campaigns.models import Campaign
    from xuanren.record.hooks import CampaignInfo, stages_of_policy

    campaign = Campaign.objects.filter(pk=campaign_id).only("title", "policy_id", "policy_version").first()
    if campaign is None:
        return None
    ref = f"{campaign.policy_id}@{campaign.policy_version}"
    return CampaignInfo(title=campaign.title, stages=stages_of_policy(ref), policy=ref)
