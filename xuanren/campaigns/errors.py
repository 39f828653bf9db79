"""The one exception a campaign action raises when the policy (or the procedure) refuses it."""

from __future__ import annotations

from typing import Any

from xuanren.rules.decision import Decision


class CampaignRefused(Exception):
    """A refused campaign step: ``rule_id`` names the rule ("linze inspection.notice"), ``message``
    says why in Chinese, ``decision`` is the rule's :class:`Decision` when one decided.

    Actions record the refusal as a ``step_refused`` entry in its own transaction, after the
    refused change has rolled back; ``campaign``, ``candidate``, ``stage`` and ``step`` say where.
    """

    def __init__(
        self,
        rule_id: str,
        message: str,
        decision: Decision | None = None,
        *,
        campaign: Any = None,
        candidate: Any = None,
        stage: str = "",
        step: str = "",
        jurisdiction_code: str = "",
    ) -> None:
        self.rule_id = rule_id
        self.message = message
        self.decision = decision
        self.campaign = campaign
        self.candidate = candidate
        self.stage = stage
        self.step = step
        self.jurisdiction_code = jurisdiction_code
        super().__init__(f"{message}（{rule_id}）")


class NotPermitted(CampaignRefused):
    """The acting user may not act on this campaign (outside their jurisdiction or role).

    Not recorded as ``step_refused``: it is an access refusal, not a step the policy refused.
    """
