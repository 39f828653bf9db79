"""The archive bundle (立卷归档): built from the ledger, verifiable offline, naming an altered file."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from xuanren.ledger.bundle import verify_bundle
from xuanren.record import hooks, keys, materials
from xuanren.record.actions import archive_campaign, review_entry, store_material
from xuanren.record.api import append, recorded_action
from xuanren.record.models import Entry, Material

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% tally\n%%EOF\n"


@pytest.fixture
def campaign(county, officer, head):
    from xuanren.testing import factories

    a = factories.make_cadre(county, "张三")
    b = factories.make_cadre(county, "李四")
    with recorded_action():
        append(action="motion_plan_agreed", actor=officer, jurisdiction_code=county.code, campaign_id=31,
               stage="", step="motion_plan", payload={"summary": "动议方案经人事酝酿会议同意"})  # fmt: skip
        first = append(action="inspection_candidate_set", actor=officer, jurisdiction_code=county.code,
                       campaign_id=31, candidate_id=a.pk, stage="recommendation", step="inspection_candidates",
                       payload={"basis": "direct", "share": None, "threshold": None, "passed": None})  # fmt: skip
        append(action="inspection_candidate_set", actor=officer, jurisdiction_code=county.code, campaign_id=31,
               candidate_id=b.pk, stage="recommendation", step="inspection_candidates",
               payload={"basis": "recommendation", "share": "1/2", "threshold": "1/3", "passed": True})  # fmt: skip
        append(action="unrelated", actor=officer, jurisdiction_code=county.code, campaign_id=32)
    review_entry(acting_user=head, entry=first)
    store_material(acting_user=officer, jurisdiction_code=county.code, file=ContentFile(PDF, name="计票结果.pdf"),
                   campaign_id=31, kind="tally")  # fmt: skip
    return {"a": a, "b": b}


def test_the_bundle_holds_forms_materials_entries_and_proofs_and_verifies(campaign, officer):
    done = archive_campaign(acting_user=officer, campaign_id=31)
    data = materials.read_bytes(done.bundle.sha256)
    report = verify_bundle(data, [keys.verifier_key()])
    assert report.ok, report.summary()
    names = set(report.files)
    for cadre in campaign.values():
        assert f"record-forms/记实表-{cadre.name}-31-{cadre.pk}.pdf" in names
        assert f"record-forms/记实表-{cadre.name}-31-{cadre.pk}.docx" in names
    assert any(n.startswith("tallies/") and n.endswith("计票结果.pdf") for n in names)
    campaign_seqs = set(
        Entry.objects.filter(campaign_id=31, seq__lt=report.checkpoint.size).values_list("seq", flat=True)
    )
    assert set(report.entries) == campaign_seqs and done.archive_entry.seq in report.entries
    assert report.unanchored == ()  # every file's hash is in a verified entry
    stored = Entry.objects.get(action="archive_stored")
    assert stored.files[0]["sha256"] == done.bundle.sha256
    assert Material.objects.get(kind="archive").pk == done.bundle.pk


def altered(data: bytes, name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                content = (
                    content.replace(b"%%EOF", b"%%EOF changed")
                    if content.startswith(b"%PDF")
                    else content + b" "
                )
            target.writestr(info, content)
    return out.getvalue()


def test_one_altered_file_fails_verify_bundle_naming_the_file(campaign, officer, tmp_path, capsys):
    done = archive_campaign(acting_user=officer, campaign_id=31)
    data = materials.read_bytes(done.bundle.sha256)
    good = tmp_path / "good.zip"
    good.write_bytes(data)
    call_command("ledger", "verify-bundle", str(good), "--vkey", keys.verifier_key())
    assert capsys.readouterr().out.startswith("OK:")
    target = next(
        n for n in zipfile.ZipFile(good).namelist() if n.startswith("record-forms/") and n.endswith(".pdf")
    )
    bad = tmp_path / "bad.zip"
    bad.write_bytes(altered(data, target))
    with pytest.raises(CommandError, match=re.escape(f"failed at {target}")):
        call_command("ledger", "verify-bundle", str(bad), "--vkey", keys.verifier_key())


def test_a_bundle_checked_against_another_key_fails(campaign, officer, tmp_path):
    from xuanren.ledger.note import generate_signer_key

    done = archive_campaign(acting_user=officer, campaign_id=31)
    path = tmp_path / "b.zip"
    path.write_bytes(materials.read_bytes(done.bundle.sha256))
    other = generate_signer_key(keys.origin()).verifier_key().encode()
    with pytest.raises(CommandError, match=r"checkpoint\.txt"):
        call_command("ledger", "verify-bundle", str(path), "--vkey", other)


def test_the_bundle_command_writes_the_bundle_and_a_hook_adds_minutes(campaign, tmp_path, capsys):
    def minutes(campaign_id: int) -> dict[str, dict[str, bytes]]:
        return {"minutes": {"常委会会议记录.pdf": PDF}} if campaign_id == 31 else {}

    hooks.register_bundle_files(minutes)
    try:
        out = tmp_path / "archive.zip"
        call_command("ledger", "bundle", "31", "-o", str(out))
    finally:
        hooks._bundle_files.remove(minutes)
    report = verify_bundle(out.read_bytes(), [keys.verifier_key()])
    assert report.ok and "minutes/常委会会议记录.pdf" in report.files and report.unanchored == ()
    assert "已归档" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("ledger", "bundle", "999", "-o", str(tmp_path / "none.zip"))


def test_only_officers_and_the_head_archive(campaign, county):
    from xuanren.record.actions import RecordRefused
    from xuanren.testing import factories

    with pytest.raises(RecordRefused):
        archive_campaign(acting_user=factories.make_user("discipline", jurisdiction=county), campaign_id=31)


def test_a_stored_file_an_entry_names_by_hash_goes_into_the_bundle_once(campaign, officer, county):
    """An online recommendation's scan is kept by hash and named in its entry, with no material
    row: it is one of the campaign's materials all the same. A file no store holds is not."""
    scan = b"%PDF-1.7\n% signed recommendation form\n%%EOF\n"
    digest = materials.store_bytes(scan)
    with recorded_action():
        append(action="online_nomination_submitted", actor="网上推荐人", jurisdiction_code=county.code,
               campaign_id=31, files=[{"name": "署名推荐表.pdf", "sha256": digest},
                                      {"name": "不在库中.pdf", "sha256": "0" * 64}])  # fmt: skip
        append(action="nomination_received", actor=officer, jurisdiction_code=county.code, campaign_id=31,
               candidate_id=campaign["a"].pk, files=[{"name": "署名推荐表.pdf", "sha256": digest}])  # fmt: skip
    done = archive_campaign(acting_user=officer, campaign_id=31)
    report = verify_bundle(materials.read_bytes(done.bundle.sha256), [keys.verifier_key()])
    assert report.ok, report.summary()
    scans = [n for n in report.files if n.endswith("署名推荐表.pdf")]
    assert scans == [f"materials/{digest[:12]}-署名推荐表.pdf"]
    assert not any("不在库中" in n for n in report.files)
    again = archive_campaign(acting_user=officer, campaign_id=31)  # an earlier bundle is not a material
    names = verify_bundle(materials.read_bytes(again.bundle.sha256), [keys.verifier_key()]).files
    assert not any(n.endswith(".zip") for n in names)
