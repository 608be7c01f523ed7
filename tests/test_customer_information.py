"""Information to customers (传递公司产品、政策信息, issue #20): the "Send Information" wizard
chooses key accounts (tier, category, cooperation state, or the list's selection) and their
people by buying role, sends one e-mail per person with Odoo's mail composer in mass mode, and
logs each sending per account, never on the partner; rights per role, a refusal over XML-RPC."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .care_common import CareDataMixin
from .common import KeyAccountCase, KeyAccountXmlRpcCase


class InformationMixin(CareDataMixin):
    def _wizard(self, user, context=None, **vals):
        Wizard = self.env["key.account.information.wizard"].with_user(user).with_context(**(context or {}))
        return Wizard.create({"subject": "New H-beam range", "body": "<p>H200 to H900 from May.</p>", **vals})

    def _mails(self, logs):
        return self.env["mail.mail"].search([("model", "=", "key.account.information"), ("res_id", "in", logs.ids)])

    def _logs(self):
        return self.env["key.account.information"].search([])


@tagged("post_install", "-at_install")
class TestCustomerInformation(InformationMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._care_setup()

    def test_one_mail_per_contact_one_log_per_account(self):
        """Strategic and key accounts, economic and technical buyers: one e-mail per person to
        that person only, one log row per account with its people; nothing on the partners'
        chatter (neither the accounts' nor the people's)."""
        people = self.buyer_a | self.buyer_b | self.buyer_other
        messages_before = self.env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("res_id", "in", (people | self.account | self.other_account).ids)]
        )
        wizard = self._wizard(
            self.ka_manager,
            tier_ids=[(6, 0, (self.tier_strategic | self.tier_key).ids)],
            role_ids=[(6, 0, (self.role_economic | self.role_technical).ids)],
        )
        self.assertEqual(wizard.account_ids, self.account | self.other_account)
        self.assertEqual(wizard.contact_ids, people)
        wizard.action_send()
        logs = self._logs()
        self.assertEqual(len(logs), 2)
        by_account = {log.partner_id: log for log in logs}
        self.assertEqual(by_account[self.account].contact_ids, self.buyer_a | self.buyer_b)
        self.assertEqual(by_account[self.other_account].contact_ids, self.buyer_other)
        for log in logs:
            self.assertEqual(
                (log.subject, log.user_id, log.contact_count),
                ("New H-beam range", self.ka_manager, len(log.contact_ids)),
            )
        mails = self._mails(logs)
        self.assertEqual(len(mails), 3)
        self.assertEqual(sorted(mails.recipient_ids.ids), sorted(people.ids), "one e-mail per person")
        for mail in mails:
            self.assertEqual(len(mail.recipient_ids), 1)
            self.assertEqual(mail.res_id, by_account[mail.recipient_ids.commercial_partner_id].id)
            self.assertEqual(mail.subject, "New H-beam range")
            self.assertIn("H200 to H900", mail.body_html)
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", (people | self.account | self.other_account).ids)]
            ),
            messages_before,
        )
        # the key account form opens its log
        action = self.account.with_user(self.ka_user).action_open_information_log()
        found = self.env[action["res_model"]].with_user(self.ka_user).search(action["domain"])
        self.assertEqual(found, by_account[self.account])

    def test_template_rendered_per_person(self):
        """A template of contacts greets each person by name, also for a KA User who does not
        edit templates."""
        template = self.env["mail.template"].create(
            {
                "name": "Policy news",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "Policy news for {{ object.name }}",
                "body_html": '<p>Dear <t t-out="object.name"/>, our payment terms change in June.</p>',
            }
        )
        wizard = self._wizard(
            self.ka_user, account_ids=[(6, 0, self.account.ids)], role_ids=[(6, 0, self.role_economic.ids)]
        )
        wizard.template_id = template
        wizard.action_send()
        log = self._logs()
        self.assertEqual((log.partner_id, log.template_id, log.contact_ids), (self.account, template, self.buyer_a))
        mail = self._mails(log)
        self.assertEqual(mail.subject, "Policy news for Wang Gang")
        self.assertIn("Dear Wang Gang", mail.body_html)
        self.assertEqual(mail.recipient_ids, self.buyer_a)

    def test_from_the_list_and_by_category_and_state(self):
        """Selected in the list of key accounts (the action's active ids), or chosen by category
        and cooperation state."""
        wizard = self._wizard(
            self.ka_manager,
            context={"active_model": "res.partner", "active_ids": (self.account | self.coach).ids},
        )
        self.assertEqual(wizard.account_ids, self.account, "only key accounts are taken")
        self.assertEqual(wizard.contact_ids, self.buyer_a | self.buyer_b | self.coach, "no role: everyone on the map")
        wizard = self._wizard(self.ka_manager, category_ids=[(6, 0, self.category_trading.ids)])
        self.assertEqual(wizard.account_ids, self.account)
        self.other_account.write({"cooperation_state": "problem"})
        wizard = self._wizard(self.ka_manager, cooperation_state="problem")
        self.assertEqual(wizard.account_ids, self.other_account)

    # ------------------------------------------------------------------ rights
    def test_refused_sends_change_nothing(self):
        """A KA User sends to their account; another team's account is refused as a whole: no
        e-mail, no log row. By tier, only their own accounts are proposed. Plain users have no
        wizard; another team does not read the log."""
        wizard = self._wizard(self.ka_user, tier_ids=[(6, 0, (self.tier_strategic | self.tier_key).ids)])
        self.assertEqual(wizard.account_ids, self.account)
        mails_before = self.env["mail.mail"].search_count([])
        wizard = self._wizard(self.ka_user, account_ids=[(6, 0, (self.account | self.other_account).ids)])
        self.assertNotIn(self.buyer_other, wizard.contact_ids, "another team's map is not listed")
        wizard.contact_ids |= self.buyer_other
        with self.assertRefused(AccessError, "Huaxin Trading"):
            wizard.action_send()
        self.assertFalse(self._logs())
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        # a person of no chosen account
        wizard = self._wizard(self.ka_manager, account_ids=[(6, 0, self.account.ids)])
        wizard.contact_ids |= self.buyer_other
        with self.assertRefused(UserError, "Chen Hua is not a contact of a chosen key account"):
            wizard.action_send()
        with self.assertRaises(AccessError):
            self._wizard(self.plain_user, account_ids=[(6, 0, self.account.ids)])
        self._wizard(self.ka_user, account_ids=[(6, 0, self.account.ids)]).action_send()
        log = self._logs()
        self.assertEqual(log.partner_id, self.account)
        Log = self.env["key.account.information"]
        self.assertFalse(Log.with_user(self.ka_user_off).search([]))
        for user in (self.ka_user, self.ka_clerk, self.ka_manager, self.ka_director):
            self.assertEqual(Log.with_user(user).search([]), log)
        with self.assertRaises(AccessError):
            log.with_user(self.ka_manager).write({"subject": "Changed"})
        with self.assertRaises(AccessError):
            log.with_user(self.ka_manager).unlink()

    def test_bad_input(self):
        """No subject or no account: a clear refusal."""
        with self.assertRefused(UserError, "subject"):
            self._wizard(self.ka_manager, account_ids=[(6, 0, self.account.ids)], subject=" ").action_send()
        with self.assertRefused(UserError, "at least one key account"):
            self._wizard(self.ka_manager).action_send()


@tagged("post_install", "-at_install")
class TestCustomerInformationXmlRpc(KeyAccountXmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,key_account_mgmt.group_ka_user"
        cls.ka_user = new_test_user(cls.env, "rpc_info_team", groups=groups)
        cls.ka_user_off = new_test_user(cls.env, "rpc_info_off", groups=groups)
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Hengtai Construction Group",
                "is_company": True,
                "is_key_account": True,
                "key_account_manager_id": cls.ka_user.id,
            }
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Wang Gang", "parent_id": cls.account.id, "email": "wang.gang@hengtai.example"}
        )

    def test_send_to_another_team_refused_over_xmlrpc(self):
        """Over XML-RPC, the other team's KA User sending to Hengtai's people: fault 4, nothing
        sent or logged."""
        wizard_id = self._call(
            self.ka_user_off,
            "key.account.information.wizard",
            "create",
            {
                "subject": "Price list",
                "body": "<p>New prices</p>",
                "account_ids": [(6, 0, self.account.ids)],
                "contact_ids": [(6, 0, self.buyer.ids)],
            },
        )
        text = self._refused(4, self.ka_user_off, "key.account.information.wizard", "action_send", [wizard_id])
        self.assertIn("Hengtai Construction Group", text)
        self.assertFalse(self.env["key.account.information"].search([]))
        self.assertFalse(self.env["mail.mail"].search([("subject", "=", "Price list")]))
