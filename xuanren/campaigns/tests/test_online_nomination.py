"""Online signed recommendation and self-nomination (网上署名推荐和自荐, D2 channels 4 and 5): the
public form takes submissions only inside the campaign's nomination window and saves nothing it
refuses; the cadre section confirms the recommender's identity and accepts through the ordinary
nomination actions (whose refusals keep the submission pending) or rejects; every step is an
entry of the full-process record, none of which carries the recommender's whole ID number."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuanren.campaigns import actions, online
from xuanren.campaigns.errors import CampaignRefused
from xuanren.campaigns.models import Nomination, OnlineNomination
from xuanren.campaigns.testing import CampaignDriver, D, build_world
from xuanren.record import materials
from xuanren.record.models import Entry
from xuanren.register.idnumber import make_id, mask
from xuanren.testing import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID_NUMBER = make_id("620723", date(1975, 6, 1), 123)
INSIDE = D["nominate"]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from django.core.cache import cache

    from xuanren.record import keys

    settings.LEDGER_KEY_FILE = tmp_path / "keys" / "ledger.key"
    settings.MEDIA_ROOT = tmp_path / "uploads"
    keys.forget_cached_keys()
    keys.create_signer_key(settings.LEDGER_KEY_FILE)
    cache.clear()
    monkeypatch.setattr("xuanren.portal.recommend.today", lambda: INSIDE)
    monkeypatch.setattr("xuanren.campaigns.views.today", lambda: INSIDE)
    yield
    cache.clear()
    keys.forget_cached_keys()


@pytest.fixture
def driver() -> CampaignDriver:
    d = CampaignDriver(build_world())
    d.open_campaign()
    return d


def _url(driver: CampaignDriver, channel: str = "signed") -> str:
    return reverse(f"portal:recommend_{channel}", args=[driver.world.jurisdiction.code, driver.c.pk])


def _signed(driver: CampaignDriver, **extra: Any) -> dict[str, Any]:
    nominee = driver.world.nominees[0]
    return {
        "vacancy": driver.vacancies()[0].pk,
        "nominee_name": nominee.name,
        "nominee_unit_post": nominee.current_title,
        "recommender_name": "赵推荐",
        "recommender_unit_post": "县发展和改革局干部",
        "recommender_phone": "139 0000 2222",
        "recommender_id_number": ID_NUMBER,
        "relationship": "colleague",
        "relationship_note": "曾在同一单位共事三年",
        "assessment": "政治坚定，业务精通，勤勉敬业，实绩突出，清正廉洁",
        "reasons": "长期从事经济工作，熟悉项目管理",
        "proposed_use": "建议担任县发展和改革局局长",
        "responsibility_accepted": "on",
        **extra,
    }


def _submit(client: Client, driver: CampaignDriver, **extra: Any) -> Any:
    return client.post(_url(driver), _signed(driver, **extra))


def _self(driver: CampaignDriver, **extra: Any) -> dict[str, Any]:
    nominee = driver.world.nominees[1]
    return {
        "vacancy": driver.vacancies()[1].pk,
        "recommender_name": nominee.name,
        "recommender_unit_post": nominee.current_title,
        "recommender_phone": "13900003333",
        "recommender_id_number": nominee.id_number,
        "self_statement": "2019年起任县委办公室副主任，分管督查工作；自荐理由：熟悉乡镇工作",
        "responsibility_accepted": "on",
        **extra,
    }


def _submitted(driver: CampaignDriver, **extra: Any) -> OnlineNomination:
    submission, _ = online.submit_online_nomination(
        campaign=driver.c,
        today=INSIDE,
        channel=Nomination.Channel.SIGNED,
        vacancy=driver.vacancies()[0],
        nominee_name=driver.world.nominees[0].name,
        nominee_unit_post="县委办公室副主任",
        recommender_name="赵推荐",
        recommender_unit_post="群众",
        recommender_phone="13900002222",
        recommender_id_number=ID_NUMBER,
        relationship="colleague",
        responsibility_accepted=True,
        assessment="德才兼备",
        reasons="实绩突出",
        proposed_use="局长",
        **extra,
    )
    return submission


# --------------------------------------------------------------------------- the public form


def test_a_signed_recommendation_inside_the_window_gets_a_code_and_waits_for_review(
    driver: CampaignDriver,
) -> None:
    listing = Client().get(reverse("portal:recommend", args=[driver.world.jurisdiction.code]))
    assert driver.c.title in listing.content.decode() and "no-store" in listing["Cache-Control"]
    page = Client().get(_url(driver))
    assert page.status_code == 200 and online.SIGNED_STATEMENT in page.content.decode()

    upload = SimpleUploadedFile("推荐表.pdf", PDF, content_type="application/pdf")
    response = _submit(Client(), driver, attachment=upload)
    assert response.status_code == 201, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    submission = OnlineNomination.objects.get()
    body = response.content.decode()
    assert submission.tracking_code in body and response.context["password"] in body
    assert submission.status == OnlineNomination.Status.PENDING
    assert submission.recommender_id_number == ID_NUMBER and submission.recommender_phone == "13900002222"
    assert submission.relationship_text == "同事（曾在同一单位共事三年）"
    assert submission.responsibility_text == online.SIGNED_STATEMENT
    assert materials.read_bytes(submission.attachment_sha256) == PDF
    document = materials.read_bytes(submission.form_sha256)
    assert ID_NUMBER.encode() not in document and mask(ID_NUMBER).encode() in document

    entry = Entry.objects.get(action="online_nomination_submitted")
    assert entry.seq == submission.submit_entry_seq and entry.campaign_id == driver.c.pk
    assert ID_NUMBER not in entry.data and entry.payload["recommender_id_number"] == mask(ID_NUMBER)
    assert {f["sha256"] for f in entry.payload["files"]} == {
        submission.form_sha256,
        submission.attachment_sha256,
    }
    assert not Nomination.objects.exists()  # nothing enters the nomination list before review


def test_outside_the_window_the_form_refuses_in_chinese_and_saves_nothing(
    driver: CampaignDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = Entry.objects.count()
    for day, words in (
        (D["announce"] - timedelta(days=1), "尚未开始"),
        (D["nominations_close"] + timedelta(days=1), "已于"),
    ):
        monkeypatch.setattr("xuanren.portal.recommend.today", lambda day=day: day)
        page = Client().get(_url(driver))
        assert page.status_code == 200 and words in page.context["closed"]
        assert "csrfmiddlewaretoken" not in page.content.decode()
        response = _submit(Client(), driver)
        assert response.status_code == 409 and words in response.content.decode()
        listing = Client().get(reverse("portal:recommend", args=[driver.world.jurisdiction.code]))
        assert driver.c.title not in listing.content.decode()
    with pytest.raises(online.OnlineRefused, match="截止"):
        online.submit_online_nomination(
            campaign=driver.c,
            today=D["nominations_close"] + timedelta(days=1),
            channel="signed",
            vacancy=None,
            nominee_name="王",
            nominee_unit_post="x",
            recommender_name="赵",
            recommender_unit_post="x",
            recommender_phone="13900002222",
            recommender_id_number=ID_NUMBER,
            responsibility_accepted=True,
        )
    assert not OnlineNomination.objects.exists() and Entry.objects.count() == entries


def test_a_campaign_not_yet_announced_takes_no_recommendations() -> None:
    d = CampaignDriver(build_world())
    d.open_campaign()
    d.c.announced_on = None
    assert "尚未公布" in (online.window_refusal(d.c, INSIDE) or "")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"relationship": ""}, "relationship", "请申明“与被推荐人的关系”"),
        ({"relationship": "other", "relationship_note": ""}, "relationship_note", "关系说明"),
        ({"relationship": "cousin"}, "relationship", "“与被推荐人的关系”的选项不存在"),
        ({"responsibility_accepted": ""}, "responsibility_accepted", "我已阅读并同意以上承诺"),
        ({"recommender_id_number": "620723197506011230"}, "recommender_id_number", "“身份证号”不正确"),
        ({"recommender_id_number": ""}, "recommender_id_number", "请填写“身份证号”"),
        ({"recommender_phone": "请打电话"}, "recommender_phone", "“联系电话”"),
        ({"recommender_name": "  "}, "recommender_name", "请填写“您的姓名”"),
        ({"assessment": ""}, "assessment", "德、能、勤、绩、廉"),
        ({"reasons": ""}, "reasons", "“推荐理由”"),
        ({"proposed_use": ""}, "proposed_use", "“使用建议”"),
        ({"nominee_name": ""}, "nominee_name", "“被推荐人姓名”"),
        ({"nominee_name": "赵推荐"}, "nominee_name", "本人自荐"),
        ({"vacancy": ""}, "vacancy", "请选择“推荐职位”"),
        ({"vacancy": "999999"}, "vacancy", "“推荐职位”的选项不存在"),
        ({"assessment": "好" * 5001}, "assessment", "太长"),
        (
            {"attachment": SimpleUploadedFile("a.pdf", b"hello", content_type="application/pdf")},
            "attachment",
            "“附件”",
        ),
    ],
)
def test_every_field_is_checked_with_a_message_naming_it_and_nothing_is_saved(
    driver: CampaignDriver, extra: dict[str, Any], field: str, message: str
) -> None:
    entries = Entry.objects.count()
    response = _submit(Client(), driver, **extra)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert "请按提示修改" in response.content.decode()
    assert not OnlineNomination.objects.exists() and Entry.objects.count() == entries


def test_an_oversize_attachment_is_refused(driver: CampaignDriver, settings: Any) -> None:
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, content_type="application/pdf")
    response = _submit(Client(), driver, attachment=upload)
    assert response.status_code == 400 and "过大" in " ".join(response.context["form"].errors["attachment"])
    assert not OnlineNomination.objects.exists()


def test_a_request_larger_than_the_limit_is_refused_before_reading_it(
    driver: CampaignDriver, settings: Any
) -> None:
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 100
    settings.RECOMMEND_TEXT_MAX_BYTES = 100
    response = _submit(Client(), driver, reasons="很" * 400)
    assert response.status_code == 413 and "过大" in response.content.decode()
    assert not OnlineNomination.objects.exists()


def test_submitting_is_rate_limited_per_address(driver: CampaignDriver, settings: Any) -> None:
    settings.RECOMMEND_RATE_PER_HOUR = 2
    client = Client()
    assert _submit(client, driver).status_code == 201
    assert _submit(client, driver).status_code == 201
    third = _submit(client, driver)
    assert third.status_code == 429 and "过于频繁" in third.content.decode()
    assert OnlineNomination.objects.count() == 2


def test_the_form_needs_the_csrf_token(driver: CampaignDriver) -> None:
    assert _submit(Client(enforce_csrf_checks=True), driver).status_code == 403
    assert not OnlineNomination.objects.exists()


def test_a_campaign_of_another_county_is_not_found_under_this_code(driver: CampaignDriver) -> None:
    other = factories.make_counties().b
    url = reverse("portal:recommend_signed", args=[other.code, driver.c.pk])
    assert Client().get(url).status_code == 404
    assert Client().post(url, _signed(driver)).status_code == 404


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "vacancy",
                "nominee_name",
                "nominee_unit_post",
                "recommender_name",
                "recommender_unit_post",
                "recommender_phone",
                "recommender_id_number",
                "relationship",
                "relationship_note",
                "assessment",
                "reasons",
                "proposed_use",
                "responsibility_accepted",
                "self_statement",
                "x",
            ]
        ),
        st.one_of(st.text(max_size=80), st.integers().map(str), st.just(""), st.just(ID_NUMBER)),
        max_size=15,
    ),
    channel=st.sampled_from(["signed", "self"]),
)
def test_random_form_data_never_fails_the_server_or_half_saves(
    driver: CampaignDriver, data: dict[str, str], channel: str
) -> None:
    from django.core.cache import cache

    cache.clear()
    before = (OnlineNomination.objects.count(), Entry.objects.count())
    response = Client().post(_url(driver, channel), data)
    assert response.status_code in (201, 400)
    after = (OnlineNomination.objects.count(), Entry.objects.count())
    if response.status_code == 400:
        assert after == before
    else:
        assert after == (before[0] + 1, before[1] + 1)


def test_the_status_page_needs_the_code_and_the_password(driver: CampaignDriver) -> None:
    response = _submit(Client(), driver)
    code, password = response.context["submission"].tracking_code, response.context["password"]
    track = reverse("portal:recommend_track", args=[driver.world.jurisdiction.code])
    wrong = Client().post(track, {"code": code, "password": "nope"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()
    right = Client().post(track, {"code": code.lower(), "password": password})
    assert right.status_code == 200 and "待审核" in right.content.decode()
    assert ID_NUMBER not in right.content.decode()


# --------------------------------------------------------------------------- the review


def test_accepting_confirms_identity_and_nominates_through_the_signed_channel(driver: CampaignDriver) -> None:
    submission = _submitted(driver)
    nominee = driver.world.nominees[0]
    officer = driver.world.staff.officer
    nomination = online.accept_online_nomination(
        submission,
        acting_user=officer,
        today=D["nominations_close"] + timedelta(days=1),  # the review may come after the window
        cadre=nominee,
        identity_method="phone",
        identity_note="电话联系推荐人本人确认",
    )
    assert nomination.channel == Nomination.Channel.SIGNED and nomination.candidate.cadre == nominee
    assert nomination.received_on == INSIDE
    assert (nomination.recommender_name, nomination.recommender_contact) == ("赵推荐", "13900002222")
    assert nomination.relationship == "同事" and nomination.responsibility_accepted
    assert nomination.material_sha256 == submission.form_sha256
    submission.refresh_from_db()
    assert submission.status == OnlineNomination.Status.ACCEPTED and submission.nomination == nomination
    assert submission.reviewed_by == officer and submission.identity_method == "phone"
    received = Entry.objects.get(action="nomination_received")
    accepted = Entry.objects.get(action="online_nomination_accepted")
    assert accepted.seq > received.seq and accepted.candidate_id == nominee.pk
    assert accepted.payload["nomination"] == nomination.pk and accepted.payload["identity_method"] == "phone"
    assert not Entry.objects.filter(data__contains=ID_NUMBER).exists()
    with pytest.raises(online.OnlineRefused, match="已受理"):
        online.accept_online_nomination(
            submission,
            acting_user=officer,
            today=INSIDE,
            cadre=nominee,
            identity_method="phone",
            identity_note="x",
        )


def test_a_second_officer_accepting_the_same_submission_is_refused_and_nothing_is_doubled(
    driver: CampaignDriver,
) -> None:
    submission = _submitted(driver)
    stale = OnlineNomination.objects.get(pk=submission.pk)  # the second officer's page, loaded before
    nominee = driver.world.nominees[0]
    officer = driver.world.staff.officer
    first = online.accept_online_nomination(
        submission,
        acting_user=officer,
        today=INSIDE,
        cadre=nominee,
        identity_method="unit",
        identity_note="单位核实",
    )
    entries = Entry.objects.count()
    with pytest.raises(online.OnlineRefused, match="已受理"):
        online.accept_online_nomination(
            stale,
            acting_user=officer,
            today=INSIDE,
            cadre=nominee,
            identity_method="phone",
            identity_note="电话",
        )
    assert list(Nomination.objects.all()) == [first]
    assert Entry.objects.filter(action="online_nomination_accepted").count() == 1
    assert Entry.objects.count() == entries + 1  # only the refusal, recorded as step_refused
    assert Entry.objects.order_by("-seq").first().action == "step_refused"


def test_a_failure_inside_the_accept_undoes_the_nomination_it_had_made(
    driver: CampaignDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nomination action runs inside the accept's transaction: when the accept fails after
    it, neither the nomination nor its entries stay."""
    submission = _submitted(driver)
    entries = Entry.objects.count()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(OnlineNomination, "save", fail)
    with pytest.raises(OSError):
        online.accept_online_nomination(
            submission,
            acting_user=driver.world.staff.officer,
            today=INSIDE,
            cadre=driver.world.nominees[0],
            identity_method="unit",
            identity_note="单位核实",
        )
    monkeypatch.undo()
    assert not Nomination.objects.exists() and Entry.objects.count() == entries
    submission.refresh_from_db()
    assert submission.status == OnlineNomination.Status.PENDING


