"""The ``xuanren policy`` command functions."""

from __future__ import annotations

import io
from pathlib import Path

from xuanren.rules.cli import run
from xuanren.rules.policy import POLICY_DIR


def call(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = run(list(argv), stdout=out)
    return status, out.getvalue()


def test_list_shows_every_built_in_policy_with_its_hash() -> None:
    status, text = call("list")
    assert status == 0
    for policy_id in ("national-2019", "linze", "county-30-60", "handan"):
        assert f"{policy_id}@1" in text


def test_show_marks_inherited_rules_and_sources() -> None:
    status, text = call("show", "linze")
    assert status == 0
    assert "[decision.quorum]  ← national-2019@1（继承）" in text
    assert "[recommendation.threshold.open]  ← linze@1" in text
    assert "出处：000 三、" in text
    assert "原文：“规定民主推荐达不到三分之一的不列为考察人选”" in text
    assert "⚠ 未核实" in text


def test_check_accepts_a_built_in_file() -> None:
    status, text = call("check", str(POLICY_DIR / "county-30-60.toml"))
    assert status == 0 and "校验通过" in text


def test_check_names_the_bad_key(tmp_path: Path) -> None:
    path = tmp_path / "testville.toml"
    path.write_text(
        'id = "testville"\nname = "测试县"\nversion = 1\neffective = 2024-01-01\ninherits = "national-2019@1"\n'
        '[recommendation.threshold.open]\nshare = 0.3\ncomparison = "at_least"\ndenominator = "participants"\nsource = "x"\n',
        encoding="utf-8",
    )
    status, text = call("check", str(path))
    assert status == 1
    assert "recommendation.threshold.open.share：不得使用小数" in text


def test_check_refuses_a_changed_copy_of_a_published_version(tmp_path: Path) -> None:
    text = (POLICY_DIR / "linze.toml").read_text(encoding="utf-8").replace('share = "1/3"', 'share = "1/4"')
    path = tmp_path / "linze.toml"
    path.write_text(text, encoding="utf-8")
    status, report = call("check", str(path))
    assert status == 1 and "已发布的政策版本不得修改" in report


def test_diff_shows_the_changed_thresholds() -> None:
    status, text = call("diff", "linze", "county-30-60")
    assert status == 0
    assert "share: 1/3 → 30%" in text
    assert "share: 1/3 → 60%" in text


def test_wrong_usage_prints_help() -> None:
    status, text = call("frobnicate")
    assert status == 2 and "用法" in text


def test_an_unknown_policy_is_an_error() -> None:
    status, text = call("show", "atlantis")
    assert status == 1 and "atlantis" in text
