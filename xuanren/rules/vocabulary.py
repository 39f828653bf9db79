"""The fixed vocabulary that policies and facts share: ranks, education, channels, kinship.

Policy files use the English values (``"county_deputy"``); people see the Chinese labels.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Leadership rank (领导职务层次), lowest first."""

    SECTION_DEPUTY = "section_deputy"
    SECTION_HEAD = "section_head"
    COUNTY_DEPUTY = "county_deputy"
    COUNTY_HEAD = "county_head"
    BUREAU_DEPUTY = "bureau_deputy"
    BUREAU_HEAD = "bureau_head"
    PROVINCE_DEPUTY = "province_deputy"
    PROVINCE_HEAD = "province_head"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def is_head(self) -> bool:
        return self.value.endswith("_head")

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    Level.SECTION_DEPUTY: "乡科级副职",
    Level.SECTION_HEAD: "乡科级正职",
    Level.COUNTY_DEPUTY: "县处级副职",
    Level.COUNTY_HEAD: "县处级正职",
    Level.BUREAU_DEPUTY: "厅局级副职",
    Level.BUREAU_HEAD: "厅局级正职",
    Level.PROVINCE_DEPUTY: "省部级副职",
    Level.PROVINCE_HEAD: "省部级正职",
}


class Education(StrEnum):
    """Education level (学历层次), lowest first."""

    HIGH_SCHOOL = "high_school"
    SECONDARY_VOCATIONAL = "secondary_vocational"
    JUNIOR_COLLEGE = "junior_college"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTOR = "doctor"

    @property
    def rank(self) -> int:
        return list(Education).index(self)

    @property
    def label(self) -> str:
        return {
            Education.HIGH_SCHOOL: "高中及以下",
            Education.SECONDARY_VOCATIONAL: "中专",
            Education.JUNIOR_COLLEGE: "大学专科",
            Education.BACHELOR: "大学本科",
            Education.MASTER: "硕士研究生",
            Education.DOCTOR: "博士研究生",
        }[self]


class Channel(StrEnum):
    """The five nomination channels (五提名, DOMAIN D2; 000 一、)."""

    CADRE_MEETING = "cadre_meeting"
    CADRES_AND_MASSES = "cadres_and_masses"
    UNIT_COLLECTIVE = "unit_collective"
    SIGNED = "signed"
    SELF = "self"

    @property
    def label(self) -> str:
        return {
            Channel.CADRE_MEETING: "干部大会推荐提名",
            Channel.CADRES_AND_MASSES: "干部群众推荐提名",
            Channel.UNIT_COLLECTIVE: "部门单位集体推荐提名",
            Channel.SIGNED: "领导干部及群众署名推荐提名",
            Channel.SELF: "干部个人自荐提名",
        }[self]


class RecommendationMode(StrEnum):
    """Open recommendation (不提名推荐) or recommendation from a list (提名推荐), seed 002."""

    OPEN = "open"
    FROM_LIST = "from_list"

    @property
    def label(self) -> str:
        return "不提名推荐" if self is RecommendationMode.OPEN else "提名推荐"


class RecommendationForm(StrEnum):
    MEETING = "meeting"
    INTERVIEW = "interview"

    @property
    def label(self) -> str:
        return "会议推荐" if self is RecommendationForm.MEETING else "谈话调研推荐"


class Denominator(StrEnum):
    """What a share is a share of."""

    PARTICIPANTS = "participants"
    VALID_BALLOTS = "valid_ballots"
    MEMBERS_TOTAL = "members_total"
    EXPECTED = "expected"

    @property
    def label(self) -> str:
        return {
            Denominator.PARTICIPANTS: "参加人数",
            Denominator.EXPECTED: "应参加人数",
            Denominator.VALID_BALLOTS: "有效票数",
            Denominator.MEMBERS_TOTAL: "应到会成员数",
        }[self]


class Kinship(StrEnum):
    """Relations covered by appointment avoidance (任职回避)."""

    SPOUSE = "spouse"
    LINEAL = "lineal"
    COLLATERAL_3 = "collateral_3"
    CLOSE_IN_LAW = "close_in_law"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Kinship.SPOUSE: "夫妻关系",
            Kinship.LINEAL: "直系血亲关系",
            Kinship.COLLATERAL_3: "三代以内旁系血亲关系",
            Kinship.CLOSE_IN_LAW: "近姻亲关系",
            Kinship.OTHER: "其他关系",
        }[self]


class PostFunction(StrEnum):
    """What a post does, for the avoidance rule on sensitive work."""

    PERSONNEL = "personnel"
    DISCIPLINE = "discipline"
    AUDIT = "audit"
    FINANCE = "finance"
    ORGANIZATION = "organization"
    SUPERVISION = "supervision"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            PostFunction.PERSONNEL: "人事",
            PostFunction.DISCIPLINE: "纪检",
            PostFunction.AUDIT: "审计",
            PostFunction.FINANCE: "财务",
            PostFunction.ORGANIZATION: "组织",
            PostFunction.SUPERVISION: "监察",
            PostFunction.OTHER: "其他",
        }[self]


class EligibilityCheck(StrEnum):
    """Names of the eligibility checks, used by the exceptional-promotion rule to say which of
    them an approved exception may set aside."""

    YEARS_IN_RANK = "years_in_rank"
    LEVEL_SKIP = "level_skip"
    YEARS_OF_SERVICE = "years_of_service"
    GRASSROOTS = "grassroots"
    EDUCATION = "education"
    AGE = "age"
    TRAINING = "training"
    PROBATION = "probation"
    SINCE_LAST_PROMOTION = "since_last_promotion"
    DISCIPLINE = "discipline"
    AUDIT = "audit"
    COMPLAINTS = "complaints"
