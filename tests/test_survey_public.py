"""Satisfaction surveys over HTTP (issue #20): a contact answers through the survey's public
page with their personal token, which moves their account's satisfaction; the token of one
contact shows nothing of another account; the figures over real XML-RPC, allowed and denied."""

from odoo.tests import HttpCase, tagged

from .common import KeyAccountCase, KeyAccountXmlRpcMixin
from .survey_common import QUESTIONS, SurveyDataMixin
from .test_survey_satisfaction import LI


@tagged("post_install", "-at_install")
class TestSurveyPublicPage(KeyAccountXmlRpcMixin, SurveyDataMixin, KeyAccountCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._survey_setup()
        cls.env["key.account.survey.campaign"]._cron_send_surveys()

    def _token(self, contact):
        return self._invitation(contact).user_input_id.access_token

    def _submit(self, contact, points, improvement=""):
        """What the answer page posts when the contact clicks Submit (one page)."""
        token = self._token(contact)
        url = f"/survey/submit/{self.survey.access_token}/{token}"
        self.make_jsonrpc_request(f"/survey/begin/{self.survey.access_token}/{token}", {})
        values = {}
        for code, point in zip(QUESTIONS, points, strict=True):
            choice = {4: "very", 3: "satisfied", 2: "neutral", 1: "dissatisfied", 0: "very_dissatisfied"}[point]
            values[str(self.questions[code].id)] = str(
                self.env.ref(f"key_account_mgmt.survey_satisfaction_q_{code}_{choice}").id
            )
        values[str(self.improve.id)] = improvement
        return self.make_jsonrpc_request(url, values)

    def test_public_answer_moves_the_score(self):
        page = self.url_open(f"/survey/start/{self.survey.access_token}?answer_token={self._token(self.buyer_a)}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Customer Satisfaction Survey", page.text)
        self._submit(self.buyer_a, (4, 4, 4, 4, 4, 2), "A Mandarin-speaking engineer on site")
        satisfaction = self.env["key.account.satisfaction"].search([("partner_id", "=", self.account.id)])
        # 22 of 24 points
        self.assertAlmostEqual(satisfaction.score, round(100 * 22 / 24, 2))
        self.assertAlmostEqual(self.account.key_account_satisfaction, 91.67)
        self.assertEqual(self._invitation(self.buyer_a).improvement, "A Mandarin-speaking engineer on site")
        # submitting again with the same token changes nothing: the answer is done
        self._submit(self.buyer_a, (0, 0, 0, 0, 0, 0))
        self.assertAlmostEqual(satisfaction.score, 91.67)

    def test_a_token_shows_nothing_of_another_account(self):
        self._submit(self.buyer_other, LI, "Huaxin secret: move to a competitor in March")
        self._submit(self.buyer_a, LI, "Hengtai note")
        self.url_open("/web/session/logout")
        for url in (
            f"/survey/start/{self.survey.access_token}?answer_token={self._token(self.buyer_a)}",
            f"/survey/print/{self.survey.access_token}?answer_token={self._token(self.buyer_a)}",
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            for secret in ("Huaxin", "Chen Hua", "move to a competitor", self._token(self.buyer_other)):
                self.assertNotIn(secret, page.text, url)
        printed = self.url_open(
            f"/survey/print/{self.survey.access_token}?answer_token={self._token(self.buyer_a)}"
        ).text
        self.assertIn("Hengtai note", printed, "the contact's own answers only")
        # without a token the survey is closed to the public, its results to non-users
        self.assertNotIn("Huaxin", self.url_open(f"/survey/start/{self.survey.access_token}").text)
        results = self.url_open(f"/survey/results/{self.survey.id}")
        self.assertIn("/web/login", results.url)

    def test_xmlrpc_rights(self):
        self._submit(self.buyer_a, LI)
        self._submit(self.buyer_other, (1, 1, 1, 1, 1, 1))
        Satisfaction = self.env["key.account.satisfaction"]
        mine = Satisfaction.search([("partner_id", "=", self.account.id)])
        theirs = Satisfaction.search([("partner_id", "=", self.other_account.id)])
        rows = self._call(self.ka_user, "key.account.satisfaction", "search_read", [], ["partner_id", "score"])
        self.assertEqual([(row["partner_id"][0], row["score"]) for row in rows], [(self.account.id, 75.0)])
        self._refused(4, self.ka_user, "key.account.satisfaction", "read", theirs.ids, ["score"])
        self._refused(4, self.ka_user, "key.account.satisfaction", "write", mine.ids, {"score": 100})
        text = self._refused(2, self.ka_user, "key.account.survey.campaign", "action_send_now", self.campaign.ids)
        self.assertIn("Only a Key Account Manager", text)
        result = self._call(self.ka_manager, "key.account.survey.campaign", "action_send_now", self.campaign.ids)
        self.assertEqual(result["params"]["type"], "info", "everybody due is invited already")
        figures = self._call(self.ka_manager, "key.account.satisfaction", "read", theirs.ids, ["score", "alert"])
        self.assertEqual((figures[0]["score"], figures[0]["alert"]), (25.0, "low"))
        header = self._call(self.ka_user_off, "res.partner", "read", self.account.ids, ["key_account_satisfaction"])
        self.assertEqual(header[0]["key_account_satisfaction"], 75.0)
        self._refused(4, self.plain_user, "res.partner", "read", self.account.ids, ["key_account_satisfaction"])
