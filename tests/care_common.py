"""Fixtures of the care activities and the information to customers (issue #20): key accounts
whose people are on the relationship map with buying roles, and care activities of the event app."""

from datetime import datetime

from .common import KeyAccountDataMixin


class CareDataMixin(KeyAccountDataMixin):
    @classmethod
    def _care_setup(cls):
        ref = cls.env.ref
        cls.role_economic = ref("key_account_mgmt.buying_role_economic")
        cls.role_technical = ref("key_account_mgmt.buying_role_technical")
        cls.role_coach = ref("key_account_mgmt.buying_role_coach")
        # Hengtai (strategic, the KA User's team): two buyers and a coach
        cls.buyer_a = cls._person(cls.account, "Wang Gang", "wang.gang@hengtai.example", cls.role_economic)
        cls.buyer_b = cls._person(cls.account, "Li Na", "li.na@hengtai.example", cls.role_technical)
        cls.coach = cls._person(cls.account, "Zhao Lei", "zhao.lei@hengtai.example", cls.role_coach)
        # Huaxin (key, the other team): one buyer
        cls.buyer_other = cls._person(cls.other_account, "Chen Hua", "chen.hua@huaxin.example", cls.role_economic)
        # Jinhai (normal tier, the other team too)
        cls.third_account = cls._key_account(
            "Jinhai Logistics", manager=cls.ka_user_off, key_account_tier_id=cls.tier_normal.id
        )
        cls.buyer_third = cls._person(cls.third_account, "Zhou Bo", "zhou.bo@jinhai.example", cls.role_economic)

    @classmethod
    def _person(cls, account, name, email, role):
        person = cls.env["res.partner"].create({"name": name, "parent_id": account.id, "email": email})
        cls.env["key.account.relationship"].create(
            {"partner_id": account.id, "contact_id": person.id, "role_ids": [(6, 0, role.ids)]}
        )
        return person

    @classmethod
    def _care_event(cls, name, kind="training", begin=None, user=None, **vals):
        """A care activity (``begin``: its start in UTC, a naive datetime)."""
        begin = begin or datetime.now().replace(hour=2, minute=0, second=0, microsecond=0)
        Event = cls.env["event.event"].with_user(user) if user else cls.env["event.event"]
        return Event.create(
            {
                "name": name,
                "key_account_care_kind": kind,
                "date_begin": begin,
                "date_end": begin.replace(hour=begin.hour + 4),
                "date_tz": "Asia/Shanghai",
                **vals,
            }
        )

    def _register(self, event, *people, state="open"):
        registrations = self.env["event.registration"].create(
            [{"event_id": event.id, "partner_id": person.id} for person in people]
        )
        if state != "open":
            registrations.write({"state": state})
        return registrations
