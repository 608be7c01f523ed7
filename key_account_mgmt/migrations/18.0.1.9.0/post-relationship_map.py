"""The relationship map becomes the source of the buying roles (issue #21).

Up to 18.0.1.8.0 a contact had one buying role on res.partner (``buying_role``) and the buying-
role coverage of a key account counted its contacts' roles. Since 18.0.1.9.0 the map of the
account (key.account.relationship) holds the roles, a contact may have several, and the
partner's buying role mirrors the first of them. Put every person with a buying role on the map
of their key account (their company, or its group when the company is a branch) with that role,
owned by the account manager; ``buying_role`` itself is kept as it is. Idempotent: a person
already on a map is left alone; a person of a company that is no key account stays off any map
(they come onto it when the company becomes one).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    people = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("buying_role", "!=", False), ("is_company", "=", False), ("parent_id", "!=", False)])
    )
    mapped = env["key.account.relationship"].search([("contact_id", "in", people.ids)]).contact_id
    changes = {person: (False, person.buying_role) for person in people - mapped}
    env["key.account.relationship"]._mirror_buying_roles(changes)
    placed = env["key.account.relationship"].search_count([("contact_id", "in", people.ids)])
    _logger.info("Relationship map: %s of %s people with a buying role are on a map", placed, len(people))
