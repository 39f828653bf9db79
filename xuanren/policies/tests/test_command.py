"""``xuanren policy list|show|check|diff``, over the built-in and the stored versions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from xuanren.policies import actions


def run(*words: str) -> str:
    out = io.StringIO()
    call_command("policy", *words, stdout=out)
    return out.getvalue()


def run_failing(*words: str) -> tuple[int, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("policy", *words, stdout=io.StringIO(), stderr=err)
    return failed.value.returncode, err.getvalue()


def test_list_shows_builtin_and_stored_versions(officer, policy_text):
    text = run("list")
    assert "linze@1" in text and "county-30-60@1" in text and "national-2019@1" in text
    assert "尚未录入" in text
    actions.add_policy_version(text=policy_text, acting_user=officer, comment="首次录入")
    text = run("list")
    assert "my-county@1" in text and "linze@1" in text
    assert "系统中录入的版本" in text and "王干部" in text and "首次录入" in text


def test_show_names_where_each_rule_comes_from(officer, policy_text):
    actions.add_policy_version(text=policy_text, acting_user=officer)
    text = run("show", "my-county@1")
    assert "继承链 my-county@1 → linze@1 → national-2019@1" in text
    assert "[recommendation.threshold.open]  ← my-county@1" in text
    assert "[decision.quorum]  ← national-2019@1（继承）" in text
    assert "share = 2/5" in text
    assert "1/3" in run("show", "linze")


def test_check_a_bad_file_names_the_key_and_reason(db, tmp_path: Path, policy_text):
    path = tmp_path / "my-county.toml"
    path.write_text(policy_text.replace('share = "2/5"', "share = 0.4"), encoding="utf-8")
    status, text = run_failing("check", str(path))
    assert status == 1
    assert "recommendation.threshold.open.share" in text and "不得使用小数" in text


def test_check_a_good_file_inheriting_from_a_stored_version(tmp_path: Path, officer, policy_text):
    actions.add_policy_version(text=policy_text, acting_user=officer)
    child = 'id = "my-town"\nname = "本镇"\nversion = 1\neffective = 2024-06-01\ninherits = "my-county@1"\n'
    path = tmp_path / "my-town.toml"
    path.write_text(child, encoding="utf-8")
    text = run("check", str(path))
    assert "校验通过" in text and "my-town@1 → my-county@1 → linze@1 → national-2019@1" in text


def test_check_refuses_a_changed_copy_of_a_stored_version(tmp_path: Path, officer, policy_text):
    actions.add_policy_version(text=policy_text, acting_user=officer)
    path = tmp_path / "my-county.toml"
    path.write_text(policy_text.replace('"2/5"', '"1/2"'), encoding="utf-8")
    status, text = run_failing("check", str(path))
    assert status == 1 and "已存在且内容不同" in text


def test_diff_between_linze_and_county_30_60_shows_the_threshold(officer, policy_text):
    text = run("diff", "linze", "county-30-60")
    assert "~ [recommendation.threshold.open]" in text
    assert "1/3 → 30%" in text
    actions.add_policy_version(text=policy_text, acting_user=officer)
    text = run("diff", "linze@1", "my-county@1")
    assert "1/3 → 2/5" in text and "共 1 处不同" in text


def test_usage_and_unknown_policy(db):
    status, text = run_failing("frob")
    assert status == 2 and "用法" in text
    status, text = run_failing("show", "no-such")
    assert status == 1 and "no-such" in text
