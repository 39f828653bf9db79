"""Staff download a complaint's attachments from the material store: only the desk's roles, only
in their jurisdiction, only attachments of that complaint, checked against the SHA-256, always as
a download."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xuanren.campaigns.models import Candidate
from xuanren.record import materials
from xuanren.supervision.models import Complaint
from xuanren.testing import factories

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _filed(driver: Any, *files: tuple[str, bytes, str]) -> Complaint:
    candidate = driver.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    response = Client().post(
        reverse("portal:report", args=[driver.world.jurisdiction.code]),
        {
            "campaign": driver.c.pk,
            "candidate": candidate.pk,
            "summary": "反映其违规插手工程项目",
            "anonymous": "on",
            "attachments": [SimpleUploadedFile(n, d, content_type=t) for n, d, t in files],
        },
    )
    assert response.status_code == 201, response.content.decode()
    return Complaint.objects.get(pk=response.context["complaint"].pk)


def _url(complaint: Complaint, material: Any) -> str:
    return reverse("supervision:attachment", args=[complaint.pk, material.pk])


def test_the_desk_downloads_a_png_attachment(inspected: Any, login: Any, client: Client) -> None:
    complaint = _filed(inspected, ("现场照片.png", PNG, "image/png"))
    material = complaint.attachments.get()
    login(inspected.world.staff.supervisor)
    page = client.get(reverse("supervision:complaint", args=[complaint.pk])).content.decode()
    assert _url(complaint, material) in page
    response = client.get(_url(complaint, material))
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_discipline_may_download_other_roles_may_not(inspected: Any, login: Any, client: Client) -> None:
    complaint = _filed(inspected, ("a.pdf", PDF, "application/pdf"))
    url = _url(complaint, complaint.attachments.get())
    j = inspected.world.jurisdiction
    login(factories.make_user("discipline", jurisdiction=j))
    assert client.get(url).status_code == 200
    for role in ("cadre_officer", "inspection_team", "committee_member"):
        client.logout()
        login(factories.make_user(role, jurisdiction=j))
        assert client.get(url).status_code == 403, role
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_another_countys_desk_and_another_complaints_material_are_404(
    inspected: Any, login: Any, client: Client
) -> None:
    first = _filed(inspected, ("a.pdf", PDF, "application/pdf"))
    second = _filed(inspected, ("b.png", PNG, "image/png"))
    material = first.attachments.get()
    other = factories.make_user("supervision_office", jurisdiction=factories.make_counties().b)
    login(other)
    assert client.get(_url(first, material)).status_code == 404
    client.logout()
    login(inspected.world.staff.supervisor)
    # A material of the first complaint asked for through the second: not this complaint's file.
    assert client.get(_url(second, material)).status_code == 404


def test_a_damaged_file_is_refused_not_served(inspected: Any, login: Any, client: Client) -> None:
    complaint = _filed(inspected, ("a.png", PNG, "image/png"))
    material = complaint.attachments.get()
    path = materials.path_for(material.sha256)
    path.write_bytes(PNG + b"tampered")
    login(inspected.world.staff.supervisor)
    response = client.get(_url(complaint, material))
    assert response.status_code == 410 and PNG not in response.content
    path.unlink()
    assert client.get(_url(complaint, material)).status_code == 410


def test_the_tracking_page_offers_no_download(inspected: Any) -> None:
    public = Client()
    response = public.post(
        reverse("portal:report", args=[inspected.world.jurisdiction.code]),
        {
            "campaign": inspected.c.pk,
            "summary": "反映选任工作程序问题",
            "anonymous": "on",
            "attachments": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        },
    )
    code, password = response.context["complaint"].tracking_code, response.context["password"]
    tracked = public.post(
        reverse("portal:report_track", args=[inspected.world.jurisdiction.code]),
        {"code": code, "password": password},
    )
    assert tracked.status_code == 200
    assert "/supervision/" not in tracked.content.decode()
