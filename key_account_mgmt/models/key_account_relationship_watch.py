from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

CURSOR_PARAM = "key_account_mgmt.relationship_watch_cursor"


class KeyAccountRelationshipWatch(models.AbstractModel):
    """The relationship watch: reads the relationship maps of key accounts and raises or
    resolves their relationship risks (key.account.relationship.signal). The daily scheduled
    action checks every key account once per pass, a batch per call, in a constant number of
    queries per batch; a change of a champion's contact (archived, moved, new title) is checked
    at once (res.partner, key.account.relationship.mixin). The rules:

    - no economic buyer known: nobody in place on the map has the economic role;
    - no coach or champion known: nobody in place is a coach or a champion;
    - opponent in a deciding role: a decider (a deciding role, or high influence) opposed to us;
    - decider not met: a decider in place not met (visit, reception, meeting) for longer than
      the tier's visit frequency, counted from their entry on the map when never met;
    - champion leaving: a champion archived, gone to a company outside the group, or with
      another title than the map's.
    "In place": the person is active and still with the account or one of its branches."""

    _name = "key.account.relationship.watch"
    _inherit = "key.account.watch.mixin"
    _description = "Relationship Watch"
    _watch_cursor_param = CURSOR_PARAM
    _watch_row_model = "key.account.relationship.signal"

    @api.model
    def _cron_relationship_watch(self, batch_size=500):
        """Each call checks the next ``batch_size`` accounts (key accounts and accounts with an
        open risk) after the cursor; the scheduler commits and calls again while some remain,
        and the pass starts again at the next run."""
        return self._watch_next_batch(batch_size)

    @api.model
    def _watch_resolved(self, accounts):
        """After the team changed the map of these accounts: resolve at once the open risks it
        put right (new risks wait for the daily watch; one query when there is none open)."""
        accounts = accounts.sudo()
        if accounts and self.env["key.account.relationship.signal"].sudo().search_count(
            [("partner_id", "in", accounts.ids)], limit=1
        ):
            self._watch(accounts, raised=())

    @api.model
    def _watch(self, accounts, raised=None):
        """Raise the risks these accounts have and have not yet (of the rules ``raised`` only,
        if given), update those still open, resolve those gone (sudo: called by the scheduler
        and after the checked actions)."""
        accounts = accounts.sudo().with_context(active_test=False).exists()
        if not accounts:
            return
        # the scheduled watch and a contact's change must not both raise a risk: the second waits
        self.env.cr.execute(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", accounts.ids)
        )
        found = self._findings(accounts)
        Signal = self.env["key.account.relationship.signal"].sudo()
        open_signals = Signal.search([("partner_id", "in", accounts.ids)])
        by_key = {(signal.partner_id.id, signal.rule): signal for signal in open_signals}
        open_signals.filtered(lambda s: (s.partner_id.id, s.rule) not in found)._resolve()
        new = []
        for (account_id, rule), (contacts, facts) in found.items():
            signal = by_key.get((account_id, rule))
            if not signal and (raised is None or rule in raised):
                new.append({"partner_id": account_id, "rule": rule, "contact_ids": [(6, 0, contacts)], "facts": facts})
            elif signal and (
                set(signal.with_context(active_test=False).contact_ids.ids) != set(contacts)
                or (signal.facts or {}) != facts
            ):
                signal.write({"contact_ids": [(6, 0, contacts)], "facts": facts})
        if new:
            Signal.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(new)._schedule_activity()

    @api.model
    def _findings(self, accounts):
        """{(account id, rule): (contact ids, facts)} of the risks these accounts have now."""
        Relationship = self.env["key.account.relationship"].sudo().with_context(active_test=False)
        rows = Relationship.search([("partner_id", "in", accounts.ids)], order="id")
        rows.fetch(["partner_id", "contact_id", "role_ids", "influence", "attitude", "known_function", "create_date"])
        rows.role_ids.fetch(["code", "is_deciding"])
        rows.contact_id.fetch(["active", "commercial_partner_id", "function", "name"])
        accounts.fetch(["is_key_account", "key_account_tier_id", "key_account_branch_ids"])
        accounts.key_account_tier_id.fetch(["visit_frequency_days"])
        last_met = self.env["key.account.activity.metrics"]._last_contact_summary(rows.contact_id.ids)
        today = fields.Date.context_today(self)
        by_account = rows.grouped("partner_id")
        found = {}
        for account in accounts.filtered("is_key_account"):
            account_rows = by_account.get(account, Relationship)
            present = account_rows._in_place()
            codes = set(present.role_ids.mapped("code"))
            deciders = present.filtered("is_decider")
            if "economic" not in codes:
                found[(account.id, "no_economic_buyer")] = ([], {})
            if "coach" not in codes and not present.filtered(lambda r: r.attitude == "champion"):
                found[(account.id, "no_coach")] = ([], {})
            opponents = deciders.filtered(lambda r: r.attitude == "opponent")
            if opponents:
                found[(account.id, "opponent_deciding")] = (opponents.contact_id.ids, {})
            days = account.key_account_tier_id.visit_frequency_days
            if days > 0:
                since = today - timedelta(days=days)
                not_met = deciders.filtered(
                    lambda r, since=since: (last_met.get(r.contact_id.id, (False,))[0] or r.create_date.date()) < since
                )
                if not_met:
                    found[(account.id, "decider_not_met")] = (not_met.contact_id.ids, {"days": days})
            reasons = {
                str(row.contact_id.id): row._left_reason()
                for row in account_rows.filtered(lambda r: r.attitude == "champion")
            }
            reasons = {contact: reason for contact, reason in reasons.items() if reason}
            if reasons:
                champions = account_rows.filtered(lambda r, reasons=reasons: str(r.contact_id.id) in reasons)
                found[(account.id, "champion_left")] = (champions.contact_id.ids, {"reasons": reasons})
        return found
