"""The voter's pages and the staff pages, through the test client."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

import pytest
from django.test import Client

from xuanren.ballots import actions, printing, testing
from xuanren.ballots.models import Ballot, Poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_post(client: Client, data: dict) -> str:
    page = client.get("/vote/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post("/vote/", {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    return response.content.decode()


def test_voter_enters_code_marks_confirms_and_gets_the_tracker(counties, officer, csrf_client, caplog):
    poll = testing.recommendation(counties.a, officer, posts=2, max_marks=2, participants=3)
    codes = actions.issue_codes(poll, 3, acting_user=officer)
    actions.open_poll(poll, acting_user=officer)
    caplog.set_level(logging.DEBUG)
    page = csrf_post(csrf_client, {"step": "code", "code": codes[0]})
    assert "职位1" in page and 'name="i1"' in page
    page = csrf_post(csrf_client, {"step": "confirm", "code": codes[0], "i1": ["1", "3"], "i2": "2"})
    assert "请核对您的选票" in page and "候选人1-1、候选人1-3" in page
    key = re.search(r'name="ballot" value="([0-9a-f.]+)"', page).group(1)
    assert key == actions.ballot_key(Poll.objects.get(pk=poll.pk))
    page = csrf_post(
        csrf_client, {"step": "cast", "code": codes[0], "ballot": key, "i1": ["1", "3"], "i2": "2"}
    )
    tracker = re.search(r'id="tracker">([0-9a-f]{64})<', page).group(1)
    assert Ballot.objects.get(poll=poll).tracker == tracker
    page = csrf_post(csrf_client, {"step": "code", "code": codes[0]})
    assert "已经投过票" in page
    # No log line anywhere carries a code.
    for record in caplog.records:
        message = record.getMessage()
        assert not any(actions.normalise_code(c) in actions.normalise_code(message) for c in codes)
    assert "sessionid" not in csrf_client.cookies


def test_each_receipt_shows_its_own_tracker_on_its_polls_page(counties, officer, client):
    polls = []
    for title in ("甲", "乙"):
        poll = testing.recommendation(counties.a, officer, posts=1, max_marks=1, participants=2, title=title)
        codes = actions.issue_codes(poll, 2, acting_user=officer)
        actions.open_poll(poll, acting_user=officer)
        polls.append((poll, codes))
    pages = {}
    for poll, codes in polls:
        for code in codes:
            page = client.post("/vote/", {"step": "cast", "code": code, "i1": "1"}).content.decode()
            tracker = re.search(r'id="tracker">([0-9a-f]{64})<', page).group(1)
            assert Ballot.objects.filter(poll=poll, tracker=tracker).exists()
            assert f"/vote/trackers/?poll={poll.pk}" in page
            pages[tracker] = page.replace(tracker, "")
    assert len(pages) == 4  # four trackers, each on its own page
    first, second = (
        [p for t, p in pages.items() if Ballot.objects.get(tracker=t).poll_id == poll.pk] for poll, _ in polls
    )
    assert first[0] == first[1] and second[0] == second[1] and first[0] != second[0]


def test_vote_refuses_posts_without_csrf(counties, officer, csrf_client):
    response = csrf_client.post("/vote/", {"step": "code", "code": "X"})
    assert response.status_code == 403


def test_over_marking_on_the_phone_page_asks_to_fix(counties, officer, client):
    poll = testing.recommendation(counties.a, officer, posts=1, max_marks=1, participants=2)
    codes = actions.issue_codes(poll, 2, acting_user=officer)
    actions.open_poll(poll, acting_user=officer)
    page = client.post("/vote/", {"step": "confirm", "code": codes[0], "i1": ["1", "2"]}).content.decode()
    assert "超过了应选人数" in page
    assert not Ballot.objects.exists()


def test_trackers_are_published_only_after_close(counties, officer, client):
    poll = testing.recommendation(counties.a, officer, participants=2)
    codes = actions.issue_codes(poll, 2, acting_user=officer)
    actions.open_poll(poll, acting_user=officer)
    receipts = testing.cast_all(poll, codes)
    assert client.get(f"/vote/trackers/?poll={poll.pk}").status_code == 404
    actions.close_poll(poll, acting_user=officer)
    page = client.get(f"/vote/trackers/?poll={poll.pk}&t={receipts[0][:10]}").content.decode()
    assert all(r in page for r in receipts) and 'id="found"' in page


def test_staff_set_up_run_and_tally_a_poll(counties, officer, scrutineer, client, login):
    login(officer)
    response = client.post(
        "/ballots/new/",
        {
            "title": "副局长民主推荐",
            "kind": "recommendation",
            "participants": 3,
            "items_text": "副局长：李四、王五、赵六\n办公室主任：孙七，周八",
            "max_marks": 1,
            "seats": 1,
            "policy": "linze@1",
            "threshold_path": "recommendation.threshold.open",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    poll = Poll.objects.get(title="副局长民主推荐")
    assert poll.policy_ref == "linze@1" and poll.threshold["text"] == "1/3"
    pdf = client.post(f"/ballots/{poll.pk}/codes/", {"count": 3})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.post(f"/ballots/{poll.pk}/open/").status_code == 302
    page = client.get(f"/ballots/{poll.pk}/").content.decode()
    assert "已投票" in page and "投票中" in page
    assert client.get(f"/ballots/{poll.pk}/turnout/").json() == {"issued": 3, "voted": 0, "ballots": 0}
    client.post(f"/ballots/{poll.pk}/close/")
    # Paper entry by two clerks through the page.
    client.post(f"/ballots/{poll.pk}/paper/", {"number": 1, "i1": "2"})
    client.logout()
    other = testing.factories.make_user("cadre_officer", jurisdiction=counties.a)
    login(other)
    client.post(f"/ballots/{poll.pk}/paper/", {"number": 1, "i1": "2"})
    response = client.post(f"/ballots/{poll.pk}/tally/")
    assert response.status_code == 302 and response["Location"] == f"/ballots/{poll.pk}/sheet/"
    sheet = client.get(f"/ballots/{poll.pk}/sheet/").content.decode()
    assert "1/3" in sheet and "王五" in sheet and "33.33%" in sheet
    client.post(f"/ballots/{poll.pk}/sign/", {"role": "counter"})
    client.logout()
    login(scrutineer)
    client.post(f"/ballots/{poll.pk}/sign/", {"role": "scrutineer"})
    pdf = client.get(f"/ballots/{poll.pk}/sheet.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert poll.tally.signatures.count() == 2


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_code_sheet_renders(tmp_path):
    codes = [actions.format_code("ABCDEFGHJKLM")] * 11
    path = tmp_path / "codes.pdf"
    path.write_bytes(printing.codes_pdf("副局长民主推荐", "http://127.0.0.1:8000/vote/", codes))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    assert sorted(p.name for p in tmp_path.glob("page*.png")) == ["page-1.png", "page-2.png"]
