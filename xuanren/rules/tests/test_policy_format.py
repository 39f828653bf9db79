"""The policy format: validation errors name the key, inheritance is visible, hashes pin content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xuanren.rules.policy import (
    POLICY_DIR,
    PolicyError,
    PolicyIntegrityError,
    PolicyRegistry,
    builtin_registry,
    get_policy,
    parse_policy_file,
    parse_policy_text,
    rule_views,
)
from xuanren.rules.schema import RULE_PATHS

from .sources import assert_quoted

HEADER = """
id = "testville"
name = "测试县"
version = 1
effective = 2024-01-01
inherits = "national-2019@1"
"""


def problems_of(text: str, registry: PolicyRegistry | None = None) -> dict[str, str]:
    with pytest.raises(PolicyError) as caught:
        source = parse_policy_text(text, origin="testville.toml")
        (registry or builtin_registry()).resolve(source)
    return dict(caught.value.problems)


def test_a_float_share_is_refused_naming_its_key() -> None:
    problems = problems_of(
        HEADER
        + """
[recommendation.threshold.open]
share = 0.3
comparison = "at_least"
denominator = "participants"
source = "县委文件"
"""
    )
    assert "recommendation.threshold.open.share" in problems
    assert "不得使用小数" in problems["recommendation.threshold.open.share"]


def test_a_share_written_as_a_word_is_refused_naming_its_key() -> None:
    problems = problems_of(
        HEADER
        + """
[decision.approval]
share = "过半"
comparison = "more_than"
denominator = "members_total"
source = "县委文件"
"""
    )
    assert "无法识别的比例" in problems["decision.approval.share"]


def test_a_misspelt_key_is_refused_naming_its_path() -> None:
    problems = problems_of(HEADER + '\n[inspection.notice]\ndays_ahaed = 2\nsource = "县委文件"\n')
    assert problems == {"inspection.notice.days_ahaed": "不认识的键（拼写是否有误？）"}


def test_a_rule_without_a_source_is_refused() -> None:
    problems = problems_of(HEADER + '\n[probation.period]\nlength = 1\nunit = "years"\n')
    assert problems == {"probation.period.source": "缺少必填项"}


def test_a_wrong_enumeration_value_lists_the_allowed_ones() -> None:
    problems = problems_of(
        HEADER + '\n[recommendation.threshold.open]\nshare = "1/3"\ncomparison = "at least"\n'
        'denominator = "participants"\nsource = "x"\n'
    )
    assert "at_least" in problems["recommendation.threshold.open.comparison"]


def test_an_integer_written_as_a_string_is_refused() -> None:
    problems = problems_of(HEADER + '\n[probation.period]\nlength = "1"\nunit = "years"\nsource = "x"\n')
    assert problems["probation.period.length"] == "应为整数"


def test_a_cut_without_a_meeting_to_settle_ties_is_refused() -> None:
    problems = problems_of(
        HEADER + '\n[inspection.ratio]\nratio = "1:2"\ncomparison = "exactly"\nuse = "cut"\nsource = "x"\n'
    )
    assert "tie_settled_by" in problems["inspection.ratio"]


def test_an_exception_may_not_waive_a_bar() -> None:
    problems = problems_of(
        HEADER
        + """
[eligibility.exceptional]
allowed = true
waivable = ["years_in_rank", "discipline"]
approval_by = "市委组织部"
approval_before = "讨论决定"
source = "x"
"""
    )
    assert "discipline" in problems["eligibility.exceptional.waivable"]


def test_a_procedure_step_naming_an_unknown_rule_is_refused() -> None:
    problems = problems_of(
        HEADER
        + """
