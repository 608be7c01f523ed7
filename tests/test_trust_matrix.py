"""The trust boundary, checked from the registry (issue #16): every model of the addon that
holds confidential data × every role × every way of reading or changing it, allowed or denied
as SPEC §1 says.

A model is confidential by introspection (it inherits ``key.account.confidential.mixin`` or the
append-only history, or links to a partner and has record rules) or by being listed in
``CONFIDENTIAL_WITHOUT_PARTNER``; otherwise it must be listed in ``NOT_CONFIDENTIAL`` with the
reason. A new model is therefore classified or this suite fails, and a confidential model
without a way to build its records here fails loudly (``test_every_confidential_model_is_built``).

Records: one of each model for the account of the KA User on the team (``mine``) and one for
the account of another team (``other``: the off-team KA User manages it), built with sudo from
the models' own create (required values guessed from the fields, an explicit factory where
they cannot be), or by the actions that produce them (scores, monthly report, SQL views).
Expected visibility (SPEC §1): the team sees its account's records, not the other team's; a
KA User sees neither of another team (the off-team user is on the *other* account's team);
clerks, managers and directors see all of their companies; another company's manager and a
plain salesperson see nothing. Models that differ say so in ``VISIBILITY``."""

from datetime import date

from odoo import Command, fields
from odoo.tests import tagged

from .common import KeyAccountCase, KeyAccountDataMixin

MODULE = "key_account_mgmt"
CONFIDENTIAL_MIXINS = ("key.account.confidential.mixin", "key.account.history.mixin")
# confidential models with no partner of their own: listed, since introspection cannot tell
CONFIDENTIAL_WITHOUT_PARTNER = {
    "key.account.kpi": "figures of each specialist",
    "key.account.report": "the monthly report of every account",
    "key.account.review": "the annual review: scores and tiers of every account, meeting notes",
    "key.account.trip": "a specialist's business trip: where they go, whom they visit, what it costs",
    "key.account.work.report": "a specialist's monthly market report on their accounts",
    "key.account.target.plan": "the targets of every specialist, team and account of a period",
    "key.account.target.change": "a change of a specialist's target and its reason",
    "key.account.appraisal": "a specialist's quarterly appraisal: scores, warning, the manager's comment (pay)",
}
# configuration and plans, the same for every account (asserted as such below)
NOT_CONFIDENTIAL = {
    "key.account.tier": "tiers: every internal user reads them (SPEC §1)",
    "key.account.category": "categories: every internal user reads them to nominate",
    "key.account.archive.requirement": "the list of archive items to fill",
    "key.account.scorecard": "the scorecard: criteria and weights",
    "key.account.scorecard.dimension": "the scorecard: criteria and weights",
    "key.account.scorecard.criterion": "the scorecard: criteria and weights",
    "key.account.score.run": "a scoring run: its plan and company averages, nothing of one account",
    "key.account.team.member": "the account team, readable by every KA User like the partner's team field",
    "key.account.buying.role": "the six buying roles of seed 001: the same for every account",
    "key.account.development.reason": "the categories of failed developments: the same for every account",
    "key.account.survey.campaign": "a satisfaction survey campaign: questionnaire, tiers and buying roles to ask",
    "key.account.development.department": "the departments that sign off investigations: the same for every account",
    "key.account.service.plan": "a tier's service plan: what every account of the tier is owed",
    "key.account.credit.split.rule": "the company's credit split rules: shares and teams, the same for every account",
}
TEAM = {
    "plain": (),
    "ka_user": ("mine",),
    "ka_user_off": ("other",),
    "clerk": ("mine", "other"),
    "manager": ("mine", "other"),
    "director": ("mine", "other"),
    "manager_b": (),
}
MANAGERS = {
    "plain": (),
    "ka_user": (),
    "ka_user_off": (),
    "clerk": (),
    "manager": ("mine", "other"),
    "director": ("mine", "other"),
    "manager_b": (),
}
CLERKS = {**MANAGERS, "clerk": ("mine", "other")}
# models whose readers differ from the account team's rule (SPEC §1 and each model's docstring)
VISIBILITY = {
    # a KA User sees their own requests (mine is requested by the off-team user, other by the
    # user on mine's team); managers decide them
    "key.account.archive.grant": {**MANAGERS, "ka_user": ("other",), "ka_user_off": ("mine",)},
    "key.account.archive.access.log": MANAGERS,
    "key.account.report": CLERKS,
    # the sets holding a specialist's targets; these hold none
    "key.account.target.plan": CLERKS,
    # personal (pay): the specialist's own, the KA Managers and Directors all
    "key.account.appraisal": {**MANAGERS, "ka_user": ("mine",), "ka_user_off": ("other",)},
}
# one's own nomination: exported like any own document
EXPORT_FREE = {"key.account.application", "key.account.application.line"}
# values the fields do not tell (a constraint needs them)
FACTORY_VALUES = {
    "key.account.policy": {"policy_type": "discount", "value": 5.0},
    "key.account.target": {"sales_target": 1000.0},
    # the factory credits the account's manager (user_id): with a share
    "key.account.credit.override": {"user_share": 100.0},
}
# required links to a person of the account (its relationship map), not to the account itself
PERSON_FIELDS = {"key.account.relationship": "contact_id", "key.account.survey.invitation": "contact_id"}


