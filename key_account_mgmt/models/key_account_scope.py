from odoo import api, models
from odoo.exceptions import AccessError, UserError

# a narrower scope of up to so many accounts is read by their ids (see _scope_context)
RESOLVED_ACCOUNTS = 200
KA_USER = "key_account_mgmt.group_ka_user"
KA_CLERK = "key_account_mgmt.group_ka_clerk"
SCOPES = ("mine", "team", "company")


class KeyAccountScope(models.AbstractModel):
    """The key accounts a user looks at (the dashboard's scope switch): ``mine`` (on whose
    team I am), ``team`` (managed by the members of the sales teams I lead or belong to),
    ``company`` (all key accounts of the current companies). A KA User sees their own only
    (SPEC §1: the account team); Clerks, Managers and Directors choose, ``company`` by default.
    The scope is a set of domains, searched as the current user: record rules still apply."""

    _name = "key.account.scope"
    _description = "Key Accounts in View"

    @api.model
    def _scopes(self):
        """[(key, label)] of the scopes the user may choose, the default last."""
        user = self.env.user
        if not (self.env.su or user.has_group(KA_USER)):
            raise AccessError(self.env._("Only key-account staff look at key accounts' figures."))
        scopes = [("mine", self.env._("My Accounts"))]
        if self.env.su or user.has_group(KA_CLERK):
            if self._team_users() - user:
                scopes.append(("team", self.env._("My Team")))
            scopes.append(("company", self.env._("Company")))
        return scopes

    @api.model
    def _check_scope(self, scope, scopes):
        """``scope`` if it is one of ``scopes`` (the default when empty), else refused."""
        if scope in (None, False, ""):
            return scopes[-1][0]
        if scope not in SCOPES:
            raise UserError(self.env._("%(value)s is not a scope of key accounts.", value=repr(scope)[:40]))
        if scope not in dict(scopes):
            raise AccessError(self.env._("A Key Account User looks at their own accounts only."))
        return scope

    @api.model
    def _team_users(self):
        """The user and the members and leaders of the sales teams they lead or belong to."""
        teams = self.env["crm.team"].search(
            ["|", ("user_id", "=", self.env.uid), ("crm_team_member_ids.user_id", "=", self.env.uid)]
        )
        members = self.env["crm.team.member"].search([("crm_team_id", "in", teams.ids)])
        return self.env.user | members.user_id | teams.user_id

    @api.model
    def _scope_context(self, scope):
        """The domains of a scope: ``accounts`` on res.partner, ``users`` (the specialists
        whose targets and KPIs count; None: all), ``companies`` (ids); for mine or my team's,
        when they are few, ``account_ids``: the accounts searched once as the user, then
        ``accounts`` is their ids — the scope's domain (the members' users, their record rules)
        planned again in each of a dashboard's thirty counts was most of a specialist's wait."""
        companies = self.env.companies.ids
        accounts = [("is_key_account", "=", True), ("company_id", "in", [*companies, False])]
        users = None
        if scope == "mine":
            accounts.append(("key_account_team_user_ids", "in", [self.env.uid]))
            users = [self.env.uid]
        elif scope == "team":
            users = self._team_users().ids
            accounts.append(("key_account_manager_id", "in", users))
        context = {"scope": scope, "accounts": accounts, "users": users, "companies": companies}
        if scope != "company":
            ids = self.env["res.partner"].search(accounts, limit=RESOLVED_ACCOUNTS + 1, order="id").ids
            if len(ids) <= RESOLVED_ACCOUNTS:
                context.update(accounts=[("id", "in", ids)], account_ids=ids)
        return context
