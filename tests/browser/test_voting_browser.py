"""A voter on a phone: opens the code's QR link, marks the ballot, confirms, gets the tracker, and
after the poll closes finds that tracker among the published ones."""

from __future__ import annotations

import re

import pytest

from xuanren.ballots import actions, testing
from xuanren.ballots.models import Ballot
from xuanren.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_voter_votes_on_a_phone_and_finds_the_receipt_after_close(phone_page, live_server, shot):
    counties = factories.make_counties()
    officer = factories.make_user("cadre_officer", jurisdiction=counties.a)
    poll = testing.recommendation(
        counties.a, officer, posts=2, candidates=3, max_marks=2, participants=3, title="副局长民主推荐"
    )
    codes = actions.issue_codes(poll, 3, acting_user=officer)
    actions.open_poll(poll, acting_user=officer)
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    missing: list[str] = []
    page.on(
        "response", lambda r: missing.append(r.url) if r.status >= 400 and "favicon" not in r.url else None
    )

    # The QR code on the slip opens /vote/#CODE; the page's script copies the code into the form.
    page.goto(f"{live_server.url}/vote/#{codes[0]}")
    assert page.input_value("#code") == codes[0]
    assert "#" not in page.url
    shot(page, "01-code")
    page.click("button[type=submit]")
    page.wait_for_selector("fieldset.ballot-item")
    assert page.locator("fieldset.ballot-item").count() == 2
    page.check("input[name=i1][value='1']")
    page.check("input[name=i1][value='3']")
    page.check("input[name=i2][value='2']")
    shot(page, "02-ballot")
    page.click("button[type=submit]")
    page.wait_for_selector("text=请核对您的选票")
    assert "候选人1-1、候选人1-3" in page.inner_text("main")
    shot(page, "03-confirm")
    page.click("button[value=cast]")
    page.wait_for_selector("#tracker")
    tracker = page.inner_text("#tracker").strip()
    assert re.fullmatch(r"[0-9a-f]{64}", tracker)
    shot(page, "04-receipt")

    # Same code again: refused.
    page.goto(f"{live_server.url}/vote/")
    page.fill("#code", codes[0])
    page.click("button[type=submit]")
    assert "已经投过票" in page.inner_text("main")

    testing.cast_all(poll, codes[1:], seed=4)
    actions.close_poll(poll, acting_user=officer)
    assert Ballot.objects.filter(poll=poll).count() == 3

    page.goto(f"{live_server.url}/vote/trackers/?poll={poll.pk}")
    assert page.locator("ol.trackers li").count() == 3
    page.fill("input[name=t]", tracker[:12])
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#found")
    assert tracker in page.inner_text("#found")
    shot(page, "05-published-trackers")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert not errors, errors  # e.g. a CSP refusal of an inline script or style
    assert not missing, missing


def test_staff_open_watch_close_and_tally_a_poll(page, live_server, shot):
    from playwright.sync_api import expect

    from tests.browser.test_register_browser import staff_login

    counties = factories.make_counties()
    officer = factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="计票人王")
    poll = testing.recommendation(
        counties.a, officer, posts=2, candidates=3, max_marks=1, participants=4, title="副局长民主推荐"
    )
    codes = actions.issue_codes(poll, 4, acting_user=officer)
    staff_login(page, live_server, officer)
    page.goto(f"{live_server.url}/ballots/{poll.pk}/")
    page.click("#open-poll")
    page.wait_for_selector("#close-poll")
    testing.cast_all(poll, codes[:3], seed=2)
    expect(page.locator("#turnout-voted")).to_have_text("3", timeout=10000)  # refreshed by turnout.js
    shot(page, "01-live-turnout")
    page.click("#close-poll")
    page.wait_for_selector("#tally-poll")
    page.click("#tally-poll")
    page.wait_for_url(f"**/ballots/{poll.pk}/sheet/")
    text = page.inner_text("main")
    assert "收回选票" in text and "精确分数" in text and "/3" in text  # shares of the 3 valid ballots
    page.click("button[value=counter]")
    page.wait_for_selector("text=已签字确认")
    shot(page, "02-tally-sheet")
