"""Materials: signed scans stored by hash outside the web root and anchored in the ledger."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile

from xuanren.record import materials
from xuanren.record.actions import RecordRefused, store_material
from xuanren.record.models import Entry, Material

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100)


def upload(user, data=PDF, name="推荐表.pdf", **kwargs):
    return store_material(
        acting_user=user,
        jurisdiction_code="620723",
        file=ContentFile(data, name=name),
        campaign_id=5,
        **kwargs,
    )


def test_a_pdf_is_stored_by_its_hash_and_anchored_by_an_entry(officer, settings):
    material = upload(officer, candidate_id=9, kind="recommendation")
    digest = hashlib.sha256(PDF).hexdigest()
    assert (material.sha256, material.size, material.content_type) == (digest, len(PDF), "application/pdf")
    path = materials.path_for(digest)
    assert path.read_bytes() == PDF and str(path).startswith(str(settings.MEDIA_ROOT))
    entry = Entry.objects.get(pk=material.entry_id)
    assert (entry.action, entry.campaign_id, entry.candidate_id) == ("material_stored", 5, 9)
    assert entry.files == [{"name": "推荐表.pdf", "sha256": digest}]
    assert entry.actor["id"] == officer.pk and material.uploaded_by == officer


def test_a_jpeg_is_accepted_and_named_by_its_content(officer):
    material = upload(officer, data=JPEG, name="扫描件.png")
    assert (material.content_type, material.name) == ("image/jpeg", "扫描件.jpg")


def test_a_png_is_accepted_by_its_signature_whatever_its_name(officer):
    material = upload(officer, data=PNG, name="照片.pdf")
    assert (material.content_type, material.name, material.size) == ("image/png", "照片.png", len(PNG))
    assert materials.read_bytes(material.sha256) == PNG


def test_a_png_over_the_limit_is_refused(officer, settings):
    settings.RECORD_MATERIAL_MAX_BYTES = 64
    with pytest.raises(materials.MaterialRefused, match="文件过大"):
        upload(officer, data=PNG)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n" + bytes(20),  # a PNG signature cut short
        b"\x89PNG\n\x1a\n" + bytes(20),  # line endings translated: a damaged PNG
        b"MZ\x90\x00 not a scan",
        b"<html><script>",
        b"PK\x03\x04 a docx",
    ],
)
def test_anything_but_pdf_jpeg_or_png_is_refused_by_its_first_bytes(officer, data):
    with pytest.raises(materials.MaterialRefused):
        upload(officer, data=data, name="scan.pdf")
    assert not Material.objects.exists() and not Entry.objects.exists()


def test_an_oversize_file_is_refused(officer, settings):
    settings.RECORD_MATERIAL_MAX_BYTES = 1024
    with pytest.raises(materials.MaterialRefused, match="文件过大"):
        upload(officer, data=PDF + bytes(2000))


def test_a_file_name_cannot_climb_out_or_hide_its_type(officer):
    assert upload(officer, name="../../etc/passwd").name == "passwd.pdf"
    assert upload(officer, name="C:\\scans\\会议记录.exe").name == "会议记录.pdf"
    assert upload(officer, name='a<b>:"c".pdf').name == "a_b___c_.pdf"


def test_roles_and_jurisdiction_are_checked(county):
    from xuanren.testing import factories

    discipline = factories.make_user("discipline", jurisdiction=county)
    with pytest.raises(RecordRefused):
        upload(discipline)
    other = factories.make_counties().b
    outsider = factories.make_user("cadre_officer", jurisdiction=other)
    with pytest.raises(RecordRefused, match="辖区"):
        upload(outsider)


def test_the_public_portal_may_store_a_complaint_attachment_under_a_name(county):
    material = upload("信访举报人（匿名）", kind="conclusion")
    assert material.uploaded_by is None
    assert Entry.objects.get(pk=material.entry_id).actor == {"id": None, "name": "信访举报人（匿名）"}


def test_a_stored_file_that_was_changed_is_detected_on_reading(officer):
    material = upload(officer)
    materials.path_for(material.sha256).write_bytes(PDF + b"tampered")
    with pytest.raises(materials.MaterialDamaged):
        materials.read_bytes(material.sha256)
