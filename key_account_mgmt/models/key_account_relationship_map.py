from odoo import api, fields, models

KA_CLERK = "key_account_mgmt.group_ka_clerk"


class KeyAccountRelationshipMap(models.AbstractModel):
    """The relationship map of a key account as the form draws it (the field
    ``res.partner.key_account_relationship_map``, static/src/relationship_map): every person of
    the account and of its branches, the entries of the map (whom they report to, roles,
    influence, attitude, relationship, owner, last contact) and the open relationship risks.
    Read as the current user: someone off the account team gets the people as the partner
    shows them (names, titles, buying roles), none of the map's confidential entries."""

    _name = "key.account.relationship.map"
    _description = "Relationship Map Chart"

    @api.model
    def _map_of(self, account):
        account.ensure_one()
        Relationship = self.env["key.account.relationship"]
        readable = account._key_account_has_access("read")
        editable = account._key_account_has_access("write") or (readable and self.env.user.has_group(KA_CLERK))
        rows = Relationship.search([("partner_id", "=", account.id)]) if readable else Relationship
        family = account._key_account_map_family()
        people = self.env["res.partner"].search(
            [("commercial_partner_id", "in", family.ids), ("is_company", "=", False), ("type", "=", "contact")],
            order="name, id",
        )
        signals = (
            self.env["key.account.relationship.signal"].search([("partner_id", "=", account.id)])
            if readable
            else self.env["key.account.relationship.signal"]
        )
        roles = self.env["key.account.buying.role"].search([])
        labels = {
            name: dict(Relationship._fields[name]._description_selection(self.env))
            for name in ("influence", "attitude", "strength", "left_reason", "last_contact_kind")
        }
        flags = {}
        for signal in signals:
            for contact in signal.with_context(active_test=False).contact_ids:
                flags.setdefault(contact.id, []).append(signal.rule)
        nodes = [self._entry(row, account, labels, flags) for row in rows]
        nodes += [self._person(person, account, roles) for person in people - rows.contact_id]
        covered = (
            set(rows._in_place().role_ids.ids)
            if readable
            else {node["role_ids"][0] for node in nodes if node["role_ids"]}
        )
        rules = dict(signals._fields["rule"]._description_selection(self.env))
        return {
            "account_id": account.id,
            "readable": readable,
            "editable": editable,
            "roles": [
                {"id": role.id, "name": role.name, "color": role.color, "covered": role.id in covered} for role in roles
            ],
            "people": nodes,
            "signals": [
                {"id": signal.id, "rule": signal.rule, "label": rules[signal.rule], "text": signal.description}
                for signal in signals
            ],
        }

    @api.model
    def _entry(self, row, account, labels, flags):
        contact = row.contact_id.sudo().with_context(active_test=False)
        left = row.left_reason
        return {
            "key": f"person_{contact.id}",
            "contact_id": contact.id,
            "relationship_id": row.id,
            "parent_key": f"person_{row.parent_id.contact_id.id}" if row.parent_id else False,
            "name": contact.name or "",
            "function": contact.function or "",
            "company": contact.commercial_partner_id.name if contact.commercial_partner_id != account else "",
            "role_ids": row.role_ids.ids,
            "roles": [{"id": role.id, "name": role.name, "color": role.color} for role in row.role_ids],
            "influence": row.influence or False,
            "influence_label": labels["influence"].get(row.influence, ""),
            "attitude": row.attitude or False,
            "attitude_label": labels["attitude"].get(row.attitude, ""),
            "strength": row.strength or False,
            "strength_label": labels["strength"].get(row.strength, ""),
            "owner": row.user_id.name or "",
            "decider": row.is_decider,
            "last_contact": fields.Date.to_string(row.last_contact_date) if row.last_contact_date else False,
            "last_contact_kind": labels["last_contact_kind"].get(row.last_contact_kind, ""),
            "left": labels["left_reason"].get(left, "") if left else "",
            "flags": flags.get(contact.id, []),
        }

    @api.model
    def _person(self, person, account, roles):
        """A person not on the map yet: what the partner shows (their buying role)."""
        role = roles.filtered(lambda r: r.code == person.buying_role)[:1] if person.buying_role else roles.browse()
        return {
            "key": f"person_{person.id}",
            "contact_id": person.id,
            "relationship_id": False,
            "parent_key": False,
            "name": person.name or "",
            "function": person.function or "",
            "company": person.commercial_partner_id.name if person.commercial_partner_id != account else "",
            "role_ids": role.ids,
            "roles": [{"id": r.id, "name": r.name, "color": r.color} for r in role],
            "influence": False,
            "attitude": False,
            "strength": False,
            "owner": "",
            "decider": False,
            "last_contact": False,
            "left": "",
            "flags": [],
        }
