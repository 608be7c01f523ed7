from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression


class MailFollowers(models.Model):
    """Followers of the key-account records are listed only to users who may read the record
    (core lets every internal user read every follower row): glue around the document's own
    record rules, as core does for mail.message and mail.activity."""

    _inherit = "mail.followers"

    @api.model
    def _key_account_followed_models(self):
        """Models of this addon whose followers are as confidential as the records, and the
        complaints (confidential when of a key account, see helpdesk_ticket_security.xml)."""
        return [
            name
            for name, model in self.env.registry.items()
            if (name.startswith("key.account.") or name == "helpdesk.ticket")
            and not model._transient
            and not model._abstract
            and "message_follower_ids" in model._fields
        ]

    @api.model
    def _key_account_models_searched(self, domain):
        """The followed models a search may reach: all of them, unless the domain is a plain
        conjunction naming the model (as core's searches do)."""
        models = set(self._key_account_followed_models())
        if domain and not any(leaf in ("|", "!") for leaf in domain):
            for leaf in domain:
                if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == "res_model":
                    if leaf[1] == "=" and isinstance(leaf[2], str):
                        models &= {leaf[2]}
                    elif leaf[1] == "in" and isinstance(leaf[2], (list, tuple)):
                        models &= set(leaf[2])
        return sorted(models)

    @api.model
    def _key_account_readable_domain(self, models):
        domain = []
        for name in models:
            documents = self.env[name].with_context(active_test=False)
            if documents.has_access("read"):
                readable = ["|", ("res_model", "!=", name), ("res_id", "in", documents._search([]))]
            else:
                readable = [("res_model", "!=", name)]
            domain = expression.AND([domain, readable])
        return domain

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            models = self._key_account_models_searched(domain)
            if models:
                domain = expression.AND([domain or [], self._key_account_readable_domain(models)])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self:
            return result
        followed = set(self._key_account_followed_models())
        forbidden = self.browse()
        for model, followers in self.sudo().grouped("res_model").items():
            if model not in followed:
                continue
            documents = self.env[model].with_context(active_test=False).browse(set(followers.mapped("res_id")))
            allowed = set(documents.exists()._filtered_access("read").ids)
            forbidden |= followers.filtered(lambda f, allowed=allowed: f.res_id not in allowed)
        if forbidden:
            forbidden = forbidden.with_env(self.env)
            return forbidden, lambda: AccessError(
                self.env._("You may not see the followers of records you cannot read.")
            )
        return None
