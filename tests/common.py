"""Fixtures shared by the topics: one company with a user per role, a second company."""

import xmlrpc.client
from contextlib import contextmanager

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class KeyAccountCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "KA Second Company"})
        groups = "base.group_user,base.group_partner_manager,sales_team.group_sale_salesman"
        cls.plain_user = new_test_user(cls.env, "ka_plain", groups=groups, name="Plain Salesperson")
        cls.ka_user = new_test_user(
            cls.env, "ka_on_team", groups=groups + ",key_account_mgmt.group_ka_user", name="KA User On Team"
        )
        cls.ka_user_off = new_test_user(
            cls.env, "ka_off_team", groups=groups + ",key_account_mgmt.group_ka_user", name="KA User Off Team"
        )
        cls.ka_clerk = new_test_user(
            cls.env, "ka_clerk_t", groups=groups + ",key_account_mgmt.group_ka_clerk", name="KA Clerk"
        )
        cls.ka_manager = new_test_user(
            cls.env, "ka_manager_t", groups=groups + ",key_account_mgmt.group_ka_manager", name="KA Manager"
        )
        cls.ka_director = new_test_user(
            cls.env, "ka_director_t", groups=groups + ",key_account_mgmt.group_ka_director", name="KA Director"
        )
        cls.ka_manager_b = new_test_user(
            cls.env,
            "ka_manager_b",
            groups=groups + ",key_account_mgmt.group_ka_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
            name="KA Manager B",
        )
        cls.tier_strategic = cls.env.ref("key_account_mgmt.tier_strategic")
        cls.tier_key = cls.env.ref("key_account_mgmt.tier_key")
        cls.tier_normal = cls.env.ref("key_account_mgmt.tier_normal")
        cls.category_trading = cls.env.ref("key_account_mgmt.category_trading")
        cls.category_retail = cls.env.ref("key_account_mgmt.category_retail")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Hengtai Construction Group",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": cls.tier_strategic.id,
                "key_account_manager_id": cls.ka_user.id,
                "key_account_category_ids": [(6, 0, cls.category_trading.ids)],
            }
        )
        cls.contact = cls.env["res.partner"].create({"name": "Sun Li", "parent_id": cls.account.id})
        cls.other_account = cls.env["res.partner"].create(
            {
                "name": "Huaxin Trading",
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": cls.tier_key.id,
                "key_account_manager_id": cls.ka_user_off.id,
            }
        )

    @contextmanager
    def assertRefused(self, exception, message):
        """Odoo's assertRaises (in a savepoint, so nothing of the refused call stays) plus a
        check of the message the user reads."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), message)

    # every role that is not a KA Manager, for "denied" loops
    @classmethod
    def roles_below_manager(cls):
        return {"plain": cls.plain_user, "ka_user": cls.ka_user, "ka_user_off": cls.ka_user_off, "clerk": cls.ka_clerk}

    @classmethod
    def roles_manager_and_up(cls):
        return {"manager": cls.ka_manager, "director": cls.ka_director}


class KeyAccountDataMixin:
    """Helpers added for issue #3 (nominations, archives, teams, handover, loss). Mixed into a
    KeyAccountCase subclass: ``class TestX(KeyAccountDataMixin, KeyAccountCase)``."""

    @classmethod
    def _ensure_chart_of_accounts(cls, company=None):
        """Posted invoices need a chart: the test database is built without demo data, but
        installing ``account`` loads the generic chart on the main company. Load it only where
        it is missing."""
        company = company or cls.env.company
        if not cls.env["account.journal"].search_count([("company_id", "=", company.id), ("type", "=", "sale")]):
            cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)

    @classmethod
    def _post_invoice(cls, partner, amount, invoice_date=None, move_type="out_invoice", company=None, **vals):
        """A posted customer invoice (or refund) of ``amount`` untaxed for ``partner`` (``vals``:
        more fields of the move, e.g. ``invoice_date_due``)."""
        from odoo import Command, fields

        company = company or cls.env.company
        cls._ensure_chart_of_accounts(company)
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date or fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Steel beam H300",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                    **vals,
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _key_account(cls, name, manager=None, **vals):
        """A key account (company) created by the superuser."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "is_key_account": True,
                "key_account_tier_id": cls.env.ref("key_account_mgmt.tier_key").id,
                "key_account_manager_id": manager.id if manager else False,
                **vals,
            }
        )

    @classmethod
    def _archive(cls, partner, **vals):
        """A client archive created by the superuser (no access register row)."""
        return cls.env["key.account.archive"].create({"partner_id": partner.id, **vals})

    @classmethod
    def _nomination(cls, user, partner, expected=250000.0, **vals):
        """A draft nomination made by ``user``."""
        return (
            cls.env["key.account.application"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "reasons": "Largest steel buyer of the province",
                    "expected_annual_sales": expected,
                    "line_ids": [(0, 0, {"name": "H-beams", "quantity": 100, "expected_amount": expected})],
                    **vals,
                }
            )
        )


class KeyAccountXmlRpcMixin:
    """Calls over real XML-RPC as a user (with HttpCase), and the fault a refused call gives:
    2 (UserError/ValidationError) or 4 (AccessError), never 1 (a server error)."""

    def _call(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs)

    def _fault(self, user, model, method, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(user, model, method, *args, **kwargs)
        return caught.exception

    def _refused(self, code, user, model, method, *args, **kwargs):
        """The fault's text, after checking its code."""
        fault = self._fault(user, model, method, *args, **kwargs)
        self.assertEqual(fault.faultCode, code, fault.faultString)
        return fault.faultString


class KeyAccountXmlRpcCase(KeyAccountXmlRpcMixin, HttpCase):
    pass
