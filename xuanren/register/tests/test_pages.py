from __future__ import annotations

import pytest

from xuanren.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees_full"),
    [("cadre_officer", True), ("discipline", True), ("inspection_team", False), ("committee_member", False)],
)
def test_id_number_is_masked_unless_the_role_may_see_it(client, counties, login, role, sees_full):
    cadre = factories.make_cadre(counties.a, "张三丰")
    login(factories.make_user(role, jurisdiction=counties.a))
    for url in ("/register/cadres/", f"/register/cadres/{cadre.pk}/"):
        html = client.get(url).content.decode()
        assert (cadre.id_number in html) is sees_full, url
        assert cadre.id_number[:6] in html


def test_search_by_initials_full_pinyin_name_and_id(client, counties, login):
    zhang = factories.make_cadre(counties.a, "张三丰")
    factories.make_cadre(counties.a, "李四")
    factories.make_cadre(counties.b, "张山峰")  # another county: never listed
    login(factories.make_user("cadre_officer", jurisdiction=counties.a))
    for q in ("zsf", "zhangsan", "张三", zhang.id_number[:17]):
        html = client.get("/register/cadres/", {"q": q}).content.decode()
        assert "张三丰" in html, q
        assert "李四" not in html and "张山峰" not in html, q


def test_a_given_name_typed_alone_still_finds_the_cadre(client, counties, login):
    factories.make_cadre(counties.a, "张三丰")
    factories.make_cadre(counties.a, "李三")
    factories.make_cadre(counties.b, "王三丰")  # another county: never listed
    login(factories.make_user("cadre_officer", jurisdiction=counties.a))
    html = client.get("/register/cadres/", {"q": "三丰"}).content.decode()
    assert "张三丰" in html and "李三" not in html and "王三丰" not in html
    html = client.get("/register/cadres/", {"q": "李"}).content.decode()  # a surname: prefix only
    assert "李三" in html and "张三丰" not in html


def test_unit_page_derives_vacancies_from_holdings(client, counties, login):
    unit = factories.make_unit(counties.a, "县交通运输局", zhengke=1, fuke=2)
    head = factories.make_post(unit, "局长", rank="zhengke", role="gov_head")
    factories.make_post(unit, "副局长（一）", rank="fuke")
    factories.make_post(unit, "副局长（二）", rank="fuke")
    factories.hold(factories.make_cadre(counties.a, "王局长", unit=unit), head)
    login(factories.make_user("cadre_officer", jurisdiction=counties.a))
    response = client.get(f"/register/units/{unit.pk}/")
    quotas = {q.rank: (q.approved, q.used, q.vacancies) for q in response.context["quotas"]}
    assert quotas == {"zhengke": (1, 1, 0), "fuke": (2, 0, 2)}
    assert response.content.decode().count("空缺") >= 2
