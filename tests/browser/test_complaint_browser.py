"""A member of the public files a complaint with an attachment, the supervision office verifies and
answers it, and the reporter reads the answer with the tracking code and password."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_register_browser import staff_login
from xuanren.campaigns.models import Candidate
from xuanren.campaigns.testing import CampaignDriver, build_world
from xuanren.supervision.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    evidence = tmp_path / "证据.pdf"
    evidence.write_bytes(PDF)

    # The public: an empty form is refused with the field named; then a signed complaint.
    page.goto(f"{live_server.url}/public/{code}/report/")
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
    assert complaint.attachments.count() == 1

    # The supervision office verifies, concludes and answers.
    staff_login(page, live_server, driver.world.staff.supervisor)
    page.get_by_role("link", name="监督").first.click()
    page.get_by_role("link", name=f"#{complaint.pk}").click()
    assert "赵举报" in page.inner_text("main")
    shot(page, "04-desk")
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
    page.goto(f"{live_server.url}/supervision/trace/{driver.c.pk}/{candidate.pk}/")
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
