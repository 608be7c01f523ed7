from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import ensure_one

KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountHandoverWizard(models.TransientModel):
    """离职交接 (seed 001 第12条): hand everything a user holds on key accounts to another user in
    one step — accounts managed, team roles, open nominations, activities — logged per account
    in the handover history (key.account.handover.log). Later features add their open records
    through ``_handover_records``."""

    _name = "key.account.handover.wizard"
    _description = "Key Account Handover"

    from_user_id = fields.Many2one(
        "res.users", string="Handed Over From", required=True, domain="[('share', '=', False)]"
    )
    to_user_id = fields.Many2one("res.users", string="Handed Over To", required=True, domain="[('share', '=', False)]")
    partner_ids = fields.Many2many(
        "res.partner",
        string="Only These Accounts",
        help="Leave empty to hand over everything; set to reassign single accounts (e.g. after an escalation).",
    )
    note = fields.Char(string="Reason", help="Leaving, new assignment, escalation …")
    account_count = fields.Integer(string="Accounts Managed", compute="_compute_counts")
    member_count = fields.Integer(string="Team Roles", compute="_compute_counts")
    application_count = fields.Integer(string="Open Nominations", compute="_compute_counts")
    visit_count = fields.Integer(string="Open Visits and Receptions", compute="_compute_counts")
    activity_count = fields.Integer(string="Activities", compute="_compute_counts")

    @api.depends("from_user_id", "partner_ids")
    def _compute_counts(self):
        for wizard in self:
            user = wizard.from_user_id
            wizard.account_count = len(wizard._managed_accounts(user))
            wizard.member_count = len(wizard._team_roles(user))
            wizard.application_count = len(wizard._open_applications(user))
            wizard.visit_count = sum(len(plans) for plans in wizard._open_visits(user))
            wizard.activity_count = len(wizard._activities(user))

    # what is handed over
    def _scope(self, field="partner_id"):
        """Domain restricting the handover to the chosen accounts, if any."""
        return [(field, "in", self.partner_ids.ids)] if self.partner_ids else []

    def _managed_accounts(self, user):
        if not user:
            return self.env["res.partner"]
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("key_account_manager_id", "=", user.id), *self._scope("id")])
        )

    def _team_roles(self, user):
        if not user:
            return self.env["key.account.team.member"]
        return self.env["key.account.team.member"].sudo().search([("user_id", "=", user.id), *self._scope()])

    def _open_applications(self, user):
        if not user:
            return self.env["key.account.application"]
        return (
            self.env["key.account.application"]
            .sudo()
            .search(
                [
                    ("state", "in", ("draft", "submitted")),
                    *self._scope(),
                    "|",
                    ("user_id", "=", user.id),
                    ("proposed_manager_id", "=", user.id),
                ]
            )
        )

    def _open_visits(self, user):
        """Open plans (not yet reported) where the user is responsible or takes part."""
        if not user:
            return []
        return [
            self.env[model]
            .sudo()
            .search(
                [
                    ("state", "in", ("draft", "submitted", "approved")),
                    *self._scope(),
                    "|",
                    ("user_id", "=", user.id),
                    ("participant_ids", "in", user.id),
                ]
            )
            for model in ("key.account.visit", "key.account.reception")
        ]

    def _open_tickets(self, user):
        """Open complaints and requests of key accounts assigned to the user."""
        if not user:
            return self.env["helpdesk.ticket"]
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("user_id", "=", user.id),
                    ("key_account_id", "!=", False),
                    ("stage_id.closed", "=", False),
                    *self._scope("key_account_id"),
                ]
            )
        )

    def _activities(self, user):
        if not user:
            return self.env["mail.activity"]
        key_account_ids = (
            self.partner_ids.ids
            or self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("is_key_account", "=", True), ("key_account_lost", "=", True)])
            .ids
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("user_id", "=", user.id), ("res_model", "=", "res.partner"), ("res_id", "in", key_account_ids)])
        )
        for activity in (
            self.env["mail.activity"]
            .sudo()
            .search([("user_id", "=", user.id), ("res_model", "in", self._handover_activity_models())])
        ):
            record = self.env[activity.res_model].sudo().browse(activity.res_id)
            if not self.partner_ids or record.partner_id in self.partner_ids:
                activities |= activity
        return activities

    def _handover_activity_models(self):
        """Key-account models with activities and a partner (their activities move too)."""
        return [
            name
            for name, model in self.env.items()
            if name.startswith("key.account.")
            and not model._transient
            and not model._abstract
            and "activity_ids" in model._fields
            and "partner_id" in model._fields
        ]

    def action_handover(self):
        ensure_one(self)
        self.env["res.partner"]._key_account_check_manager(
            self.env._("Only a Key Account Manager may hand accounts over.")
        )
        old, new = self.from_user_id, self.to_user_id
        if old == new:
            raise UserError(self.env._("Choose a different user to hand the accounts over to."))
        if not new.has_group("key_account_mgmt.group_ka_user"):
            raise UserError(self.env._("%(user)s is not a KA User and cannot work on the accounts.", user=new.name))
        log = defaultdict(list)
        self._handover_records(old, new, log)
        # who is on an account's team is confidential: one row of the handover history per
        # account, never a note in the partner's chatter
        self.env["key.account.handover.log"].sudo().with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                {
                    "partner_id": partner.id,
                    "from_user_id": old.id,
                    "to_user_id": new.id,
                    "user_id": self.env.uid,
                    "reason": self.note,
                    "item_facts": facts,
                }
                for partner, facts in log.items()
            ]
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s key accounts handed over to %(user)s.", count=len(log), user=new.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _handover_records(self, old, new, log):
        """Move what ``old`` holds to ``new`` and note per account (``log[partner]``) what moved,
        as facts the handover history renders in its reader's language."""
        for partner in self._managed_accounts(old):
            partner.write({"key_account_manager_id": new.id})
            log[partner].append({"kind": "manager"})
        for member in self._team_roles(old):
            duplicate = member.search(
                [("partner_id", "=", member.partner_id.id), ("user_id", "=", new.id), ("role", "=", member.role)]
            )
            log[member.partner_id].append({"kind": "role", "role": member.role})
            if duplicate:
                member.unlink()
            else:
                member.write({"user_id": new.id})
        for application in self._open_applications(old):
            vals = {}
            if application.user_id == old:
                vals["user_id"] = new.id
            if application.proposed_manager_id == old:
                vals["proposed_manager_id"] = new.id
            application.with_context(skip_validation_check=True).write(vals)
            log[application.partner_id].append({"kind": "nomination", "name": application.name})
        for plans in self._open_visits(old):
            for plan in plans:
                vals = {}
                if plan.user_id == old:
                    vals["user_id"] = new.id
                if old in plan.participant_ids:
                    vals["participant_ids"] = [(3, old.id), (4, new.id)]
                plan.with_context(skip_validation_check=True).write(vals)
                if plan.calendar_event_id:
                    plan.calendar_event_id.sudo().write(
                        {
                            "user_id": plan.user_id.id,
                            "partner_ids": [(3, old.partner_id.id), (4, new.partner_id.id)],
                        }
                    )
                log[plan.partner_id].append({"kind": "plan", "model": plan._name, "name": plan.name})
        tickets = self._open_tickets(old)
        for ticket in tickets:
            ticket.write({"user_id": new.id})
            log[ticket.key_account_id].append({"kind": "complaint", "name": ticket.display_name})
        ticket_domain = [("key_account_id", "!=", False), *self._scope("key_account_id")]
        for activity in (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("user_id", "=", old.id),
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", self.env["helpdesk.ticket"].sudo().search(ticket_domain).ids),
                ]
            )
        ):
            activity.write({"user_id": new.id})
        for activity in self._activities(old):
            record = self.env[activity.res_model].sudo().browse(activity.res_id)
            partner = (
                record
                if activity.res_model == "res.partner"
                else record["partner_id"]
                if "partner_id" in record._fields
                else None
            )
            activity.write({"user_id": new.id})
            if partner:
                log[partner].append(
                    {"kind": "activity", "summary": activity.summary, "type_id": activity.activity_type_id.id}
                )
