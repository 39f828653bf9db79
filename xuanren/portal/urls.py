"""The public portal's addresses: ``/public/`` and one tree per jurisdiction, by its GB/T 2260 code.

Every address is built from values that never change (the jurisdiction code, a year, database
ids), so a link to a notice stays good for as long as the notice exists.

Reserved under ``/public/<code>/`` for the public forms that build on these pages:
``report/`` (信访举报: report a problem about a candidate or a campaign, follow it with a tracking
code) and ``recommend/`` (网上署名推荐和自荐 during a nomination window). Nothing else may take
those two names.
"""

from django.urls import path, register_converter

from xuanren.competition import public as competition_public
from xuanren.portal import complaints, recommend, views


class JurisdictionCode:
    """A GB/T 2260 code: 6 digits (county and above) or 9 (town)."""

    regex = r"[0-9]{6}(?:[0-9]{3})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(JurisdictionCode, "jcode")

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("<jcode:code>/", views.home, name="home"),
    path("<jcode:code>/plans/<int:year>/", views.plan, name="plan"),
    path("<jcode:code>/campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("<jcode:code>/campaigns/<int:pk>/nominees/", views.nominees, name="nominees"),
    path("<jcode:code>/notices/<int:pk>/", views.notice, name="notice"),
    path("<jcode:code>/disclosures/<int:pk>/", views.disclosure, name="disclosure"),
    path("<jcode:code>/votes/<int:pk>/", views.votes, name="votes"),
    path("<jcode:code>/campaigns/<int:pk>/scores/", competition_public.scores, name="scores"),
    path("<jcode:code>/report/", complaints.report, name="report"),
    path("<jcode:code>/report/track/", complaints.track, name="report_track"),
    path("<jcode:code>/recommend/", recommend.recommend, name="recommend"),
    path("<jcode:code>/recommend/<int:pk>/signed/", recommend.recommend_signed, name="recommend_signed"),
    path("<jcode:code>/recommend/<int:pk>/self/", recommend.recommend_self, name="recommend_self"),
    path("<jcode:code>/recommend/track/", recommend.recommend_track, name="recommend_track"),
]
