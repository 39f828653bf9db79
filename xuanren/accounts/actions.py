"""State changes of staff accounts that belong in the full-process record."""

from __future__ import annotations

from xuanren.accounts.models import Jurisdiction, User
from xuanren.record.api import append, recorded_action


def _record_code(user: User) -> str:
    """The user's jurisdiction, or for an administrator without one the top of the tree."""
    if user.jurisdiction_id:
        return user.jurisdiction.code  # type: ignore[union-attr]
    top = Jurisdiction.objects.filter(parent__isnull=True).order_by("path").first()
    return top.code if top else ""


def confirm_totp(*, acting_user: User) -> None:
    """Bind the second factor to the account: who can log in as whom is part of the record."""
    with recorded_action():
        User.objects.filter(pk=acting_user.pk).update(totp_confirmed=True)
        append(
            action="totp_enrolled",
            actor=acting_user,
            jurisdiction_code=_record_code(acting_user),
            payload={"user_id": acting_user.pk, "username": acting_user.username},
        )
