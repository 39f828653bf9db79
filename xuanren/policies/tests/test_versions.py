"""Stored policy versions: validated, resolved against the built-ins, immutable, hash-pinned."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from xuanren.policies import actions, selectors
from xuanren.policies.models import ImmutableVersionError, PolicyVersion
from xuanren.record.models import Entry
from xuanren.rules.policy import PolicyIntegrityError, builtin_registry


def test_a_stored_version_inherits_from_a_builtin_and_is_recorded(officer, counties, policy_text):
    stored = actions.add_policy_version(text=policy_text, acting_user=officer, comment="首次录入")
    policy = selectors.policy_registry().get("my-county", 1)
    assert policy.chain == ("my-county@1", "linze@1", "national-2019@1")
    assert policy.origin("recommendation.threshold.open") == "my-county@1"
    assert policy.origin("decision.quorum") == "national-2019@1"
    assert stored.sha256 == policy.sha256 and stored.inherits == "linze@1"
    [entry] = Entry.objects.all()
    assert entry.action == "policies.add_version"
    assert entry.jurisdiction_code == counties.a.code
    assert entry.payload["sha256"] == policy.sha256
    assert entry.payload["chain"] == ["my-county@1", "linze@1", "national-2019@1"]
    assert entry.payload["files"][0]["name"] == "my-county.v1.toml"


def test_editing_makes_a_new_version_and_the_old_one_stays_readable(officer, policy_text):
    first = actions.add_policy_version(text=policy_text, acting_user=officer)
    second_text = policy_text.replace("version = 1", "version = 2").replace('"2/5"', '"1/2"')
    second = actions.add_policy_version(text=second_text, acting_user=officer, comment="门槛改为一半")
    registry = selectors.policy_registry()
    assert registry.versions("my-county") == [1, 2]
    old, new = registry.get("my-county", 1), registry.get("my-county", 2)
    assert old.rule("recommendation.threshold.open").share.text == "2/5"  # type: ignore[union-attr]
    assert new.rule("recommendation.threshold.open").share.text == "1/2"  # type: ignore[union-attr]
    assert selectors.resolve_campaign_policy("my-county", 1, first.sha256).sha256 == first.sha256
    assert selectors.resolve_campaign_policy("my-county", 2, second.sha256).sha256 == second.sha256
    assert registry.lookup("my-county").version == 2


def test_the_same_version_cannot_be_saved_twice(officer, policy_text):
    actions.add_policy_version(text=policy_text, acting_user=officer)
    with pytest.raises(actions.PolicyRefused) as refused:
        actions.add_policy_version(text=policy_text.replace("2/5", "1/2"), acting_user=officer)
    assert refused.value.problems[0].path == "version"
    assert "请把 version 改为 2" in refused.value.problems[0].message
    assert PolicyVersion.objects.count() == 1


def test_a_builtin_version_cannot_be_overwritten_but_a_next_version_can_be_added(officer):
    linze = builtin_registry().source("linze", 1)
    text = (linze.origin and open(linze.origin, encoding="utf-8").read()) or ""
    with pytest.raises(actions.PolicyRefused) as refused:
        actions.add_policy_version(text=text, acting_user=officer)
    assert refused.value.problems[0].path == "version"
    stored = actions.add_policy_version(
        text=text.replace("version = 1", "version = 2", 1), acting_user=officer
    )
    assert stored.label == "linze@2"
    assert selectors.policy_registry().get("linze", 2).sha256 != builtin_registry().get("linze", 1).sha256


def test_an_invalid_file_is_refused_naming_the_key_path_in_chinese(officer, policy_text):
    bad = policy_text.replace('share = "2/5"', "share = 0.4").replace(
        'comparison = "at_least"', 'comparsion = "at_least"'
    )
    with pytest.raises(actions.PolicyRefused) as refused:
        actions.add_policy_version(text=bad, acting_user=officer)
    paths = {problem.path: problem.message for problem in refused.value.problems}
    assert "recommendation.threshold.open.share" in paths
    assert "不得使用小数" in paths["recommendation.threshold.open.share"]
    assert PolicyVersion.objects.count() == 0 and Entry.objects.count() == 0


def test_a_missing_parent_is_named(officer, policy_text):
    with pytest.raises(actions.PolicyRefused) as refused:
        actions.add_policy_version(text=policy_text.replace("linze@1", "linze@9"), acting_user=officer)
    assert refused.value.problems[0].path == "inherits"
    assert "linze@9" in refused.value.problems[0].message


def test_reserved_ids_and_roles_are_refused(counties, policy_text):
    from xuanren.testing import factories

    head = factories.make_user("department_head", jurisdiction=counties.a)
    with pytest.raises(actions.PolicyRefused):
        actions.add_policy_version(text=policy_text, acting_user=head)
    officer = factories.make_user("cadre_officer", jurisdiction=counties.a)
    with pytest.raises(actions.PolicyRefused) as refused:
        actions.add_policy_version(text=policy_text.replace('"my-county"', '"sandbox"'), acting_user=officer)
    assert refused.value.problems[0].path == "id"


def test_a_stored_version_refuses_change_and_deletion_in_the_model(officer, policy_text):
    stored = actions.add_policy_version(text=policy_text, acting_user=officer)
    stored.text = stored.text.replace("2/5", "1/5")
    with pytest.raises(ImmutableVersionError):
        stored.save()
    with pytest.raises(ImmutableVersionError):
        stored.delete()
    with pytest.raises(ImmutableVersionError):
        PolicyVersion.objects.filter(pk=stored.pk).update(text="x")
    with pytest.raises(ImmutableVersionError):
        PolicyVersion.objects.all().delete()


def test_the_database_refuses_an_update_of_a_stored_version(officer, policy_text):
    stored = actions.add_policy_version(text=policy_text, acting_user=officer)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE policies_policyversion SET text = %s WHERE id = %s", ["x", stored.pk])
    if connection.vendor == "postgresql":  # SQLite's test flush deletes rows, so no DELETE trigger there
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM policies_policyversion WHERE id = %s", [stored.pk])
    assert PolicyVersion.objects.get(pk=stored.pk).text == policy_text


def _tamper(pk: int, text: str) -> None:
    """Change a stored text the way only someone with the database console could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Ordinary triggers do not fire for a replica session (needs a superuser, as tests have).
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("UPDATE policies_policyversion SET text = %s WHERE id = %s", [text, pk])
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER policies_policyversion_immutable")
            cursor.execute("UPDATE policies_policyversion SET text = %s WHERE id = %s", [text, pk])