def _addon_models(env):
    models = {}
    for name in env.registry:
        model = env[name]
        if model._abstract or model._transient or model._original_module != MODULE:
            continue
        models[name] = model
    return models


def _is_confidential(model, seen=()):
    env = model.env
    if model._name in NOT_CONFIDENTIAL:
        return False
    if any(issubclass(type(model), type(env[mixin])) for mixin in CONFIDENTIAL_MIXINS):
        return True
    # a line of a confidential record
    for field in model._fields.values():
        if (
            field.type == "many2one"
            and field.required
            and field.ondelete == "cascade"
            and field.comodel_name.startswith("key.account.")
            and field.comodel_name not in (*seen, model._name)
            and _is_confidential(env[field.comodel_name], (*seen, model._name))
        ):
            return True
    links_partner = any(
        field.type == "many2one" and field.comodel_name == "res.partner" for field in model._fields.values()
    )
    has_rules = bool(env["ir.rule"].sudo().search_count([("model_id.model", "=", model._name)]))
    return (links_partner and has_rules) or model._name in CONFIDENTIAL_WITHOUT_PARTNER


class TrustMatrixCase(KeyAccountDataMixin, KeyAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "plain": cls.plain_user,
            "ka_user": cls.ka_user,
            "ka_user_off": cls.ka_user_off,
            "clerk": cls.ka_clerk,
            "manager": cls.ka_manager,
            "director": cls.ka_director,
            "manager_b": cls.ka_manager_b,
        }
        # Odoo's own export right for everyone: what is tested is ours (KA Managers only)
        for user in cls.users.values():
            user.groups_id = [(4, cls.env.ref("base.group_allow_export").id)]
        cls.accounts = {"mine": cls.account, "other": cls.other_account}
        cls.managers = {"mine": cls.ka_user, "other": cls.ka_user_off}
        # an account of the other team with no records yet, to create records for
        cls.spare_account = cls._key_account("Jinhai Logistics", manager=cls.ka_user_off)
        cls.spare_own_account = cls._key_account("Ruifeng Cement", manager=cls.ka_user)
        cls.models = _addon_models(cls.env)
        cls.confidential = sorted(name for name, model in cls.models.items() if _is_confidential(model))
        cls.records, cls.build_errors = {}, {}
        cls._produce_records()
        for name in cls.confidential:
            for side in ("mine", "other"):
                if (name, side) not in cls.records:
                    try:
                        with cls.env.cr.savepoint():
                            cls._build(name, side)
                    except Exception as error:  # reported by test_every_confidential_model_is_built
                        cls.build_errors[name] = f"{type(error).__name__}: {error}"
        cls.env.flush_all()

    # ------------------------------------------------------------------ building records
    @classmethod
    def _produce_records(cls):
        """Records that only the actions that own them produce (SQL views, snapshots, reports)."""
        env = cls.env
        today = fields.Date.today()
        month = today.replace(day=1)
        for side, partner in cls.accounts.items():
            cls._post_invoice(partner, 1000.0 if side == "mine" else 2000.0, invoice_date=today)
            env["key.account.target"].create(
                {
                    "user_id": cls.managers[side].id,
                    "partner_id": partner.id,
                    "period_kind": "month",
                    "date_from": month,
                    "sales_target": 5000.0,
                }
            )
        scorecard = env["key.account.scorecard"]._for_company(env.company)
        scorecard._compute_scores(period_date=month)
        report = env["key.account.report"].generate(month)
        earlier = env["key.account.report"].generate(month.replace(year=month.year - 1))
        env.flush_all()
        for side, partner in cls.accounts.items():
            user = cls.managers[side]
            cls.records[("key.account.score", side)] = env["key.account.score"].search(
                [("partner_id", "=", partner.id)], limit=1
            )
            cls.records[("key.account.score.line", side)] = env["key.account.score.line"].search(
                [("partner_id", "=", partner.id)], limit=1
            )
            cls.records[("key.account.report.line", side)] = report.line_ids.filtered(
                lambda line, partner=partner: line.partner_id == partner
            )[:1]
            cls.records[("key.account.receivable.report", side)] = env["key.account.receivable.report"].search(
                [("account_id", "=", partner.id)], limit=1
            )
            cls.records[("key.account.kpi", side)] = env["key.account.kpi"].search([("user_id", "=", user.id)], limit=1)
            cls.records[("key.account.target", side)] = env["key.account.target"].search(
                [("partner_id", "=", partner.id)], limit=1
            )
        cls.records[("key.account.report", "mine")], cls.records[("key.account.report", "other")] = report, earlier
        # a beam sold below its price without a policy: the policy check lists it
        beam = env["product.product"].create({"name": "Trust matrix beam", "list_price": 100.0})
        for partner in cls.accounts.values():
            line = Command.create(
                {"product_id": beam.id, "quantity": 1, "price_unit": 90.0, "tax_ids": [Command.clear()]}
            )
            cls._post_invoice(partner, 90.0, invoice_line_ids=[line])
        deviations = env["key.account.policy.deviation"]
        deviations._check_lines(env["account.move.line"].search([("product_id", "=", beam.id)]))
        for side, partner in cls.accounts.items():
            cls.records[("key.account.policy.deviation", side)] = deviations.search([("partner_id", "=", partner.id)])
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": beam.id, "product_uom_qty": 1})],
                }
            )
            env.flush_all()
            cls.records[("key.account.order.board", side)] = env["key.account.order.board"].search(
                [("order_id", "=", order.id)]
            )
        # a care activity's participations are made by the registrations of the accounts' people
        training = env["event.event"].create(
            {
                "name": "Trust matrix training",
                "key_account_care_kind": "training",
                "date_begin": fields.Datetime.now(),
                "date_end": fields.Datetime.add(fields.Datetime.now(), hours=2),
            }
        )
        for side, partner in cls.accounts.items():
            person = env["res.partner"].create({"name": f"Trust matrix trainee {side}", "parent_id": partner.id})
            env["event.registration"].create({"event_id": training.id, "partner_id": person.id})
            cls.records[("key.account.care.participation", side)] = training.key_account_participation_ids.filtered(
                lambda p, partner=partner: p.partner_id == partner
            )
        for side, year in (("mine", 2030), ("other", 2031)):
            review = env["key.account.review"].create(
                {
                    "year": year,
                    "date": date(year, 12, 25),
                    "scorecard_id": scorecard.id,
                    "note": "<p>Meeting notes</p>",
                }
            )
            line = env["key.account.review.line"].create(
                {
                    "review_id": review.id,
                    "partner_id": cls.accounts[side].id,
                    "score_id": cls.records[("key.account.score", side)].id,
                    "reason": "Score",
                }
            )
            cls.records[("key.account.review", side)], cls.records[("key.account.review.line", side)] = review, line
        criterion = env["key.account.scorecard.criterion"].search(
            [("kind", "=", "manual"), ("scorecard_id", "=", scorecard.id)], limit=1
        )
        for side, partner in cls.accounts.items():
            cls.records[("key.account.manual.score", side)] = env["key.account.manual.score"].create(
                {
                    "partner_id": partner.id,
                    "criterion_id": criterion.id,
                    "points": 3,
                }
            )
            archive = cls._build("key.account.archive", side)
            # mine is requested by the off-team user, other by the user on mine's team
            requester = cls.ka_user_off if side == "mine" else cls.ka_user
            cls.records[("key.account.archive.grant", side)] = env["key.account.archive.grant"].create(
                {
                    "archive_id": archive.id,
                    "user_id": requester.id,
                    "reason": "Tender",
                    "date_expiry": fields.Date.add(today, days=10),
                }
            )
            cls.records[("key.account.archive.access.log", side)] = env["key.account.archive.access.log"].create(
                {
                    "archive_id": archive.id,
                    "partner_id": partner.id,
                    "user_id": cls.ka_manager.id,
                    "date": today,
                    "first_read": fields.Datetime.now(),
                }
            )

    @classmethod
    def _build(cls, name, side, partner=None):
        """The record of model ``name`` for the account of ``side``: from the models' create
        with its required values guessed from the fields."""
        if partner is None and (name, side) in cls.records:
            return cls.records[(name, side)]
        vals = cls._guess_vals(name, side, partner or cls.accounts[side])
        record = cls.env[name].create(vals)
        if partner is None:
            cls.records[(name, side)] = record
        return record

    @classmethod
    def _guess_vals(cls, name, side, partner):
        model = cls.env[name]
        defaults = model.default_get(list(model._fields))
        vals = {}
        parents = getattr(model, "_confidential_parents", ())
        parent = cls.env[model._fields[parents[0]].comodel_name] if parents else None
        if parent is not None and _is_confidential(parent):
            own = partner is cls.accounts[side]
            vals[parents[0]] = (cls._build(parent._name, side) if own else cls._build(parent._name, side, partner)).id
        elif parent is not None:  # configuration (a criterion): the existing one
            vals[parents[0]] = cls._existing(parent._name, name).id
        partner_field = model._fields.get("partner_id")
        if partner_field and partner_field.comodel_name == "res.partner" and not partner_field.compute:
            vals["partner_id"] = partner.id
        for fname, field in model._fields.items():
            if (
                fname in vals
                or not field.required
                or fname in defaults
                or field.related
                or (field.compute and field.readonly)
            ):
                continue
            if field.type == "many2one":
                if field.comodel_name == "res.users":
                    vals[fname] = cls.managers[side].id
                elif field.comodel_name == "res.partner" and PERSON_FIELDS.get(name) == fname:
                    vals[fname] = (
                        cls.env["res.partner"].create({"name": "Trust matrix person", "parent_id": partner.id}).id
                    )
                elif field.comodel_name == "res.partner":
                    vals[fname] = partner.id
                elif field.comodel_name in cls.models and _is_confidential(cls.env[field.comodel_name]):
                    vals[fname] = cls._build(
                        field.comodel_name, side, None if partner is cls.accounts[side] else partner
                    ).id
                else:
                    vals[fname] = cls._existing(field.comodel_name, name).id
            elif field.type == "selection":
                vals[fname] = field._description_selection(cls.env)[0][0]
            elif field.type in ("char", "text", "html"):
                vals[fname] = "Trust matrix"
            elif field.type in ("integer", "float", "monetary"):
                vals[fname] = 1
            elif field.type == "date":
                vals[fname] = fields.Date.add(fields.Date.today(), days=30)
            elif field.type == "datetime":
                vals[fname] = fields.Datetime.add(fields.Datetime.now(), days=30)
        vals.update(FACTORY_VALUES.get(name, {}))
        for fname in ("user_id", "responsible_id"):
            if (
                fname in model._fields
                and model._fields[fname].comodel_name == "res.users"
                and not model._fields[fname].compute
            ):
                vals.setdefault(fname, cls.managers[side].id)
        return vals

    @classmethod
    def _existing(cls, comodel, name):
        """A configuration record to point at (a manual criterion for manual ratings)."""
        domain = (
            [("kind", "=", "manual")]
            if comodel == "key.account.scorecard.criterion" and name == "key.account.manual.score"
            else []
        )
        return cls.env[comodel].search(domain, limit=1)

    # ------------------------------------------------------------------ expectations
    def _expected(self, name, role):
        return set(VISIBILITY.get(name, TEAM)[role])

    def _acl(self, name, user, operation):
        return self.env["ir.model.access"].with_user(user).check(name, operation, raise_exception=False)

    def _pair(self, name):
        return {side: self.records[(name, side)] for side in ("mine", "other")}