def test_a_self_nomination_is_accepted_through_the_self_channel_for_that_cadre(
    driver: CampaignDriver, client: Client, login: Any
) -> None:
    response = Client().post(_url(driver, "self"), _self(driver))
    assert response.status_code == 201, response.context["form"].errors if response.context else ""
    submission = OnlineNomination.objects.get()
    nominee = driver.world.nominees[1]
    assert submission.nominee_name == nominee.name and submission.self_statement
    other = driver.world.nominees[2]
    with pytest.raises(online.OnlineRefused, match="本人"):
        online.accept_online_nomination(
            submission,
            acting_user=driver.world.staff.officer,
            today=INSIDE,
            cadre=other,
            identity_method="in_person",
            identity_note="核验身份证",
        )
    login(driver.world.staff.officer)
    url = reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])
    page = client.get(url)
    assert page.status_code == 200 and nominee in page.context["cadres"]
    done = client.post(
        url,
        {
            "decision": "accept",
            "cadre": nominee.pk,
            "identity_method": "in_person",
            "identity_note": "当面核验身份证",
        },
    )
    assert done.status_code == 302
    nomination = Nomination.objects.get()
    assert (
        nomination.channel == Nomination.Channel.SELF
        and nomination.self_statement == submission.self_statement
    )
    assert nomination.candidate.cadre == nominee


