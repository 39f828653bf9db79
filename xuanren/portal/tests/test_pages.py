"""The public pages of campaigns driven through the actions: what they show, what they never show,
and how they answer (headers, 304, 404, 405)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from xuanren.campaigns import actions
from xuanren.campaigns.models import Campaign, Disclosure, Meeting, Notice
from xuanren.portal.tests.conftest import PortalWorld

pytestmark = pytest.mark.django_db


def public_urls(world: PortalWorld) -> list[str]:
    """Every public page the two published campaigns of county A have, plus the index pages."""
    code = world.code
    urls = ["/public/", f"/public/{code}/", f"/public/{code}/plans/2025/"]
    for published in (world.main, world.other):
        c = published.campaign
        urls += [f"/public/{code}/campaigns/{c.pk}/", f"/public/{code}/campaigns/{c.pk}/nominees/"]
        urls += [f"/public/{code}/notices/{n.pk}/" for n in Notice.objects.filter(campaign=c)]
        urls += [
            f"/public/{code}/disclosures/{d.pk}/"
            for d in Disclosure.objects.filter(candidate__campaign=c, round=Disclosure.Round.SECOND)
        ]
        urls += [
            f"/public/{code}/votes/{m.pk}/"
            for m in Meeting.objects.filter(campaign=c, counts_published_on__isnull=False)
        ]
    urls.append(f"/public/{world.elsewhere.jurisdiction.code}/campaigns/{world.elsewhere.pk}/")
    return urls


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def get(client: Client, url: str, **headers: Any) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response


def test_the_campaigns_have_every_kind_of_public_page(portal_world):
    urls = public_urls(portal_world)
    for kind in ("/campaigns/", "/nominees/", "/notices/", "/disclosures/", "/votes/", "/plans/"):
        assert any(kind in u for u in urls), kind
    assert len([u for u in urls if "/notices/" in u]) == 4  # an inspection and a pre-appointment notice each


def test_every_public_page_opens_for_anyone_and_is_cacheable_and_locked_down(client, portal_world):
    for url in public_urls(portal_world):
        response = get(client, url)
        html = response.content.decode()
        assert response["Cache-Control"] == "public, max-age=60", url
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"]), url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "style-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert "Set-Cookie" not in response, url
        assert '<html lang="zh-Hans">' in html
        assert html.count("<h1") == 1, url
        # Strict CSP: no inline script or style anywhere.
        assert "<script" not in html and "<style" not in html and " style=" not in html, url
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url  # no inline event handlers
        assert "javascript:" not in html, url
        for form in re.findall(r"<form[^>]*>.*?</form>", html, flags=re.S):
            if 'method="post"' in form.lower():
                assert "csrfmiddlewaretoken" in form, url


def test_no_public_page_shows_an_id_number_family_member_voting_code_or_anything_unpublished(
    client, portal_world
):
    pages = {url: get(client, url).content.decode() for url in public_urls(portal_world)}
    for kind, values in portal_world.secrets.items():
        assert values, f"the test world has no {kind} to look for"
        for url, html in pages.items():
            for value in values:
                assert value not in html, f"{url} shows a {kind}: {value}"
    # ID numbers are not shown masked either: a public page has no ID number field at all.
    for url, html in pages.items():
        assert "身份证" not in html and "公民身份号码" not in html, url
        assert not re.search(r"\d{6}\*+\d{3}[\dX]", html), url


def test_the_team_conclusion_is_public_only_where_the_policy_publishes_it(client, portal_world):
    main = get(client, f"/public/{portal_world.code}/notices/{portal_world.main.pre_appointment_notice.pk}/")
    other = get(
        client, f"/public/{portal_world.code}/notices/{portal_world.other.pre_appointment_notice.pk}/"
    )
    assert "政治坚定，工作实绩突出" not in main.content.decode()  # tongliao-003 keeps conclusions inside
    text = text_of(other.content.decode())  # supervision-001 (001 二、（二）6) publishes them, signed
    assert "考察评价结论： 王建国同志政治坚定，工作实绩突出，群众公认度高。" in text
    assert "考察组签名：马德华、何晓丽、郭振东" in text


def test_the_pre_appointment_notice_shows_the_particulars_cv_achievements_and_public_figures(
    client, portal_world
):
    notice = portal_world.main.pre_appointment_notice
    text = text_of(get(client, f"/public/{portal_world.code}/notices/{notice.pk}/").content.decode())
    assert "干部任前公示" in text
    assert "公示期间： 2025年4月24日 至 2025年4月29日" in text  # 5 working days; 27 April 2025 was worked
    for name in [c["name"] for c in notice.content["candidates"]]:
        assert name in text
    assert "拟任： 县发展和改革局局长" in text
    assert "出生年月 1984年5月（40 岁）" in text
    assert "全日制教育：大学本科 " in text  # no degree: nothing said of one
    assert "2019.06— 县委办公室副主任1" in text  # the CV as it stood when the notice was posted
    assert "县发展和改革局局长" in text
    assert "牵头完成重点项目推进工作" in text  # achievements from the unit's nomination report
    assert "2023年2月 全县招商引资先进个人（县委、县政府）" in text  # a reward
    assert "民主推荐： 参加推荐 120 人，得票 100 票，得票率 83.3%" in text
    assert "讨论决定： 应到会成员 11 人，表决同意 9 票" in text
    assert "受理反映电话： 0936-5551234" in text
    assert "发布时间：" in text and "全程纪实第" in text


def test_the_inspection_notice_shows_candidates_time_team_and_hotline(client, portal_world):
    notice = portal_world.main.inspection_notice
    text = text_of(get(client, f"/public/{portal_world.code}/notices/{notice.pk}/").content.decode())
    assert "将于 2025年3月28日 起对下列同志进行考察" in text
    assert "王建国 ，男，1984年5月出生，现任县委办公室副主任1；考察职位：县发展和改革局局长" in text
    assert "马德华（组长），组织部副部长" in text
    assert "受理反映电话： 0936-5551234" in text
    assert "陈立新" not in text  # stopped before the nominee list


def test_the_second_disclosure_shows_the_items_of_its_round_and_nothing_of_the_first(client, portal_world):
    disclosure = Disclosure.objects.filter(
        candidate__campaign=portal_world.main.campaign, round=Disclosure.Round.SECOND
    ).first()
    first = Disclosure.objects.filter(
        candidate__campaign=portal_world.main.campaign, round=Disclosure.Round.FIRST
    ).first()
    assert disclosure is not None and first is not None
    text = text_of(get(client, f"/public/{portal_world.code}/disclosures/{disclosure.pk}/").content.decode())
    assert "本次公开事项：三龄两历一身份、婚姻、房产、年收入。" in text
    # What the candidate declared for this round's items, and nothing declared for the first's.
    assert "婚姻 已婚" in text and "房产 住房一套" in text and "年收入 约 12 万元" in text
    assert "配偶为教师" not in text and "本网站未载明" not in text
    assert "年龄 40 岁（1984年5月出生）" in text
    assert "公开途径：电视、网络媒体（全县范围）" in text
    assert "本人的婚姻变化情况" not in text  # one of the first round's nine items
    assert client.get(f"/public/{portal_world.code}/disclosures/{first.pk}/").status_code == 404


def test_the_vote_page_shows_who_voted_and_the_counts_but_no_positions(client, portal_world):
    meeting = Meeting.objects.get(campaign=portal_world.main.campaign, kind=Meeting.Kind.STANDING_COMMITTEE)
    text = text_of(get(client, f"/public/{portal_world.code}/votes/{meeting.pk}/").content.decode())
    assert "参加票决的成员（10 人）" in text
    assert "常委1、" not in text  # absent, did not vote
    assert "王建国 拟任县发展和改革局局长 应到会 11 实到会 10 同意 9 不同意 1 弃权 0 结果 通过" in text
    assert "张志强 拟任县发展和改革局局长 应到会 11 实到会 10 同意 3 不同意 7 弃权 0 结果 未通过" in text
    assert "不赞成" not in text and "同意 " in text


def test_the_campaign_page_shows_method_vacancies_progress_lists_and_results(client, portal_world):
    c = portal_world.main.campaign
    text = text_of(get(client, f"/public/{portal_world.code}/campaigns/{c.pk}/").content.decode())
    assert "五方联推、差额推荐、差额考察、差额酝酿、差额票决" in text
    assert "公开途径：网络、展板" in text
    assert (
        "县发展和改革局局长 职级 正科级 任职年限 任下一级职务 2 年以上 学历层次 大专及以上 年龄 45 周岁以下"
        in text
    )
    assert "推荐提名时间： 2025年3月6日 至 2025年3月13日" in text
    assert "民主推荐 已完成（2025年3月20日 至 3月24日）" in text
    assert "提名人选名单" in text and "考察预告：王建国、李红梅、张志强" in text
    assert "王建国 任县发展和改革局局长 任职日期 2025年5月12日" in text
    assert "当前状态： 已完成" in text


def test_the_nominee_list_is_the_list_as_published(client, portal_world):
    c = portal_world.main.campaign
    text = text_of(get(client, f"/public/{portal_world.code}/campaigns/{c.pk}/nominees/").content.decode())
    assert "王建国 ，男，1984年5月出生，大学本科，时任县委办公室副主任1" in text  # not his post today
    assert "刘晓燕" in text  # on the list even though not inspected later


def test_the_plan_lists_what_was_published_and_links_public_campaigns(client, portal_world):
    html = get(client, f"/public/{portal_world.code}/plans/2025/").content.decode()
    assert f"/public/{portal_world.code}/campaigns/{portal_world.main.campaign.pk}/" in html
    assert "第 1 季度" in html
    assert client.get(f"/public/{portal_world.code}/plans/2031/").status_code == 404


def test_the_index_lists_only_places_with_published_material(client, portal_world):
    text = text_of(get(client, "/public/").content.decode())
    assert "临泽县 （2 项选任工作）" in text
    assert "民乐县 （1 项选任工作）" in text
    assert "甘肃省" not in text and "张掖市" not in text


def test_unpublished_objects_and_objects_of_another_jurisdiction_are_not_found(client, portal_world):
    a, b = portal_world.code, portal_world.elsewhere.jurisdiction.code
    main = portal_world.main
    department = Meeting.objects.filter(campaign=main.campaign, kind=Meeting.Kind.DEPARTMENT).first()
    assert department is not None
    missing = [
        f"/public/{a}/campaigns/{portal_world.draft.pk}/",  # method not published
        f"/public/{a}/campaigns/{portal_world.draft.pk}/nominees/",
        f"/public/{a}/campaigns/{portal_world.elsewhere.pk}/",  # county B's, under county A's code
        f"/public/{b}/campaigns/{main.campaign.pk}/",  # county A's, under county B's code
        f"/public/{b}/notices/{main.pre_appointment_notice.pk}/",
        f"/public/{b}/votes/{department.pk}/",
        f"/public/{a}/votes/{department.pk}/",  # a department meeting has no public counts
        f"/public/{b}/campaigns/{portal_world.elsewhere.pk}/nominees/",  # no list published yet
        "/public/999999/",
        "/public/62072/",
        "/public/abc/",
    ]
    for url in missing:
        assert client.get(url).status_code == 404, url


def test_public_pages_take_only_get_and_head(client, portal_world):
    url = f"/public/{portal_world.code}/notices/{portal_world.main.pre_appointment_notice.pk}/"
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    assert Client(enforce_csrf_checks=True).post(url).status_code in (403, 405)


def test_a_reader_with_the_current_copy_gets_304(client, portal_world):
    url = f"/public/{portal_world.code}/notices/{portal_world.main.inspection_notice.pk}/"
    first = get(client, url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_publication_shows_at_once_although_pages_are_cached(client, portal_world):
    url = f"/public/{portal_world.code}/"
    assert "2026 年度选拔任用工作计划" not in get(client, url).content.decode()
    s = portal_world.main.world.staff
    plan = actions.create_annual_plan(
        acting_user=s.head,
        jurisdiction=portal_world.main.campaign.jurisdiction,
        year=2026,
        today=date(2026, 1, 5),
    )
    actions.create_campaign(
        acting_user=s.officer,
        jurisdiction=plan.jurisdiction,
        title="2026年乡镇副职选任",
        year=2026,
        policy_ref="linze",
        today=date(2026, 1, 6),
        annual_plan=plan,
        plan_quarter=2,
    )
    assert "2026 年度选拔任用工作计划" not in get(client, url).content.decode()  # created, not published
    actions.publish_annual_plan(plan, acting_user=s.head, today=date(2026, 1, 8))
    assert "2026 年度选拔任用工作计划" in get(client, url).content.decode()
    text = text_of(get(client, f"/public/{portal_world.code}/plans/2026/").content.decode())
    assert "2026年乡镇副职选任 第 2 季度" in text  # listed, not linked: the campaign is not public yet
    assert Campaign.objects.filter(title="2026年乡镇副职选任", method_published_on__isnull=True).exists()
