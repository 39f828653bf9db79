"""Every entry the demo county's work writes reads in Chinese on the record's pages and in the
record form (记实表): the action, the stage and step, and every payload key and coded value a row
shows. A discipline inspector reading the timeline should never meet ``channel：self`` or
``decisions：explanation：…；flags：…``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from xuanren.campaigns.demo import build_demo_campaigns
from xuanren.competition.demo import build_demo_competition
from xuanren.record.hooks import procedure_names
from xuanren.record.labels import action_label
from xuanren.record.models import Entry
from xuanren.record.record_form import entry_text, summary
from xuanren.register import demo

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)

# A code word: lower-case letters and underscores, not part of a number, a digest, a file name,
# a policy reference (linze@1) or a dotted rule path.
CODE_WORD = re.compile(r"(?<![A-Za-z0-9_.@/-])[a-z][a-z_]{2,}(?![A-Za-z0-9_@.])")
# A rule's citation names the policy and the rule ("（linze recommendation.attendance，…）"): the
# rule's identity, as the policy pages show it, not a word to translate.
RULE_ID = re.compile(r"[a-z0-9-]+ [a-z_]+(?:\.[a-z_]+)+")


def code_words(text: str) -> list[str]:
    return CODE_WORD.findall(RULE_ID.sub("", text))


@pytest.fixture
def built(db: Any) -> None:
    demo.build_demo(seed=demo.DEFAULT_SEED, size=700, today=TODAY)
    assert build_demo_campaigns(today=TODAY).skipped == []
    assert build_demo_competition(today=TODAY).skipped == []


def test_every_demo_entry_reads_in_chinese(built):
    names = procedure_names()
    problems = []
    entries = list(Entry.objects.order_by("seq"))
    assert len(entries) > 300
    for entry in entries:
        value = entry.value
        shown = {
            "action": action_label(value.action),
            "stage": names.get(value.stage or "", value.stage or ""),
            "step": names.get(value.step or "", value.step or ""),
            "text": entry_text(value),
        }
        for part, text in shown.items():
            for word in code_words(text):
                problems.append(f"#{value.seq} {value.action} {part}: {word!r} in {text[:120]!r}")
    assert problems == []


def test_the_check_finds_a_code_word():
    assert code_words("受理推荐提名：方式：self") == ["self"]
    assert (
        code_words("（linze record.procedure，000 一、）适用政策：linze@1；文件 会议记录.pdf；b6f82bf610e9")
        == []
    )


def test_a_decision_reads_as_its_explanation_after_the_facts_and_one_that_does_not_apply_is_left_out():
    applies = {
        "explanation": "到会 118/126 ≥ 2/3，会议有效（linze x.y，000 三、）",
        "outcome": "pass",
        "flags": [],
    }
    idle = {"explanation": "本政策未规定", "outcome": "not_applicable", "flags": []}
    text = summary({"decisions": [applies, idle], "participants": 118}, "recommendation_held")
    assert text == "参加人数：118；判定：到会 118/126 ≥ 2/3，会议有效（linze x.y，000 三、）"  # facts first


def test_a_code_with_its_label_beside_it_shows_the_label_once():
    text = summary({"channel": "self", "channel_label": "干部个人自荐提名"}, "nomination_received")
    assert text == "方式：干部个人自荐提名"


def test_a_key_is_labelled_by_its_action_or_the_object_it_is_in():
    assert summary({"size": 700}, "demo_built") == "规模：700"
    assert summary({"size": 700}, "material_stored") == "大小（字节）：700"
    assert summary({"vacancies": [{"rank": "fuke"}]}, "motion_proposed") == "空缺职位：职务层次：副科级"
