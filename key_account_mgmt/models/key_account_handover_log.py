from odoo import api, fields, models

from ..tools import model_label


class KeyAccountHandoverLog(models.Model):
    """One row per account and handover (离职交接, seed 001 第12条): from whom, to whom, why and
    what moved (account manager, team roles, nominations, visits, complaints, activities). Who
    is on an account's team is confidential: the note is kept here, read by the account team
    and the KA roles, not in the partner's chatter. Append-only."""

    _name = "key.account.handover.log"
    _inherit = ["key.account.confidential.mixin", "key.account.history.mixin", "mail.thread"]
    _description = "Key Account Handover History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    # empty only on rows recovered from the chatter notes of handovers before 18.0.1.7.0
    from_user_id = fields.Many2one("res.users", string="Handed Over From", index=True)
    to_user_id = fields.Many2one("res.users", string="Handed Over To", index=True)
    user_id = fields.Many2one("res.users", string="Handed Over by")
    reason = fields.Char()
    # what moved is stored as facts and rendered in the reader's language
    items = fields.Text(string="What Moved", compute="_compute_items", inverse="_inverse_items")
    item_facts = fields.Json(
        string="What Moved (Facts)", readonly=True, help="Technical: the records handed over, rendered when read."
    )

    @api.depends("item_facts")
    @api.depends_context("lang")
    def _compute_items(self):
        for log in self:
            log.items = "; ".join(log._render_item(fact) for fact in log.item_facts or ()) or False

    def _inverse_items(self):
        """A text given as such (rows recovered from the notes of handovers before 18.0.1.7.0)."""
        for log in self:
            log.item_facts = [{"text": log.items}] if log.items else False

    def _render_item(self, fact):
        """One thing handed over, in the language of the environment."""
        kind = fact.get("kind")
        if kind == "manager":
            return self.env._("account manager")
        if kind == "role":
            roles = dict(self.env["key.account.team.member"]._fields["role"]._description_selection(self.env))
            return self.env._("team role %(role)s", role=roles.get(fact["role"], fact["role"]))
        if kind == "nomination":
            return self.env._("nomination %(name)s", name=fact["name"])
        if kind == "plan" and fact["model"] in self.env:
            return self.env._("%(kind)s %(name)s", kind=model_label(self.env[fact["model"]]), name=fact["name"])
        if kind == "complaint":
            return self.env._("complaint %(name)s", name=fact["name"])
        if kind == "activity":
            summary = fact["summary"] or self.env["mail.activity.type"].browse(fact["type_id"]).exists().name
            return self.env._("activity %(summary)s", summary=summary or "")
        return fact.get("text") or fact.get("name") or ""
