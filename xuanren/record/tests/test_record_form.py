"""The record form (记实表): one per candidate per campaign, grouped by the 6 stages and 16 steps."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

from xuanren.ledger.canonical import Entry
from xuanren.record import exports
from xuanren.record.circumstances import RegisterFacts, Relative
from xuanren.record.hooks import BUILTIN_STAGES, stages_of_policy
from xuanren.record.record_form import build_record_form

TODAY = dt.date(2026, 11, 20)


def entry(seq, stage, step, action, payload, *, kind="entry", refs=(), actor="王记录", candidate=9):
    return Entry(
        seq=seq,
        time="2026-03-01T02:00:00Z",
        jurisdiction="620723",
        campaign=12,
        candidate=candidate,
        stage=stage,
        step=step,
        action=action,
        actor={"id": 3, "name": actor},
        payload=payload,
        refs=refs,
        kind=kind,
    )


ENTRIES = [
    entry(1, "nomination", "nominated", "county.unlabelled_step", {"summary": "县交通运输局党组集体推荐"}),
    entry(
        4,
        "recommendation",
        "inspection_candidates",
        "inspection_candidate_set",
        {"basis": "recommendation", "share": "13/46", "threshold": "1/3", "passed": False},
    ),
    entry(
        5,
        "inspection",
        "inspection_notice",
        "complaint_received",
        {"during": "inspection_notice", "complaint_id": 7},
    ),
    entry(6, "inspection", "poll.evaluation", "poll.close", {"ballots": 40}),
    entry(
        8,
        "inspection",
        "inspection_notice",
        "review_entry",
        {"reviewed": 5},
        kind="review",
        refs=(5,),
        actor="李部长",
    ),
    entry(9, None, None, "circumstance_recorded", {"text": "曾在考察组组长所在单位挂职"}),
]


def form(**kwargs):
    values = {
        "campaign_id": 12,
        "campaign_title": "2026年县直部门副科级领导干部选拔任用",
        "candidate_id": 9,
        "candidate_name": "张三",
        "candidate_description": "县交通运输局，综合规划股股长",
        "stages": stages_of_policy(),
        "entries": ENTRIES,
        "facts": RegisterFacts(relatives=(Relative("父亲", "张大山", 5, "县水务局局长", True),)),
        "today": TODAY,
        "checkpoint": (100, bytes(32)),
    }
    values.update(kwargs)
    return build_record_form(**values)


def test_the_procedure_comes_from_the_policy_with_six_stages_and_sixteen_steps():
    stages = stages_of_policy()
    assert [s.name for s in stages] == [s.name for s in BUILTIN_STAGES]
    assert len(stages) == 6 and sum(len(s.steps) for s in stages) == 16
    assert stages_of_policy("no-such-policy") == BUILTIN_STAGES


def test_rows_are_grouped_by_stage_and_step_with_recorder_and_reviewer():
    f = form()
    assert [s.number + s.name for s in f.stages][:3] == ["一人选初始提名", "二民主推荐", "三组织考察"]
    inspection = f.stages[2]
    notice = next(step for step in inspection.steps if step.id == "inspection_notice")
    assert [r.seq for r in notice.rows] == [5]
    assert notice.rows[0].recorder == "王记录"
    assert notice.rows[0].reviewers == ("李部长\n2026-03-01 10:00",)
    # an entry of the stage whose step the procedure does not name is kept in the stage
    assert inspection.steps[-1].name == "本环节其他记实" and inspection.steps[-1].rows[0].seq == 6
    # reviews are not rows of their own; entries outside the procedure are listed apart
    assert 8 not in [r.seq for s in f.stages for step in s.steps for r in step.rows]
    assert [r.seq for r in f.other_rows] == [9]
    assert f.entry_count == 5


def test_the_form_lists_the_circumstances_detected():
    titles = [c.title for c in form().circumstances]
    assert titles == [
        "民主推荐得票不集中但被确定为考察对象",
        "干部考察预告期间信访举报及调查核实情况",
        "提拔领导干部配偶、子女及其他亲属",
        "其他程序记实中难以反映、需要记实的重要情况",
    ]


def test_rows_read_in_chinese_and_unknown_actions_show_their_summary_not_their_code():
    f = form()
    texts = [r.text for s in f.stages for step in s.steps for r in step.rows]
    assert texts[0] == "县交通运输局党组集体推荐"
    assert (
        texts[1].startswith("确定考察对象：")
        and "得票率：13/46" in texts[1]
        and "达到规定比例：否" in texts[1]
    )


def test_the_docx_holds_the_form_and_is_the_same_every_time():
    f = form()
    data = exports.render_docx(f)
    assert data == exports.render_docx(f)
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "干部选拔任用工作记实表" in text and "张三" in cells
    assert "三、组织考察" in cells and "考察预告" in cells and "李部长" in cells
    assert "提拔领导干部配偶、子女及其他亲属" in cells and "（未记录）" in cells
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_the_pdf_embeds_a_cjk_font_and_is_the_same_every_time():
    f = form()
    data = exports.render_pdf(f)
    assert data.startswith(b"%PDF") and data == exports.render_pdf(f)
    assert b"WenQuanYiZenHei" in data
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        for phrase in ("干部选拔任用工作记实表", "张三", "组织考察", "考察预告", "李部长", "重要情况记实"):
            assert phrase in text


@pytest.mark.django_db
def test_the_form_of_a_candidate_is_built_from_the_stored_entries(county, officer, head):
    from xuanren.record.actions import review_entry
    from xuanren.record.api import append, recorded_action
    from xuanren.record.selectors import record_form
    from xuanren.testing import factories

    cadre = factories.make_cadre(county, "张三")
    with recorded_action():
        first = append(action="inspection_candidate_set", actor=officer, jurisdiction_code=county.code,
                       campaign_id=12, candidate_id=cadre.pk, stage="recommendation", step="inspection_candidates",
                       payload={"basis": "direct", "share": None, "threshold": None, "passed": None})  # fmt: skip
        append(
            action="other_candidate",
            actor=officer,
            jurisdiction_code=county.code,
            campaign_id=12,
            candidate_id=cadre.pk + 1,
        )
    review_entry(acting_user=head, entry=first)
    f = record_form(officer, 12, cadre.pk, TODAY)
    assert f.candidate_name == "张三" and f.entry_count == 1
    assert f.stages[1].steps[1].rows[0].reviewers[0].startswith("李部长")
    assert [c.code for c in f.circumstances] == ["direct_inspection_candidate"]
