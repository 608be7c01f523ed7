"""Fixtures of the satisfaction surveys (issue #20): key accounts whose contacts are on the
relationship map with buying roles, the default questionnaire, an active campaign, and answers
given the way the survey's public page gives them."""

from odoo import fields

from .common import KeyAccountDataMixin

QUESTIONS = ("product", "delivery", "service", "support", "price", "overall")
CHOICES = {4: "very", 3: "satisfied", 2: "neutral", 1: "dissatisfied", 0: "very_dissatisfied"}


class SurveyDataMixin(KeyAccountDataMixin):
    @classmethod
    def _survey_setup(cls):
        ref = cls.env.ref
        cls.survey = ref("key_account_mgmt.survey_satisfaction")
        cls.role_economic = ref("key_account_mgmt.buying_role_economic")
        cls.role_technical = ref("key_account_mgmt.buying_role_technical")
        cls.role_coach = ref("key_account_mgmt.buying_role_coach")
        cls.campaign = cls.env["key.account.survey.campaign"].create(
            {
                "name": "Satisfaction 2026",
                "survey_id": cls.survey.id,
                "role_ids": [(6, 0, (cls.role_economic | cls.role_technical).ids)],
                "reminder_days": 7,
                "max_reminders": 2,
            }
        )
        # Hengtai (strategic, quarterly, managed by the KA User on the team): two buyers to ask,
        # a coach (role not chosen) and a buyer without e-mail (not invited)
        cls.buyer_a = cls._person(cls.account, "Wang Gang", "wang.gang@hengtai.example", cls.role_economic)
        cls.buyer_b = cls._person(cls.account, "Li Na", "li.na@hengtai.example", cls.role_technical)
        cls.coach = cls._person(cls.account, "Zhao Lei", "zhao.lei@hengtai.example", cls.role_coach)
        cls.no_mail = cls._person(cls.account, "Qian Jun", False, cls.role_economic)
        # Huaxin (key, half-yearly, the other team): one buyer
        cls.buyer_other = cls._person(cls.other_account, "Chen Hua", "chen.hua@huaxin.example", cls.role_economic)
        cls.questions = {code: ref(f"key_account_mgmt.survey_satisfaction_q_{code}") for code in QUESTIONS}
        cls.improve = ref("key_account_mgmt.survey_satisfaction_q_improve")
        cls.public = ref("base.public_user")

    @classmethod
    def _person(cls, account, name, email, role):
        person = cls.env["res.partner"].create({"name": name, "parent_id": account.id, "email": email})
        cls.env["key.account.relationship"].create(
            {"partner_id": account.id, "contact_id": person.id, "role_ids": [(6, 0, role.ids)]}
        )
        return person

    def _invitation(self, contact):
        return self.env["key.account.survey.invitation"].search([("contact_id", "=", contact.id)])

    def _invite_for(self, account, contact, first_day, last_day):
        """An invitation of an earlier period, as the campaign makes them."""
        return self.campaign._invite([(self.campaign.id, account.id, contact.id, first_day, last_day)], first_day)

    def _answer(self, invitation, points, improvement=None):
        """Answer as the public page does: the answer of the invitation's token, as the public
        user in sudo (the survey controller's ``answer_sudo``), one line per question, then done."""
        answer = invitation.user_input_id.with_user(self.public).sudo()
        for code, point in zip(QUESTIONS, points, strict=True):
            choice = self.env.ref(f"key_account_mgmt.survey_satisfaction_q_{code}_{CHOICES[point]}")
            answer._save_lines(self.questions[code].with_user(self.public).sudo(), str(choice.id))
        if improvement:
            answer._save_lines(self.improve.with_user(self.public).sudo(), improvement)
        answer._mark_done()
        self.env.invalidate_all()
        return answer

    def _quarter(self):
        return self.env["key.account.metrics"]._period(fields.Date.context_today(self.env.user), "quarter")
