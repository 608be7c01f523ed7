from collections import Counter

from lxml import etree

from odoo import api, models


class KeyAccountApprovalDisplayMixin(models.AbstractModel):
    """What the layered approval (key.account.approval.mixin) shows, in the reader's language.
    base_tier_validation's banner, buttons, reviews widget and messages are translated from its
    own files only, which leave them English in Chinese: the forms get this addon's instead
    (views/key_account_approval_templates.xml: Approve and Reject first in the header, a banner
    naming the level awaited, the list of reviews; no Request or Restart Validation, as
    submitting requests the reviews and nothing restarts them by hand), the messages its words,
    in the reviewers' language."""

    _name = "key.account.approval.display.mixin"
    _inherit = ["tier.validation"]
    _description = "Key Account Layered Approval Display"

    _tier_validation_manual_config = False
    # Approve and Reject come first in the header (see _add_tier_validation_buttons)
    _tier_validation_buttons_xpath = "/form/header/button[1]"

    def _add_tier_validation_buttons(self, node, params):
        buttons = etree.fromstring(self.env["ir.qweb"]._render("key_account_mgmt.approval_buttons", params))
        # each is inserted right after the header's first button: reversed, they keep their order
        buttons[:] = reversed(buttons)
        return buttons

    def _add_tier_validation_label(self, node, params):
        return etree.fromstring(self.env["ir.qweb"]._render("key_account_mgmt.approval_banner", params))

    def _add_tier_validation_reviews(self, node, params):
        return etree.fromstring(self.env["ir.qweb"]._render("key_account_mgmt.approval_reviews", params))

    @api.depends("review_ids.status")
    def _compute_next_review(self):
        # the level now awaited: the first open one (the next is "waiting" until it comes)
        for record in self:
            record.next_review = (
                record.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).sorted("sequence")[:1].name
            )

    # the messages notify the reviewers: written in the language most of them read
    def _notify_created_review_body(self):
        return self._reviewers_env()._("Submitted for approval by %s.", self.env.user.name)

    def _notify_requested_review_body(self):
        return self._reviewers_env()._("Approved by %s: the next level of approval is requested.", self.env.user.name)

    def _notify_accepted_reviews_body(self):
        return self._reviewers_env()._(
            "Approved by %(user)s. %(comment)s", user=self.env.user.name, comment=self._reviewer_comment()
        )

    def _notify_rejected_review_body(self):
        return self._reviewers_env()._(
            "Rejected by %(user)s. %(comment)s", user=self.env.user.name, comment=self._reviewer_comment()
        )

    def _reviewers_env(self):
        """The environment in the language most reviewers of the open reviews read, else the
        writer's."""
        reviewers = self.sudo().review_ids.filtered(lambda r: r.status in ("waiting", "pending")).reviewer_ids
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        langs = Counter(lang for lang in reviewers.mapped("lang") if lang in installed)
        return self.with_context(lang=langs.most_common(1)[0][0] if langs else self.env.lang).env

    def _reviewer_comment(self):
        mine = self.sudo().review_ids.filtered(lambda r: self.env.user in r.reviewer_ids and r.comment)
        return mine[:1].comment or ""
