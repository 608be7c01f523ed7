from odoo import api, models
from odoo.exceptions import AccessError

KA_USER = "key_account_mgmt.group_ka_user"
KA_CLERK = "key_account_mgmt.group_ka_clerk"
KA_MANAGER = "key_account_mgmt.group_ka_manager"


class KeyAccountAccessMixin(models.AbstractModel):
    """The trust boundary on the partner (ARCHITECTURE.md): the one helper deciding who may see
    or change an account's confidential data, and who changes which key-account field.
    res.partner inherits it before key.account.write.guard, whose refusal it refines."""

    _name = "key.account.access.mixin"
    _description = "Key Account Access"

    # who may change which key-account field, beyond the field's read groups
    _KEY_ACCOUNT_MANAGER_FIELDS = (
        "is_key_account",
        "key_account_tier_id",
        "key_account_manager_id",
        "key_account_team_member_ids",
    )
    _KEY_ACCOUNT_TEAM_FIELDS = ("key_account_category_ids", "key_account_branch_ids", "key_account_carrier_ids")
    # group structure: the team of the branch, of its old or of its new headquarters may set it
    _KEY_ACCOUNT_STRUCTURE_FIELDS = ("key_account_headquarters_id", "key_account_group_relation")
    # set by the credit watch and the suspension only (named in their refusal)
    _KEY_ACCOUNT_CREDIT_FIELDS = (
        "key_account_credit_flag",
        "key_account_credit_flag_facts",
        "key_account_credit_flag_reason",
        "key_account_credit_flag_date",
        "key_account_credit_suspended",
        "key_account_credit_watch_pass",
    )

    def _key_account_team_users(self):
        """Users on the account team of these partners (sudo: called for rights checks)."""
        return self.sudo().key_account_team_user_ids

    def _key_account_managers(self):
        """KA Managers of the account's company who get its escalations (directors only when
        the company has no manager below them)."""
        company = self.company_id or self.env.company
        managers = self.env.ref(KA_MANAGER).sudo().users.filtered(lambda u: not u.share and company in u.company_ids)
        below_director = managers.filtered(lambda u: not u.has_group("key_account_mgmt.group_ka_director"))
        return below_director or managers

    # ------------------------------------------------------------------ the trust boundary
    def _key_account_filtered_access(self, operation="read"):
        """THE rule of SPEC §1 deciding who may see (``operation="read"``) or change
        (``"write"``) the confidential data of these accounts; returns those the current user
        may. Every other check (actions, write guards, read-side checks) asks this one.

        - superuser: all;
        - only accounts of the user's companies (an account without company is shared);
        - KA Manager / Director: all of them, read and write;
        - KA Clerk: reads all of them, changes those on whose team they are;
        - KA User: those on whose team they are (account manager or team member);
        - anybody else: none.
        The team is the stored ``key_account_team_user_ids`` (written only by its compute)."""
        if operation not in ("read", "write"):
            raise ValueError(f"Unknown key-account operation {operation!r}")
        if self.env.su:
            return self
        user = self.env.user
        if not user.has_group(KA_USER):
            return self.browse()
        companies = user.company_ids
        mine = self.filtered(lambda p: not p.sudo().company_id or p.sudo().company_id in companies)
        if user.has_group(KA_MANAGER) or (operation == "read" and user.has_group(KA_CLERK)):
            return mine
        return mine.filtered(lambda p: user in p.sudo().key_account_team_user_ids)

    def _key_account_has_access(self, operation="read"):
        """Boolean variant of :meth:`_key_account_check_access`: may the current user see
        (``"read"``) or change (``"write"``) the confidential data of all these accounts?"""
        return len(self._key_account_filtered_access(operation)) == len(self)

    @api.model
    def _key_account_check_manager(self, message):
        """Raise ``message`` (translated) as an AccessError unless the current user is a KA
        Manager (or Director) or the superuser: the decisions reserved to managers, whatever
        the account (retiring, escalations, credit, hand-overs)."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(message)

    def _key_account_check_access(self, operation="read", message=None, **params):
        """Raise a translated AccessError naming the accounts among these whose confidential
        data the current user may not see (``"read"``) or change (``"write"``), see
        :meth:`_key_account_filtered_access`. ``message``: a translated text with the
        placeholder ``%(partners)s`` saying what was refused (default: a generic one), and of
        ``params``."""
        denied = self - self._key_account_filtered_access(operation)
        if not denied:
            return
        names = ", ".join(denied.sudo().mapped("display_name"))
        if message:
            raise AccessError(message % {**params, "partners": names})
        if operation == "read":
            raise AccessError(
                self.env._(
                    "Only the account team of %(partners)s and the Key Account Clerks and Managers of its company may see "
                    "its confidential data.",
                    partners=names,
                )
            )
        raise AccessError(
            self.env._(
                "Only the account team of %(partners)s and the Key Account Managers of its company may change its "
                "confidential data.",
                partners=names,
            )
        )

    @api.model
    def _key_account_refuse_action_fields(self, names):
        """The credit and the cooperation state name the buttons that change them."""
        if set(names) & set(self._KEY_ACCOUNT_CREDIT_FIELDS):
            raise AccessError(
                self.env._(
                    "The credit warning is set by the credit watch, the suspension with its button (kept in the history)."
                )
            )
        if set(names) <= set(self._key_account_action_fields[:5]):
            raise AccessError(
                self.env._(
                    "Change the cooperation state with “Set Cooperation State” and close "
                    "escalations with their button: both keep the history."
                )
            )
        return super()._key_account_refuse_action_fields(names)

    def _check_key_account_rights(self, vals):
        """Field ``groups`` decide who reads the key-account fields, key.account.write.guard
        keeps the fields of actions; this decides who changes the others: making a key account,
        its tier and its team belong to KA Managers; the categories also to the account team
        (:meth:`_key_account_check_access`), the group structure to the teams involved."""
        if self.env.su or self.env.user.has_group(KA_MANAGER):
            return
        manager_fields = [f for f in self._KEY_ACCOUNT_MANAGER_FIELDS if f in vals]
        # a new plain partner may come with is_key_account=False: only a real value counts
        if manager_fields and (self or any(vals[f] for f in manager_fields)):
            raise AccessError(
                self.env._(
                    "Only Key Account Managers may change: %(fields)s.",
                    fields=", ".join(self._fields[f]._description_string(self.env) for f in manager_fields),
                )
            )
        team_fields = vals.keys() & set(self._KEY_ACCOUNT_TEAM_FIELDS)
        if self and team_fields:
            self._key_account_check_access(
                "write",
                self.env._("Only the account team of %(partners)s or a Key Account Manager may change: %(fields)s."),
                fields=", ".join(self._fields[f]._description_string(self.env) for f in sorted(team_fields)),
            )
        if vals.keys() & set(self._KEY_ACCOUNT_STRUCTURE_FIELDS):
            self._check_group_structure_rights(vals)
        self._check_key_account_location_rights(vals)

    def _check_key_account_location_rights(self, vals):
        """The check-ins of a key account's visits are measured to its coordinates: they come
        from its address (the geocoder, run by the visit's Locate action) or from a KA Manager.
        Clearing them (as changing the address does) is free: the check-ins then say "no
        reference location"."""
        if not self or not any(vals.get(name) for name in ("partner_latitude", "partner_longitude")):
            return
        if self.filtered(lambda partner: partner.sudo().is_key_account):
            raise AccessError(
                self.env._(
                    "The location of a key account is found from its address (Locate from Its Address, on a visit) or "
                    "set by a Key Account Manager: the check-ins of its visits are measured to it."
                )
            )

    def _check_group_structure_rights(self, vals):
        """A branch or carrier is linked to (or unlinked from) a headquarters by whoever may
        change the key-account data of the headquarters, old and new, and of the branch when it
        has key-account data itself: nobody pulls another team's account into their group
        figures, nor their account out of another team's group."""
        new_headquarters = self.browse(vals.get("key_account_headquarters_id") or [])
        if not self and not new_headquarters:
            return
        for partner in self or [self.browse()]:
            involved = (partner.sudo().key_account_headquarters_id | new_headquarters).with_env(self.env)
            if partner and partner._has_key_account_data():
                involved |= partner
            if not involved._key_account_has_access("write"):
                raise AccessError(
                    self.env._(
                        "Only the account team of the branch or of its headquarters, or a Key Account Manager, may "
                        "change the group structure of %(partner)s.",
                        partner=partner.display_name or new_headquarters.display_name,
                    )
                )

    def _has_key_account_data(self):
        """Is (or was) this partner managed as a key account, with confidential records?"""
        self.ensure_one()
        partner = self.sudo()
        return bool(partner.is_key_account or partner.key_account_lost or partner.key_account_team_user_ids)
