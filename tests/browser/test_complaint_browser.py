"""A member of the public files a complaint with a PNG photograph attached, the supervision office
downloads it, verifies and answers the complaint, and the reporter reads the answer with the
tracking code and password."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.test_register_browser import staff_login
from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import CampaignDriver, build_world
from xuanren.supervision.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png(width: int = 160, height: int = 80) -> bytes:
    """A small valid PNG (8-bit RGB, a red bar on white), written by hand: no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00"
        + b"".join(
            b"\xb3\x26\x1e" if height // 3 <= y < 2 * height // 3 else b"\xff\xff\xff" for _ in range(width)
        )
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_public_complaint_verified_and_answered(page, live_server, shot, tmp_path: Path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    candidate = driver.candidates(Candidate.State.INSPECTION_CANDIDATE)[0]
    code = driver.world.jurisdiction.code
    photo = png()
    evidence = tmp_path / "现场照片.png"
    evidence.write_bytes(photo)

    # The public: an empty form is refused with the field named; then a signed complaint.
    page.goto(f"{live_server.url}/public/{code}/report/")
    assert "PDF、JPEG 或 PNG" in page.inner_text("main")
    shot(page, "01-form")
    page.click("main button[type=submit]")
    assert "请填写“反映的主要问题”" in page.inner_text("main")
    shot(page, "02-refused")
    page.select_option("#id_campaign", str(driver.c.pk))
    page.select_option("#id_candidate", str(candidate.pk))
    page.fill("#id_summary", "反映其在招商引资中弄虚作假，虚报引资金额。")
    page.uncheck("#id_anonymous")
    page.fill("#id_reporter_name", "赵举报")
    page.fill("#id_reporter_contact", "13900002222")
    page.set_input_files("#id_attachments", str(evidence))
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('您的反映已受理')")
    tracking_code = page.inner_text("#tracking-code")
    password = page.inner_text("#tracking-password")
    shot(page, "03-filed")
    complaint = Complaint.objects.get(tracking_code=tracking_code)
    material = complaint.attachments.get()
    assert (material.content_type, material.name) == ("image/png", "现场照片.png")

    # The supervision office verifies, concludes and answers.
    staff_login(page, live_server, driver.world.staff.supervisor)
    page.get_by_role("link", name="监督").first.click()
    page.get_by_role("link", name=f"#{complaint.pk}").click()
    assert "赵举报" in page.inner_text("main")
    shot(page, "04-desk")
    with page.expect_download() as info:
        page.get_by_role("link", name="现场照片.png").click()
    download = info.value
    assert download.suggested_filename == "现场照片.png"
    assert Path(download.path()).read_bytes() == photo
    # The downloaded bytes decode as the image the reporter sent.
    downloaded = base64.b64encode(Path(download.path()).read_bytes()).decode()
    page.set_content(
        f'<p>下载的附件：现场照片.png</p><img id="photo" alt="附件" src="data:image/png;base64,{downloaded}" '
        'style="border:1px solid #888">'
    )
    assert page.eval_on_selector("#photo", "img => img.naturalWidth") == 160
    shot(page, "04a-attachment")
    page.goto(f"{live_server.url}/supervision/complaints/{complaint.pk}/")
    page.fill("#id_verifiers", "县委组织部、县纪委监委、县商务局")
    page.click("form[action$='/verify/'] button[type=submit]")
    page.wait_for_selector("h2:has-text('核查办结')")
    page.select_option("#id_outcome", "cleared")
    page.fill("#id_conclusion", "经核查，引资金额与合同、到账凭证一致，反映问题查无实据。")
    page.click("form[action$='/conclude/'] button[type=submit]")
    page.wait_for_selector("h2:has-text('答复反映人')")
    page.fill("#id_answer", "您反映的问题经核查查无实据，特此答复。感谢您对干部选拔任用工作的监督。")
    page.click("form[action$='/answer/'] button[type=submit]")
    page.wait_for_selector("#answer")
    shot(page, "05-answered")
    page.goto(f"{live_server.url}/supervision/report/?year={driver.c.year}")
    assert driver.c.title in page.inner_text("main")
    shot(page, "05b-annual-report")
    page.goto(live_server.url + reverse("campaigns:candidate", args=[driver.c.pk, candidate.pk]))
    page.get_by_role("link", name="责任追溯").first.click()
    page.wait_for_selector("h1:has-text('责任追溯')")
    assert "县委办公室" in page.inner_text("main")
    shot(page, "05c-trace")

    # The reporter reads the answer.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/{code}/report/track/")
    page.fill("#id_code", tracking_code)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("#complaint-answer")
    main = page.inner_text("main")
    assert "查无实据，特此答复" in main and "已办结" in main
    assert "赵举报" not in main and "13900002222" not in main
    shot(page, "06-tracked")