[record.procedure]
source = "x"
[[record.procedure.stages]]
id = "only"
name = "唯一环节"
[[record.procedure.stages.steps]]
id = "step"
name = "步骤"
rules = ["decision.quorom"]
"""
    )
    assert problems == {"record.procedure.stages[0].steps[0].rules": "格式中没有规则 decision.quorom"}


def test_a_toml_syntax_error_is_reported_as_such() -> None:
    problems = problems_of(HEADER + "\n[decision.quorum\n")
    assert "TOML 语法错误" in problems["(文件)"]


def test_an_unknown_parent_is_refused() -> None:
    problems = problems_of(HEADER.replace("national-2019@1", "national-2019@9"))
    assert problems == {"inherits": "找不到被继承的政策 national-2019@9"}


def test_an_unpinned_parent_is_refused() -> None:
    problems = problems_of(HEADER.replace("national-2019@1", "national-2019"))
    assert "inherits" in problems


def test_a_root_policy_must_state_the_rules_campaigns_need() -> None:
    problems = problems_of(HEADER.replace('inherits = "national-2019@1"', ""))
    assert set(problems) == {"decision.quorum", "decision.approval", "notice.period", "record.procedure"}


def test_an_inheritance_cycle_is_refused() -> None:
    a = parse_policy_text(
        'id = "a"\nname = "甲"\nversion = 1\neffective = 2024-01-01\ninherits = "b@1"\n', "a.toml"
    )
    b = parse_policy_text(
        'id = "b"\nname = "乙"\nversion = 1\neffective = 2024-01-01\ninherits = "a@1"\n', "b.toml"
    )
    with pytest.raises(PolicyError, match="继承关系成环"):
        PolicyRegistry([a, b]).get("a")


def test_a_locality_cannot_take_effect_before_its_parent() -> None:
    problems = problems_of(HEADER.replace("2024-01-01", "2018-01-01"))
    assert "effective" in problems


def test_error_messages_name_file_path_and_reason() -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy_text(
            HEADER + '\n[probation.period]\nlength = 1\nunit = "years"\n', origin="县/testville.toml"
        )
    assert "县/testville.toml" in str(caught.value)
    assert "probation.period.source：缺少必填项" in str(caught.value)


def test_a_file_name_must_match_id_and_version(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(PolicyError, match="文件名"):
        parse_policy_file(path)


def test_all_built_in_policies_load() -> None:
    ids = builtin_registry().ids()
    assert {"national-2019", "linze", "county-30-60", "handan", "supervision-001", "tongliao-003"} <= set(ids)


def test_show_makes_inheritance_visible() -> None:
    linze = get_policy("linze")
    assert linze.origin("recommendation.threshold.open") == "linze@1"
    assert linze.origin("decision.quorum") == "national-2019@1"
    views = {view.path: view for view in rule_views(linze)}
    assert views["decision.quorum"].inherited and not views["inspection.notice"].inherited
    assert linze.chain == ("linze@1", "national-2019@1")


def test_a_restated_rule_replaces_the_inherited_rule_whole() -> None:
    # linze states inspection.notice with days_ahead and its own source; nothing of the national
    # rule's published items or source leaks into it.
    notice = get_policy("linze").rule("inspection.notice")
    assert notice is not None and notice.source.startswith("000")
    assert notice.model_dump()["published"] == ("考察对象", "考察时间", "考察组成员")


def test_the_content_hash_is_stable_and_differs_between_policies() -> None:
    fresh = PolicyRegistry.from_directory(POLICY_DIR)
    for policy_id in builtin_registry().ids():
        assert fresh.get(policy_id).sha256 == builtin_registry().get(policy_id).sha256
    hashes = {p.sha256 for p in builtin_registry().all_latest()}
    assert len(hashes) == len(builtin_registry().ids())
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)


def test_a_new_version_leaves_the_old_one_readable_and_unchanged() -> None:
    registry = PolicyRegistry.from_directory(POLICY_DIR)
    old = registry.get("linze", 1)
    text = (POLICY_DIR / "linze.toml").read_text(encoding="utf-8").replace("version = 1", "version = 2", 1)
    text = text.replace('share = "1/3"', 'share = "2/5"')
    registry.add(parse_policy_text(text, origin="linze.v2.toml"))
    assert registry.get("linze").version == 2
    assert registry.get("linze", 1).sha256 == old.sha256
    assert registry.verify("linze", 1, old.sha256) is registry.get("linze", 1)
    assert registry.get("linze", 2).sha256 != old.sha256


def test_the_same_version_cannot_be_added_twice() -> None:
    registry = PolicyRegistry.from_directory(POLICY_DIR)
    text = (POLICY_DIR / "linze.toml").read_text(encoding="utf-8")
    with pytest.raises(PolicyError, match="已存在"):
        registry.add(parse_policy_text(text, origin="elsewhere/linze.toml"))


def test_a_pinned_hash_that_no_longer_matches_is_refused() -> None:
    with pytest.raises(PolicyIntegrityError):
        builtin_registry().verify("linze", 1, "0" * 64)


def test_effective_on_picks_the_version_in_force() -> None:
    registry = PolicyRegistry.from_directory(POLICY_DIR)
    text = (POLICY_DIR / "linze.toml").read_text(encoding="utf-8")
    text = text.replace("version = 1", "version = 2", 1).replace(
        "effective = 2019-03-17", "effective = 2025-01-01"
    )
    registry.add(parse_policy_text(text, origin="linze.v2.toml"))
    from datetime import date

    assert registry.effective_on("linze", date(2024, 12, 31)).version == 1
    assert registry.effective_on("linze", date(2025, 1, 1)).version == 2


def test_every_rule_path_in_the_files_is_known_to_the_format() -> None:
    for policy in builtin_registry().all_latest():
        assert {path for path, _ in policy.rules()} <= RULE_PATHS


def test_every_rule_has_a_source_and_unconfirmed_ones_say_so() -> None:
    for policy in builtin_registry().all_latest():
        for path, rule in policy.rules():
            assert rule.source.strip(), f"{policy.label} {path}"
            if "unconfirmed" in rule.source:
                assert rule.source.endswith("(unconfirmed)") or "(unconfirmed)" in rule.source
                assert not rule.confirmed


def _seed_rules() -> list[tuple[str, str, str, str]]:
    rows = []
    for policy in builtin_registry().all_latest():
        for path, rule in policy.rules():
            if policy.origin(path) != policy.label:
                continue
            match = re.match(r"^(00[0-4])\b", rule.source)
            if match:
                rows.append((policy.label, path, match.group(1), rule.quote))
    return rows


@pytest.mark.parametrize(("policy", "path", "seed", "quote"), _seed_rules())
def test_every_rule_citing_a_seed_quotes_it_verbatim(policy: str, path: str, seed: str, quote: str) -> None:
    assert quote, f"{policy} {path} cites seed {seed} but gives no quote"
    assert_quoted(seed, quote)