@tagged("post_install", "-at_install")
class TestTrustMatrix(TrustMatrixCase):
    # ------------------------------------------------------------------ classification
    def test_every_model_is_classified(self):
        """A new model is either confidential (and then in the matrix) or listed as not."""
        unclassified = [
            name for name in self.models if name not in NOT_CONFIDENTIAL and not _is_confidential(self.models[name])
        ]
        self.assertFalse(
            [name for name in NOT_CONFIDENTIAL if name not in self.models], "stale NOT_CONFIDENTIAL entries"
        )
        self.assertFalse(
            unclassified, "Classify these models in tests/test_trust_matrix.py (confidential or NOT_CONFIDENTIAL)"
        )
        listed_but_confidential = [
            name
            for name in NOT_CONFIDENTIAL
            if name in self.models
            and issubclass(type(self.models[name]), type(self.env["key.account.confidential.mixin"]))
        ]
        self.assertFalse(listed_but_confidential)
        self.assertGreaterEqual(len(self.confidential), 25)

    def test_every_confidential_model_is_built(self):
        missing = {
            name: self.build_errors.get(name, "no record")
            for name in self.confidential
            if not all(self.records.get((name, side)) for side in ("mine", "other"))
        }
        self.assertFalse(missing, "Give these models a factory in tests/test_trust_matrix.py")
        for name in self.confidential:
            mine, other = self._pair(name).values()
            self.assertNotEqual(mine, other, name)

    def test_every_confidential_model_restricts_export(self):
        """One mechanism: every confidential model inherits key.account.export.mixin."""
        export = type(self.env["key.account.export.mixin"])
        left_out = [
            name
            for name in self.confidential
            if name not in EXPORT_FREE and not issubclass(type(self.models[name]), export)
        ]
        self.assertFalse(left_out)

    def test_not_confidential_models_hold_no_account(self):
        """The configuration models hold nothing of one account; plain users may not change them."""
        for name in NOT_CONFIDENTIAL:
            model = self.env[name]
            self.assertFalse(
                issubclass(type(model), type(self.env["key.account.confidential.mixin"])),
                name,
            )
            self.assertFalse(self._acl(name, self.plain_user, "write"), name)
            self.assertFalse(self._acl(name, self.ka_user, "unlink"), name)
