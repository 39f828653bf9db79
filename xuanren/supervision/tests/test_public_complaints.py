"""Complaints from the public: the form refuses junk without saving anything, a filed complaint
gives a tracking code and a one-time password, the desk verifies and answers, and the reporter
reads the answer. The reporter's identity shows on the supervision desk only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import D
from xuanren.record.models import Entry, Material
from xuanren.supervision import actions
from xuanren.supervision.models import Complaint
from xuanren.testing import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _report_url(driver: Any) -> str:
    return reverse("portal:report", args=[driver.world.jurisdiction.code])


def _track_url(driver: Any) -> str:
    return reverse("portal:report_track", args=[driver.world.jurisdiction.code])


def _file(client: Client, driver: Any, **extra: Any) -> Any:
    candidate = driver.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    data = {
        "campaign": driver.c.pk,
        "candidate": candidate.pk,
        "summary": "反映其在招商引资中弄虚作假",
        "reporter_name": "赵举报",
        "reporter_contact": "13900002222",
        **extra,
    }
    return client.post(_report_url(driver), data)


def test_the_form_lists_the_published_campaign_and_its_inspection_candidates(inspected: Any) -> None:
    response = Client().get(_report_url(inspected))
    assert response.status_code == 200
    body = response.content.decode()
    assert inspected.c.title in body and "csrfmiddlewaretoken" in body
    for candidate in inspected.candidates(Candidate.State.INSPECTION_CANDIDATE):
        assert candidate.cadre.name in body
    assert "no-store" in response["Cache-Control"]


def test_a_signed_complaint_with_an_attachment_gets_a_code_and_a_password(inspected: Any) -> None:
    upload = SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf")
    response = _file(Client(), inspected, attachments=upload)
    assert response.status_code == 201, response.content.decode()
    complaint = Complaint.objects.get()
    password = response.context["password"]
    body = response.content.decode()
    assert complaint.tracking_code in body and password in body
    assert password not in complaint.tracking_password
    assert identify_hasher(complaint.tracking_password).algorithm == "argon2"
    assert complaint.channel == "online" and complaint.reporter_name == "赵举报"
    assert complaint.during == Complaint.During.INSPECTION_NOTICE
    material = complaint.attachments.get()
    assert material.content_type == "application/pdf" and material.size == len(PDF)
    for entry in Entry.objects.all():
        assert "赵举报" not in entry.data and "13900002222" not in entry.data
    assert actions.tracked_complaint(complaint.tracking_code, password) == complaint
    assert actions.tracked_complaint(complaint.tracking_code, "WRONG") is None
    assert actions.tracked_complaint("NOPE", password) is None


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"summary": "   "}, "summary", "反映的主要问题"),
        ({"campaign": "abc"}, "campaign", "反映的选任工作"),
        ({"campaign": "999999"}, "campaign", "反映的选任工作"),
        ({"candidate": "999999"}, "candidate", "被反映的人选"),
        ({"reporter_name": ""}, "reporter_name", "姓名"),
        ({"reporter_contact": ""}, "reporter_contact", "联系方式"),
        (
            {
                "attachments": SimpleUploadedFile(
                    "x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
                )
            },
            "attachments",
            "不是 PDF、JPEG 或 PNG",
        ),
    ],
)
def test_invalid_input_names_the_field_and_saves_nothing(
    inspected: Any, extra: dict[str, Any], field: str, message: str
) -> None:
    entries = Entry.objects.count()
    response = _file(Client(), inspected, **extra)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Complaint.objects.exists() and not Material.objects.exists()
    assert Entry.objects.count() == entries


def test_an_oversize_attachment_is_refused(inspected: Any, settings: Any) -> None:
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, content_type="application/pdf")
    response = _file(Client(), inspected, attachments=upload)
    assert response.status_code == 400 and "过大" in " ".join(response.context["form"].errors["attachments"])
    assert not Complaint.objects.exists()


def test_filing_is_rate_limited_per_address(inspected: Any, settings: Any) -> None:
    settings.COMPLAINT_RATE_PER_HOUR = 2
    client = Client()
    assert _file(client, inspected, anonymous="on").status_code == 201
    assert _file(client, inspected, anonymous="on").status_code == 201
    assert _file(client, inspected, anonymous="on").status_code == 429
    assert Complaint.objects.count() == 2


def test_the_form_needs_the_csrf_token(inspected: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _file(client, inspected).status_code == 403
    assert not Complaint.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.dictionaries(
        st.sampled_from(
            ["campaign", "candidate", "summary", "anonymous", "reporter_name", "reporter_contact", "x"]
        ),
        st.one_of(st.text(max_size=80), st.integers().map(str), st.just("")),
        max_size=7,
    )
)
def test_random_form_data_never_fails_the_server(inspected: Any, data: dict[str, str]) -> None:
    from django.core.cache import cache

    cache.clear()
    before = Complaint.objects.count()
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    response = Client().post(_report_url(inspected), data)
    assert response.status_code in (201, 400)
    if response.status_code == 400:
        assert Complaint.objects.count() == before


def test_the_desk_verifies_concludes_and_answers_and_the_reporter_reads_it(
    inspected: Any, login: Any, client: Client
) -> None:
    public = Client()
    response = _file(public, inspected)
    code, password = response.context["complaint"].tracking_code, response.context["password"]
    complaint = Complaint.objects.get()

    login(inspected.world.staff.supervisor)
    listing = client.get(reverse("supervision:complaints"))
    assert listing.status_code == 200 and f"#{complaint.pk}" in listing.content.decode()
    page = client.get(reverse("supervision:complaint", args=[complaint.pk]))
    assert "赵举报" in page.content.decode() and "13900002222" in page.content.decode()

    refused = client.post(reverse("supervision:verify", args=[complaint.pk]), {"verifiers": ""})
    assert refused.status_code == 400 and "核查组" in refused.content.decode()
    ok = client.post(
        reverse("supervision:verify", args=[complaint.pk]),
        {"verifiers": "县委组织部、县纪委监委、县住建局", "due_on": "2026-12-31"},
    )
    assert ok.status_code == 302
    ok = client.post(
        reverse("supervision:conclude", args=[complaint.pk]),
        {"outcome": "cleared", "conclusion": "经核查，反映问题查无实据", "publish": "on"},
    )
    assert ok.status_code == 302
    ok = client.post(
        reverse("supervision:answer", args=[complaint.pk]),
        {"answer": "您反映的问题经核查查无实据，特此答复。"},
    )
    assert ok.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "concluded" and complaint.answer and complaint.published

    actions_done = set(Entry.objects.values_list("action", flat=True))
    assert {
        "complaint_received",
        "verification_started",
        "complaint_concluded",
        "complaint_answered",
    } <= actions_done

    wrong = public.post(_track_url(inspected), {"code": code, "password": "WRONGWRONG"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()
    tracked = public.post(_track_url(inspected), {"code": code.lower(), "password": password})
    body = tracked.content.decode()
    assert tracked.status_code == 200 and "查无实据，特此答复" in body
    assert "赵举报" not in body and "13900002222" not in body

    form_page = public.get(_report_url(inspected)).content.decode()
    assert "经核查，反映问题查无实据" in form_page
    assert "赵举报" not in form_page and "13900002222" not in form_page


def test_the_reporter_is_hidden_from_other_roles_and_public_pages(
    inspected: Any, login: Any, client: Client
) -> None:
    _file(Client(), inspected)
    complaint = Complaint.objects.get()
    officer = factories.make_user("cadre_officer", jurisdiction=inspected.world.jurisdiction)
    login(officer)
    assert client.get(reverse("supervision:complaints")).status_code == 403
    assert client.get(reverse("supervision:complaint", args=[complaint.pk])).status_code == 403
    for url in (
        reverse("campaigns:detail", args=[inspected.c.pk]),
        reverse("portal:campaign", args=[inspected.world.jurisdiction.code, inspected.c.pk]),
        reverse("portal:home", args=[inspected.world.jurisdiction.code]),
    ):
        body = client.get(url).content.decode()
        assert "赵举报" not in body and "13900002222" not in body, url


def test_another_county_cannot_open_the_complaint(inspected: Any, login: Any, client: Client) -> None:
    _file(Client(), inspected)
    complaint = Complaint.objects.get()
    counties = factories.make_counties()
    other = factories.make_user("supervision_office", jurisdiction=counties.b)
    login(other)
    assert client.get(reverse("supervision:complaint", args=[complaint.pk])).status_code == 404
    assert f"#{complaint.pk}" not in client.get(reverse("supervision:complaints")).content.decode()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def test_a_png_attachment_is_kept_with_the_complaint_in_one_action(inspected: Any) -> None:
    upload = SimpleUploadedFile("photo.pdf", PNG, content_type="application/pdf")
    seq_before = Entry.objects.order_by("-seq").values_list("seq", flat=True).first()
    response = _file(Client(), inspected, attachments=upload)
    assert response.status_code == 201, response.content.decode()
    complaint = Complaint.objects.get()
    material = complaint.attachments.get()
    assert (material.content_type, material.name, material.size) == ("image/png", "photo.png", len(PNG))
    new = list(Entry.objects.filter(seq__gt=seq_before).order_by("seq"))
    assert [e.action for e in new] == ["complaint_received", "material_stored"]
    assert material.entry_id == new[1].pk
    # Both entries are sealed by one checkpoint: they were appended by one recorded action.
    from xuanren.record.models import Checkpoint

    assert Checkpoint.objects.filter(size=new[1].seq + 1).exists()
    assert not Checkpoint.objects.filter(size=new[0].seq + 1).exists()


def test_a_storage_failure_saves_nothing(inspected: Any, monkeypatch: Any) -> None:
    from xuanren.record import materials

    def broken(data: bytes) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(materials, "store_bytes", broken)
    entries = Entry.objects.count()
    upload = SimpleUploadedFile("证据.png", PNG, content_type="image/png")
    response = _file(Client(), inspected, attachments=upload)
    assert response.status_code == 503 and "反映未提交" in response.content.decode()
    assert not Complaint.objects.exists() and not Material.objects.exists()
    assert Entry.objects.count() == entries


def test_a_failure_inside_the_action_leaves_no_complaint_and_no_orphan_row(
    inspected: Any, monkeypatch: Any
) -> None:
    real = actions._attachment
    calls = []

    def second_fails(complaint: Complaint, upload: Any) -> Any:
        calls.append(upload)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(complaint, upload)

    monkeypatch.setattr(actions, "_attachment", second_fails)
    entries = Entry.objects.count()
    candidate = inspected.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    files = [
        SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("b.png", PNG, content_type="image/png"),
    ]
    with pytest.raises(RuntimeError):
        actions.file_public_complaint(
            jurisdiction=inspected.world.jurisdiction,
            today=D["inspection_candidates"],
            summary="反映其违规插手工程",
            candidate=candidate,
            files=files,
        )
    assert len(calls) == 2
    assert not Complaint.objects.exists() and not Material.objects.exists()
    assert Entry.objects.count() == entries
