"""The relationship map over XML-RPC (issue #21), as the users' clients call it: a KA User off the
account team reads the people's names on the partner, never their influence, attitude or notes,
by any path (the map's rows, the partner's map, searching by them, the risks); the team reads
and edits them; a plain salesperson has nothing. Refusals are access faults (4), never server
errors (1)."""

from odoo.tests import new_test_user, tagged

from .common import KeyAccountXmlRpcCase

NOTE = "Plays golf with the Jinlong sales director"


@tagged("post_install", "-at_install")
class TestRelationshipMapXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,base.group_partner_manager,sales_team.group_sale_salesman"
        cls.seller = new_test_user(cls.env, "rpc_map_seller", groups=groups)
        cls.owner = new_test_user(cls.env, "rpc_map_owner", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.outsider = new_test_user(cls.env, "rpc_map_outsider", groups=groups + ",key_account_mgmt.group_ka_user")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Donghai Shipyard",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.owner.id,
            }
        )
        cls.person = cls.env["res.partner"].create(
            {"name": "Gu Ming", "function": "Chief Engineer", "parent_id": cls.account.id, "buying_role": "technical"}
        )
        cls.newcomer = cls.env["res.partner"].create({"name": "Ye Fan", "parent_id": cls.account.id})
        cls.row = cls.env["key.account.relationship"].search([("contact_id", "=", cls.person.id)])
        cls.row.write({"influence": "high", "attitude": "opponent", "note": NOTE})
        cls.env["key.account.relationship.watch"]._watch(cls.account)

    def test_off_team_user_gets_names_not_the_map(self):
        Relationship = "key.account.relationship"
        # the person as the partner shows them: name, title, buying role
        [person] = self._call(
            self.outsider, "res.partner", "read", [self.person.id], ["name", "function", "buying_role"]
        )
        self.assertEqual((person["name"], person["buying_role"]), ("Gu Ming", "technical"))
        # none of the map's rows, by any read path
        self.assertEqual(
            self._call(self.outsider, Relationship, "search_read", [], ["influence", "attitude", "note"]), []
        )
        self.assertEqual(self._call(self.outsider, Relationship, "search_count", [("attitude", "=", "opponent")]), 0)
        for method, args in (
            ("read", ([self.row.id], ["influence", "attitude", "note"])),
            ("web_read", ([self.row.id], {"note": {}})),
            ("write", ([self.row.id], {"attitude": "champion"})),
            ("unlink", ([self.row.id],)),
        ):
            self._refused(4, self.outsider, Relationship, method, *args)
        self._refused(
            4,
            self.outsider,
            Relationship,
            "create",
            {"partner_id": self.account.id, "contact_id": self.newcomer.id, "attitude": "champion"},
        )
        # nor through the partner: its map, its rows, a search by them
        [account] = self._call(
            self.outsider, "res.partner", "read", [self.account.id], ["key_account_relationship_map"]
        )
        chart = account["key_account_relationship_map"]
        self.assertFalse(chart["readable"])
        self.assertEqual([p["name"] for p in chart["people"]], ["Gu Ming", "Ye Fan"])
        self.assertNotIn(NOTE, str(chart))
        self.assertFalse(any(p["influence"] or p["attitude"] for p in chart["people"]))
        [account] = self._call(
            self.outsider, "res.partner", "read", [self.account.id], ["key_account_relationship_ids"]
        )
        self.assertEqual(account["key_account_relationship_ids"], [])
        found = self._call(
            self.outsider, "res.partner", "search", [("key_account_relationship_ids.attitude", "=", "opponent")]
        )
        self.assertNotIn(self.account.id, found)
        # nor the risks the map raises
        self.assertEqual(self._call(self.outsider, "key.account.relationship.signal", "search", []), [])
        self.assertTrue(self.row.exists() and self.row.attitude == "opponent" and self.row.note == NOTE)

    def test_team_reads_and_edits_the_map(self):
        [row] = self._call(self.owner, "key.account.relationship", "read", [self.row.id], ["influence", "note"])
        self.assertEqual((row["influence"], row["note"]), ("high", NOTE))
        Signal = "key.account.relationship.signal"
        signals = self._call(self.owner, Signal, "search_read", [("partner_id", "=", self.account.id)], ["rule"])
        self.assertIn("opponent_deciding", {signal["rule"] for signal in signals})
        self._call(self.owner, "key.account.relationship", "write", [self.row.id], {"attitude": "supporter"})
        self.assertEqual(self.row.attitude, "supporter")
        # the risk the team put right is resolved at once, not at the next run of the watch
        rules = {signal["rule"] for signal in self._call(self.owner, Signal, "search_read", [], ["rule"])}
        self.assertNotIn("opponent_deciding", rules)
        [account] = self._call(self.owner, "res.partner", "read", [self.account.id], ["key_account_relationship_map"])
        people = {p["name"]: p for p in account["key_account_relationship_map"]["people"]}
        self.assertEqual((people["Gu Ming"]["attitude"], people["Ye Fan"]["relationship_id"]), ("supporter", False))
        # the risk's row is the watch's: not even the team writes it
        self._refused(4, self.owner, "key.account.relationship.signal", "write", [signals[0]["id"]], {"active": False})

    def test_plain_salesperson_has_nothing(self):
        self._refused(4, self.seller, "key.account.relationship", "search_read", [], ["note"])
        self._refused(4, self.seller, "res.partner", "read", [self.account.id], ["key_account_relationship_map"])
        self._refused(4, self.seller, "key.account.relationship.signal", "search", [])
        # the person stays an ordinary contact to them
        self._call(self.seller, "res.partner", "write", [self.person.id], {"phone": "+86 21 5555 0101"})
        self.assertEqual(self.person.phone, "+86 21 5555 0101")