def test_the_review_page_requires_identity_method_and_note(
    driver: CampaignDriver, client: Client, login: Any
) -> None:
    submission = _submitted(driver)
    login(driver.world.staff.officer)
    url = reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])
    response = client.post(
        url, {"decision": "accept", "cadre": driver.world.nominees[0].pk, "identity_note": " "}
    )
    assert response.status_code == 400
    errors = response.context["accept_form"].errors
    assert "请选择“身份核实方式”" in errors["identity_method"][0]
    assert "请填写“身份核实情况”" in errors["identity_note"][0]
    assert not Nomination.objects.exists()
    submission.refresh_from_db()
    assert submission.status == OnlineNomination.Status.PENDING


def test_a_refused_accept_shows_the_rule_and_keeps_the_submission_pending(
    driver: CampaignDriver, client: Client, login: Any
) -> None:
    driver.nominate_all()
    submission = _submitted(driver)  # for a nominee already nominated by the unit
    actions.review_qualifications(driver.c, acting_user=driver.world.staff.officer, today=D["review"])
    login(driver.world.staff.officer)
    url = reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])
    nominations = Nomination.objects.count()
    response = client.post(
        url,
        {
            "decision": "accept",
            "cadre": driver.world.nominees[0].pk,
            "identity_method": "phone",
            "identity_note": "电话核实",
        },
    )
    assert response.status_code == 409
    assert "已经过资格审核" in response.content.decode() and "仍为待审核" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == OnlineNomination.Status.PENDING and Nomination.objects.count() == nominations
    assert Entry.objects.filter(action="step_refused").exists()
    assert not Entry.objects.filter(action="online_nomination_accepted").exists()


