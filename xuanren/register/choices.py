"""Enumerations of the register, with the Chinese the forms and the official software use."""

from __future__ import annotations

from django.db import models


class Rank(models.TextChoices):
    """Leadership ranks (职级) a county organization department handles, highest first."""

    ZHENGTING = "zhengting", "正厅级"
    FUTING = "futing", "副厅级"
    ZHENGCHU = "zhengchu", "正处级"
    FUCHU = "fuchu", "副处级"
    ZHENGKE = "zhengke", "正科级"
    FUKE = "fuke", "副科级"
    KEYUAN = "keyuan", "科员"


# Higher number = higher rank; used for "promotion" and "same level" comparisons.
RANK_ORDER = {
    Rank.KEYUAN: 0,
    Rank.FUKE: 1,
    Rank.ZHENGKE: 2,
    Rank.FUCHU: 3,
    Rank.ZHENGCHU: 4,
    Rank.FUTING: 5,
    Rank.ZHENGTING: 6,
}


class UnitType(models.TextChoices):
    TOWN = "town", "乡镇（街道）"
    PARTY_DEPT = "party_dept", "县委工作部门"
    GOV_DEPT = "gov_dept", "县政府工作部门"
    PEOPLES_CONGRESS = "congress", "人大、政协机关"
    COURT_PROCURATORATE = "judicial", "法院、检察院"
    MASS_ORG = "mass_org", "群团组织"
    INSTITUTION = "institution", "事业单位"
    ENTERPRISE = "enterprise", "国有企业"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", "中共党员"
    CPC_PROBATIONARY = "cpc_prob", "中共预备党员"
    LEAGUE = "league", "共青团员"
    DEMOCRATIC_PARTY = "democratic", "民主党派"
    NONE = "masses", "群众"


class Education(models.TextChoices):
    """Education levels, lowest to highest (学历层次)."""

    HIGH_SCHOOL = "high_school", "高中"
    TECHNICAL = "technical", "中专"
    JUNIOR_COLLEGE = "junior_college", "大专"
    BACHELOR = "bachelor", "大学本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"


EDUCATION_ORDER = {e: i for i, e in enumerate(Education)}


class Degree(models.TextChoices):
    NONE = "", "无"
    BACHELOR = "bachelor", "学士"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


class PostRole(models.TextChoices):
    """What a post does, for the full-committee rule and for avoidance (回避)."""

    PARTY_HEAD = "party_head", "党委（党组）正职"
    GOV_HEAD = "gov_head", "行政正职"
    DEPUTY = "deputy", "副职"
    PERSONNEL = "personnel", "组织人事"
    DISCIPLINE = "discipline", "纪检监察"
    AUDIT = "audit", "审计"
    FINANCE = "finance", "财务"
    OTHER = "other", "其他"


class AssessmentResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
    NOT_RATED = "not_rated", "不定等次"


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


ETHNICITIES = (
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
)