def test_resolve_campaign_policy_verifies_the_pinned_hash(officer, policy_text):
    stored = actions.add_policy_version(text=policy_text, acting_user=officer)
    assert selectors.resolve_campaign_policy("my-county", 1, stored.sha256).label == "my-county@1"
    linze = builtin_registry().get("linze", 1)
    assert selectors.resolve_campaign_policy("linze", 1, linze.sha256) is not None
    with pytest.raises(PolicyIntegrityError):
        selectors.resolve_campaign_policy("linze", 1, "0" * 64)
    with pytest.raises(PolicyIntegrityError):
        selectors.resolve_campaign_policy("my-county", 1, "0" * 64)
    with pytest.raises(PolicyIntegrityError):
        selectors.resolve_campaign_policy("my-county", 7, stored.sha256)


def test_resolve_campaign_policy_detects_a_tampered_text(officer, policy_text):
    stored = actions.add_policy_version(text=policy_text, acting_user=officer)
    selectors.policy_registry()  # cached before the change: the check must not trust the cache
    _tamper(stored.pk, policy_text.replace('"2/5"', '"1/5"'))
    with pytest.raises(PolicyIntegrityError, match="与保存时不符"):
        selectors.resolve_campaign_policy("my-county", 1, stored.sha256)
    # Having read the changed text, the cache holds it too, so the list page shows the mismatch.
    [row] = [v for p in selectors.policy_catalogue() for v in p.versions if v.label == "my-county@1"]
    assert "与保存时不符" in row.problem


def test_a_text_that_no_longer_parses_does_not_hide_the_other_policies(officer, policy_text):
    stored = actions.add_policy_version(text=policy_text, acting_user=officer)
    _tamper(stored.pk, policy_text.replace("[recommendation", "[[recommendation"))
    selectors.forget_registry()
    assert "linze" in selectors.policy_registry().ids()
    assert [label for label, _ in selectors.unreadable_versions()] == ["my-county@1"]
    with pytest.raises(PolicyIntegrityError, match="无法解析"):
        selectors.resolve_campaign_policy("my-county", 1, stored.sha256)


def test_the_registry_cache_sees_a_version_added_elsewhere(officer, policy_text):
    before = selectors.policy_registry()
    assert "my-county" not in before.ids()
    actions.add_policy_version(text=policy_text, acting_user=officer)
    assert selectors.policy_registry() is not before
    assert "my-county" in selectors.policy_registry().ids()
    assert selectors.policy_registry() is selectors.policy_registry()
