from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "xuanren.register"
    label = "register"
    verbose_name = "干部名册"

    def ready(self) -> None:
        from xuanren.record.labels import register_labels

        register_labels(  # what the demo's entry says it built
            keys={
                "demo_built.seed": "随机种子",
                "demo_built.size": "规模",
                "units": "单位数",
                "posts": "职位数",
                "demo_built.vacancies": "空缺职位数",
                "cadres": "干部人数",
                "second_county_cadres": "另一县干部人数",
                "holdings": "任职经历条数",
                "family_members": "家庭成员人数",
                "linked_relatives": "系统内亲属关系数",
                "users": "账号数",
                "full_units": "职数已满的单位",
                "over_quota_units": "超职数单位",
            }
        )