def test_rejecting_records_the_reason_the_submitter_then_reads(
    driver: CampaignDriver, client: Client, login: Any
) -> None:
    response = _submit(Client(), driver)
    code, password = response.context["submission"].tracking_code, response.context["password"]
    submission = OnlineNomination.objects.get()
    login(driver.world.staff.officer)
    url = reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])
    empty = client.post(url, {"decision": "reject", "reason": ""})
    assert empty.status_code == 400 and "请填写“不予受理理由”" in empty.content.decode()
    done = client.post(
        url, {"decision": "reject", "reason": "电话无法联系到推荐人本人", "identity_method": "phone"}
    )
    assert done.status_code == 302
    submission.refresh_from_db()
    assert submission.status == OnlineNomination.Status.REJECTED and not Nomination.objects.exists()
    entry = Entry.objects.get(action="online_nomination_rejected")
    assert entry.payload["reason"] == "电话无法联系到推荐人本人"
    track = reverse("portal:recommend_track", args=[driver.world.jurisdiction.code])
    page = Client().post(track, {"code": code, "password": password})
    assert "不予受理" in page.content.decode() and "电话无法联系到推荐人本人" in page.content.decode()


def test_only_the_cadre_section_reviews_and_other_roles_cannot_read_the_recommender(
    driver: CampaignDriver, client: Client, login: Any
) -> None:
    submission = _submitted(driver)
    review = reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])
    listing = reverse("campaigns:online_list", args=[driver.c.pk])
    login(driver.world.staff.secretary)
    assert client.get(listing).status_code == 403 and client.get(review).status_code == 403
    detail = client.get(reverse("campaigns:detail", args=[driver.c.pk]))
    assert "网上署名推荐和自荐" not in detail.content.decode()
    client.logout()
    login(driver.world.staff.discipline)
    page = client.get(review)
    assert (
        page.status_code == 200
        and "赵推荐" in page.content.decode()
        and "accept-button" not in page.content.decode()
    )
    assert ID_NUMBER in page.content.decode()  # discipline may see whole ID numbers
    refused = client.post(review, {"decision": "reject", "reason": "x"})
    assert refused.status_code == 403
    submission.refresh_from_db()
    assert submission.status == OnlineNomination.Status.PENDING


