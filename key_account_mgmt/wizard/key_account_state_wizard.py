from odoo import api, fields, models

from ..models.key_account_cooperation_mixin import COOPERATION_RANK, COOPERATION_STATES
from ..tools import ensure_one


class KeyAccountStateWizard(models.TransientModel):
    """Set or confirm the cooperation state of key accounts, or close an escalation: the UI
    around ``res.partner.action_set_cooperation_state`` and ``action_close_escalation``."""

    _name = "key.account.state.wizard"
    _description = "Set Cooperation State"

    mode = fields.Selection(
        [("set_state", "Set State"), ("close_escalation", "Close Escalation")],
        required=True,
        default="set_state",
    )
    partner_ids = fields.Many2many("res.partner", string="Key Accounts", required=True)
    current_state = fields.Selection(COOPERATION_STATES, compute="_compute_current_state")
    state = fields.Selection(COOPERATION_STATES, string="New State")
    is_downgrade = fields.Boolean(string="Downgrade", compute="_compute_current_state")
    reason = fields.Text(string="Reason / Explanation")
    remedy_plan = fields.Text()
    conclusion = fields.Text(string="Conclusion of the special meeting")

    @api.depends("partner_ids", "state")
    def _compute_current_state(self):
        for wizard in self:
            states = set(wizard.partner_ids.mapped("cooperation_state"))
            wizard.current_state = states.pop() if len(states) == 1 else False
            wizard.is_downgrade = bool(wizard.state) and any(
                s and COOPERATION_RANK[wizard.state] > COOPERATION_RANK[s]
                for s in wizard.partner_ids.mapped("cooperation_state")
            )

    def action_apply(self):
        ensure_one(self)
        if self.mode == "close_escalation":
            self.partner_ids.action_close_escalation(self.conclusion)
        else:
            self.partner_ids.action_set_cooperation_state(self.state, self.reason, self.remedy_plan)
            # a suggestion of the state set is accepted by the change
            logs = self.env["key.account.state.log"]._latest_of(self.partner_ids)
            self.env["key.account.state.suggestion"]._accept_for(list(logs.values()))
        return {"type": "ir.actions.act_window_close"}
