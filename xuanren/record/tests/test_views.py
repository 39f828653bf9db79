"""Record pages: timeline with constant queries, entry with its proof, forms, uploads, archive."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanren.record import witnessing
from xuanren.record.actions import review_entry
from xuanren.record.models import Entry, Material
from xuanren.record.tests.helpers import add

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% minutes\n%%EOF\n"


@pytest.fixture
def discipline(county):
    from xuanren.testing import factories

    return factories.make_user("discipline", jurisdiction=county, display_name="赵纪检")


def timeline_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/record/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_timeline_runs_the_same_queries_for_10_and_200_entries(client, login, officer, head):
    login(officer)
    entries = add(10, actor=officer, candidate_id=5, files=[{"name": "推荐表.pdf", "sha256": "a" * 64}])
    for e in entries[:3]:
        review_entry(acting_user=head, entry=e)
    few, page = timeline_queries(client)
    assert "李部长" in page and "推荐表.pdf" in page and "待审核" in page
    entries = add(187, actor=officer, candidate_id=6)
    for e in entries[:20]:
        review_entry(acting_user=head, entry=e)
    many, page = timeline_queries(client)
    assert Entry.objects.count() == 220
    assert many == few, f"{few} queries for 10 entries, {many} for 200"
    assert "第 1/3 页" in page


def test_the_timeline_filters_by_campaign_and_candidate_and_hides_other_counties(client, login, officer):
    login(officer)
    add(2, campaign_id=1, candidate_id=5, payload={"summary": "甲一"})
    add(1, campaign_id=2, candidate_id=6, payload={"summary": "甲二"})
    add(1, jurisdiction_code="620722", campaign_id=1, payload={"summary": "乙县"})
    page = client.get("/record/?campaign=1").content.decode()
    assert "甲一" in page and "甲二" not in page and "乙县" not in page
    page = client.get("/record/?campaign=2&candidate=6").content.decode()
    assert "甲二" in page and "甲一" not in page


def test_the_entry_page_shows_the_canonical_json_the_proof_and_the_verdict(client, login, officer):
    login(officer)
    entries = add(6, actor=officer)
    response = client.get(f"/record/entries/{entries[3].pk}/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert '"action": "test.step"' in page and "包含证明" in page
    assert page.count('<span class="tag ok">') >= 3  # leaf, inclusion, signature
    assert "审核签认</button>" not in page  # an officer does not review


def test_reviewing_from_the_entry_page(client, login, officer, head):
    entry = add(1, actor=officer)[0]
    login(head)
    assert "审核签认</button>" in client.get(f"/record/entries/{entry.pk}/").content.decode()
    response = client.post(f"/record/entries/{entry.pk}/review/", {"note": "属实"})
    assert response.status_code == 302
    review = Entry.objects.get(kind="review")
    assert review.refs == (entry.seq,) and review.payload["note"] == "属实"
    assert review.payload["leaf_hash"] == bytes(entry.leaf_hash).hex()
    client.post(f"/record/entries/{entry.pk}/review/")  # a second review by the same person is refused
    assert Entry.objects.filter(kind="review").count() == 1
    assert "审核签认</button>" not in client.get(f"/record/entries/{entry.pk}/").content.decode()


def test_a_recorder_cannot_review_their_own_entry(head):
    from xuanren.record.actions import RecordRefused

    entry = add(1, actor=head)[0]
    with pytest.raises(RecordRefused, match="记录人不能审核"):
        review_entry(acting_user=head, entry=entry)


def test_discipline_reads_everything_of_its_county_but_cannot_upload_or_archive(
    client, login, discipline, officer
):
    add(2, campaign_id=3, candidate_id=4, actor=officer)
    login(discipline)
    assert client.get("/record/").status_code == 200
    assert client.get("/record/campaigns/3/").status_code == 200
    assert client.get("/record/campaigns/3/candidates/4/").status_code == 200
    upload = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
    assert (
        client.post("/record/campaigns/3/materials/", {"file": upload, "kind": "minutes"}).status_code == 403
    )
    assert client.post("/record/campaigns/3/archive/").status_code == 403


def test_record_forms_download_as_docx_and_pdf(client, login, officer):
    add(2, campaign_id=3, candidate_id=4, actor=officer, stage="inspection", step="inspection_notice")
    login(officer)
    page = client.get("/record/campaigns/3/candidates/4/").content.decode()
    assert "三、组织考察" in page and "考察预告" in page
    docx = client.get("/record/campaigns/3/candidates/4/record-form.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert "filename*=UTF-8''" in docx["Content-Disposition"]
    pdf = client.get("/record/campaigns/3/candidates/4/record-form.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/record/campaigns/3/candidates/99/").status_code == 404
    assert client.get("/record/campaigns/99/").status_code == 404


def test_uploading_and_downloading_a_material_and_archiving(client, login, officer):
    add(1, campaign_id=3, candidate_id=4, actor=officer)
    login(officer)
    upload = SimpleUploadedFile("会议记录.pdf", PDF, content_type="application/pdf")
    response = client.post("/record/campaigns/3/materials/", {"file": upload, "kind": "minutes"})
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.kind, material.campaign_id, material.name) == ("minutes", 3, "会议记录.pdf")
    download = client.get(f"/record/materials/{material.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff" and "attachment" in download["Content-Disposition"]
    bad = SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    client.post("/record/campaigns/3/materials/", {"file": bad, "kind": "minutes"})
    assert Material.objects.count() == 1
    assert client.post("/record/campaigns/3/archive/").status_code == 302
    page = client.get("/record/campaigns/3/").content.decode()
    assert "归档包-选任工作3-" in page and "会议记录.pdf" in page


def test_the_checkpoint_shows_whether_it_is_witnessed(client, login, officer, tmp_path):
    from xuanren.record import keys

    add(3, actor=officer)
    login(officer)
    assert "尚未见证" in client.get("/record/").content.decode()
    key, state = tmp_path / "w.key", tmp_path / "w.json"
    witnessing.init_witness(
        key, state, name="county.discipline", origin=keys.origin(), log_vkey=keys.verifier_key()
    )
    witnessing.witness_latest(key, state)
    page = client.get("/record/").content.decode()
    assert "已见证" in page and "county.discipline" in page
    text = client.get("/record/checkpoint/").content.decode()
    assert text.count("\u2014 ") == 2  # the log's signature and the witness's cosignature
    add(1, actor=officer)
    page = client.get("/record/").content.decode()
    assert "尚未见证" in page and "最近一次见证：规模 3" in page


def test_a_material_is_filed_under_a_candidate_chosen_by_name(client, login, officer):
    add(1, campaign_id=3, candidate_id=4, actor=officer, candidate_name="王小明")
    login(officer)
    page = client.get("/record/campaigns/3/").content.decode()
    assert '<option value="4">王小明</option>' in page  # chosen by name, not typed as a number
    upload = SimpleUploadedFile("谈话记录.pdf", PDF, content_type="application/pdf")
    client.post("/record/campaigns/3/materials/", {"file": upload, "kind": "inspection", "candidate": "4"})
    assert Material.objects.get().candidate_id == 4
    page = client.get("/record/campaigns/3/").content.decode()
    assert 'href="/record/campaigns/3/candidates/4/">王小明</a>' in page
    stranger = SimpleUploadedFile("别人.pdf", PDF, content_type="application/pdf")
    response = client.post(
        "/record/campaigns/3/materials/",
        {"file": stranger, "kind": "inspection", "candidate": "99"},
        follow=True,
    )
    assert Material.objects.count() == 1
    message = [str(m) for m in response.context["messages"]]
    assert len(message) == 1 and message[0].startswith("所涉人选：") and "99" in message[0], message