def test_the_id_number_is_masked_for_a_reader_without_the_full_id_permission(
    driver: CampaignDriver, client: Client, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    submission = _submitted(driver)
    monkeypatch.setattr("xuanren.register.templatetags.register_tags.can_see_full_id", lambda user: False)
    login(driver.world.staff.officer)
    body = client.get(reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])).content.decode()
    assert mask(ID_NUMBER) in body and ID_NUMBER not in body


def test_staff_of_another_county_get_404(driver: CampaignDriver, client: Client, login: Any) -> None:
    submission = _submitted(driver)
    other = factories.make_counties().b
    login(factories.make_user("cadre_officer", jurisdiction=other))
    assert client.get(reverse("campaigns:online_list", args=[driver.c.pk])).status_code == 404
    url = reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "reject", "reason": "x"}).status_code == 404
    with pytest.raises(CampaignRefused):
        online.reject_online_nomination(
            submission,
            acting_user=factories.make_user("cadre_officer", jurisdiction=other),
            today=INSIDE,
            reason="x",
        )
    submission.refresh_from_db()
    assert submission.status == OnlineNomination.Status.PENDING


def test_the_review_list_runs_the_same_queries_for_3_and_for_20_submissions(
    driver: CampaignDriver, client: Client, login: Any
) -> None:
    login(driver.world.staff.officer)
    url = reverse("campaigns:online_list", args=[driver.c.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        _submitted(driver)
    accepted = OnlineNomination.objects.first()
    assert accepted is not None
    online.accept_online_nomination(
        accepted,
        acting_user=driver.world.staff.officer,
        today=INSIDE,
        cadre=driver.world.nominees[0],
        identity_method="phone",
        identity_note="电话核实",
    )
    few = queries()
    for _ in range(17):
        _submitted(driver)
    assert queries() == few


def test_the_officer_downloads_the_submitted_scan_from_the_review_page(
    driver: CampaignDriver, client: Client, login: Any
) -> None:
    upload = SimpleUploadedFile("推荐表.pdf", PDF, content_type="application/pdf")
    assert _submit(Client(), driver, attachment=upload).status_code == 201
    submission = OnlineNomination.objects.get()
    login(driver.world.staff.officer)
    url = reverse("campaigns:online_review", args=[driver.c.pk, submission.pk])
    assert 'id="attachment-link"' in client.get(url).content.decode()
    response = client.get(url, {"file": "attachment"})
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    plain = _submitted(driver)
    missing = reverse("campaigns:online_review", args=[driver.c.pk, plain.pk])
    assert client.get(missing, {"file": "attachment"}).status_code == 404
